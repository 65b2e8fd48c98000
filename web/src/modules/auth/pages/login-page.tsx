import { Flex } from 'antd';
import { Panel } from '../../../shared/ui/panel.tsx';
import '../../../shared/ui/text.css';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useT } from '../../../shared/i18n/locale.tsx';
import { LanguageSwitch } from '../../../shared/ui/language-switch.tsx';
import { LoginForm } from '../components/login-form.tsx';
import { useMe } from '../api.ts';

/** Only a path inside the console may follow sign-in (no open redirect). */
const safeNext = (next: string | null) => (next && next.startsWith('/') && !next.startsWith('//') ? next : '/');

export default function LoginPage() {
  const t = useT();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const me = useMe();
  const next = safeNext(search.get('next'));
  if (me.data) return <Navigate to={next} replace />;

  return (
    <Flex component="main" vertical align="center" style={{ minHeight: '100vh', padding: '12vh 16px 16px', boxSizing: 'border-box', background: '#f5f5f5' }}>
      <Panel style={{ width: '100%', maxWidth: 400 }}>
        <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
          <h1 className="wh-page-title" style={{ fontSize: 24 }}>{t('app.name')}</h1>
          <LanguageSwitch />
        </Flex>
        <p className="wh-secondary">{t('login.consoleIntro')}</p>
        <LoginForm onSignedIn={() => void navigate(next, { replace: true })} />
      </Panel>
    </Flex>
  );
}
