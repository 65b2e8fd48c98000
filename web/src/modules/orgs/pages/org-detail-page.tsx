import { useState } from 'react';
import { Breadcrumb, Button, Card, Col, Descriptions, Flex, Grid, Row, Space, Statistic, Tabs, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import type { Org, Role } from '@workers-home/contract';
import { MODULE_ACCESS } from '@workers-home/contract/access';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { ResponsiveTable } from '../../../shared/ui/responsive-table.tsx';
import { ErrorBlock, LoadingBlock } from '../../../shared/ui/states.tsx';
import { useMe } from '../../auth/index.ts';
import { TrainingReach } from '../../figures/index.ts';
import { OrgCadres } from '../../people/index.ts';
import { MemberTable } from '../../people/index.ts';
import { orgAncestorsQuery, orgChildrenQuery, orgQuery } from '../api.ts';
import { OrgFormModal } from '../components/org-form.tsx';
import { KIND_LABEL, LEVEL_COLOR, LEVEL_LABEL } from '../components/org-labels.ts';

/** The roles the account holds on this organization or above it (those reach it). */
function useRolesHere(ancestors: Org[] | undefined): Set<Role> {
  const me = useMe();
  const ids = new Set(ancestors?.map((a) => a.id));
  return new Set(me.data?.grants.filter((g) => ids.has(g.orgId)).map((g) => g.role));
}

function ChildrenTable({ org }: { org: Org }) {
  const { t, formatNumber } = useLocale();
  const [page, setPage] = useState(1);
  // A phone shows fewer at a time: each is a card there.
  const pageSize = Grid.useBreakpoint().md === false ? 10 : 20;
  const children = useQuery(orgChildrenQuery(org.id, page, pageSize));
  if (children.error) return <ErrorBlock error={children.error} onRetry={() => void children.refetch()} />;
  return (
    <ResponsiveTable<Org>
      rowKey="id"
      size="middle"
      aria-label={t('orgs.tab.children')}
      loading={children.isFetching}
      dataSource={children.data?.items ?? []}
      locale={{ emptyText: t('orgs.noChildren') }}
      pagination={{ current: page, pageSize, total: children.data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true, showTotal: (total) => t('orgs.childTotal', { count: total }) }}
      columns={[
        { title: t('orgs.field.name'), dataIndex: 'name', key: 'name', render: (name: string, row) => <Link to={`/orgs/${row.id}`}>{name}</Link> },
        { title: t('orgs.field.level'), dataIndex: 'level', key: 'level', width: 180, render: (level: Org['level']) => <Tag color={LEVEL_COLOR[level]}>{t(LEVEL_LABEL[level])}</Tag> },
        { title: t('orgs.field.childCount'), dataIndex: 'childCount', key: 'childCount', width: 170, align: 'right', render: (n: number) => formatNumber(n) },
      ]}
    />
  );
}

/** One organization: where it sits, its counts and training reach for the whole subtree, its children, members and cadres. */
export default function OrgDetailPage() {
  const { t, formatNumber } = useLocale();
  const id = Number(useParams().id);
  const org = useQuery(orgQuery(id));
  const ancestors = useQuery(orgAncestorsQuery(id));
  const roles = useRolesHere(ancestors.data);
  const [editing, setEditing] = useState<'edit' | 'create' | null>(null);
  const navigate = useNavigate();
  const can = (allowed: readonly Role[]) => allowed.some((role) => roles.has(role));

  if (org.isPending) return <Card><LoadingBlock rows={10} minHeight={480} /></Card>;
  if (org.error) return <Card><ErrorBlock error={org.error} onRetry={() => void org.refetch()} minHeight={480} /></Card>;
  const o = org.data;
  const counts: Array<[string, number]> = [
    [t('orgs.count.organizations'), o.subtree.organizations],
    [t('orgs.count.grassrootsUnions'), o.subtree.grassrootsUnions],
    [t('orgs.count.activeMembers'), o.subtree.activeMembers],
    [t('orgs.count.cadres'), o.subtree.cadres],
  ];
  const tabs = [
    { key: 'children', label: t('orgs.tab.children'), children: <ChildrenTable org={o} /> },
    ...(can(MODULE_ACCESS.people.read)
      ? [
          { key: 'members', label: t('orgs.tab.members'), children: <MemberTable orgId={o.id} compact /> },
          { key: 'cadres', label: t('orgs.tab.cadres'), children: <OrgCadres orgId={o.id} /> },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <nav aria-label={t('orgs.breadcrumbLabel')} style={{ minHeight: 22 }}>
          <Breadcrumb items={(ancestors.data ?? []).map((a) => ({ key: a.id, title: a.id === o.id ? a.name : <Link to={`/orgs/${a.id}`}>{a.name}</Link> }))} />
        </nav>
        <Flex justify="space-between" align="start" wrap gap={12} style={{ marginTop: 12 }}>
          <div>
            <Typography.Title level={2} style={{ margin: 0, fontSize: 22 }}>
              {o.name} <Tag color={LEVEL_COLOR[o.level]} style={{ verticalAlign: 'middle' }}>{t(LEVEL_LABEL[o.level])}</Tag>
              {o.status === 'closed' && <Tag>{t('orgs.closed')}</Tag>}
            </Typography.Title>
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} style={{ marginTop: 8 }} items={[
              { key: 'kind', label: t('orgs.field.kind'), children: t(KIND_LABEL[o.kind]) },
              { key: 'short', label: t('orgs.field.shortName'), children: o.shortName ?? '—' },
              { key: 'region', label: t('orgs.field.regionCode'), children: o.regionCode ?? '—' },
            ]} />
          </div>
          {can(MODULE_ACCESS.orgs.write) && o.status === 'active' && (
            <Space>
              <Button icon={<EditOutlined />} onClick={() => setEditing('edit')}>{t('action.edit')}</Button>
              {o.level !== 'grassroots' && <Button icon={<PlusOutlined />} onClick={() => setEditing('create')}>{t('orgs.addChild')}</Button>}
            </Space>
          )}
        </Flex>
      </Card>
      <Row gutter={[16, 16]}>
        {counts.map(([label, value]) => (
          <Col key={label} xs={12} md={6}>
            <Card size="small"><Statistic title={label} value={value} formatter={(v) => formatNumber(Number(v))} /></Card>
          </Col>
        ))}
      </Row>
      {/* The figures endpoint admits the roles that read training (figuresPolicy.read on the server). */}
      {can(MODULE_ACCESS.training.read) && <TrainingReach orgId={o.id} />}
      <Card>
        <Tabs items={tabs} destroyOnHidden />
      </Card>
      {editing && (
        <OrgFormModal
          open
          {...(editing === 'edit' ? { org: o } : { parent: o })}
          onClose={(saved) => {
            setEditing(null);
            // A new organization opens at once: its page is where its members and cadres are added.
            if (saved && editing === 'create') void navigate(`/orgs/${saved.id}`);
          }}
        />
      )}
    </Space>
  );
}
