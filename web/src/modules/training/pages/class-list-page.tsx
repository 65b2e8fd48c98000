import { useState } from 'react';
import { Button, Flex, Input, Select, Table, Tabs } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { MODULE_ACCESS } from '@workers-home/contract/access';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { Panel } from '../../../shared/ui/panel.tsx';
import { EmptyBlock, ErrorBlock } from '../../../shared/ui/states.tsx';
import '../../../shared/ui/text.css';
import { holdsAny, useMe } from '../../auth/index.ts';
import { OrgSelect } from '../../orgs/index.ts';
import { classListQuery, planListQuery, type ClassFilter } from '../api.ts';
import { ClassStatusTag, formatRange } from '../components/labels.tsx';
import { PlanList } from '../components/plan-list.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import { CLASS_STATUSES, type ClassStatus, type TrainingClass } from '../types.ts';
import { chinaToday } from '../../../shared/i18n/china-time.ts';
import { useUrlFilter } from '../../../shared/ui/url-filter.ts';

const PAGE_SIZES = [20, 50, 100];
const THIS_YEAR = Number(chinaToday().slice(0, 4));
const YEARS = Array.from({ length: 8 }, (_, i) => THIS_YEAR + 1 - i);

function filterFrom(search: URLSearchParams): ClassFilter & { page: number; pageSize: number } {
  const number = (key: string) => (search.get(key) ? Number(search.get(key)) : undefined);
  const pageSize = number('pageSize');
  const status = search.get('status');
  return {
    q: search.get('q') ?? undefined,
    status: CLASS_STATUSES.includes(status as ClassStatus) ? (status as ClassStatus) : undefined,
    year: number('year'),
    planId: number('planId'),
    orgId: number('orgId'),
    page: number('page') ?? 1,
    pageSize: pageSize && PAGE_SIZES.includes(pageSize) ? pageSize : 20,
  };
}

/** Training classes the caller may see, newest first, with filters kept in the address; and the annual plans. */
export default function ClassListPage() {
  const { t: tc, formatDate, formatNumber } = useLocale();
  const t = useTrainingT();
  const me = useMe();
  const navigate = useNavigate();
  const { search, update } = useUrlFilter();
  const { page, pageSize, ...filter } = filterFrom(search);
  const classes = useQuery(classListQuery(filter, page, pageSize));
  const plans = useQuery(planListQuery({}));
  const [typed, setTyped] = useState(filter.q ?? '');
  const canOrganize = holdsAny(me.data, MODULE_ACCESS.training.organize);
  const tab = search.get('tab') === 'plans' ? 'plans' : 'classes';
  const filtered = Object.values(filter).some((v) => v !== undefined);


  const columns = [
    {
      key: 'title', title: t('field.title'),
      render: (_: unknown, c: TrainingClass) => (
        <div>
          <Link to={`/training/classes/${c.id}`}>{c.title}</Link>
          {c.planTitle && <div className="wh-secondary" style={{ fontSize: 12 }}>{c.planTitle}</div>}
        </div>
      ),
    },
    { key: 'org', title: t('field.org'), dataIndex: 'orgName', width: 200 },
    { key: 'dates', title: t('field.dates'), width: 240, render: (_: unknown, c: TrainingClass) => formatRange(formatDate, c.startsOn, c.endsOn) },
    { key: 'venue', title: t('field.venue'), dataIndex: 'venue', width: 180, render: (v: string | null) => v ?? '—' },
    {
      key: 'capacity', title: t('field.enrolledOfPlaces'), width: 170,
      render: (_: unknown, c: TrainingClass) => (
        <span data-testid="class-seats">
          {c.capacityOnsite > 0 && <span style={{ display: 'block' }}>{t('mode.onsite')} {formatNumber(c.seatsTakenOnsite)} / {formatNumber(c.capacityOnsite)}</span>}
          {c.capacityLive > 0 && <span style={{ display: 'block' }}>{t('mode.live')} {formatNumber(c.seatsTakenLive)} / {formatNumber(c.capacityLive)}</span>}
        </span>
      ),
    },
    { key: 'status', title: t('field.status'), width: 110, render: (_: unknown, c: TrainingClass) => <ClassStatusTag status={c.status} /> },
  ];

  const classList = (
    <>
      <div role="search">
        <Flex wrap gap={8} style={{ marginBottom: 16 }}>
          <Input.Search
            aria-label={t('searchClasses')}
            placeholder={t('searchClasses')}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            onSearch={(value) => update({ q: value.trim() })}
            allowClear
            enterButton={tc('action.search')}
            style={{ width: 320 }}
          />
          <Select
            aria-label={t('filterStatus')}
            placeholder={t('filterStatus')}
            allowClear
            value={filter.status}
            onChange={(status) => update({ status })}
            style={{ width: 140 }}
            options={CLASS_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          />
          <Select
            aria-label={t('filterYear')}
            placeholder={t('filterYear')}
            allowClear
            value={filter.year}
            onChange={(year) => update({ year })}
            style={{ width: 110 }}
            options={YEARS.map((y) => ({ value: y, label: String(y) }))}
          />
          <Select
            aria-label={t('filterPlan')}
            placeholder={t('filterPlan')}
            allowClear
            value={filter.planId}
            onChange={(planId) => update({ planId })}
            style={{ width: 240 }}
            options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.year} · ${p.title}` }))}
          />
          <OrgSelect aria-label={t('filterOrg')} placeholder={t('filterOrg')} value={filter.orgId} onChange={(orgId) => update({ orgId })} style={{ width: 240 }} />
          <Button icon={<ReloadOutlined />} disabled={!filtered} onClick={() => { setTyped(''); update({ q: undefined, status: undefined, year: undefined, planId: undefined, orgId: undefined }); }}>
            {t('resetFilters')}
          </Button>
        </Flex>
      </div>
      {classes.error ? (
        <ErrorBlock error={classes.error} onRetry={() => void classes.refetch()} minHeight={300} />
      ) : (
        <Table<TrainingClass>
          rowKey="id"
          size="middle"
          aria-label={t('classes')}
          loading={classes.isFetching}
          columns={columns}
          dataSource={classes.data?.items ?? []}
          locale={{
            emptyText: classes.isPending ? ' ' : (
              <EmptyBlock description={filtered ? t('noMatches') : t('noClasses')}>
                {!filtered && canOrganize && <Button type="primary" onClick={() => void navigate('/training/classes/new')}>{t('newClass')}</Button>}
              </EmptyBlock>
            ),
          }}
          scroll={{ x: 1000 }}
          onChange={(pagination) => update({ page: pagination.current === 1 ? undefined : pagination.current, pageSize: pagination.pageSize === 20 ? undefined : pagination.pageSize })}
          pagination={{
            current: page, pageSize, total: classes.data?.total ?? 0, pageSizeOptions: PAGE_SIZES, showSizeChanger: true,
            showTotal: (total) => t('total', { count: formatNumber(total) }),
          }}
        />
      )}
    </>
  );

  return (
    <Panel>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 8 }}>
        <h1 className="wh-page-title">{t('title')}</h1>
        {canOrganize && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/training/classes/new')}>{t('newClass')}</Button>
        )}
      </Flex>
      <Tabs
        activeKey={tab}
        onChange={(key) => update({ tab: key === 'classes' ? undefined : key, page: undefined })}
        items={[
          { key: 'classes', label: t('classes'), children: classList },
          { key: 'plans', label: t('plans'), children: <PlanList query={plans} canOrganize={canOrganize} onOpen={(planId) => update({ tab: undefined, planId })} /> },
        ]}
      />
    </Panel>
  );
}
