import { Suspense, useEffect, useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import './member-app.css';
import { Alert, Button, Card, Descriptions, Flex, Timeline, Typography } from 'antd';
import { LogoutOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { Membership, PersonDetail } from '@workers-home/contract';
import { api, ApiError } from '../shared/api/client.ts';
import { useLocale } from '../shared/i18n/locale.tsx';
import { LanguageSwitch } from '../shared/ui/language-switch.tsx';
import { ErrorBlock, LoadingBlock } from '../shared/ui/states.tsx';
import { LoginForm } from '../modules/auth/components/login-form.tsx';
import { useLogout, useMe } from '../modules/auth/api.ts';
import { GENDER_LABEL } from '../modules/people/components/people-labels.ts';
import { StatusBadge } from '../modules/people/components/status-badge.tsx';

const myPersonQuery = { queryKey: ['me', 'person'], queryFn: () => api<PersonDetail>('/me/person') };

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
        <Typography.Title level={1} style={{ color: '#fff', fontSize: 18, margin: 0 }}>{t('app.memberAppName')}</Typography.Title>
        <Flex gap={8} align="center">
          <LanguageSwitch />
          {signedIn && (
            <Button size="small" icon={<LogoutOutlined aria-hidden />} onClick={() => logout.mutate()} loading={logout.isPending}>
              {t('action.signOut')}
            </Button>
          )}
        </Flex>
      </Flex>
    </header>
  );
}

function MembershipTimeline({ memberships }: { memberships: Membership[] }) {
  const { t, formatDate } = useLocale();
  return (
    <Timeline
      items={memberships.map((m) => ({
        key: m.id,
        color: m.status === 'active' ? 'green' : 'gray',
        content: (
          <div>
            <Typography.Text strong>{m.orgName ?? t('people.anotherUnion')}</Typography.Text> <StatusBadge status={m.status} />
            <div>
              <Typography.Text type="secondary">
                {m.endedOn ? t('memberApp.period', { from: formatDate(m.joinedOn), to: formatDate(m.endedOn) }) : t('memberApp.periodOpen', { from: formatDate(m.joinedOn) })}
              </Typography.Text>
            </div>
            {m.note && <div><Typography.Text type="secondary">{m.note}</Typography.Text></div>}
          </div>
        ),
      }))}
    />
  );
}

/** My union, profile and membership history: the member app's first page. */
export function MyRecord() {
  const { t, formatDate } = useLocale();
  const person = useQuery(myPersonQuery);
  // Offline before any data came: the banner above says so; no endless skeleton.
  if (person.isPending && person.fetchStatus === 'paused') return null;
  if (person.isPending) return <Card><LoadingBlock rows={8} minHeight={420} /></Card>;
  if (person.error) {
    if (person.error instanceof ApiError && person.error.status === 404) return <Alert type="info" showIcon title={t('memberApp.noRecord')} />;
    return <ErrorBlock error={person.error} onRetry={() => void person.refetch()} minHeight={420} />;
  }
  const p = person.data;
  const current = p.memberships.find((m) => m.status === 'active');
  return (
    <Flex vertical gap={12}>
      <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('memberApp.myUnion')}</Typography.Title>}>
        {current ? (
          <>
            <Typography.Paragraph strong style={{ fontSize: 16, marginBottom: 4 }} data-testid="my-union">{current.orgName}</Typography.Paragraph>
            <Typography.Text type="secondary">{t('memberApp.joinedOn', { date: formatDate(current.joinedOn) })}</Typography.Text>
            {current.cardNumber && <div><Typography.Text type="secondary">{t('memberApp.cardNumber', { number: current.cardNumber })}</Typography.Text></div>}
          </>
        ) : (
          <Typography.Text>{t('memberApp.noUnion')}</Typography.Text>
        )}
      </Card>
      <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('memberApp.profile')}</Typography.Title>}>
        <Descriptions column={1} size="small" items={[
          { key: 'name', label: t('people.field.name'), children: p.name },
          { key: 'gender', label: t('people.field.gender'), children: t(GENDER_LABEL[p.gender]) },
          { key: 'birth', label: t('people.field.birthDate'), children: formatDate(p.birthDate) },
          { key: 'id', label: t('people.field.idNumber'), children: <span style={{ fontFamily: 'monospace' }}>{p.idNumberMasked}</span> },
          { key: 'phone', label: t('people.field.phone'), children: p.phone ?? '—' },
          { key: 'employer', label: t('people.field.employer'), children: p.employer ?? '—' },
        ]} />
      </Card>
      <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('memberApp.history')}</Typography.Title>}>
        <MembershipTimeline memberships={p.memberships} />
      </Card>
    </Flex>
  );
}

const NAV = [
  { to: '/', key: 'my.record', end: true },
  { to: '/training', key: 'my.training', end: false },
  { to: '/check-in', key: 'my.checkIn', end: true },
  { to: '/certificates', key: 'my.certificates', end: true },
] as const;

/** The member app's sections; the training words come from the training module (loaded with its pages). */
function MemberNav() {
  const { locale } = useLocale();
  return (
    <nav aria-label={locale === 'en' ? 'Sections' : '栏目'} className="wh-app-nav">
      {NAV.map((item) => (
        <NavLink key={item.to} to={item.to} end={item.end} className={({ isActive }) => (isActive ? 'wh-app-nav-link wh-app-nav-link-active' : 'wh-app-nav-link')}>
          {NAV_LABELS[locale][item.key]}
        </NavLink>
      ))}
    </nav>
  );
}

const NAV_LABELS = {
  'zh-CN': { 'my.record': '我的会籍', 'my.training': '我的培训', 'my.checkIn': '签到', 'my.certificates': '证书' },
  en: { 'my.record': 'Membership', 'my.training': 'Training', 'my.checkIn': 'Check in', 'my.certificates': 'Certificates' },
} as const;

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
            <LoginForm onSignedIn={() => undefined} />
          </Card>
        )}
      </main>
    </div>
  );
}
