import { useEffect, useState } from 'react';
import { Alert, Button, Flex, Form, Input, List, Radio, Select, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { AidEnrolment, AidEnrolResult, AidPlan, MemberRow } from '@workers-home/contract';
import { api, queryString } from '../../../shared/api/client.ts';
import type { Page } from '../../../shared/api/page.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { ResponsiveTable } from '../../../shared/ui/responsive-table.tsx';
import { EmptyBlock, ErrorBlock } from '../../../shared/ui/states.tsx';
import { OrgSelect } from '../../orgs/index.ts';
import { enrolmentListQuery, useEnrol } from '../api.ts';
import { useServicesT } from '../i18n/use-services-t.ts';
import { EnrolmentUpload } from './enrolment-upload.tsx';

/** Active members of one union, searched by name, for choosing whom to enrol. */
function MemberPicker({ orgId, value, onChange }: { orgId: number; value: number[]; onChange: (ids: number[]) => void }) {
  const t = useServicesT();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const members = useQuery({
    queryKey: ['services', 'enrol-members', orgId, q],
    queryFn: () => api<Page<MemberRow>>(`/members${queryString({ orgId, q, status: 'active', page: 1, pageSize: 50 })}`),
    placeholderData: (previous) => previous,
  });
  return (
    <Select<number[]>
      mode="multiple"
      aria-label={t('enrol.pickMembers')}
      placeholder={t('enrol.pickMembers')}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      loading={members.isFetching}
      value={value}
      onChange={onChange}
      options={(members.data?.items ?? []).map((m) => ({ value: m.personId, label: m.employer ? `${m.name}（${m.employer}）` : m.name }))}
      style={{ width: '100%' }}
    />
  );
}

function EnrolResultView({ result }: { result: AidEnrolResult }) {
  const t = useServicesT();
  return (
    <Alert
      type={result.ineligible.length ? 'warning' : 'success'}
      showIcon
      data-testid="enrol-result"
      title={t('enrol.result', { enrolled: result.enrolled, already: result.alreadyEnrolled })}
      description={(
        <>
          {result.statementId !== null ? <div>{t('enrol.statementMade')}</div> : null}
          {result.ineligible.length ? (
            <>
              <div>{t('enrol.ineligible', { count: result.ineligible.length })}</div>
              <List size="small" dataSource={result.ineligible} renderItem={(p) => <List.Item>{p.name ?? `#${p.personId}`}：{t(`enrol.reason.${p.reason}`)}</List.Item>} />
            </>
          ) : null}
        </>
      )}
    />
  );
}

/** A grassroots union enrols its members (all active ones, those chosen, or those listed in a spreadsheet); the enrolled with their coverage. */
export function EnrolmentTab({ plan, canManage }: { plan: AidPlan; canManage: boolean }) {
  const t = useServicesT();
  const { t: tc, formatDate, formatDateTime } = useLocale();
  const [orgId, setOrgId] = useState<number>();
  const [mode, setMode] = useState<'all' | 'chosen' | 'file'>('all');
  const [chosen, setChosen] = useState<number[]>([]);
  const [result, setResult] = useState<AidEnrolResult | null>(null);
  const [error, setError] = useState<string>();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState<string>();
  const [page, setPage] = useState(1);
  const enrol = useEnrol(plan.id);
  const list = useQuery(enrolmentListQuery(plan.id, { orgId, q }, page));

  const submit = () => {
    if (orgId === undefined) return;
    setError(undefined);
    setResult(null);
    enrol.mutate(mode === 'all' ? { orgId, all: true } : { orgId, personIds: chosen }, {
      onSuccess: (r) => { setResult(r); setChosen([]); },
      onError: (e) => setError(problemText(e, tc)),
    });
  };

  const coverage = (e: AidEnrolment) => {
    if (!e.coveredFrom) return <Tag color="warning">{t('enrol.unpaid')}</Tag>;
    const range = `${formatDate(e.coveredFrom)} – ${formatDate(e.coveredTo)}`;
    return e.memberNow ? range : <Tag color="orange" style={{ whiteSpace: 'normal' }}>{t('enrol.left', { date: formatDate(e.coveredTo) })}</Tag>;
  };

  return (
    <Flex vertical gap={16}>
      {canManage ? (
        <Form layout="vertical" onFinish={submit} style={{ maxWidth: 640 }}>
          <Form.Item label={t('enrol.union')} extra={t('enrol.unionHint')} required>
            <OrgSelect level="grassroots" value={orgId} onChange={(v) => { setOrgId(v); setChosen([]); setPage(1); }} aria-label={t('enrol.union')} />
          </Form.Item>
          <Form.Item>
            <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}
              options={[{ value: 'all', label: t('enrol.all') }, { value: 'chosen', label: t('enrol.chosen') }, { value: 'file', label: t('enrol.fromFile') }]} />
          </Form.Item>
          {mode === 'chosen' && orgId !== undefined ? <Form.Item label={t('enrol.pickMembers')}><MemberPicker orgId={orgId} value={chosen} onChange={setChosen} /></Form.Item> : null}
          {mode === 'file' ? <EnrolmentUpload key={orgId ?? 'none'} planId={plan.id} orgId={orgId} /> : (
            <>
              {error ? <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} /> : null}
              <Button type="primary" htmlType="submit" loading={enrol.isPending} disabled={orgId === undefined || (mode === 'chosen' && chosen.length === 0)}>{t('enrol.submit')}</Button>
            </>
          )}
        </Form>
      ) : null}
      {result ? <EnrolResultView result={result} /> : null}
      <Typography.Title level={3} style={{ fontSize: 15, margin: 0 }}>{t('enrol.list')}</Typography.Title>
      <Input.Search placeholder={t('enrol.search')} aria-label={t('enrol.search')} value={typed} onChange={(e) => setTyped(e.target.value)} onSearch={(v) => { setQ(v.trim() || undefined); setPage(1); }} allowClear style={{ maxWidth: 260 }} />
      {list.error ? <ErrorBlock error={list.error} onRetry={() => void list.refetch()} /> : (
        <ResponsiveTable<AidEnrolment>
          aria-label={t('enrol.list')}
          rowKey={(e) => `${e.personId}-${e.statementId}`}
          size="middle"
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <EmptyBlock description={t('enrol.empty')} /> }}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, showTotal: (n) => t('total', { count: n }), onChange: setPage }}
          columns={[
            { key: 'name', title: t('enrol.name'), dataIndex: 'name' },
            { key: 'org', title: t('enrol.org'), dataIndex: 'orgName' },
            { key: 'enrolledAt', title: t('enrol.enrolledAt'), render: (_, e) => formatDateTime(e.enrolledAt) },
            { key: 'coverage', title: t('enrol.coverage'), render: (_, e) => coverage(e) },
          ]}
        />
      )}
    </Flex>
  );
}
