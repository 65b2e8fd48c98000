import { Suspense } from 'react';
import { Alert, Button, Flex, Spin } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { useT } from '../shared/i18n/locale.tsx';
import { LanguageSwitch } from '../shared/ui/language-switch.tsx';
import { ErrorBlock, LoadingBlock } from '../shared/ui/states.tsx';
import { useLogout, useMe } from '../modules/auth/api.ts';
import { allowedNav } from './navigation.ts';
import './console-layout.css';

function FullPage({ children }: { children: React.ReactNode }) {
  return <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>{children}</Flex>;
}

/**
 * The signed-in console: the modules the account may use, the language switch, my account
 * and sign-out. Plain links rather than antd's Menu and Dropdown: the frame is on every
 * first page, and those two weigh more than all the rest of it.
 */
export default function ConsoleLayout() {
  const t = useT();
  const me = useMe();
  const logout = useLogout();
  const location = useLocation();

  if (me.isPending) return <FullPage><Spin size="large" aria-label={t('state.loading')} /></FullPage>;
  if (me.error) return <FullPage><ErrorBlock error={me.error} onRetry={() => void me.refetch()} /></FullPage>;
  // Signed out here: to the sign-in page; sent away by an expired session: back here after signing in.
  if (!me.data) return <Navigate to={logout.isSuccess ? '/login' : `/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;

  const nav = allowedNav(me.data);
  return (
    <div className="wh-console">
      <header className="wh-header">
        <Link to="/" className="wh-brand">{t('app.name')}</Link>
        <nav aria-label={t('nav.label')} className="wh-nav">
          {nav.map((item) => (
            <NavLink key={item.path} to={item.path} className={({ isActive }) => (isActive ? 'wh-nav-link wh-nav-link-active' : 'wh-nav-link')}>
              {t(item.label)}
            </NavLink>
          ))}
        </nav>
        <LanguageSwitch />
        <NavLink to="/account" className="wh-account-link" data-testid="my-account">
          <UserOutlined aria-hidden /> {me.data.account.displayName}
        </NavLink>
        <Button type="text" icon={<LogoutOutlined aria-hidden />} onClick={() => logout.mutate()} loading={logout.isPending}>
          {t('action.signOut')}
        </Button>
      </header>
      <main className="wh-main">
        {nav.length === 0 ? (
          <Alert
            type="info"
            showIcon
            title={t('console.noRoles')}
            action={<a href="/app/">{t('console.openMemberApp')}</a>}
          />
        ) : (
          <Suspense fallback={<LoadingBlock rows={8} />}>
            <Outlet />
          </Suspense>
        )}
      </main>
    </div>
  );
}

/** `/` opens the first module the account may use. */
export function HomeRedirect() {
  const me = useMe();
  const first = me.data ? allowedNav(me.data)[0] : undefined;
  return first ? <Navigate to={first.path} replace /> : null;
}
