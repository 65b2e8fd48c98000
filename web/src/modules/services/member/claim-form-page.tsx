import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Select, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { CLAIM_DOCUMENT_KINDS, type ClaimDocumentKind, type FieldError } from '@workers-home/contract';
import { ApiError } from '../../../shared/api/client.ts';
import { chinaToday } from '../../../shared/i18n/china-time.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { fieldErrorText, showServerErrors } from '../../../shared/i18n/server-messages.ts';
import { EmptyBlock, QueryView } from '../../../shared/ui/states.tsx';
import { DocumentUploader, missingKinds, useDocumentUploads } from '../components/document-uploader.tsx';
import { documentKinds } from '../components/labels.tsx';
import { useServicesT, type ServicesTranslate } from '../i18n/use-services-t.ts';
import { myCoverageQuery, newRequestKey, useFileClaim } from './api.ts';
import { DateField } from '../components/date-field.tsx';

const FIELDS = ['planId', 'hospital', 'admittedOn', 'dischargedOn', 'diagnosis', 'bankName', 'bankAccount'];
interface Values { planId: number; hospital: string; admittedOn: string; dischargedOn: string; diagnosis: string; bankName: string; bankAccount: string }

/** The missing kinds of a documents error in words ('discharge_summary,invoice' → '出院小结、住院费用发票'). */
function withKindNames(error: FieldError, t: ServicesTranslate, locale: string): FieldError {
  const kinds = error.params?.kinds;
  if (typeof kinds !== 'string') return error;
  const codes = kinds.split(/[,、，]\s*/).filter((k): k is ClaimDocumentKind => (CLAIM_DOCUMENT_KINDS as readonly string[]).includes(k));
  return codes.length ? { ...error, params: { ...error.params, kinds: documentKinds(t, codes, locale) } } : error;
}

/** Filing a claim from the phone: the stay, the bank account and photos of the documents the plan requires. */
export default function ClaimFormPage() {
  const t = useServicesT();
  const coverage = useQuery(myCoverageQuery);
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('my.newClaim')}</Typography.Title>}>
      <QueryView query={coverage} rows={8}>
        {(list) => {
          const covered = list.filter((c) => c.state === 'covered');
          return covered.length ? <ClaimForm coverage={covered} /> : <EmptyBlock description={t('my.notCovered')} />;
        }}
      </QueryView>
    </Card>
  );
}

function ClaimForm({ coverage }: { coverage: Array<{ planId: number; planName: string; rules: { requiredDocuments: ClaimDocumentKind[] } }> }) {
  const t = useServicesT();
  const { t: tc } = useLocale();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const file = useFileClaim();
  const uploads = useDocumentUploads();
  // One key per form: a double tap or a retry after a lost answer files one claim.
  const [requestKey] = useState(newRequestKey);
  const [errors, setErrors] = useState<string[]>([]);
  const [documentsError, setDocumentsError] = useState<string>();
  const planId = Form.useWatch('planId', form) ?? coverage[0]!.planId;
  const required = coverage.find((c) => c.planId === planId)?.rules.requiredDocuments ?? [];
  const kinds = [...required, ...CLAIM_DOCUMENT_KINDS.filter((k) => !required.includes(k) && k === 'other')];
  const missing = missingKinds(required, uploads);
  const today = chinaToday();

  const submit = async (values: Values) => {
    setErrors([]);
    setDocumentsError(undefined);
    try {
      const claim = await file.mutateAsync({ ...values, planId, requestKey, documents: uploads.documents });
      void navigate(`/services/claims/${claim.id}`, { replace: true, state: { filed: true } });
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
    }
  };

  const requiredRule = (label: string) => [{ required: true, whitespace: true, message: label }];
  return (
    <Form<Values> form={form} layout="vertical" initialValues={{ planId: coverage[0]!.planId }} onFinish={(v) => void submit(v)} scrollToFirstError>
      {coverage.length > 1 ? (
        <Form.Item name="planId" label={t('my.chooseCoverage')}>
          <Select aria-label={t('my.chooseCoverage')} options={coverage.map((c) => ({ value: c.planId, label: c.planName }))} />
        </Form.Item>
      ) : <Form.Item name="planId" hidden><Input /></Form.Item>}
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
      <Button type="primary" htmlType="submit" block size="large" loading={file.isPending} disabled={file.isPending || uploads.uploading || missing.length > 0}>
        {t('my.submit')}
      </Button>
    </Form>
  );
}
