import { useState } from 'react';
import { Alert, DatePicker, Form, Input, Modal, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { ApiError } from '../../../shared/api/client.ts';
import { useDayjsLocale } from '../../../shared/i18n/dayjs-locale.ts';
import { useT } from '../../../shared/i18n/locale.tsx';
import { renameErrorFields, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { OrgSelect } from '../../orgs/index.ts';
import { usePersonMutations } from '../api.ts';

interface Values {
  orgId?: number;
  date: Dayjs;
  note?: string;
}

/**
 * Transfers the selected members to one union, or records that they left: one request, all of
 * them or none. A refusal names the member it stopped at; nobody is changed then.
 */
export function BulkActionModal({ people, action, onClose }: {
  people: Array<{ personId: number; name: string }>;
  action: 'transfer' | 'leave';
  onClose: (done: boolean) => void;
}) {
  const t = useT();
  useDayjsLocale();
  const [form] = Form.useForm<Values>();
  const { bulkTransfer, bulkLeave } = usePersonMutations();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [stoppedAt, setStoppedAt] = useState<string | null>(null);

  const submit = (values: Values) => {
    setOtherErrors([]);
    setStoppedAt(null);
    const personIds = people.map((p) => p.personId);
    const date = values.date.format('YYYY-MM-DD');
    const note = values.note?.trim() || undefined;
    const done = {
      onSuccess: () => onClose(true),
      onError: (error: unknown) => {
        const person = error instanceof ApiError ? (error.problem as { person?: { name: string } } | null)?.person : undefined;
        setStoppedAt(person?.name ?? null);
        setOtherErrors(showServerErrors(form, renameErrorFields(error, { 'body.toOrgId': 'body.orgId' }), t, ['orgId', 'date', 'note']));
      },
    };
    if (action === 'transfer') bulkTransfer.mutate({ personIds, toOrgId: values.orgId!, date, note }, done);
    else bulkLeave.mutate({ personIds, date, note }, done);
  };

  return (
    <Modal
      open
      title={t(action === 'transfer' ? 'people.bulk.transferTitle' : 'people.bulk.leaveTitle', { count: people.length })}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      confirmLoading={bulkTransfer.isPending || bulkLeave.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{people.map((p) => p.name).join('、')}</Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" onFinish={submit}>
        {stoppedAt && <Alert type="error" showIcon title={t('people.bulk.stoppedAt', { name: stoppedAt })} style={{ marginBottom: 16 }} />}
        {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
        {action === 'transfer' && (
          <Form.Item name="orgId" label={t('transfers.into')} rules={[{ required: true, message: t('form.required') }]}>
            <OrgSelect level="grassroots" />
          </Form.Item>
        )}
        <Form.Item name="date" label={t('people.field.date')} rules={[{ required: true, message: t('form.required') }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={t('people.field.note')}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
