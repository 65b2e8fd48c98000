import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Flex, Input, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { Claim } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { QueryView } from '../../../shared/ui/states.tsx';
import { ClaimView } from '../components/claim-view.tsx';
import { DocumentUploader, missingKinds, useDocumentUploads } from '../components/document-uploader.tsx';
import { documentKinds } from '../components/labels.tsx';
import { useServicesT } from '../i18n/use-services-t.ts';
import { formatFen } from '../../../shared/money.ts';
import { myClaimQuery, useClaimStep } from './api.ts';

/** One of my claims: where it is, the benefit explained, and what I can do (add documents, appeal once). */
export default function MyClaimPage() {
  const id = Number(useParams().id);
  const t = useServicesT();
  // Arriving from a long form (filing, the queue), the claim is read from its top.
  useEffect(() => { window.scrollTo(0, 0); }, [id]);
  const claim = useQuery(myClaimQuery(id));
  return (
    <Flex vertical gap={12}>
      <Link to="/services"><ArrowLeftOutlined /> {t('my.claims')}</Link>
      <QueryView query={claim} rows={10}>
        {(c) => <ClaimView claim={c} showMember={false} actions={<MemberActions claim={c} />} />}
      </QueryView>
    </Flex>
  );
}

function MemberActions({ claim }: { claim: Claim }) {
  const t = useServicesT();
  const { locale } = useLocale();
  const lastDecision = [...claim.history].reverse().find((e) => e.action === 'reject' || e.action === 'adjust' || e.action === 'return');
  const notes: Array<{ type: 'info' | 'success' | 'warning' | 'error'; text: string; description?: string | undefined }> = [];
  const reason = lastDecision?.reason ? t('my.reasonNote', { reason: lastDecision.reason }) : undefined;
  if (claim.status === 'returned') notes.push({ type: 'warning', text: t('my.returned', { kinds: documentKinds(t, claim.missingDocuments, locale) }), description: lastDecision?.reason ? t('my.returnedReason', { reason: lastDecision.reason }) : undefined });
  if (claim.status === 'rejected') notes.push({ type: 'error', text: t('my.rejectedNote'), description: reason });
  if (claim.status === 'approved' || claim.status === 'in_batch') {
    notes.push({ type: 'success', text: t('my.approvedNote'), description: claim.approvedFen !== claim.benefitFen ? [t('my.adjustedNote', { amount: formatFen(claim.approvedFen) }), reason].filter(Boolean).join(' ') : undefined });
  }
  if (claim.status === 'paid') notes.push({ type: 'success', text: t('my.paidNote') });
  return (
    <Flex vertical gap={12} style={{ marginTop: 12 }}>
      {notes.map((n) => <Alert key={n.text} type={n.type} showIcon title={n.text} description={n.description} data-testid="claim-note" />)}
      {claim.can.resubmit ? <Resubmit claim={claim} /> : null}
      {claim.can.appeal ? <Appeal claim={claim} /> : null}
    </Flex>
  );
}

function Resubmit({ claim }: { claim: Claim }) {
  const t = useServicesT();
  const { t: tc } = useLocale();
  const { message } = App.useApp();
  const uploads = useDocumentUploads();
  const step = useClaimStep(claim.id);
  const [error, setError] = useState<string>();
  const missing = missingKinds(claim.missingDocuments, uploads);
  const send = () => step.mutate({ step: 'resubmit', version: claim.version, documents: uploads.documents }, {
    onSuccess: () => void message.success(t('my.resubmitted')),
    onError: (e) => setError(problemText(e, tc)),
  });
  return (
    <Card size="small" title={t('my.resubmit')}>
      <DocumentUploader uploads={uploads} kinds={claim.missingDocuments} required={claim.missingDocuments} error={error} />
      <Button type="primary" block style={{ marginTop: 12 }} loading={step.isPending} disabled={step.isPending || uploads.uploading || missing.length > 0} onClick={send}>
        {t('my.resubmit')}
      </Button>
    </Card>
  );
}

function Appeal({ claim }: { claim: Claim }) {
  const t = useServicesT();
  const { t: tc } = useLocale();
  const { message } = App.useApp();
  const step = useClaimStep(claim.id);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const send = () => step.mutate({ step: 'appeal', version: claim.version, reason: reason.trim() }, {
    onSuccess: () => void message.success(t('my.appealed')),
    onError: (e) => setError(problemText(e, tc)),
  });
  return (
    <Card size="small" title={t('my.appeal')}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>{t('my.appealHint')}</Typography.Paragraph>
      <Input.TextArea aria-label={t('my.appealReason')} placeholder={t('my.appealReason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} autoSize={{ minRows: 3 }} />
      {error ? <Alert type="error" showIcon role="alert" title={error} style={{ marginTop: 8 }} /> : null}
      <Button block style={{ marginTop: 12 }} loading={step.isPending} disabled={!reason.trim() || step.isPending} onClick={send}>{t('my.appeal')}</Button>
    </Card>
  );
}
