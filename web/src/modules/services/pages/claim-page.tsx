import { useEffect, useState } from 'react';
import { Alert, App, Button, Checkbox, Flex, Form, Input, Modal } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { CLAIM_DOCUMENT_KINDS, type Claim, type ClaimDocumentKind, type ReviewAction } from '@workers-home/contract';
import { ApiError } from '../../../shared/api/client.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { QueryView } from '../../../shared/ui/states.tsx';
import { claimQuery, useReview } from '../api.ts';
import { ClaimView } from '../components/claim-view.tsx';
import { YuanInput, yuanRule } from '../components/money-input.tsx';
import { useServicesT } from '../i18n/use-services-t.ts';
import { formatFen, parseYuan } from '../../../shared/money.ts';

type Dialog = 'adjust' | 'return' | 'reject' | null;

/** A claim as its reviewers see it, with the decisions the caller may take now. */
export default function ClaimPage() {
  const id = Number(useParams().id);
  const t = useServicesT();
  // Arriving from a long form (filing, the queue), the claim is read from its top.
  useEffect(() => { window.scrollTo(0, 0); }, [id]);
  const claim = useQuery(claimQuery(id));
  return (
    <Flex vertical gap={12}>
      <Link to="/services/claims"><ArrowLeftOutlined /> {t('claim.back')}</Link>
      <QueryView query={claim} rows={12}>
        {(c) => <ClaimView claim={c} showMember actions={c.can.review ? <ReviewActions claim={c} /> : null} />}
      </QueryView>
    </Flex>
  );
}

function ReviewActions({ claim }: { claim: Claim }) {
  const t = useServicesT();
  const { t: tc } = useLocale();
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const review = useReview(claim.id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<string>();

  const act = async (input: ReviewAction) => {
    setError(undefined);
    try {
      await review.mutateAsync(input);
      setDialog(null);
      void message.success(t('review.done'));
    } catch (e) {
      // Someone else decided first: show the claim as it is now, and say so.
      if (e instanceof ApiError && e.status === 409) {
        setDialog(null);
        await client.invalidateQueries({ queryKey: ['services', 'claim', claim.id] });
        void message.warning(t('review.stale'));
        return;
      }
      // The server words the largest amount in fen; the form speaks yuan.
      if (e instanceof ApiError && e.fieldErrors.some((f) => f.code === 'services.claim.above_benefit')) {
        setError(t('review.amountHint', { max: formatFen(claim.explanation.benefitFen) }));
        return;
      }
      setError(problemText(e, tc));
    }
  };

  const approve = () => modal.confirm({
    title: t('review.approve'),
    content: t('review.confirmApprove', { amount: formatFen(claim.approvedFen) }),
    okText: t('review.approve'),
    onOk: () => { void act({ action: 'approve', version: claim.version }); },
  });

  return (
    <div style={{ marginTop: 16 }}>
      {error && dialog === null ? <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} /> : null}
      <Flex gap={8} wrap>
        <Button type="primary" onClick={() => { approve(); }} loading={review.isPending && dialog === null}>{t('review.approve')}</Button>
        <Button onClick={() => { setError(undefined); setDialog('adjust'); }}>{t('review.adjust')}</Button>
        <Button onClick={() => { setError(undefined); setDialog('return'); }}>{t('review.return')}</Button>
        <Button danger onClick={() => { setError(undefined); setDialog('reject'); }}>{t('review.reject')}</Button>
      </Flex>
      {dialog === 'adjust' ? <AdjustDialog claim={claim} busy={review.isPending} error={error} onClose={() => { setDialog(null); setError(undefined); }} onSubmit={act} /> : null}
      {dialog === 'return' ? <ReturnDialog claim={claim} busy={review.isPending} error={error} onClose={() => { setDialog(null); setError(undefined); }} onSubmit={act} /> : null}
      {dialog === 'reject' ? <RejectDialog claim={claim} busy={review.isPending} error={error} onClose={() => { setDialog(null); setError(undefined); }} onSubmit={act} /> : null}
    </div>
  );
}

interface DialogProps { claim: Claim; busy: boolean; error: string | undefined; onClose: () => void; onSubmit: (input: ReviewAction) => Promise<void> }

function AdjustDialog({ claim, busy, error, onClose, onSubmit }: DialogProps) {
  const t = useServicesT();
  const [form] = Form.useForm<{ amount: string; reason: string }>();
  const max = claim.explanation.benefitFen;
  return (
    <Modal open title={t('review.adjust')} okText={t('review.adjust')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={busy}>
      <Form form={form} layout="vertical" onFinish={(v) => void onSubmit({ action: 'adjust', version: claim.version, amountFen: parseYuan(v.amount) ?? 0, reason: v.reason.trim() })}>
        <Form.Item name="amount" label={t('review.amount')} extra={t('review.amountHint', { max: formatFen(max) })}
          rules={[yuanRule(t), { validator: (_, v: string | undefined) => ((parseYuan(v ?? '') ?? 0) <= max ? Promise.resolve() : Promise.reject(new Error(t('review.amountHint', { max: formatFen(max) })))) }]}>
          <YuanInput />
        </Form.Item>
        <Form.Item name="reason" label={t('review.reason')} rules={[{ required: true, whitespace: true, message: t('review.reason') }]}><Input.TextArea maxLength={300} autoSize={{ minRows: 2 }} /></Form.Item>
        {error ? <Alert type="error" showIcon role="alert" title={error} /> : null}
      </Form>
    </Modal>
  );
}

function ReturnDialog({ claim, busy, error, onClose, onSubmit }: DialogProps) {
  const t = useServicesT();
  const [form] = Form.useForm<{ missing: ClaimDocumentKind[]; reason?: string }>();
  return (
    <Modal open title={t('review.return')} okText={t('review.return')} onOk={() => form.submit()} onCancel={onClose} confirmLoading={busy}>
      <Form form={form} layout="vertical" onFinish={(v) => void onSubmit({ action: 'return', version: claim.version, missingDocuments: v.missing, ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) })}>
        <Form.Item name="missing" label={t('review.missing')} rules={[{ required: true, message: t('review.missing') }]}>
          <Checkbox.Group options={CLAIM_DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`doc.${k}`) }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('review.reason')}><Input.TextArea maxLength={300} autoSize={{ minRows: 2 }} /></Form.Item>
        {error ? <Alert type="error" showIcon role="alert" title={error} /> : null}
      </Form>
    </Modal>
  );
}

function RejectDialog({ claim, busy, error, onClose, onSubmit }: DialogProps) {
  const t = useServicesT();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal open title={t('review.reject')} okText={t('review.reject')} okButtonProps={{ danger: true }} onOk={() => form.submit()} onCancel={onClose} confirmLoading={busy}>
      <Form form={form} layout="vertical" onFinish={(v) => void onSubmit({ action: 'reject', version: claim.version, reason: v.reason.trim() })}>
        <Form.Item name="reason" label={t('review.reason')} rules={[{ required: true, whitespace: true, message: t('review.reason') }]}><Input.TextArea maxLength={300} autoSize={{ minRows: 2 }} /></Form.Item>
        {error ? <Alert type="error" showIcon role="alert" title={error} /> : null}
      </Form>
    </Modal>
  );
}
