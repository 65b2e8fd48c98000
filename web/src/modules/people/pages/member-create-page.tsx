import { useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Divider, Form, Input, Row, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useNavigate, useSearchParams } from 'react-router';
import { useDayjsLocale } from '../../../shared/i18n/dayjs-locale.ts';
import { useLocale, useT } from '../../../shared/i18n/locale.tsx';
import { ApiError } from '../../../shared/api/client.ts';
import { showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { OrgSelect } from '../../orgs/index.ts';
import { usePersonMutations, type PersonValues } from '../api.ts';
import { PERSON_FIELD_NAMES, PersonFormFields } from '../components/person-form.tsx';
import type { TransferDraft } from './transfer-requests-page.tsx';

type FormValues = Omit<PersonValues, 'birthDate'> & {
  idNumber: string;
  birthDate?: Dayjs | null;
  membership: { orgId: number; joinedOn: Dayjs; cardNumber?: string };
};

const FIELDS = [...PERSON_FIELD_NAMES, 'membership.orgId', 'membership.joinedOn', 'membership.cardNumber'];

/** Adds a person to the roster with their first membership. */
export default function MemberCreatePage() {
  const t = useT();
  const { errorText } = useLocale();
  useDayjsLocale();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [form] = Form.useForm<FormValues>();
  const { create } = usePersonMutations();
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  // The ID number belongs to a member of another union: offer to ask for them instead.
  const [heldElsewhere, setHeldElsewhere] = useState<TransferDraft | null>(null);

  const submit = (values: FormValues) => {
    setOtherErrors([]);
    const trimmed = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? v.trim() || undefined : v]),
    ) as FormValues;
    create.mutate(
      {
        ...trimmed,
        birthDate: values.birthDate ? values.birthDate.format('YYYY-MM-DD') : undefined,
        membership: {
          orgId: values.membership.orgId,
          joinedOn: values.membership.joinedOn.format('YYYY-MM-DD'),
          cardNumber: values.membership.cardNumber?.trim() || undefined,
        },
      },
      {
        onSuccess: (person) => void navigate(`/members/${person.id}`),
        onError: (error) => {
          setOtherErrors(showServerErrors(form, error, t, FIELDS));
          const held = error instanceof ApiError && error.status === 409
            && error.problem?.errors?.some((e) => e.field === 'body.idNumber' && e.code === 'people.id_number.held_elsewhere');
          setHeldElsewhere(held ? { idNumber: values.idNumber.trim(), toOrgId: values.membership.orgId, date: values.membership.joinedOn.format('YYYY-MM-DD') } : null);
        },
      },
    );
  };

  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>{t('people.createTitle')}</Typography.Title>
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        style={{ maxWidth: 900 }}
        initialValues={{ gender: 'male', membership: { orgId: search.get('orgId') ? Number(search.get('orgId')) : undefined } }}
      >
        {otherErrors.length > 0 && <Alert type="error" showIcon title={otherErrors.join('; ')} style={{ marginBottom: 16 }} />}
        {heldElsewhere && (
          <Alert
            type="info" showIcon style={{ marginBottom: 16 }}
            title={errorText('people.id_number.held_elsewhere')}
            action={<Button size="small" onClick={() => void navigate('/members/transfers', { state: { transferDraft: heldElsewhere } })}>{t('transfers.askInstead')}</Button>}
          />
        )}
        <PersonFormFields />
        <Divider titlePlacement="start">{t('people.membership')}</Divider>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name={['membership', 'orgId']} label={t('people.field.union')} rules={[{ required: true, message: t('form.required') }]}>
              <OrgSelect level="grassroots" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name={['membership', 'joinedOn']} label={t('people.field.joinedOn')} rules={[{ required: true, message: t('form.required') }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name={['membership', 'cardNumber']} label={t('people.field.cardNumber')}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={create.isPending}>{t('action.save')}</Button>
          <Button onClick={() => void navigate(-1)}>{t('action.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
