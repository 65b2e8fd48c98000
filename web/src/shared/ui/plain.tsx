import { useId, type ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { useT, type Translate } from '../i18n/locale.tsx';
import { problemText } from '../i18n/server-messages.ts';
import './plain.css';

/*
 * Plain HTML for pages that show before Ant Design has loaded (the member app's shell and first
 * page): a card, a loading placeholder, a notice, an error with a retry. They look like antd's
 * Card, Skeleton and Alert, so nothing changes when a page with antd opens after them.
 */

/** A card with its title as a heading (level 2) that names the section. */
export function PlainCard({ title, children }: { title?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section className="wh-plain-card" aria-labelledby={title ? id : undefined}>
      {title && <h2 id={id} className="wh-plain-card-title">{title}</h2>}
      <div className="wh-plain-card-body">{children}</div>
    </section>
  );
}

/** A placeholder of the same height as what will replace it, so nothing jumps when data arrives. */
export function PlainSkeleton({ rows = 4, minHeight }: { rows?: number; minHeight?: number }) {
  return (
    <div style={{ minHeight }} aria-busy="true" className="wh-plain-skeleton">
      {Array.from({ length: rows }, (_, i) => <div key={i} className="wh-plain-skeleton-row" />)}
    </div>
  );
}

/** A coloured notice: a title, and perhaps a description and an action. */
export function PlainNotice({ tone, title, description, action }: { tone: 'info' | 'warning' | 'error'; title: ReactNode; description?: ReactNode; action?: ReactNode }) {
  return (
    <div role={tone === 'info' ? 'status' : 'alert'} className={`wh-plain-notice wh-plain-notice-${tone}`}>
      <div className="wh-plain-notice-text">
        <div className="wh-plain-notice-title">{title}</div>
        {description && <div className="wh-plain-notice-description">{description}</div>}
      </div>
      {action}
    </div>
  );
}

/** What a failed request is called, in the reader's language (shared with antd's ErrorBlock). */
export function errorTitle(error: unknown, t: Translate): string {
  const status = error instanceof ApiError ? error.status : 0;
  return status === 0 ? t('error.network') : status === 404 ? t('error.notFound') : status === 403 ? t('error.forbidden') : t('error.generic');
}

/** The server's explanation of a failed request, when it gave one worth showing. */
export function errorDetail(error: unknown, t: Translate): string | undefined {
  return error instanceof ApiError && error.status !== 0 && error.status !== 404 ? problemText(error, t) : undefined;
}

/** An error with what went wrong in the reader's language, and a retry. */
export function PlainErrorBlock({ error, onRetry, minHeight }: { error: unknown; onRetry?: () => void; minHeight?: number }) {
  const t = useT();
  const status = error instanceof ApiError ? error.status : 0;
  return (
    <div style={{ minHeight }}>
      <PlainNotice
        tone={status === 404 || status === 403 ? 'info' : 'error'}
        title={errorTitle(error, t)}
        description={errorDetail(error, t)}
        action={onRetry ? <button type="button" className="wh-plain-button" onClick={onRetry}>{t('action.retry')}</button> : undefined}
      />
    </div>
  );
}
