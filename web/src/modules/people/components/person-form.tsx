import { DatePicker, Form, Input, Radio, Row, Col } from 'antd';
import dayjs from 'dayjs';
import { birthDateFromNationalId, CODED_FIELDS, genderFromNationalId, nationalIdProblem, normalizeNationalId, PersonFields } from '@workers-home/contract';
import { useDayjsLocale } from '../../../shared/i18n/dayjs-locale.ts';
import { useT } from '../../../shared/i18n/locale.tsx';
import { schemaRule } from '../../../shared/ui/form-rules.ts';
import { CodeListSelect } from './code-list-select.tsx';

/** The names of the person fields, as the server names them in its errors ('body.<name>'). */
export const PERSON_FIELD_NAMES = ['name', 'gender', 'ethnicity', 'birthDate', 'idNumber', 'phone', 'politicalStatus', 'education', 'employer', 'employmentForm'];


/**
 * The roster fields (GLOSSARY.md, 会员实名制), checked with the contract's own schemas
 * before sending; the server checks again and its errors land on the same fields.
 * `idNumberOptional`: when editing, an empty ID number means "keep the current one".
 */
export function PersonFormFields({ idNumberOptional = false, idNumberPlaceholder }: { idNumberOptional?: boolean; idNumberPlaceholder?: string }) {
  const t = useT();
  useDayjsLocale();
  const form = Form.useFormInstance();
  const shape = PersonFields.shape;
  // A valid ID number says the gender and the birth date: fill them in as soon as one is typed.
  const fillFromIdNumber = (typed: string) => {
    const value = normalizeNationalId(typed);
    if (value.length !== 18 || nationalIdProblem(value)) return;
    form.setFieldsValue({ gender: genderFromNationalId(value), birthDate: dayjs(birthDateFromNationalId(value)) });
    void form.validateFields(['gender', 'birthDate']).catch(() => undefined);
  };
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item name="name" label={t('people.field.name')} required rules={[schemaRule(shape.name, t)]}>
          <Input autoComplete="off" />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="gender" label={t('people.field.gender')} rules={[{ required: true, message: t('form.required') }]}>
          <Radio.Group options={[{ value: 'male', label: t('gender.male') }, { value: 'female', label: t('gender.female') }]} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item
          name="idNumber"
          label={t('people.field.idNumber')}
          extra={idNumberOptional ? t('people.idNumberKeep') : undefined}
          rules={[schemaRule(shape.idNumber, t, { optional: idNumberOptional }), ...(idNumberOptional ? [] : [{ required: true, message: t('form.required') }])]}
        >
          <Input autoComplete="off" maxLength={18} placeholder={idNumberPlaceholder} style={{ fontFamily: 'monospace' }} onChange={(e) => fillFromIdNumber(e.target.value)} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="birthDate" label={t('people.field.birthDate')} extra={t('people.birthDateFromId')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="phone" label={t('people.field.phone')} rules={[schemaRule(shape.phone, t, { optional: true })]}>
          <Input inputMode="tel" maxLength={11} autoComplete="off" />
        </Form.Item>
      </Col>
      {CODED_FIELDS.map((field) => (
        <Col xs={24} md={12} key={field}>
          <Form.Item name={field} label={t(`people.field.${field}`)}>
            <CodeListSelect field={field} />
          </Form.Item>
        </Col>
      ))}
      <Col xs={24} md={12}>
        <Form.Item name="employer" label={t('people.field.employer')} rules={[schemaRule(shape.employer, t, { optional: true })]}>
          <Input />
        </Form.Item>
      </Col>
    </Row>
  );
}
