import { useState, type ReactNode } from 'react';
import { Alert, Button, Form, Input, Select } from 'antd';
import { CLAIM_DOCUMENT_KINDS, type Claim, type ClaimCreate, type ClaimDocumentKind, type FieldError } from '@workers-home/contract';
import { ApiError } from '../../../shared/api/client.ts';
import { chinaToday } from '../../../shared/i18n/china-time.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { fieldErrorText, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { useServicesT, type ServicesTranslate } from '../i18n/use-services-t.ts';
import { DateField } from './date-field.tsx';
import { DocumentUploader, missingKinds, useDocumentUploads } from './document-uploader.tsx';
import { documentKinds } from './labels.tsx';

const FIELDS = ['planId', 'personId', 'hospital', 'admittedOn', 'dischargedOn', 'diagnosis', 'bankName', 'bankAccount'];
interface Values { planId: number; personId?: number; hospital: string; admittedOn: string; dischargedOn: string; diagnosis: string; bankName: string; bankAccount: string }

/** A plan a claim may be filed under, with the documents it requires. */
export interface ClaimablePlan { planId: number; label: string; requiredDocuments: ClaimDocumentKind[] }

/** A key for one claim form: sending it again (a double-click, a retry) answers the claim already filed. */
export function newRequestKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; a union's intranet address over plain HTTP has none.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The missing kinds of a documents error in words ('discharge_summary,invoice' → '出院小结、住院费用发票'). */
function withKindNames(error: FieldError, t: ServicesTranslate, locale: string): FieldError {
  const kinds = error.params?.kinds;
  if (typeof kinds !== 'string') return error;
  const codes = kinds.split(/[,、，]\s*/).filter((k): k is ClaimDocumentKind => (CLAIM_DOCUMENT_KINDS as readonly string[]).includes(k));
  return codes.length ? { ...error, params: { ...error.params, kinds: documentKinds(t, codes, locale) } } : error;
}

/**
 * The claim form of the member app and of staff filing for a member: the stay, the bank account
 * and the documents the plan requires (uploaded as picked). `before`: fields above the stay (the member, for staff).
 */
export function ClaimForm({ plans, before, send, onFiled, submitLabel }: {
  plans: ClaimablePlan[];
  before?: ReactNode;
  send: (input: ClaimCreate) => Promise<Claim>;
  onFiled: (claim: Claim) => void;
  submitLabel: string;
}) {
  const t = useServicesT();
  const { t: tc } = useLocale();
  const [form] = Form.useForm<Values>();
  const [sending, setSending] = useState(false);
  const uploads = useDocumentUploads();
  // One key per form: a double tap or a retry after a lost answer files one claim.
  const [requestKey] = useState(newRequestKey);
  const [errors, setErrors] = useState<string[]>([]);
  const [documentsError, setDocumentsError] = useState<string>();
  const planId = Form.useWatch('planId', form) ?? plans[0]!.planId;
  const required = plans.find((p) => p.planId === planId)?.requiredDocuments ?? [];
  const kinds = [...required, ...CLAIM_DOCUMENT_KINDS.filter((k) => !required.includes(k) && k === 'other')];
  const missing = missingKinds(required, uploads);
  const today = chinaToday();

  const submit = async (values: Values) => {
    setErrors([]);
    setDocumentsError(undefined);
    setSending(true);
    try {
      onFiled(await send({ ...values, planId, requestKey, documents: uploads.documents }));
    } catch (error) {
      // The documents' errors ('body.documents', 'body.documents.0.id') go under the documents.
      if (error instanceof ApiError) {
        const documents = error.fieldErrors.filter((f) => f.field.startsWith('body.documents'));
        if (documents.length && error.problem) {
          setDocumentsError(documents.map((f) => fieldErrorText(withKindNames(f, t, tc.locale), tc)).join('; '));
          error.problem.errors = error.fieldErrors.filter((f) => !f.field.startsWith('body.documents'));
          if (!error.fieldErrors.length) return;
        }
      }
      setErrors(showServerErrors(form, error, tc, FIELDS));
    } finally {
      setSending(false);
    }
  };

  const requiredRule = (label: string) => [{ required: true, whitespace: true, message: label }];
  return (
    <Form<Values> form={form} layout="vertical" initialValues={{ planId: plans[0]!.planId }} onFinish={(v) => void submit(v)} scrollToFirstError>
      {plans.length > 1 ? (
        <Form.Item name="planId" label={t('my.chooseCoverage')}>
          <Select aria-label={t('my.chooseCoverage')} options={plans.map((p) => ({ value: p.planId, label: p.label }))} />
        </Form.Item>
      ) : <Form.Item name="planId" hidden><Input /></Form.Item>}
      {before}
      <Form.Item name="hospital" label={t('claim.hospital')} rules={requiredRule(t('claim.hospital'))}><Input maxLength={80} /></Form.Item>
      <Form.Item name="admittedOn" label={t('claim.admittedOn')} rules={requiredRule(t('claim.admittedOn'))}>
        <DateField max={today} />
      </Form.Item>
      <Form.Item
        name="dischargedOn"
        label={t('claim.dischargedOn')}
        dependencies={['admittedOn']}
        rules={[...requiredRule(t('claim.dischargedOn')), ({ getFieldValue }) => ({
          validator: (_, value: string | undefined) => (!value || !getFieldValue('admittedOn') || value >= (getFieldValue('admittedOn') as string)
            ? Promise.resolve() : Promise.reject(new Error(t('claim.dischargeOrder')))),
        })]}
      >
        <DateField max={today} />
      </Form.Item>
      <Form.Item name="diagnosis" label={t('claim.diagnosis')} rules={requiredRule(t('claim.diagnosis'))}><Input.TextArea maxLength={200} autoSize={{ minRows: 2 }} /></Form.Item>
      <Form.Item name="bankName" label={t('claim.bankName')} rules={requiredRule(t('claim.bankName'))}><Input maxLength={40} /></Form.Item>
      <Form.Item name="bankAccount" label={t('claim.bankAccount')} extra={t('claim.bankAccountHint')} rules={requiredRule(t('claim.bankAccount'))}>
        <Input inputMode="numeric" autoComplete="off" maxLength={40} />
      </Form.Item>
      <Form.Item label={t('claim.documents')} required={required.length > 0}>
        <DocumentUploader uploads={uploads} kinds={kinds} required={required} error={documentsError} />
      </Form.Item>
      {errors.map((e) => <Alert key={e} type="error" showIcon role="alert" title={e} style={{ marginBottom: 12 }} />)}
      <Button type="primary" htmlType="submit" block size="large" loading={sending} disabled={sending || uploads.uploading || missing.length > 0}>
        {submitLabel}
      </Button>
    </Form>
  );
}
