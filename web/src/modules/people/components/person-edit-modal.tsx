import { useState } from 'react';
import { Alert, Form, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { PersonDetail } from '@workers-home/contract';
import { useT } from '../../../shared/i18n/locale.tsx';
import { showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { usePersonMutations, type PersonValues } from '../api.ts';
import { PERSON_FIELD_NAMES, PersonFormFields } from './person-form.tsx';

type FormValues = Omit<PersonValues, 'birthDate'> & { birthDate?: Dayjs | null };

const TEXT_FIELDS = ['name', 'gender', 'ethnicity', 'phone', 'politicalStatus', 'education', 'employer', 'employmentForm'] as const;

/** Edits a person's roster fields; only what changed is sent. */
export function PersonEditModal({ person, onClose }: { person: PersonDetail; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<FormValues>();
  const { update } = usePersonMutations();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);

  const submit = (values: FormValues) => {
    setOtherErrors([]);
    const changes: Partial<PersonValues> = {};
    for (const field of TEXT_FIELDS) {
      const value = typeof values[field] === 'string' ? values[field].trim() : values[field];
      if ((value ?? '') !== (person[field] ?? '') && value) (changes as Record<string, string>)[field] = value;
    }
    if (values.idNumber?.trim()) changes.idNumber = values.idNumber.trim();
    const birthDate = values.birthDate ? values.birthDate.format('YYYY-MM-DD') : undefined;
    if (birthDate && birthDate !== person.birthDate) changes.birthDate = birthDate;
    if (Object.keys(changes).length === 0) return onClose();
    update.mutate({ id: person.id, ...changes }, {
      onSuccess: onClose,
      onError: (error) => setOtherErrors(showServerErrors(form, error, t, PERSON_FIELD_NAMES)),
    });
  };

  return (
    <Modal
      open
      width={760}
      title={t('people.editTitle', { name: person.name })}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, person[f] ?? undefined])),
          birthDate: person.birthDate ? dayjs(person.birthDate) : null,
        }}
      >
        {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
        <PersonFormFields idNumberOptional idNumberPlaceholder={person.idNumberMasked} />
      </Form>
    </Modal>
  );
}
