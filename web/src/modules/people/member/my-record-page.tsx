import { Alert, Card, Descriptions, Flex, Timeline, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { Membership } from '@workers-home/contract';
import { ApiError } from '../../../shared/api/client.ts';
import { myPersonQuery } from './queries.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { ErrorBlock, LoadingBlock } from '../../../shared/ui/states.tsx';
import { GENDER_LABEL } from '../components/people-labels.ts';
import { StatusBadge } from '../components/status-badge.tsx';


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
export default function MyRecordPage() {
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
