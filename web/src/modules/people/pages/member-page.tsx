import { useState } from 'react';
import { Breadcrumb, Button, Card, Descriptions, Flex, Grid, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, EyeOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { CadrePosition, Membership } from '@workers-home/contract';
import { MODULE_ACCESS } from '@workers-home/contract/access';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { ErrorBlock, LoadingBlock } from '../../../shared/ui/states.tsx';
import { holdsAny, useMe } from '../../auth/index.ts';
import { personQuery, usePersonMutations } from '../api.ts';
import { CadrePositionModal } from '../components/cadre-position-modal.tsx';
import { MembershipActionModal, type MembershipAction } from '../components/membership-actions.tsx';
import { GENDER_LABEL } from '../components/people-labels.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import { PersonEditModal } from '../components/person-edit-modal.tsx';
import { useCodeListLabel } from '../components/code-list-select.tsx';
import './member-page.css';

/** A person: roster fields, membership history (joined, transferred, left), cadre positions. */
export default function MemberPage() {
  const { t, formatDate } = useLocale();
  const id = Number(useParams().id);
  const person = useQuery(personQuery(id));
  const me = useMe();
  const { reveal } = usePersonMutations();
  const [editing, setEditing] = useState(false);
  const [action, setAction] = useState<MembershipAction | null>(null);
  const [position, setPosition] = useState<{ ending?: CadrePosition } | null>(null);
  const canWrite = holdsAny(me.data, MODULE_ACCESS.people.write);
  // On a phone each label goes above its value: beside it, the two would share the width of the
  // screen, and a long label or value (in a wide font, in English) would push the page sideways.
  const narrow = Grid.useBreakpoint().sm === false;
  const codeLabel = useCodeListLabel();

  if (person.isPending) return <Card><LoadingBlock rows={12} minHeight={520} /></Card>;
  if (person.error) return <Card><ErrorBlock error={person.error} onRetry={() => void person.refetch()} minHeight={520} /></Card>;
  const p = person.data;
  const current = p.memberships.find((m) => m.status === 'active');
  const text = (v: string | null) => v ?? '—';

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} className="wh-member-page">
      <Card>
        <nav aria-label={t('people.breadcrumbLabel')} style={{ marginBottom: 12 }}>
          <Breadcrumb items={[{ key: 'list', title: <Link to="/members">{t('people.listTitle')}</Link> }, { key: 'person', title: p.name }]} />
        </nav>
        <Flex justify="space-between" align="center" wrap gap={12}>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {p.name} {current ? <Tag>{t('memberStatus.active')}</Tag> : <Tag>{t('people.noCurrentMembership')}</Tag>}
          </Typography.Title>
          {canWrite && <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>{t('action.edit')}</Button>}
        </Flex>
        <Descriptions
          style={{ marginTop: 16 }}
          bordered
          size="small"
          layout={narrow ? 'vertical' : 'horizontal'}
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            { key: 'gender', label: t('people.field.gender'), children: t(GENDER_LABEL[p.gender]) },
            { key: 'birthDate', label: t('people.field.birthDate'), children: formatDate(p.birthDate) },
            {
              key: 'idNumber', label: t('people.field.idNumber'),
              children: (
                <Space wrap size={[8, 0]}>
                  <span style={{ fontFamily: 'monospace' }} data-testid="id-number">{reveal.data?.idNumber ?? p.idNumberMasked}</span>
                  {holdsAny(me.data, MODULE_ACCESS.people.revealIdNumber) && !reveal.data && (
                    <Button size="small" type="link" style={{ paddingInline: 0 }} icon={<EyeOutlined />} loading={reveal.isPending} onClick={() => reveal.mutate(p.id)}>
                      {t('people.reveal')}
                    </Button>
                  )}
                  {reveal.error && <Typography.Text type="danger">{problemText(reveal.error, t)}</Typography.Text>}
                </Space>
              ),
            },
            { key: 'phone', label: t('people.field.phone'), children: text(p.phone) },
            { key: 'ethnicity', label: t('people.field.ethnicity'), children: text(codeLabel('ethnicity', p.ethnicity)) },
            { key: 'politicalStatus', label: t('people.field.politicalStatus'), children: text(codeLabel('politicalStatus', p.politicalStatus)) },
            { key: 'education', label: t('people.field.education'), children: text(codeLabel('education', p.education)) },
            { key: 'employer', label: t('people.field.employer'), children: text(p.employer) },
            { key: 'employmentForm', label: t('people.field.employmentForm'), children: text(codeLabel('employmentForm', p.employmentForm)) },
          ]}
        />
      </Card>
      <Card
        title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('people.history')}</Typography.Title>}
        extra={canWrite && (
          <Space wrap>
            {current ? (
              <>
                <Button onClick={() => setAction('transfer')}>{t('people.action.transfer')}</Button>
                <Button danger onClick={() => setAction('leave')}>{t('people.action.leave')}</Button>
              </>
            ) : (
              <Button onClick={() => setAction('join')}>{t('people.action.join')}</Button>
            )}
          </Space>
        )}
      >
        <Table<Membership>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={p.memberships}
          locale={{ emptyText: t('people.noHistory') }}
          scroll={{ x: 700 }}
          columns={[
            {
              title: t('people.field.union'), dataIndex: 'orgName',
              // A union outside the reader's subtrees is not named (the server leaves it out).
              render: (name: string | null, m) => (m.orgId === null ? <Typography.Text type="secondary">{t('people.anotherUnion')}</Typography.Text> : <Link to={`/orgs/${m.orgId}`}>{name}</Link>),
            },
            { title: t('people.field.joinedOn'), dataIndex: 'joinedOn', render: (d: string) => formatDate(d) },
            { title: t('people.field.endedOn'), dataIndex: 'endedOn', render: (d: string | null) => formatDate(d) },
            { title: t('people.field.status'), dataIndex: 'status', render: (s: Membership['status']) => <StatusBadge status={s} /> },
            { title: t('people.field.cardNumber'), dataIndex: 'cardNumber', render: text },
            { title: t('people.field.note'), dataIndex: 'note', render: text },
          ]}
        />
      </Card>
      <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('people.cadrePositions')}</Typography.Title>}
        extra={(
          <Space wrap>
            {holdsAny(me.data, MODULE_ACCESS.audit.read) && <Link to={`/audit?personId=${p.id}`}>{t('people.auditTrail')}</Link>}
            {canWrite && <Button onClick={() => setPosition({})}>{t('people.position.appoint')}</Button>}
          </Space>
        )}>
        <Table<CadrePosition>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={p.cadrePositions}
          locale={{ emptyText: t('people.noCadrePositions') }}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('people.field.org'), dataIndex: 'orgName', render: (name: string, c) => <Link to={`/orgs/${c.orgId}`}>{name}</Link> },
            { title: t('people.field.title'), dataIndex: 'title' },
            { title: t('people.field.since'), dataIndex: 'since', render: (d: string) => formatDate(d) },
            { title: t('people.field.until'), dataIndex: 'until', render: (d: string | null) => formatDate(d) },
            ...(canWrite ? [{
              key: 'actions', title: '', width: 100,
              render: (_: unknown, c: CadrePosition) => c.until === null && (
                <Button size="small" onClick={() => setPosition({ ending: c })}>{t('people.position.end')}</Button>
              ),
            }] : []),
          ]}
        />
      </Card>
      {editing && <PersonEditModal person={p} onClose={() => setEditing(false)} />}
      {position && <CadrePositionModal person={p} ending={position.ending} onClose={() => setPosition(null)} />}
      {action && <MembershipActionModal person={p} action={action} onClose={() => setAction(null)} />}
    </Space>
  );
}
