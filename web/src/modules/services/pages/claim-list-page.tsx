import { useState } from 'react';
import { Button, Checkbox, Flex, Input, Select, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ClaimStatus, ClaimSummary } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { CursorPager, useCursor } from '../../../shared/ui/cursor-pager.tsx';
import { Panel } from '../../../shared/ui/panel.tsx';
import { ResponsiveTable } from '../../../shared/ui/responsive-table.tsx';
import { EmptyBlock, ErrorBlock } from '../../../shared/ui/states.tsx';
import { useUrlFilter } from '../../../shared/ui/url-filter.ts';
import { MODULE_ACCESS } from '@workers-home/contract/access';
import { holdsAny, useMe } from '../../auth/index.ts';
import { OrgSelect } from '../../orgs/index.ts';
import { claimListQuery } from '../api.ts';
import { CLAIM_STATUSES, ClaimStatusTag } from '../components/labels.tsx';
import { ServicesTabs } from '../components/services-tabs.tsx';
import { useServicesT } from '../i18n/use-services-t.ts';
import { formatFen } from '../../../shared/money.ts';

/**
 * The claims of the caller's subtree, oldest first; the review queue is the claims in review
 * that wait for the caller's organizations (waitingForMe). Filters in the address.
 */
export default function ClaimListPage() {
  const t = useServicesT();
  const { formatDate, formatDateTime } = useLocale();
  const { search, update: updateAddress } = useUrlFilter();
  // A changed filter starts again from the first page.
  const update = (changes: Record<string, string | number | undefined>) => updateAddress({ ...changes, after: undefined });
  const status = CLAIM_STATUSES.find((s) => s === search.get('status'));
  const orgId = search.get('orgId') ? Number(search.get('orgId')) : undefined;
  const planId = search.get('planId') ? Number(search.get('planId')) : undefined;
  const waitingForMe = search.get('waitingForMe') === 'true' ? true : undefined;
  const q = search.get('q') ?? undefined;
  const filter = { status, orgId, planId, waitingForMe, q };
  const after = useCursor();
  const list = useQuery(claimListQuery(filter, after));
  const [typed, setTyped] = useState(q ?? '');
  const queue = waitingForMe && status === 'in_review';
  const canManage = holdsAny(useMe().data, MODULE_ACCESS.services.manage);

  return (
    <Panel
      title={<ServicesTabs current="claims" />}
      extra={canManage ? <Link to="/services/claims/new"><Button icon={<PlusOutlined />}>{t('claim.fileForMember')}</Button></Link> : null}
    >
      <Flex wrap gap={8} style={{ marginBottom: 12 }} align="center">
        <Checkbox checked={waitingForMe ?? false} onChange={(e) => update({ waitingForMe: e.target.checked ? 'true' : undefined, status: e.target.checked ? 'in_review' : status })}>{t('filter.waitingForMe')}</Checkbox>
        <Select<ClaimStatus> allowClear placeholder={t('filter.status')} aria-label={t('filter.status')} value={status} style={{ minWidth: 140 }}
          options={CLAIM_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} onChange={(v) => update({ status: v })} />
        <OrgSelect value={orgId} onChange={(v) => update({ orgId: v })} placeholder={t('claim.org')} aria-label={t('claim.org')} style={{ minWidth: 220 }} />
        <Input.Search placeholder={t('filter.search')} aria-label={t('filter.search')} value={typed} onChange={(e) => setTyped(e.target.value)} onSearch={(v) => update({ q: v.trim() })} allowClear style={{ maxWidth: 240 }} />
      </Flex>
      {queue ? <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>{t('queue')}</Typography.Paragraph> : null}
      {list.error ? <ErrorBlock error={list.error} onRetry={() => void list.refetch()} /> : (
        <ResponsiveTable<ClaimSummary>
          aria-label={t('claims')}
          rowKey="id"
          size="middle"
          loading={list.isPending || list.isPlaceholderData}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <EmptyBlock description={queue ? t('claim.queueEmpty') : t('claim.empty')} /> }}
          pagination={false}
          columns={[
            { key: 'name', title: t('claim.member'), render: (_, c) => <Link to={`/services/claims/${c.id}`}>{c.name} · {t('claim.title', { id: c.id })}</Link> },
            { key: 'org', title: t('claim.org'), dataIndex: 'orgName' },
            { key: 'stay', title: t('claim.stay'), render: (_, c) => <>{c.hospital}<div style={{ fontSize: 13, color: 'rgba(0,0,0,0.6)' }}>{formatDate(c.admittedOn)} – {formatDate(c.dischargedOn)} · {t('claim.days', { days: c.days })}</div></> },
            { key: 'amount', title: t('claim.approved'), align: 'right', render: (_, c) => <span className="services-money">{formatFen(c.approvedFen)}</span> },
            { key: 'status', title: t('claim.status'), render: (_, c) => <Flex vertical gap={2} align="start"><ClaimStatusTag status={c.status} />{c.status === 'in_review' && c.waitingOrgName ? <span style={{ fontSize: 12 }}>{t('waitingAt', { org: c.waitingOrgName })}</span> : null}</Flex> },
            { key: 'submittedAt', title: t('claim.submittedAt'), render: (_, c) => formatDateTime(c.submittedAt) },
          ]}
        />
      )}
      {/* Also under an error: a cursor that no longer reads (an edited address) can go back to the first page. */}
      <CursorPager next={list.error ? null : list.data?.next} total={list.error ? undefined : list.data?.total} totalAtLeast={list.data?.totalAtLeast} busy={list.isFetching} />
    </Panel>
  );
}
