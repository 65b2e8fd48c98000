import { Button, Result } from 'antd';
import { Link, useRouteError } from 'react-router';
import { useT } from '../shared/i18n/locale.tsx';

export function NotFoundPage() {
  const t = useT();
  return <Result status="404" title={t('error.pageNotFound')} extra={<Link to="/">{t('action.backHome')}</Link>} />;
}

/** A page that failed to load (e.g. its chunk after a new release): offer a reload. */
export function RouteErrorPage() {
  const t = useT();
  const error = useRouteError();
  console.error(error);
  return (
    <Result
      status="warning"
      title={t('error.pageFailed')}
      extra={<Button type="primary" onClick={() => window.location.reload()}>{t('action.reload')}</Button>}
    />
  );
}
