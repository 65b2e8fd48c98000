import { useState } from 'react';
import { Alert, DatePicker, Form, Input, Modal } from 'antd';
import type { Dayjs } from 'dayjs';
import type { CadrePosition, PersonDetail } from '@workers-home/contract';
import { useDayjsLocale } from '../../../shared/i18n/dayjs-locale.ts';
import { useT } from '../../../shared/i18n/locale.tsx';
import { renameErrorFields, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { OrgSelect } from '../../orgs/index.ts';
import { useCadreMutations } from '../api.ts';

interface Values {
  orgId?: number;
  title?: string;
  date: Dayjs;
}

/**
 * Appoint a person to a union position (the organization may be at any level: a county
 * federation's vice chairman, a grassroots union's chair), or end a position they hold.
 */
export function CadrePositionModal({ person, ending, onClose }: { person: PersonDetail; ending?: CadrePosition; onClose: () => void }) {
  const t = useT();
  useDayjsLocale();
  const [form] = Form.useForm<Values>();
  const { appoint, end } = useCadreMutations(person.id);
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const fields = ['orgId', 'title', 'date'];

  const submit = (values: Values) => {
    setOtherErrors([]);
    const date = values.date.format('YYYY-MM-DD');
    const onError = (error: unknown) => setOtherErrors(showServerErrors(form, renameErrorFields(error, { 'body.since': 'body.date', 'body.until': 'body.date' }), t, fields));
    if (ending) end.mutate({ id: ending.id, until: date }, { onSuccess: onClose, onError });
    else appoint.mutate({ personId: person.id, orgId: values.orgId!, title: values.title!.trim(), since: date }, { onSuccess: onClose, onError });
  };

  return (
    <Modal
      open
      title={ending ? t('people.position.endTitle', { title: ending.title, org: ending.orgName }) : t('people.position.appointTitle', { name: person.name })}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={appoint.isPending || end.isPending}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit}>
        {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
        {!ending && (
          <>
            <Form.Item name="orgId" label={t('people.field.org')} rules={[{ required: true, message: t('form.required') }]}>
              <OrgSelect />
            </Form.Item>
            <Form.Item name="title" label={t('people.field.title')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
              <Input maxLength={50} placeholder={t('people.position.titlePlaceholder')} />
            </Form.Item>
          </>
        )}
        <Form.Item name="date" label={t(ending ? 'people.field.until' : 'people.field.since')} rules={[{ required: true, message: t('form.required') }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
