import { Card, DatePicker, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { AuditEntry } from '@workers-home/contract';
import { useDayjsLocale } from '../../../shared/i18n/dayjs-locale.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { ErrorBlock } from '../../../shared/ui/states.tsx';
import { auditQuery, type AuditFilter } from '../api.ts';
import { MODULE_ACCESS } from '@workers-home/contract/access';
import { holdsAny, useMe } from '../../auth/index.ts';
import { AccountSelect } from '../../auth/index.ts';

const ENTITIES = ['org', 'person', 'membership', 'cadre_position', 'account', 'role_grant', 'member-list', 'installation'];

/** The fields an entry changed, old and new value side by side. */
function Changes({ entry }: { entry: AuditEntry }) {
  const { t } = useLocale();
  const before = (entry.before ?? {}) as Record<string, unknown>;
  const after = (entry.after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  if (keys.length === 0) return <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>;
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="field"
      dataSource={keys.map((field) => ({ field, before: show(before[field]), after: show(after[field]) }))}
      columns={[
        { title: t('audit.field'), dataIndex: 'field', width: 180 },
        { title: t('audit.before'), dataIndex: 'before', render: (v: string) => <Typography.Text delete={v !== '—'}>{v}</Typography.Text> },
        { title: t('audit.after'), dataIndex: 'after' },
      ]}
    />
  );
}

/** The audit log of the caller's subtrees, newest first, filtered by entity, person and dates. */
export default function AuditPage() {
  const { t, formatDateTime } = useLocale();
  useDayjsLocale();
  const [search, setSearch] = useSearchParams();
  const filter: AuditFilter = {
    entity: search.get('entity') ?? undefined,
    entityId: search.get('entityId') ?? undefined,
    personId: search.get('personId') ? Number(search.get('personId')) : undefined,
    actorId: search.get('actorId') ? Number(search.get('actorId')) : undefined,
    from: search.get('from') ?? undefined,
    to: search.get('to') ?? undefined,
  };
  const page = Number(search.get('page') ?? 1);
  // Only admins may list accounts; auditors filter by the other fields.
  const canListAccounts = holdsAny(useMe().data, MODULE_ACCESS.auth.manage);
  const entries = useQuery(auditQuery(filter, page));
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) if (v) next.set(k, v); else next.delete(k);
    if (!('page' in changes)) next.delete('page');
    setSearch(next);
  };

  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>{t('audit.title')}</Typography.Title>
      <Flex wrap gap={8} style={{ marginBottom: 16 }} role="search" aria-label={t('audit.filters')}>
        <Select
          aria-label={t('audit.entity')} placeholder={t('audit.entity')} allowClear style={{ width: 180 }}
          value={filter.entity} onChange={(entity) => update({ entity })}
          options={ENTITIES.map((e) => ({ value: e, label: t(`audit.entityName.${e}` as 'audit.entityName.org') }))}
        />
        <Input.Search
          aria-label={t('audit.entityId')} placeholder={t('audit.entityId')} allowClear style={{ width: 180 }}
          defaultValue={filter.entityId} onSearch={(entityId) => update({ entityId: entityId.trim() })}
        />
        <DatePicker.RangePicker
          aria-label={t('audit.dates')}
          value={filter.from && filter.to ? [dayjs(filter.from), dayjs(filter.to)] : null}
          onChange={(range) => update({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })}
        />
        {canListAccounts && (
          <AccountSelect
            aria-label={t('audit.actor')} placeholder={t('audit.actor')} allowClear style={{ width: 220 }}
            value={filter.actorId} onChange={(actorId) => update({ actorId: actorId === undefined ? undefined : String(actorId) })}
          />
        )}
        {filter.personId !== undefined && (
          <Tag closable onClose={() => update({ personId: undefined })} style={{ alignSelf: 'center' }}>
            {t('audit.personFilter', { id: filter.personId })}
          </Tag>
        )}
      </Flex>
      {entries.error ? (
        <ErrorBlock error={entries.error} onRetry={() => void entries.refetch()} minHeight={400} />
      ) : (
        <Table<AuditEntry>
          rowKey="id"
          size="middle"
          loading={entries.isFetching}
          dataSource={entries.data?.items ?? []}
          locale={{ emptyText: entries.isPending ? ' ' : t('audit.none') }}
          expandable={{ expandedRowRender: (entry) => <Changes entry={entry} />, rowExpandable: (entry) => entry.before !== null || entry.after !== null }}
          pagination={{
            current: page, pageSize: 20, total: entries.data?.total ?? 0, showSizeChanger: false,
            onChange: (p) => update({ page: p === 1 ? undefined : String(p) }),
            showTotal: (total) => t('audit.total', { count: total }),
          }}
          scroll={{ x: 900 }}
          columns={[
            { title: t('audit.at'), dataIndex: 'at', width: 190, render: (at: string) => formatDateTime(at) },
            { title: t('audit.actor'), dataIndex: 'actorName', width: 160, render: (name: string | null) => name ?? t('audit.system') },
            { title: t('audit.action'), dataIndex: 'action', width: 150, render: (a: string) => <Tag>{a}</Tag> },
            { title: t('audit.entity'), dataIndex: 'entity', width: 150, render: (e: string) => (ENTITIES.includes(e) ? t(`audit.entityName.${e}` as 'audit.entityName.org') : e) },
            { title: t('audit.entityId'), dataIndex: 'entityId', width: 100, render: (id: string | null) => id ?? '—' },
            {
              title: t('audit.person'), dataIndex: 'personId', width: 100,
              render: (id: number | null) => (id ? <Link to={`/members/${id}`}>{t('audit.openPerson')}</Link> : '—'),
            },
          ]}
        />
      )}
    </Card>
  );
}
