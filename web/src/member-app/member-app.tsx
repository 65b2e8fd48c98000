import { lazy, Suspense, useEffect, useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import '../shared/ui/plain.css';
import './member-app.css';
import { useLocale } from '../shared/i18n/locale.tsx';
import { LanguageSwitch } from '../shared/ui/language-switch.tsx';
import { PlainCard, PlainErrorBlock, PlainNotice, PlainSkeleton } from '../shared/ui/plain.tsx';
import { useLogout, useMe } from '../modules/auth/api.ts';
import { MEMBER_NAV } from '../modules/index.ts';

// The shell and the first page are plain HTML: a signed-in member's first page (nearly every
// visit) shows before Ant Design, its 1 MB of CSS and its code, have loaded. The sign-in form and
// the other sections load antd with themselves (sign-in-card.tsx, antd-frame.tsx).
const SignInCard = lazy(() => import('./sign-in-card.tsx'));

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

/** A door with an arrow leaving it. */
function SignOutIcon() {
  return (
    <svg aria-hidden viewBox="0 0 16 16" width="14" height="14" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
      <path d="M6 2.5H3.5a1 1 0 0 0-1 1v9a1 1 0 0 0 1 1H6M10.5 11 13.5 8l-3-3M13.5 8H6" />
    </svg>
  );
}

function Header({ signedIn }: { signedIn: boolean }) {
  const { t } = useLocale();
  const logout = useLogout();
  return (
    <header className="wh-app-header">
      <h1 className="wh-app-title">{t('app.memberAppName')}</h1>
      <div className="wh-app-header-actions">
        <LanguageSwitch />
        {signedIn && (
          <button type="button" className="wh-plain-button wh-app-signout" onClick={() => logout.mutate()} disabled={logout.isPending} aria-label={t('action.signOut')}>
            <SignOutIcon />
            <span className="wh-app-signout-text">{t('action.signOut')}</span>
          </button>
        )}
      </div>
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

const loading = <PlainCard><PlainSkeleton rows={6} minHeight={300} /></PlainCard>;

/** The member app: phone-sized, installable; sign in, then my union and record, my training, check-in, certificates. */
export function MemberApp() {
  const { t } = useLocale();
  const me = useMe();
  const online = useOnline();
  return (
    <div className="wh-plain wh-app">
      <Header signedIn={!!me.data} />
      {me.data && <MemberNav />}
      <main className="wh-app-main">
        {!online && <div className="wh-app-offline"><PlainNotice tone="warning" title={t('memberApp.offline')} /></div>}
        {me.isPending && me.fetchStatus === 'paused' ? null : me.isPending ? loading : me.error ? (
          <PlainErrorBlock error={me.error} onRetry={() => void me.refetch()} minHeight={300} />
        ) : me.data ? (
          <Suspense fallback={loading}>
            <Outlet />
          </Suspense>
        ) : (
          <Suspense fallback={loading}>
            <SignInCard />
          </Suspense>
        )}
      </main>
    </div>
  );
}
