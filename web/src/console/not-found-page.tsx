import { Alert, Button } from 'antd';
import { Link, useRouteError } from 'react-router';
import { useT } from '../shared/i18n/locale.tsx';

export function NotFoundPage() {
  const t = useT();
  return <Alert type="info" showIcon title={t('error.pageNotFound')} action={<Link to="/">{t('action.backHome')}</Link>} />;
}

/** A page that failed to load (e.g. its chunk after a new release): offer a reload. */
export function RouteErrorPage() {
  const t = useT();
  const error = useRouteError();
  console.error(error);
  return (
    <div style={{ padding: 24 }}>
      <Alert
        type="error"
        showIcon
        title={t('error.pageFailed')}
        action={<Button size="small" type="primary" onClick={() => window.location.reload()}>{t('action.reload')}</Button>}
      />
    </div>
  );
}
