import { useState } from 'react';
import { Button, Card, DatePicker, Flex, Input, Pagination, Select, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { AuditEntry } from '@workers-home/contract';
import { useDayjsLocale } from '../../../shared/i18n/dayjs-locale.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { EmptyBlock, ErrorBlock, LoadingBlock } from '../../../shared/ui/states.tsx';
import { entryWords } from '../components/entry-text.ts';
import './audit-page.css';
import { auditQuery, type AuditFilter } from '../api.ts';
import { MODULE_ACCESS } from '@workers-home/contract/access';
import { holdsAny, useMe } from '../../auth/index.ts';
import { AccountSelect } from '../../auth/index.ts';
import { useUrlFilter } from '../../../shared/ui/url-filter.ts';

const ENTITIES = [
  'org', 'person', 'membership', 'transfer_request', 'cadre_position', 'member_import', 'member-list', 'account', 'role_grant',
  'training_plan', 'training_class', 'training_session', 'training_enrolment', 'training_attendance', 'training_course', 'training_material', 'training_certificate',
  'news_article', 'news_image', 'news_newsroom', 'news_report',
  'services_plan', 'services_statement', 'services_claim', 'services_document', 'services_batch',
  'installation',
];
// Changes shown in an entry's summary line; the rest open below it.
const SUMMARY_CHANGES = 2;

/** One entry as a reader says it: when, who, where; what was done to which record (a link to it); what changed. */
function EntryItem({ entry }: { entry: AuditEntry }) {
  const locale = useLocale();
  const { t, formatDateTime } = locale;
  const words = entryWords(locale);
  const [open, setOpen] = useState(false);
  const changes = words.changes(entry);
  const subject = words.subject(entry);
  const shown = open ? changes : changes.slice(0, SUMMARY_CHANGES);
  return (
    <li className="wh-audit-entry">
      <div className="wh-audit-meta">
        <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
        <span>{entry.actorName ?? t('audit.system')}</span>
        {entry.orgName && <span>{entry.orgName}</span>}
      </div>
      <div className="wh-audit-what">
        <Tag>{words.action(entry)}</Tag>
        <span>{words.entity(entry)}</span>
        {subject && (entry.link ? <Link to={entry.link}>{subject}</Link> : <span>{subject}</span>)}
      </div>
      {shown.length > 0 && (
        <dl className="wh-audit-changes">
          {shown.map((c) => (
            <div key={c.field}>
              <dt>{t('audit.fieldColon', { field: c.field })}</dt>
              <dd>
                {entry.before !== null && <><Typography.Text delete={c.before !== '—'} type="secondary">{c.before}</Typography.Text>{' → '}</>}
                {c.after}
              </dd>
            </div>
          ))}
        </dl>
      )}
      {changes.length > SUMMARY_CHANGES && (
        <Button type="link" size="small" className="wh-audit-more" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t('audit.less') : t('audit.more', { count: changes.length - SUMMARY_CHANGES })}
        </Button>
      )}
    </li>
  );
}

/** The audit log of the caller's subtrees, newest first, filtered by entity, person and dates. */
export default function AuditPage() {
  const { t } = useLocale();
  useDayjsLocale();
  const { search, update } = useUrlFilter();
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
        <Spin spinning={entries.isFetching && !entries.isPending}>
          {entries.isPending ? <LoadingBlock rows={8} /> : (entries.data?.items.length ?? 0) === 0 ? <EmptyBlock description={t('audit.none')} /> : (
            <ol className="wh-audit-list" aria-label={t('audit.title')}>
              {entries.data.items.map((entry) => <EntryItem key={entry.id} entry={entry} />)}
            </ol>
          )}
          <Pagination
            className="wh-audit-pages" current={page} pageSize={20} total={entries.data?.total ?? 0} showSizeChanger={false} size="small"
            onChange={(p) => update({ page: p === 1 ? undefined : String(p) })} showTotal={(total) => t('audit.total', { count: total })} hideOnSinglePage={false}
          />
        </Spin>
      )}
    </Card>
  );
}
