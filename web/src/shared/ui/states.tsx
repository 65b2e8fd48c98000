import type { ReactNode } from 'react';
import { Alert, Button, Empty, Skeleton } from 'antd';
import { ApiError } from '../api/client.ts';
import { useT } from '../i18n/locale.tsx';
import { errorDetail, errorTitle } from './plain.tsx';

/** A placeholder of the same height as what will replace it, so nothing jumps when data arrives. */
export function LoadingBlock({ rows = 4, minHeight }: { rows?: number; minHeight?: number }) {
  return (
    <div style={{ minHeight }} aria-busy="true">
      <Skeleton active paragraph={{ rows }} title={false} />
    </div>
  );
}

/** An error with what went wrong in the reader's language, and a retry. */
export function ErrorBlock({ error, onRetry, minHeight }: { error: unknown; onRetry?: () => void; minHeight?: number }) {
  const t = useT();
  const status = error instanceof ApiError ? error.status : 0;
  return (
    <div style={{ minHeight }}>
      <Alert
        type={status === 404 || status === 403 ? 'info' : 'error'}
        showIcon
        title={errorTitle(error, t)}
        description={errorDetail(error, t)}
        action={onRetry ? <Button size="small" onClick={onRetry}>{t('action.retry')}</Button> : undefined}
      />
    </div>
  );
}

export function EmptyBlock({ description, children }: { description: string; children?: ReactNode }) {
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={description}>{children}</Empty>;
}

/** Renders loading, error (with retry) or the data, from a TanStack query's state. */
export function QueryView<T>({ query, children, rows, minHeight }: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  children: (data: T) => ReactNode;
  rows?: number;
  minHeight?: number;
}) {
  if (query.isPending) return <LoadingBlock rows={rows ?? 4} minHeight={minHeight ?? 0} />;
  if (query.error || query.data === undefined) return <ErrorBlock error={query.error} onRetry={() => void query.refetch()} minHeight={minHeight ?? 0} />;
  return <>{children(query.data)}</>;
}
