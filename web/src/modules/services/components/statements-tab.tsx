import { useState } from 'react';
import { Alert, App, Button, Flex, Form, Input, Modal, Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { AidPlan, ContributionStatement } from '@workers-home/contract';
import { ApiError } from '../../../shared/api/client.ts';
import { chinaToday } from '../../../shared/i18n/china-time.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { renameErrorFields, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { ResponsiveTable } from '../../../shared/ui/responsive-table.tsx';
import { EmptyBlock, ErrorBlock } from '../../../shared/ui/states.tsx';
import { statementListQuery, usePayStatement } from '../api.ts';
import { useServicesT } from '../i18n/use-services-t.ts';
import { formatFen, parseYuan } from '../../../shared/money.ts';
import { DownloadButton } from '../../../shared/ui/download-button.tsx';
import { YuanInput, yuanRule } from './money-input.tsx';
import { DateField } from './date-field.tsx';

interface PaymentValues { paidOn: string; amount: string; reference: string }

function PaymentModal({ statement, planId, onClose }: { statement: ContributionStatement; planId: number; onClose: () => void }) {
  const t = useServicesT();
  const { t: tc } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<PaymentValues>();
  const pay = usePayStatement(planId);
  const [errors, setErrors] = useState<string[]>([]);
  const submit = async (v: PaymentValues) => {
    setErrors([]);
    try {
      await pay.mutateAsync({ id: statement.id, paidOn: v.paidOn, amountFen: parseYuan(v.amount) ?? 0, reference: v.reference.trim() });
      void message.success(t('statement.paid'));
      onClose();
    } catch (error) {
      // The server words the amount due in fen; the form speaks yuan.
      if (error instanceof ApiError && error.fieldErrors.length === 1 && error.fieldErrors[0]!.code === 'services.statement.amount') {
        form.setFields([{ name: 'amount', errors: [t('statement.payAmountHint', { amount: formatFen(statement.amountFen) })] }]);
        return;
      }
      setErrors(showServerErrors(form, renameErrorFields(error, { 'body.amountFen': 'body.amount' }), tc, ['paidOn', 'amount', 'reference']));
    }
  };
  return (
    <Modal open title={t('statement.payTitle', { org: statement.orgName })} okText={t('statement.pay')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={pay.isPending} destroyOnHidden>
      <Form<PaymentValues> form={form} layout="vertical" initialValues={{ paidOn: chinaToday(), amount: '', reference: '' }} onFinish={(v) => void submit(v)}>
        <Form.Item name="paidOn" label={t('statement.paidOn')} rules={[{ required: true, message: t('statement.paidOn') }]}><DateField max={chinaToday()} /></Form.Item>
        <Form.Item name="amount" label={t('statement.payAmount')} extra={t('statement.payAmountHint', { amount: formatFen(statement.amountFen) })} rules={[yuanRule(t)]}><YuanInput /></Form.Item>
        <Form.Item name="reference" label={t('statement.reference')} rules={[{ required: true, whitespace: true, message: t('statement.reference') }]}><Input maxLength={60} /></Form.Item>
        {errors.map((e) => <Alert key={e} type="error" showIcon role="alert" title={e} />)}
      </Form>
    </Modal>
  );
}

/** The plan's contribution statements: persons × contribution = amount due; record payment; the notice as .xlsx or .pdf. */
export function StatementsTab({ plan, canManage }: { plan: AidPlan; canManage: boolean }) {
  const t = useServicesT();
  const { formatDate, formatDateTime } = useLocale();
  const [status, setStatus] = useState<'due' | 'paid'>();
  const [page, setPage] = useState(1);
  const [paying, setPaying] = useState<ContributionStatement | null>(null);
  const list = useQuery(statementListQuery(plan.id, { status }, page));
  return (
    <Flex vertical gap={12}>
      <Select<'due' | 'paid'> allowClear placeholder={t('statement.status')} aria-label={t('statement.status')} value={status} style={{ width: 160 }}
        options={(['due', 'paid'] as const).map((s) => ({ value: s, label: t(`statement.status.${s}`) }))} onChange={(v) => { setStatus(v); setPage(1); }} />
      {list.error ? <ErrorBlock error={list.error} onRetry={() => void list.refetch()} /> : (
        <ResponsiveTable<ContributionStatement>
          aria-label={t('tab.statements')}
          rowKey="id"
          size="middle"
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: <EmptyBlock description={t('statement.empty')} /> }}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, showSizeChanger: false, showTotal: (n) => t('total', { count: n }), onChange: setPage }}
          columns={[
            { key: 'org', title: t('statement.org'), dataIndex: 'orgName' },
            { key: 'amount', title: t('statement.amount'), render: (_, s) => <span className="services-money">{t('statement.formula', { persons: s.persons, contribution: formatFen(s.contributionFen), amount: formatFen(s.amountFen) })}</span> },
            { key: 'status', title: t('statement.status'), render: (_, s) => (s.status === 'paid' ? `${t('statement.status.paid')} · ${formatDate(s.paidOn)} · ${s.reference ?? ''}` : t('statement.status.due')) },
            { key: 'createdAt', title: t('statement.createdAt'), render: (_, s) => formatDateTime(s.createdAt) },
            {
              key: 'actions', title: '', render: (_, s) => (
                <Flex gap={4} wrap>
                  {canManage && s.status === 'due' ? <Button size="small" type="primary" onClick={() => setPaying(s)}>{t('statement.pay')}</Button> : null}
                  <DownloadButton size="small" path={`/services/statements/${s.id}/notice.xlsx`} fileName={`${s.orgName}-${s.id}.xlsx`} label={t('statement.noticeXlsx')} />
                  <DownloadButton size="small" path={`/services/statements/${s.id}/notice.pdf`} fileName={`${s.orgName}-${s.id}.pdf`} label={t('statement.noticePdf')} />
                </Flex>
              ),
            },
          ]}
        />
      )}
      {paying ? <PaymentModal statement={paying} planId={plan.id} onClose={() => setPaying(null)} /> : null}
    </Flex>
  );
}
