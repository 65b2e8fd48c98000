import { useState } from 'react';
import { App, Button, Flex, Form, Input, Popconfirm, Select, Space, Table } from 'antd';
import { UploadOutlined, UserAddOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { MobilePhone, NationalIdNumber } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { schemaRule } from '../../../shared/ui/form-rules.ts';
import { EmptyBlock, ErrorBlock } from '../../../shared/ui/states.tsx';
import { enrolmentsQuery, useTrainingMutations } from '../api.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { Enrolment, EnrolmentMode, TrainingClassDetail } from '../types.ts';
import { ImportModal } from './import-modal.tsx';
import { ModeTag } from './labels.tsx';

interface AddValues { by: 'idNumber' | 'phone'; value: string; mode: EnrolmentMode }

/** One trainee by ID number or mobile; the server's error lands on the field that caused it. */
function AddTrainee({ classId }: { classId: number }) {
  const { t: tc } = useLocale();
  const t = useTrainingT();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddValues>();
  const by = Form.useWatch('by', form) ?? 'idNumber';
  const { enrol } = useTrainingMutations(classId);
  const submit = (values: AddValues) => {
    const value = values.value.trim().toUpperCase();
    enrol.mutate(values.by === 'idNumber' ? { idNumber: value, mode: values.mode } : { phone: value, mode: values.mode }, {
      onSuccess: (enrolment) => { form.resetFields(['value']); void message.success(t('trainee.added', { name: enrolment.name })); },
      onError: (error) => {
        // The server names the field it refused: idNumber, phone or mode; the box holds either of the first two.
        const rest = showServerErrors(form, renameToBox(error), tc, ['value', 'mode']);
        if (rest.length) form.setFields([{ name: 'value', errors: rest }]);
      },
    });
  };
  return (
    <Form<AddValues> form={form} layout="inline" onFinish={submit} initialValues={{ by: 'idNumber', mode: 'onsite' }} style={{ rowGap: 8 }} aria-label={t('trainee.add')}>
      <Form.Item name="by" label={t('trainee.by')}>
        <Select style={{ width: 110 }} options={[{ value: 'idNumber', label: t('trainee.byIdNumber') }, { value: 'phone', label: t('trainee.byPhone') }]} />
      </Form.Item>
      <Form.Item
        name="value"
        label={by === 'idNumber' ? t('trainee.idNumber') : t('trainee.phone')}
        rules={[{ required: true, message: tc('form.required') }, schemaRule(by === 'idNumber' ? NationalIdNumber : MobilePhone, tc)]}
      >
        <Input style={{ width: 220, fontFamily: 'monospace' }} maxLength={18} autoComplete="off" />
      </Form.Item>
      <Form.Item name="mode" label={t('trainee.mode')}>
        <Select style={{ width: 140 }} options={[{ value: 'onsite', label: t('mode.onsite') }, { value: 'live', label: t('mode.live') }]} />
      </Form.Item>
      <Button type="primary" htmlType="submit" icon={<UserAddOutlined />} loading={enrol.isPending}>{t('trainee.add')}</Button>
    </Form>
  );
}

function renameToBox(error: unknown) {
  const withFields = error as { fieldErrors?: Array<{ field: string }> };
  for (const f of withFields.fieldErrors ?? []) if (/^body\.(idNumber|phone|personId)$/.test(f.field)) f.field = 'body.value';
  return error;
}

/** The class's trainees: add one, import many, change mode, withdraw. */
export function TraineesTab({ detail }: { detail: TrainingClassDetail }) {
  const { t: tc, formatDateTime } = useLocale();
  const t = useTrainingT();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [mode, setMode] = useState<EnrolmentMode | undefined>();
  const [q, setQ] = useState('');
  const [importing, setImporting] = useState(false);
  const enrolments = useQuery(enrolmentsQuery(detail.id, { mode, q: q || undefined }, page));
  const { updateEnrolment } = useTrainingMutations(detail.id);
  const change = (id: number, input: { mode?: EnrolmentMode; status?: 'enrolled' | 'withdrawn' }) =>
    updateEnrolment.mutate({ id, ...input }, { onError: (error) => void message.error(problemText(error, tc)) });

  return (
    <div>
      <Flex justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
        <AddTrainee classId={detail.id} />
        <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>{t('trainee.import')}</Button>
      </Flex>
      <Flex gap={8} wrap style={{ marginBottom: 12 }} role="search">
        <Input.Search aria-label={t('trainee.search')} placeholder={t('trainee.search')} allowClear onSearch={(v) => { setQ(v.trim()); setPage(1); }} style={{ width: '100%', maxWidth: 320 }} enterButton={tc('action.search')} />
        <Select
          aria-label={t('trainee.mode')}
          value={mode ?? 'all'}
          onChange={(v) => { setMode(v === 'all' ? undefined : (v as EnrolmentMode)); setPage(1); }}
          style={{ width: 150 }}
          options={[{ value: 'all', label: t('trainee.allModes') }, { value: 'onsite', label: t('mode.onsite') }, { value: 'live', label: t('mode.live') }]}
        />
      </Flex>
      {enrolments.error ? (
        <ErrorBlock error={enrolments.error} onRetry={() => void enrolments.refetch()} />
      ) : (
        <Table<Enrolment>
          rowKey="id"
          size="middle"
          aria-label={t('tab.trainees')}
          loading={enrolments.isFetching}
          dataSource={enrolments.data?.items ?? []}
          locale={{ emptyText: enrolments.isPending ? ' ' : <EmptyBlock description={t('trainee.none')} /> }}
          scroll={{ x: 900 }}
          pagination={{ current: page, pageSize: 20, total: enrolments.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (total) => t('totalPeople', { count: total }) }}
          columns={[
            { key: 'name', title: t('trainee.name'), dataIndex: 'name', width: 120 },
            { key: 'id', title: t('trainee.idNumber'), dataIndex: 'idNumberMasked', width: 190, render: (v: string | null | undefined) => <span style={{ fontFamily: 'monospace' }}>{v ?? '—'}</span> },
            { key: 'org', title: t('trainee.org'), dataIndex: 'orgName' },
            { key: 'mode', title: t('trainee.mode'), width: 130, render: (_, e) => (e.status === 'withdrawn' ? <span className="wh-secondary">{t('trainee.withdrawn')}</span> : <ModeTag mode={e.mode} />) },
            { key: 'at', title: t('trainee.enrolledAt'), width: 170, render: (_, e) => formatDateTime(e.enrolledAt) },
            {
              key: 'actions', title: '', width: 270,
              render: (_, e) => e.status === 'withdrawn' ? (
                <Button size="small" onClick={() => change(e.id, { status: 'enrolled' })}>{t('trainee.restore')}</Button>
              ) : (
                <Space>
                  <Button size="small" onClick={() => change(e.id, { mode: e.mode === 'onsite' ? 'live' : 'onsite' })}>
                    {t('trainee.changeMode', { mode: t(e.mode === 'onsite' ? 'mode.live' : 'mode.onsite') })}
                  </Button>
                  <Popconfirm title={t('trainee.withdrawConfirm', { name: e.name })} onConfirm={() => change(e.id, { status: 'withdrawn' })}>
                    <Button size="small" danger>{t('trainee.withdraw')}</Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      {importing && <ImportModal classId={detail.id} open onClose={() => setImporting(false)} />}
    </div>
  );
}
