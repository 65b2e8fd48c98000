import { useState } from 'react';
import { Alert, Button, Flex, Form, Input, InputNumber, Modal, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { UseQueryResult } from '@tanstack/react-query';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { EmptyBlock, ErrorBlock } from '../../../shared/ui/states.tsx';
import type { Page } from '../../../shared/api/page.ts';
import { OrgSelect } from '../../orgs/index.ts';
import { useTrainingMutations } from '../api.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { TrainingPlan } from '../types.ts';
import { chinaToday } from '../../../shared/i18n/china-time.ts';

interface PlanValues { orgId: number; year: number; title: string; note?: string }

/** The annual training plans, each opening the classes it holds; organizers add plans. */
export function PlanList({ query, canOrganize, onOpen }: { query: UseQueryResult<Page<TrainingPlan>>; canOrganize: boolean; onOpen: (planId: number) => void }) {
  const { t: tc, formatNumber } = useLocale();
  const t = useTrainingT();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<PlanValues>();
  const { createPlan } = useTrainingMutations();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);

  const submit = (values: PlanValues) => {
    setOtherErrors([]);
    createPlan.mutate({ ...values, title: values.title.trim(), note: values.note?.trim() || undefined }, {
      onSuccess: () => { setOpen(false); form.resetFields(); },
      onError: (error) => setOtherErrors(showServerErrors(form, error, tc, ['orgId', 'year', 'title', 'note'])),
    });
  };

  if (query.error) return <ErrorBlock error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <>
      {canOrganize && (
        <Flex justify="end" style={{ marginBottom: 12 }}>
          <Button icon={<PlusOutlined />} onClick={() => setOpen(true)}>{t('newPlan')}</Button>
        </Flex>
      )}
      <Table<TrainingPlan>
        rowKey="id"
        size="middle"
        aria-label={t('plans')}
        loading={query.isFetching}
        dataSource={query.data?.items ?? []}
        locale={{ emptyText: query.isPending ? ' ' : <EmptyBlock description={t('noPlans')} /> }}
        pagination={false}
        scroll={{ x: 800 }}
        columns={[
          { key: 'year', title: t('field.year'), dataIndex: 'year', width: 90 },
          { key: 'title', title: t('field.planTitle'), render: (_, p) => <Button type="link" style={{ padding: 0 }} onClick={() => onOpen(p.id)}>{p.title}</Button> },
          { key: 'org', title: t('field.org'), dataIndex: 'orgName', width: 240 },
          { key: 'classes', title: t('classes'), width: 110, render: (_, p) => (p.classCount === undefined ? '—' : formatNumber(p.classCount)) },
          { key: 'note', title: t('field.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
        ]}
      />
      <Modal open={open} title={t('newPlan')} onCancel={() => setOpen(false)} onOk={() => form.submit()} okText={tc('action.save')} confirmLoading={createPlan.isPending} destroyOnHidden>
        <Form<PlanValues> form={form} layout="vertical" onFinish={submit} initialValues={{ year: Number(chinaToday().slice(0, 4)) }}>
          {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
          <Form.Item name="orgId" label={t('field.org')} rules={[{ required: true, message: tc('form.required') }]}>
            <OrgSelect />
          </Form.Item>
          <Form.Item name="year" label={t('field.year')} rules={[{ required: true, message: tc('form.required') }]}>
            <InputNumber min={2000} max={2100} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="title" label={t('field.planTitle')} rules={[{ required: true, whitespace: true, message: tc('form.required') }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="note" label={t('field.note')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
