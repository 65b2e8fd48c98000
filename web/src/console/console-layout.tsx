import { Suspense } from 'react';
import { Button, Dropdown, Flex, Layout, Menu, Result, Spin, Typography } from 'antd';
import { ApartmentOutlined, AuditOutlined, DownOutlined, KeyOutlined, LogoutOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useT } from '../shared/i18n/locale.tsx';
import { LanguageSwitch } from '../shared/ui/language-switch.tsx';
import { ErrorBlock, LoadingBlock } from '../shared/ui/states.tsx';
import { useLogout, useMe } from '../modules/auth/api.ts';
import { allowedNav } from './navigation.ts';

const ICONS: Record<string, React.ReactNode> = {
  '/orgs': <ApartmentOutlined />, '/members': <TeamOutlined />, '/grants': <KeyOutlined />, '/audit': <AuditOutlined />,
};

function FullPage({ children }: { children: React.ReactNode }) {
  return <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>{children}</Flex>;
}

/** The signed-in console: a menu of what the account may use, the language switch, the account menu. */
export default function ConsoleLayout() {
  const t = useT();
  const me = useMe();
  const logout = useLogout();
  const location = useLocation();
  const navigate = useNavigate();

  if (me.isPending) return <FullPage><Spin size="large" aria-label={t('state.loading')} /></FullPage>;
  if (me.error) return <FullPage><ErrorBlock error={me.error} onRetry={() => void me.refetch()} /></FullPage>;
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;

  const nav = allowedNav(me.data);
  const selected = nav.find((item) => location.pathname.startsWith(item.path))?.path ?? '';
  const signOut = () => logout.mutate(undefined, { onSuccess: () => void navigate('/login', { replace: true }) });

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, background: '#fff', borderBottom: '1px solid #f0f0f0', paddingInline: 24 }}>
        <Link to="/" style={{ color: '#c8102e', fontWeight: 600, fontSize: 18, whiteSpace: 'nowrap' }}>{t('app.name')}</Link>
        <nav aria-label={t('nav.label')} style={{ flex: 1, minWidth: 0 }}>
          <Menu
            mode="horizontal"
            selectedKeys={[selected]}
            style={{ borderBottom: 'none' }}
            items={nav.map((item) => ({ key: item.path, icon: ICONS[item.path], label: <Link to={item.path}>{t(item.label)}</Link> }))}
          />
        </nav>
        <LanguageSwitch />
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              { key: 'account', icon: <UserOutlined />, label: <Link to="/account">{t('nav.account')}</Link> },
              { key: 'logout', icon: <LogoutOutlined />, label: t('action.signOut'), onClick: signOut },
            ],
          }}
        >
          <Button type="text" title={t('nav.accountMenu')} data-testid="account-menu">
            <UserOutlined aria-hidden /> {me.data.account.displayName} <DownOutlined aria-hidden />
          </Button>
        </Dropdown>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        {nav.length === 0 ? (
          <Result
            status="info"
            title={t('console.noRoles')}
            extra={<Typography.Link href="/app/">{t('console.openMemberApp')}</Typography.Link>}
          />
        ) : (
          <Suspense fallback={<LoadingBlock rows={8} />}>
            <Outlet />
          </Suspense>
        )}
      </Layout.Content>
    </Layout>
  );
}

/** `/` opens the first module the account may use. */
export function HomeRedirect() {
  const me = useMe();
  const first = me.data ? allowedNav(me.data)[0] : undefined;
  return first ? <Navigate to={first.path} replace /> : null;
}
