import { useState } from 'react';
import { App, Button, Flex, Grid, Input, Select } from 'antd';
import { Panel } from '../../../shared/ui/panel.tsx';
import '../../../shared/ui/text.css';
import { DownloadOutlined, PlusOutlined, ReloadOutlined, SwapOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { MemberRow } from '@workers-home/contract';
import { MODULE_ACCESS } from '@workers-home/contract/access';
import { download } from '../../../shared/api/download.ts';
import { chinaToday } from '../../../shared/i18n/china-time.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { ResponsiveTable } from '../../../shared/ui/responsive-table.tsx';
import { ErrorBlock } from '../../../shared/ui/states.tsx';
import { holdsAny, useMe } from '../../auth/index.ts';
import { OrgSelect } from '../../orgs/index.ts';
import { memberExportPath, memberListQuery, type MemberFilter } from '../api.ts';
import { useMemberColumns } from '../components/member-columns.tsx';
import { BulkActionModal } from '../components/bulk-action-modal.tsx';
import { AGE_BANDS } from '../components/people-labels.ts';
import { useUrlFilter } from '../../../shared/ui/url-filter.ts';

const PAGE_SIZES = [10, 20, 50, 100];

/** Reads the filter from the address bar, so a filtered list can be bookmarked, shared and gone back to. */
function filterFrom(search: URLSearchParams, defaultSize: number): MemberFilter & { page: number; pageSize: number; band?: string | undefined } {
  const number = (key: string) => (search.get(key) ? Number(search.get(key)) : undefined);
  const band = AGE_BANDS.find((b) => b.key === search.get('age'));
  const pageSize = number('pageSize');
  return {
    orgId: number('orgId'),
    q: search.get('q') ?? undefined,
    status: (search.get('status') as MemberFilter['status']) ?? undefined,
    gender: (search.get('gender') as MemberFilter['gender']) ?? undefined,
    ageMin: band?.ageMin,
    ageMax: band?.ageMax,
    band: band?.key,
    sort: (search.get('sort') as MemberFilter['sort']) ?? undefined,
    order: (search.get('order') as MemberFilter['order']) ?? undefined,
    page: number('page') ?? 1,
    pageSize: pageSize && PAGE_SIZES.includes(pageSize) ? pageSize : defaultSize,
  };
}

export default function MemberListPage() {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const me = useMe();
  const navigate = useNavigate();
  const { search, update, setSearch } = useUrlFilter();
  // On a phone each member is a card: ten to a page there, twenty on a desktop.
  const defaultSize = Grid.useBreakpoint().md === false ? 10 : 20;
  const { page, pageSize, band, ...filter } = filterFrom(search, defaultSize);
  const members = useQuery(memberListQuery(filter, page, pageSize));
  const columns = useMemberColumns({ sort: filter.sort ?? 'union', order: filter.order ?? 'asc' });
  const [exporting, setExporting] = useState(false);
  const [typed, setTyped] = useState(filter.q ?? '');
  // The rows chosen for a bulk action, kept across pages (by membership, the row's key).
  const [selected, setSelected] = useState<Map<number, MemberRow>>(new Map());
  const [bulk, setBulk] = useState<'transfer' | 'leave' | null>(null);
  const canWrite = holdsAny(me.data, MODULE_ACCESS.people.write);
  const filtered = [...search.keys()].some((key) => !['page', 'pageSize'].includes(key));
  const resetFilters = () => {
    setTyped('');
    setSelected(new Map());
    setSearch(new URLSearchParams());
  };


  const exportXlsx = async (membershipIds?: number[]) => {
    setExporting(true);
    try {
      await download(memberExportPath(filter, locale, membershipIds), `${t('people.exportFileName')}-${chinaToday()}.xlsx`);
    } catch (error) {
      void message.error(problemText(error, t));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Panel>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <h1 className="wh-page-title">{t('people.listTitle')}</h1>
        <Flex gap={8} wrap>
          <Button icon={<DownloadOutlined />} loading={exporting && selected.size === 0} onClick={() => void exportXlsx()} disabled={!members.data?.total}>
            {t('people.export')}
          </Button>
          {canWrite && (
            <>
              <Button icon={<UploadOutlined />} onClick={() => void navigate(`/members/import${filter.orgId ? `?orgId=${filter.orgId}` : ''}`)}>{t('people.import')}</Button>
              <Button icon={<SwapOutlined />} onClick={() => void navigate('/members/transfers')}>{t('people.transfers')}</Button>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/members/new')}>{t('people.add')}</Button>
            </>
          )}
        </Flex>
      </Flex>
      <div role="search">
        <Flex wrap gap={8} style={{ marginBottom: 16 }} aria-label={t('people.filters')}>
          <Input.Search
            aria-label={t('people.searchLabel')}
            placeholder={t('people.searchPlaceholder')}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            onSearch={(value) => update({ q: value.trim() })}
            allowClear
            enterButton={t('action.search')}
            style={{ width: 340, maxWidth: '100%' }}
          />
          <OrgSelect aria-label={t('people.field.union')} placeholder={t('people.filterUnion')} value={filter.orgId} onChange={(orgId) => update({ orgId })} style={{ width: 260, maxWidth: '100%' }} />
          <Select
            aria-label={t('people.field.status')}
            value={filter.status ?? 'active'}
            onChange={(status) => update({ status: status === 'active' ? undefined : status })}
            style={{ width: 130 }}
            options={[
              { value: 'active', label: t('memberStatus.active') },
              { value: 'transferred_out', label: t('memberStatus.transferred_out') },
              { value: 'left', label: t('memberStatus.left') },
              { value: 'all', label: t('memberStatus.all') },
            ]}
          />
          <Select
            aria-label={t('people.field.gender')}
            placeholder={t('people.field.gender')}
            allowClear
            value={filter.gender}
            onChange={(gender) => update({ gender })}
            style={{ width: 110 }}
            options={[{ value: 'male', label: t('gender.male') }, { value: 'female', label: t('gender.female') }]}
          />
          <Select
            aria-label={t('people.ageBand')}
            placeholder={t('people.ageBand')}
            allowClear
            value={band}
            onChange={(age) => update({ age })}
            style={{ width: 130 }}
            options={AGE_BANDS.map((b) => ({ value: b.key, label: t(`ageBand.${b.key}` as 'ageBand.-30') }))}
          />
          {filtered && <Button icon={<ReloadOutlined />} onClick={resetFilters}>{t('people.resetFilters')}</Button>}
        </Flex>
      </div>
      {selected.size > 0 && (
        <Flex wrap gap={8} align="center" role="toolbar" aria-label={t('people.bulk.label')} className="wh-bulk-bar" style={{ marginBottom: 12, padding: '8px 12px', background: 'var(--ant-color-primary-bg, #e6f4ff)', borderRadius: 8 }}>
          <span>{t('people.bulk.selected', { count: selected.size })}</span>
          {canWrite && <Button size="small" onClick={() => setBulk('transfer')}>{t('people.bulk.transfer')}</Button>}
          {canWrite && <Button size="small" danger onClick={() => setBulk('leave')}>{t('people.bulk.leave')}</Button>}
          <Button size="small" icon={<DownloadOutlined />} loading={exporting && selected.size > 0} onClick={() => void exportXlsx([...selected.keys()])}>{t('people.bulk.export')}</Button>
          <Button size="small" type="link" onClick={() => setSelected(new Map())}>{t('people.bulk.clear')}</Button>
        </Flex>
      )}
      {bulk && (
        <BulkActionModal
          action={bulk}
          people={[...selected.values()].map((row) => ({ personId: row.personId, name: row.name }))}
          onClose={(done) => {
            if (done) {
              void message.success(t(bulk === 'transfer' ? 'people.bulk.transferred' : 'people.bulk.left', { count: selected.size }));
              setSelected(new Map());
            }
            setBulk(null);
          }}
        />
      )}
      {members.data?.totalAtLeast && (
        <p role="status" style={{ margin: '0 0 12px', color: 'var(--ant-color-text-secondary, rgba(0, 0, 0, 0.65))' }}>
          {t('people.searchCapped', { count: members.data.total })}
        </p>
      )}
      {members.error ? (
        <ErrorBlock error={members.error} onRetry={() => void members.refetch()} minHeight={400} />
      ) : (
        <ResponsiveTable<MemberRow>
          rowKey="membershipId"
          size="middle"
          aria-label={t('people.listTitle')}
          loading={members.isFetching}
          columns={columns}
          rowSelection={{
            selectedRowKeys: [...selected.keys()],
            preserveSelectedRowKeys: true,
            // antd copies the header into an aria-hidden measuring row: a select-all box there would be a hidden focusable control.
            hideSelectAll: true,
            onChange: (_keys, rows) => {
              // antd passes the rows of this page it knows; keep those chosen on other pages.
              const onPage = new Set((members.data?.items ?? []).map((r) => r.membershipId));
              const next = new Map([...selected].filter(([key]) => !onPage.has(key)));
              for (const row of rows) if (row) next.set(row.membershipId, row);
              setSelected(next);
            },
          }}
          dataSource={members.data?.items ?? []}
          locale={{ emptyText: members.isPending ? ' ' : t('people.noMatches') }}
          scroll={{ x: 1100 }}
          onChange={(pagination, _filters, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const sort = s?.order ? String(s.columnKey) : undefined;
            const order = s?.order === 'descend' ? 'desc' : undefined;
            // The roster's own order (by union, then name) is the default, and what clearing a sort returns to.
            if ((sort ?? 'union') !== (filter.sort ?? 'union') || (order ?? 'asc') !== (filter.order ?? 'asc')) update({ sort: sort === 'union' ? undefined : sort, order });
            else update({ page: pagination.current === 1 ? undefined : pagination.current, pageSize: pagination.pageSize === defaultSize ? undefined : pagination.pageSize });
          }}
          pagination={{
            current: page, pageSize, total: members.data?.total ?? 0, pageSizeOptions: PAGE_SIZES, showSizeChanger: true,
            showTotal: (total) => t(members.data?.totalAtLeast ? 'people.totalAtLeast' : 'people.total', { count: total }),
          }}
        />
      )}
    </Panel>
  );
}
