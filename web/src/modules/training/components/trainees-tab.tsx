import { useEffect, useState } from 'react';
import { App, Button, Flex, Form, Input, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { UploadOutlined, UserAddOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { MobilePhone, NationalIdNumber } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { schemaRule } from '../../../shared/ui/form-rules.ts';
import { EmptyBlock, ErrorBlock } from '../../../shared/ui/states.tsx';
import { candidatesQuery, enrolmentsQuery, sessionsQuery, useTrainingMutations } from '../api.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { Enrolment, EnrolmentMode, TrainingClassDetail } from '../types.ts';
import { ImportModal } from './import-modal.tsx';
import { ModeTag } from './labels.tsx';

interface AddValues { by: 'name' | 'idNumber' | 'phone'; value: string; personId?: number; mode: EnrolmentMode }

/** A person on the roster found by a fragment of their name: each option says their union and masked ID number. */
function NameSearch({ classId, value, onChange }: { classId: number; value?: number | undefined; onChange?: (personId: number) => void }) {
  const t = useTrainingT();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const candidates = useQuery(candidatesQuery(classId, q));
  return (
    <Select<number>
      showSearch={{ filterOption: false, onSearch: setTyped }}
      value={value}
      onChange={(v) => onChange?.(v)}
      style={{ width: 300 }}
      aria-label={t('trainee.findByName')}
      placeholder={t('trainee.findByName')}
      loading={candidates.isFetching}
      notFoundContent={q ? t('trainee.noCandidates') : t('trainee.typeName')}
      options={(candidates.data?.items ?? []).map((c) => ({
        value: c.personId,
        disabled: c.enrolled,
        label: `${c.name} · ${c.orgName}${c.idNumberMasked ? ` · ${c.idNumberMasked}` : ''}${c.enrolled ? ` · ${t('trainee.alreadyEnrolled')}` : ''}`,
      }))}
    />
  );
}

/** One trainee by name (searching the roster), ID number or mobile; the server's error lands on the field that caused it. */
function AddTrainee({ classId }: { classId: number }) {
  const { t: tc } = useLocale();
  const t = useTrainingT();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddValues>();
  const by = Form.useWatch('by', form) ?? 'name';
  const { enrol } = useTrainingMutations(classId);
  const submit = (values: AddValues) => {
    const value = (values.value ?? '').trim().toUpperCase();
    const input = values.by === 'name' ? { personId: values.personId!, mode: values.mode }
      : values.by === 'idNumber' ? { idNumber: value, mode: values.mode } : { phone: value, mode: values.mode };
    enrol.mutate(input, {
      onSuccess: (enrolment) => { form.resetFields(['value', 'personId']); void message.success(t('trainee.added', { name: enrolment.name })); },
      onError: (error) => {
        // The server names the field it refused: idNumber, phone, personId or mode.
        const box = values.by === 'name' ? 'personId' : 'value';
        const rest = showServerErrors(form, renameToBox(error, box), tc, [box, 'mode']);
        if (rest.length) form.setFields([{ name: box, errors: rest }]);
      },
    });
  };
  return (
    <Form<AddValues> form={form} layout="inline" onFinish={submit} initialValues={{ by: 'name', mode: 'onsite' }} style={{ rowGap: 8 }} aria-label={t('trainee.add')}>
      <Form.Item name="by" label={t('trainee.by')}>
        <Select style={{ width: 110 }} options={[{ value: 'name', label: t('trainee.byName') }, { value: 'idNumber', label: t('trainee.byIdNumber') }, { value: 'phone', label: t('trainee.byPhone') }]} />
      </Form.Item>
      {by === 'name' ? (
        <Form.Item name="personId" label={t('trainee.name')} rules={[{ required: true, message: tc('form.required') }]}>
          <NameSearch classId={classId} />
        </Form.Item>
      ) : (
        <Form.Item
          name="value"
          label={by === 'idNumber' ? t('trainee.idNumber') : t('trainee.phone')}
          rules={[{ required: true, message: tc('form.required') }, schemaRule(by === 'idNumber' ? NationalIdNumber : MobilePhone, tc)]}
        >
          <Input style={{ width: 220, fontFamily: 'monospace' }} maxLength={18} autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item name="mode" label={t('trainee.mode')}>
        <Select style={{ width: 140 }} options={[{ value: 'onsite', label: t('mode.onsite') }, { value: 'live', label: t('mode.live') }]} />
      </Form.Item>
      <Button type="primary" htmlType="submit" icon={<UserAddOutlined />} loading={enrol.isPending}>{t('trainee.add')}</Button>
    </Form>
  );
}

function renameToBox(error: unknown, box: 'value' | 'personId') {
  const withFields = error as { fieldErrors?: Array<{ field: string }> };
  for (const f of withFields.fieldErrors ?? []) if (/^body\.(idNumber|phone|personId)$/.test(f.field)) f.field = `body.${box}`;
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
  const sessions = useQuery(sessionsQuery(detail.id));
  const [selected, setSelected] = useState<number[]>([]);
  const [sessionId, setSessionId] = useState<number | undefined>();
  const { updateEnrolment, bulkWithdraw, bulkCheckIn } = useTrainingMutations(detail.id);
  const withdrawSelected = () => bulkWithdraw.mutate(selected, {
    onSuccess: (result) => { setSelected([]); void message.success(t('trainee.withdrawnMany', { count: result.withdrawn })); },
    onError: (error) => void message.error(problemText(error, tc)),
  });
  const checkInSelected = () => sessionId !== undefined && bulkCheckIn.mutate({ sessionId, enrolmentIds: selected }, {
    onSuccess: (result) => { setSelected([]); void message.success(t('checkin.marked', { created: result.created, already: result.already })); },
    onError: (error) => void message.error(problemText(error, tc)),
  });
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
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }} role="group" aria-label={t('trainee.bulk')}>
        <Typography.Text type="secondary">{t('trainee.selected', { count: selected.length })}</Typography.Text>
        <Popconfirm title={t('trainee.withdrawManyConfirm', { count: selected.length })} onConfirm={withdrawSelected} disabled={selected.length === 0}>
          <Button danger disabled={selected.length === 0} loading={bulkWithdraw.isPending}>{t('trainee.withdrawSelected')}</Button>
        </Popconfirm>
        <Select<number>
          aria-label={t('checkin.session')}
          placeholder={t('checkin.session')}
          value={sessionId}
          onChange={setSessionId}
          style={{ width: 'min(320px, 100%)' }}
          options={(sessions.data ?? []).map((s) => ({ value: s.id, label: `${formatDateTime(s.startsAt)} ${s.topic}` }))}
        />
        <Button disabled={selected.length === 0 || sessionId === undefined} loading={bulkCheckIn.isPending} onClick={checkInSelected}>{t('trainee.checkInSelected')}</Button>
      </Flex>
      {enrolments.error ? (
        <ErrorBlock error={enrolments.error} onRetry={() => void enrolments.refetch()} />
      ) : (
        <div style={{ overflowX: 'auto' }}>
        <Table<Enrolment>
          rowKey="id"
          size="middle"
          aria-label={t('tab.trainees')}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]), getCheckboxProps: (e) => ({ disabled: e.status === 'withdrawn', 'aria-label': e.name }) }}
          loading={enrolments.isFetching}
          dataSource={enrolments.data?.items ?? []}
          locale={{ emptyText: enrolments.isPending ? ' ' : <EmptyBlock description={t('trainee.none')} /> }}
          style={{ minWidth: 1160 }}
          pagination={{ current: page, pageSize: 20, total: enrolments.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (total) => t('totalPeople', { count: total }) }}
          columns={[
            { key: 'name', title: t('trainee.name'), dataIndex: 'name', width: 120 },
            { key: 'id', title: t('trainee.idNumber'), dataIndex: 'idNumberMasked', width: 190, render: (v: string | null | undefined) => <span style={{ fontFamily: 'monospace' }}>{v ?? '—'}</span> },
            { key: 'org', title: t('trainee.org'), dataIndex: 'orgName', width: 240 },
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
        </div>
      )}
      {importing && <ImportModal classId={detail.id} open onClose={() => setImporting(false)} />}
    </div>
  );
}
