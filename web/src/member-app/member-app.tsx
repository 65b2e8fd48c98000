import { lazy, Suspense, useEffect, useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import './member-app.css';
import { Alert, Button, Card, Flex, Typography } from 'antd';
import { LogoutOutlined } from '@ant-design/icons';
import { useLocale } from '../shared/i18n/locale.tsx';
import { LanguageSwitch } from '../shared/ui/language-switch.tsx';
import { ErrorBlock, LoadingBlock } from '../shared/ui/states.tsx';
import { useLogout, useMe } from '../modules/auth/api.ts';
import { MEMBER_NAV } from '../modules/index.ts';

// Signed-in members (nearly every visit) never load the sign-in form and its form library.
const LoginForm = lazy(() => import('../modules/auth/components/login-form.tsx').then((m) => ({ default: m.LoginForm })));

function useOnline() {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => { window.removeEventListener('online', update); window.removeEventListener('offline', update); };
  }, []);
  return online;
}

function Header({ signedIn }: { signedIn: boolean }) {
  const { t } = useLocale();
  const logout = useLogout();
  return (
    <header style={{ position: 'sticky', top: 0, zIndex: 10, background: '#c8102e', color: '#fff', padding: '12px 16px' }}>
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Title level={1} className="wh-app-title">{t('app.memberAppName')}</Typography.Title>
        <Flex gap={8} align="center">
          <LanguageSwitch />
          {signedIn && (
            <Button size="small" icon={<LogoutOutlined aria-hidden />} onClick={() => logout.mutate()} loading={logout.isPending} aria-label={t('action.signOut')}>
              <span className="wh-app-signout-text">{t('action.signOut')}</span>
            </Button>
          )}
        </Flex>
      </Flex>
    </header>
  );
}

/** The member app's sections, from the modules' registry (web/src/modules/index.ts). */
function MemberNav() {
  const { locale } = useLocale();
  return (
    <nav aria-label={locale === 'en' ? 'Sections' : '栏目'} className="wh-app-nav">
      {MEMBER_NAV.map((item) => (
        <NavLink key={item.to} to={item.to} end={item.end} className={({ isActive }) => (isActive ? 'wh-app-nav-link wh-app-nav-link-active' : 'wh-app-nav-link')}>
          {item.label[locale]}
        </NavLink>
      ))}
    </nav>
  );
}

/** The member app: phone-sized, installable; sign in, then my union and record, my training, check-in, certificates. */
export function MemberApp() {
  const { t } = useLocale();
  const me = useMe();
  const online = useOnline();
  return (
    <div style={{ maxWidth: 480, margin: '0 auto', minHeight: '100vh', background: '#f5f5f5' }}>
      <Header signedIn={!!me.data} />
      {me.data && <MemberNav />}
      <main style={{ padding: 12 }}>
        {!online && <Alert type="warning" showIcon title={t('memberApp.offline')} style={{ marginBottom: 12 }} />}
        {me.isPending && me.fetchStatus === 'paused' ? null : me.isPending ? (
          <Card><LoadingBlock rows={6} minHeight={300} /></Card>
        ) : me.error ? (
          <ErrorBlock error={me.error} onRetry={() => void me.refetch()} minHeight={300} />
        ) : me.data ? (
          <Suspense fallback={<Card><LoadingBlock rows={6} minHeight={300} /></Card>}>
            <Outlet />
          </Suspense>
        ) : (
          <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{t('login.title')}</Typography.Title>}>
            <Typography.Paragraph type="secondary">{t('memberApp.signInIntro')}</Typography.Paragraph>
            <Suspense fallback={<LoadingBlock rows={3} />}>
              <LoginForm onSignedIn={() => undefined} />
            </Suspense>
          </Card>
        )}
      </main>
    </div>
  );
}
