import { useState } from 'react';
import { Alert, App, Button, Flex, Form, Input, Modal, Progress, Select, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { MODULE_ACCESS } from '@workers-home/contract/access';
import type { Batch } from '@workers-home/contract';
import { chinaToday } from '../../../shared/i18n/china-time.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { Panel } from '../../../shared/ui/panel.tsx';
import { ResponsiveTable } from '../../../shared/ui/responsive-table.tsx';
import { EmptyBlock, ErrorBlock } from '../../../shared/ui/states.tsx';
import { useUrlFilter } from '../../../shared/ui/url-filter.ts';
import { holdsAny, useMe } from '../../auth/index.ts';
import { OrgSelect } from '../../orgs/index.ts';
import { batchListQuery, planListQuery, useCreateBatch, useMarkBatchPaid } from '../api.ts';
import { DownloadButton } from '../../../shared/ui/download-button.tsx';
import { BATCH_STATUSES, BatchStatusTag } from '../components/labels.tsx';
import { ServicesTabs } from '../components/services-tabs.tsx';
import { useServicesT } from '../i18n/use-services-t.ts';
import { formatFen } from '../../../shared/money.ts';
import { DateField } from '../components/date-field.tsx';

function PaidModal({ batch, onClose }: { batch: Batch; onClose: () => void }) {
  const t = useServicesT();
  const { t: tc } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ paidOn: string; reference: string }>();
  const paid = useMarkBatchPaid();
  const [errors, setErrors] = useState<string[]>([]);
  const submit = async (v: { paidOn: string; reference: string }) => {
    try {
      await paid.mutateAsync({ id: batch.id, paidOn: v.paidOn, reference: v.reference.trim() });
      void message.success(t('batch.paid'));
      onClose();
    } catch (error) {
      setErrors(showServerErrors(form, error, tc, ['paidOn', 'reference']));
    }
  };
  return (
    <Modal open title={t('batch.paidTitle', { id: batch.id })} okText={t('batch.markPaid')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={paid.isPending}>
      <Typography.Paragraph>{batch.planName} · {batch.orgName} · {t('batch.claims')} {batch.claims} · {formatFen(batch.totalFen)}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ paidOn: chinaToday(), reference: '' }} onFinish={(v) => void submit(v)}>
        <Form.Item name="paidOn" label={t('batch.paidOn')} rules={[{ required: true, message: t('batch.paidOn') }]}><DateField max={chinaToday()} /></Form.Item>
        <Form.Item name="reference" label={t('batch.reference')} rules={[{ required: true, whitespace: true, message: t('batch.reference') }]}><Input maxLength={60} /></Form.Item>
        {errors.map((e) => <Alert key={e} type="error" showIcon role="alert" title={e} />)}
      </Form>
    </Modal>
  );
}

/** Payers gather a plan's approved claims into a batch (built as a job, with its progress), download the transfer list and record it paid. */
export default function BatchListPage() {
  const t = useServicesT();
  const { t: tc, formatDate, formatDateTime } = useLocale();
  const me = useMe().data;
  const canPay = holdsAny(me, MODULE_ACCESS.services.pay);
  const { search, update } = useUrlFilter();
  const status = BATCH_STATUSES.find((s) => s === search.get('status'));
  const planId = search.get('planId') ? Number(search.get('planId')) : undefined;
  const page = Number(search.get('page') ?? '1') || 1;
  // While a batch is being built the list is asked for again every second (its progress).
  const list = useQuery({ ...batchListQuery({ planId, status }, page), refetchInterval: (q) => (q.state.data?.items.some((b) => b.status === 'building') ? 1000 : false) });
  const plans = useQuery(planListQuery({}, 1));
  const payerOrg = me?.grants.find((g) => g.role === 'services.payer')?.orgId;
  const [newPlan, setNewPlan] = useState<number>();
  const [newOrg, setNewOrg] = useState<number | undefined>(payerOrg);
  const [paying, setPaying] = useState<Batch | null>(null);
  const [error, setError] = useState<string>();
  const create = useCreateBatch();
  const org = newOrg ?? payerOrg;

  const build = () => {
    if (newPlan === undefined || org === undefined) return;
    setError(undefined);
    create.mutate({ planId: newPlan, orgId: org }, { onError: (e) => setError(problemText(e, tc)) });
  };

  return (
    <Panel title={<ServicesTabs current="batches" />}>
      {canPay ? (
        <Flex wrap gap={8} align="end" style={{ marginBottom: 16 }}>
          <Select<number> placeholder={t('batch.plan')} aria-label={t('batch.plan')} value={newPlan} onChange={setNewPlan} style={{ minWidth: 240 }} loading={plans.isPending}
            options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.planYear}）` }))} />
          <OrgSelect value={org} onChange={setNewOrg} placeholder={t('batch.org')} aria-label={t('batch.org')} style={{ minWidth: 220 }} />
          <Button type="primary" onClick={build} loading={create.isPending} disabled={newPlan === undefined || org === undefined}>{t('batch.new')}</Button>
        </Flex>
      ) : null}
      {error ? <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} /> : null}
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <Select allowClear placeholder={t('filter.status')} aria-label={t('filter.status')} value={status} style={{ minWidth: 140 }}
          options={BATCH_STATUSES.map((s) => ({ value: s, label: t(`batch.status.${s}`) }))} onChange={(v) => update({ status: v })} />
        <Select<number> allowClear placeholder={t('filter.plan')} aria-label={t('filter.plan')} value={planId} style={{ minWidth: 200 }}
          options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.planYear}）` }))} onChange={(v) => update({ planId: v })} />
      </Flex>
      {list.error ? <ErrorBlock error={list.error} onRetry={() => void list.refetch()} /> : (
        <ResponsiveTable<Batch>
          aria-label={t('batches')}
          rowKey="id"
          size="middle"
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <EmptyBlock description={t('batch.empty')} /> }}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, showTotal: (n) => t('total', { count: n }), onChange: (p) => update({ page: p }) }}
          columns={[
            { key: 'id', title: t('batch.id'), render: (_, b) => `${t('claim.batch', { id: b.id })} · ${b.planName}` },
            { key: 'org', title: t('batch.org'), dataIndex: 'orgName' },
            {
              key: 'status', title: t('filter.status'), render: (_, b) => (b.status === 'building'
                ? <div style={{ minWidth: 140 }}><BatchStatusTag status={b.status} /><Progress percent={Math.round(b.progress * 100)} size="small" aria-label={t('batch.building')} /></div>
                : <><BatchStatusTag status={b.status} />{b.status === 'paid' && b.reference ? <div style={{ fontSize: 12 }}>{formatDate(b.paidOn)} · {b.reference}</div> : null}</>),
            },
            { key: 'claims', title: t('batch.claims'), dataIndex: 'claims', align: 'right' },
            { key: 'total', title: t('batch.total'), align: 'right', render: (_, b) => <span className="services-money">{formatFen(b.totalFen)}</span> },
            { key: 'createdAt', title: t('batch.createdAt'), render: (_, b) => <>{formatDateTime(b.createdAt)}{b.createdBy ? <div style={{ fontSize: 12 }}>{b.createdBy}</div> : null}</> },
            {
              key: 'actions', title: '', render: (_, b) => (
                <Flex gap={4} wrap>
                  {b.status === 'ready' || b.status === 'paid' ? <DownloadButton size="small" path={`/services/batches/${b.id}/transfers.xlsx`} fileName={`batch-${b.id}.xlsx`} label={t('batch.transfers')} /> : null}
                  {canPay && b.status === 'ready' ? <Button size="small" type="primary" onClick={() => setPaying(b)}>{t('batch.markPaid')}</Button> : null}
                </Flex>
              ),
            },
          ]}
        />
      )}
      {paying ? <PaidModal batch={paying} onClose={() => setPaying(null)} /> : null}
    </Panel>
  );
}
