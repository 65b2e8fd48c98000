import { Suspense, useRef, useState } from 'react';
import { Alert, Button, Flex, Spin } from 'antd';
import { CloseOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
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
 * first page, and those two weigh more than all the rest of it. On a phone the links fold
 * behind a menu button (a disclosure: the button says whether the menu is open).
 */
export default function ConsoleLayout() {
  const t = useT();
  const me = useMe();
  const logout = useLogout();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuToggle = useRef<HTMLButtonElement>(null);

  if (me.isPending) return <FullPage><Spin size="large" aria-label={t('state.loading')} /></FullPage>;
  if (me.error) return <FullPage><ErrorBlock error={me.error} onRetry={() => void me.refetch()} /></FullPage>;
  // Signed out here: to the sign-in page; sent away by an expired session: back here after signing in.
  if (!me.data) return <Navigate to={logout.isSuccess ? '/login' : `/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;

  const nav = allowedNav(me.data);
  return (
    <div className="wh-console">
      {/* Escape closes the menu, from its button or from inside it (focus goes back to the button). */}
      <header
        className={menuOpen ? 'wh-header wh-header-open' : 'wh-header'}
        onKeyDown={(e) => { if (e.key === 'Escape' && menuOpen) { setMenuOpen(false); menuToggle.current?.focus(); } }}
      >
        <Link to="/" className="wh-brand">{t('app.name')}</Link>
        <button
          ref={menuToggle} type="button" className="wh-menu-toggle" aria-expanded={menuOpen} aria-controls="wh-header-menu"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {menuOpen ? <CloseOutlined aria-hidden /> : <MenuOutlined aria-hidden />} {t('nav.menu')}
        </button>
        {/* Following a link closes the menu. */}
        <div
          id="wh-header-menu" className="wh-header-menu"
          onClick={(e) => { if ((e.target as Element).closest('a')) setMenuOpen(false); }}
        >
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
        </div>
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
