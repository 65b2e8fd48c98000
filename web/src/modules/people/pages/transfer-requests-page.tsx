import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, Modal, Popconfirm, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useLocation, useNavigate } from 'react-router';
import { TransferRequestCreate, type TransferRequest } from '@workers-home/contract';
import { useDayjsLocale } from '../../../shared/i18n/dayjs-locale.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { schemaRule } from '../../../shared/ui/form-rules.ts';
import { ErrorBlock } from '../../../shared/ui/states.tsx';
import { OrgSelect } from '../../orgs/index.ts';
import { transferRequestsQuery, useTransferMutations, type TransferListFilter } from '../api.ts';

/** What the new-member form passes on when the ID number it was given is held by another union. */
export interface TransferDraft {
  idNumber: string;
  toOrgId?: number | undefined;
  date?: string | undefined;
}

interface RequestValues {
  idNumber: string;
  toOrgId: number;
  date: Dayjs;
  note?: string;
}

const STATUS_COLOR: Record<TransferRequest['status'], string> = { pending: 'gold', approved: 'green', declined: 'red', cancelled: 'default' };

function NewRequestModal({ draft, onClose, onSent }: { draft: TransferDraft | null; onClose: () => void; onSent: () => void }) {
  const { t } = useLocale();
  useDayjsLocale();
  const [form] = Form.useForm<RequestValues>();
  const { create } = useTransferMutations();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const submit = (values: RequestValues) => {
    setOtherErrors([]);
    create.mutate(
      { idNumber: values.idNumber.trim(), toOrgId: values.toOrgId, date: values.date.format('YYYY-MM-DD'), note: values.note?.trim() || undefined },
      { onSuccess: () => { onSent(); onClose(); }, onError: (error) => setOtherErrors(showServerErrors(form, error, t, ['idNumber', 'toOrgId', 'date', 'note'])) },
    );
  };
  return (
    <Modal open title={t('transfers.new')} okText={t('transfers.send')} cancelText={t('action.cancel')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={create.isPending} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('transfers.newHint')}</Typography.Paragraph>
      <Form<RequestValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        autoComplete="off"
        initialValues={{ idNumber: draft?.idNumber, toOrgId: draft?.toOrgId, date: draft?.date ? dayjs(draft.date) : undefined }}
      >
        {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
        <Form.Item name="idNumber" label={t('people.field.idNumber')} required rules={[schemaRule(TransferRequestCreate.shape.idNumber, t)]}>
          <Input maxLength={18} inputMode="text" />
        </Form.Item>
        <Form.Item name="toOrgId" label={t('transfers.into')} rules={[{ required: true, message: t('form.required') }]}>
          <OrgSelect level="grassroots" />
        </Form.Item>
        <Form.Item name="date" label={t('transfers.date')} rules={[{ required: true, message: t('form.required') }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={t('people.field.note')} rules={[schemaRule(TransferRequestCreate.shape.note, t)]}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DeclineModal({ request, onClose }: { request: TransferRequest; onClose: () => void }) {
  const { t, errorText } = useLocale();
  const [form] = Form.useForm<{ reason: string }>();
  const { decline } = useTransferMutations();
  return (
    <Modal open title={t('transfers.declineTitle', { name: request.personName })} okText={t('transfers.decline')} okButtonProps={{ danger: true }} cancelText={t('action.cancel')}
      onOk={() => form.submit()} onCancel={onClose} confirmLoading={decline.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={({ reason }) => decline.mutate({ id: request.id, reason: reason.trim() }, { onSuccess: onClose, onError: (e) => showServerErrors(form, e, t, ['reason']) })}>
        <Form.Item name="reason" label={t('transfers.reason')} rules={[{ required: true, whitespace: true, message: t('form.required') }, { max: 200, message: errorText('validation.max_length', { max: 200 }) }]}>
          <Input.TextArea rows={3} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 会员关系转接: a union asks for a member of a union outside its subtree; the union that holds
 * them (or one above it) approves or declines. Incoming requests wait for the caller's decision.
 */
export default function TransferRequestsPage() {
  const { t, formatDate, formatDateTime } = useLocale();
  const { message } = App.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const draft = (location.state as { transferDraft?: TransferDraft } | null)?.transferDraft ?? null;
  const [filter, setFilter] = useState<TransferListFilter>({ direction: 'incoming', status: 'pending' });
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(draft !== null);
  const [declining, setDeclining] = useState<TransferRequest | null>(null);
  const requests = useQuery(transferRequestsQuery(filter, page));
  const { approve, cancel } = useTransferMutations();
  const onError = (error: unknown) => void message.error(problemText(error, t));
  const closeNew = () => {
    setCreating(false);
    // The draft (an ID number) must not come back with the browser's history.
    if (draft) void navigate(location.pathname, { replace: true, state: null });
  };

  return (
    <Card>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <Space orientation="vertical" size={0}>
          <Link to="/members">{t('transfers.back')}</Link>
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{t('transfers.title')}</Typography.Title>
        </Space>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('transfers.new')}</Button>
      </Flex>
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Segmented<TransferListFilter['direction']>
          style={{ maxWidth: '100%', overflowX: 'auto' }}
          value={filter.direction}
          onChange={(direction) => { setFilter({ ...filter, direction }); setPage(1); }}
          options={[{ value: 'incoming', label: t('transfers.incoming') }, { value: 'outgoing', label: t('transfers.outgoing') }, { value: 'all', label: t('transfers.all') }]}
        />
        <Select<TransferListFilter['status']>
          aria-label={t('transfers.status')}
          style={{ minWidth: 140 }}
          value={filter.status}
          onChange={(status) => { setFilter({ ...filter, status }); setPage(1); }}
          options={(['pending', 'approved', 'declined', 'cancelled', 'all'] as const).map((s) => ({ value: s, label: t(`transfers.status.${s}`) }))}
        />
      </Flex>
      {requests.error ? (
        <ErrorBlock error={requests.error} onRetry={() => void requests.refetch()} minHeight={300} />
      ) : (
        <Table<TransferRequest>
          rowKey="id"
          size="middle"
          loading={requests.isFetching}
          dataSource={requests.data?.items ?? []}
          locale={{ emptyText: requests.isPending ? ' ' : t(filter.direction === 'outgoing' ? 'transfers.noneOutgoing' : 'transfers.noneIncoming') }}
          pagination={{ current: page, pageSize: 20, total: requests.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          scroll={{ x: 900 }}
          columns={[
            {
              title: t('transfers.person'), key: 'person',
              render: (_: unknown, r) => (
                <Space orientation="vertical" size={0}>
                  {r.personId !== null ? <Link to={`/members/${r.personId}`}>{r.personName}</Link> : r.personName}
                  <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 12 }}>{r.idNumberMasked}</Typography.Text>
                </Space>
              ),
            },
            { title: t('transfers.from'), dataIndex: 'fromOrgName', render: (name: string | null) => name ?? <Typography.Text type="secondary">{t('people.anotherUnion')}</Typography.Text> },
            { title: t('transfers.into'), dataIndex: 'toOrgName' },
            { title: t('transfers.date'), dataIndex: 'date', render: (d: string) => formatDate(d) },
            { title: t('transfers.requestedAt'), dataIndex: 'requestedAt', render: (at: string) => formatDateTime(at) },
            {
              title: t('transfers.status'), dataIndex: 'status',
              render: (s: TransferRequest['status'], r) => (
                <Space orientation="vertical" size={0}>
                  <Tag color={STATUS_COLOR[s]}>{t(`transfers.status.${s}`)}</Tag>
                  {r.reason && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.reason}</Typography.Text>}
                </Space>
              ),
            },
            {
              title: t('grants.actions'), key: 'actions', width: 200,
              render: (_: unknown, r) => (
                <Space wrap>
                  {r.canDecide && (
                    <Popconfirm title={t('transfers.approveConfirm', { name: r.personName, org: r.toOrgName })} okText={t('transfers.approve')} cancelText={t('action.cancel')}
                      onConfirm={() => approve.mutate(r.id, { onError })}>
                      <Button size="small" type="primary">{t('transfers.approve')}</Button>
                    </Popconfirm>
                  )}
                  {r.canDecide && <Button size="small" danger onClick={() => setDeclining(r)}>{t('transfers.decline')}</Button>}
                  {r.canCancel && (
                    <Popconfirm title={t('transfers.cancelConfirm')} okText={t('transfers.cancel')} cancelText={t('action.cancel')} onConfirm={() => cancel.mutate(r.id, { onError })}>
                      <Button size="small">{t('transfers.cancel')}</Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      {creating && <NewRequestModal draft={draft} onClose={closeNew} onSent={() => { setFilter({ direction: 'outgoing', status: 'pending' }); setPage(1); }} />}
      {declining && <DeclineModal request={declining} onClose={() => setDeclining(null)} />}
    </Card>
  );
}
