import { Suspense, useCallback, useLayoutEffect, useRef, useState } from 'react';
import { Alert, Button, Flex, Spin } from 'antd';
import { CloseOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { useT } from '../shared/i18n/locale.tsx';
import { LanguageSwitch } from '../shared/ui/language-switch.tsx';
import { ErrorBlock, LoadingBlock } from '../shared/ui/states.tsx';
import { useLogout, useMe } from '../modules/auth/index.ts';
import { allowedNav } from './navigation.ts';
import './console-layout.css';

function FullPage({ children }: { children: React.ReactNode }) {
  return <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>{children}</Flex>;
}

/**
 * Whether a row's content fits it: measured in the browser's own fonts (a user's fonts are theirs
 * to choose, and DejaVu Sans, Debian's default, is wider than Arial), so no breakpoint has to
 * guess how wide the labels, the language switch and the account name come out. The row is measured
 * unfolded (the folding class taken off and put back before anything is painted) whenever its
 * width or its content may have changed: on a resize, when the fonts are ready, after a render.
 */
function useFoldWhenCrowded<T extends HTMLElement>(foldedClass: string) {
  const [folded, setFolded] = useState(false);
  const element = useRef<T | null>(null);
  const observer = useRef<ResizeObserver | null>(null);
  const measure = useCallback(() => {
    const row = element.current;
    if (!row) return;
    const wasFolded = row.classList.contains(foldedClass);
    row.classList.remove(foldedClass);
    const crowded = row.scrollWidth > row.clientWidth + 1
      || [...row.querySelectorAll<HTMLElement>('[data-fold-measure]')].some((e) => e.scrollWidth > e.clientWidth + 1);
    if (wasFolded) row.classList.add(foldedClass);
    setFolded(crowded);
  }, [foldedClass]);
  // The row's callback ref: starts watching its size.
  const observe = useCallback((row: T | null) => {
    observer.current?.disconnect();
    element.current = row;
    if (!row) return;
    // The row's own size: folding never changes it, so measuring cannot loop.
    observer.current = new ResizeObserver(measure);
    observer.current.observe(row);
    void document.fonts.ready.then(measure);
  }, [measure]);
  useLayoutEffect(measure); // after every render: the language, the links or the account name may have changed
  return [folded, observe] as const;
}

/**
 * The signed-in console: the modules the account may use, the language switch, my account
 * and sign-out. Plain links rather than antd's Menu and Dropdown: the frame is on every
 * first page, and those two weigh more than all the rest of it. When they do not fit on one row
 * (a phone, a tablet, a narrow window, wide fonts) the links fold behind a menu button (a
 * disclosure: the button says whether the menu is open).
 */
export default function ConsoleLayout() {
  const t = useT();
  const me = useMe();
  const logout = useLogout();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuToggle = useRef<HTMLButtonElement>(null);
  const [folded, observeHeader] = useFoldWhenCrowded<HTMLElement>('wh-header-folded');

  if (me.isPending) return <FullPage><Spin size="large" aria-label={t('state.loading')} /></FullPage>;
  if (me.error) return <FullPage><ErrorBlock error={me.error} onRetry={() => void me.refetch()} /></FullPage>;
  // Signed out here: to the sign-in page; sent away by an expired session: back here after signing in.
  if (!me.data) return <Navigate to={logout.isSuccess ? '/login' : `/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;

  const nav = allowedNav(me.data);
  const open = folded && menuOpen;
  return (
    <div className="wh-console">
      {/* Escape closes the menu, from its button or from inside it (focus goes back to the button). */}
      <header
        ref={observeHeader}
        className={['wh-header', folded && 'wh-header-folded', open && 'wh-header-open'].filter(Boolean).join(' ')}
        onKeyDown={(e) => { if (e.key === 'Escape' && open) { setMenuOpen(false); menuToggle.current?.focus(); } }}
      >
        <Link to="/" className="wh-brand">{t('app.name')}</Link>
        <button
          ref={menuToggle} type="button" className="wh-menu-toggle" aria-expanded={open} aria-controls="wh-header-menu"
          onClick={() => setMenuOpen(!open)}
        >
          {open ? <CloseOutlined aria-hidden /> : <MenuOutlined aria-hidden />} {t('nav.menu')}
        </button>
        {/* Following a link closes the menu. */}
        <div
          id="wh-header-menu" className="wh-header-menu"
          onClick={(e) => { if ((e.target as Element).closest('a')) setMenuOpen(false); }}
        >
          <nav aria-label={t('nav.label')} className="wh-nav" data-fold-measure>
            {nav.map((item) => (
              <NavLink key={item.path} to={item.path} end={item.path === '/'} className={({ isActive }) => (isActive ? 'wh-nav-link wh-nav-link-active' : 'wh-nav-link')}>
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
