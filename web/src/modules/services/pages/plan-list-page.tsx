import { Button, Flex, InputNumber } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { MODULE_ACCESS } from '@workers-home/contract/access';
import type { AidPlanSummary } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { Panel } from '../../../shared/ui/panel.tsx';
import { ResponsiveTable } from '../../../shared/ui/responsive-table.tsx';
import { EmptyBlock, ErrorBlock } from '../../../shared/ui/states.tsx';
import { useUrlFilter } from '../../../shared/ui/url-filter.ts';
import { holdsAny, useMe } from '../../auth/index.ts';
import { OrgSelect } from '../../orgs/index.ts';
import { planListQuery } from '../api.ts';
import { PlanStatusTag } from '../components/labels.tsx';
import { ServicesTabs } from '../components/services-tabs.tsx';
import { useServicesT } from '../i18n/use-services-t.ts';
import { formatFen } from '../../../shared/money.ts';

/** Huigong Bao's plans of the caller's subtree, newest year first; filters in the address. */
export default function PlanListPage() {
  const t = useServicesT();
  const { formatDate, formatNumber } = useLocale();
  const { search, update } = useUrlFilter();
  const orgId = search.get('orgId') ? Number(search.get('orgId')) : undefined;
  const year = search.get('year') ? Number(search.get('year')) : undefined;
  const page = Number(search.get('page') ?? '1') || 1;
  const list = useQuery(planListQuery({ orgId, year }, page));
  const canManage = holdsAny(useMe().data, MODULE_ACCESS.services.manage);
  const filtered = orgId !== undefined || year !== undefined;

  return (
    <Panel
      title={<ServicesTabs current="plans" />}
      extra={canManage ? <Link to="/services/plans/new"><Button type="primary" icon={<PlusOutlined />}>{t('newPlan')}</Button></Link> : null}
    >
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <InputNumber<number> placeholder={t('filter.year')} aria-label={t('filter.year')} min={2000} max={2100} precision={0} value={year ?? null} onChange={(v) => update({ year: v ?? undefined })} style={{ width: 120 }} />
        <OrgSelect value={orgId} onChange={(v) => update({ orgId: v })} placeholder={t('filter.org')} aria-label={t('filter.org')} style={{ minWidth: 220 }} />
      </Flex>
      {list.error ? <ErrorBlock error={list.error} onRetry={() => void list.refetch()} /> : (
        <ResponsiveTable<AidPlanSummary>
          aria-label={t('plans')}
          rowKey="id"
          size="middle"
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <EmptyBlock description={filtered ? t('noPlansMatch') : t('noPlans')} /> }}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, showTotal: (n) => t('total', { count: n }), onChange: (p) => update({ page: p }) }}
          columns={[
            { key: 'name', title: t('plan.name'), render: (_, p) => <Link to={`/services/plans/${p.id}`}>{p.name}</Link> },
            { key: 'year', title: t('plan.year'), dataIndex: 'planYear', width: 80 },
            { key: 'status', title: t('filter.status'), width: 110, render: (_, p) => <PlanStatusTag status={p.status} /> },
            { key: 'org', title: t('plan.org'), dataIndex: 'orgName' },
            { key: 'coverage', title: t('plan.coverage'), render: (_, p) => `${formatDate(p.coverageStart)} – ${formatDate(p.coverageEnd)}` },
            { key: 'contribution', title: t('plan.contributionShort'), align: 'right', render: (_, p) => <span className="services-money">{formatFen(p.contributionFen)}</span> },
            { key: 'covered', title: t('plan.covered'), align: 'right', render: (_, p) => `${formatNumber(p.covered)} / ${formatNumber(p.enrolled)}` },
          ]}
        />
      )}
    </Panel>
  );
}
