import { useState } from 'react';
import { Alert, DatePicker, Form, Input, Modal } from 'antd';
import type { Dayjs } from 'dayjs';
import type { PersonDetail } from '@workers-home/contract';
import { useDayjsLocale } from '../../../shared/i18n/dayjs-locale.ts';
import { useT } from '../../../shared/i18n/locale.tsx';
import { renameErrorFields, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { OrgSelect } from '../../orgs/index.ts';
import { usePersonMutations } from '../api.ts';

export type MembershipAction = 'transfer' | 'leave' | 'join';

interface Values {
  orgId?: number;
  date: Dayjs;
  note?: string;
  cardNumber?: string;
}

/** Transfer to another union, leave the union, or join again; history is kept by the server. */
export function MembershipActionModal({ person, action, onClose }: { person: PersonDetail; action: MembershipAction; onClose: () => void }) {
  const t = useT();
  useDayjsLocale();
  const [form] = Form.useForm<Values>();
  const mutations = usePersonMutations();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  // The server names the union and the date differently per action; the form has one field for each.
  const toForm = (error: unknown) =>
    setOtherErrors(showServerErrors(form, renameErrorFields(error, { 'body.toOrgId': 'body.orgId', 'body.joinedOn': 'body.date' }), t, ['orgId', 'date', 'note', 'cardNumber']));

  const submit = (values: Values) => {
    setOtherErrors([]);
    const date = values.date.format('YYYY-MM-DD');
    const note = values.note?.trim() || undefined;
    const cardNumber = values.cardNumber?.trim() || undefined;
    const done = { onSuccess: onClose, onError: toForm };
    if (action === 'transfer') mutations.transfer.mutate({ id: person.id, toOrgId: values.orgId!, date, note, cardNumber }, done);
    if (action === 'leave') mutations.leave.mutate({ id: person.id, date, note }, done);
    if (action === 'join') mutations.join.mutate({ id: person.id, orgId: values.orgId!, joinedOn: date, cardNumber }, done);
  };
  const pending = mutations.transfer.isPending || mutations.leave.isPending || mutations.join.isPending;

  return (
    <Modal
      open
      title={t(`people.action.${action}`)}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={pending}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit}>
        {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
        {action !== 'leave' && (
          <Form.Item name="orgId" label={t('people.field.union')} rules={[{ required: true, message: t('form.required') }]}>
            <OrgSelect level="grassroots" />
          </Form.Item>
        )}
        <Form.Item name="date" label={t(action === 'join' ? 'people.field.joinedOn' : 'people.field.date')} rules={[{ required: true, message: t('form.required') }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        {action !== 'leave' && (
          <Form.Item name="cardNumber" label={t('people.field.cardNumber')}>
            <Input />
          </Form.Item>
        )}
        {action !== 'join' && (
          <Form.Item name="note" label={t('people.field.note')}>
            <Input.TextArea rows={2} maxLength={200} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
