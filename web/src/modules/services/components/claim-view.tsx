import type { ReactNode } from 'react';
import { Card, Flex, Grid, Steps, Tag, Timeline, Typography } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import type { Claim, ClaimDocument } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { EmptyBlock } from '../../../shared/ui/states.tsx';
import { LEVEL_LABEL } from '../../orgs/index.ts';
import { formatFen } from '../../../shared/money.ts';
import { useServicesT } from '../i18n/use-services-t.ts';
import { BenefitExplanationList } from './benefit-explanation.tsx';
import { ClaimStatusTag, documentKind, documentKinds } from './labels.tsx';
import './services.css';

const heading = (text: string) => <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{text}</Typography.Title>;

/** Label and value pairs in a grid (two columns on a phone); a `wide` one takes a whole row. */
export function Facts({ items }: { items: Array<[string, ReactNode] | [string, ReactNode, 'wide']> }) {
  return (
    <dl className="services-facts">
      {items.map(([label, value, wide]) => <div key={label} className={wide ? 'services-fact-wide' : undefined}><dt>{label}</dt><dd>{value}</dd></div>)}
    </dl>
  );
}

/** The claim's facts: who, which stay, what the rules give and what is approved. */
export function ClaimFacts({ claim, showMember }: { claim: Claim; showMember: boolean }) {
  const t = useServicesT();
  const { formatDate, formatDateTime } = useLocale();
  const items: Array<[string, ReactNode] | [string, ReactNode, 'wide']> = [
    ...(showMember ? [[t('claim.member'), claim.name], [t('claim.org'), claim.orgName]] as Array<[string, ReactNode]> : []),
    [t('claim.status'), <Flex key="s" gap={4} wrap><ClaimStatusTag status={claim.status} />{claim.appealed ? <Tag>{t('appealed')}</Tag> : null}</Flex>],
    [t('claim.plan'), claim.planName, 'wide'],
    [t('claim.hospital'), claim.hospital, 'wide'],
    [t('claim.stay'), t('claim.stayRange', { from: formatDate(claim.admittedOn), to: formatDate(claim.dischargedOn), days: claim.days }), 'wide'],
    [t('claim.diagnosis'), claim.diagnosis, 'wide'],
    [t('claim.bankName'), claim.bankName],
    [t('claim.bankAccount'), claim.bankAccount],
    [t('claim.submittedAt'), formatDateTime(claim.submittedAt), 'wide'],
    [t('claim.benefit'), <span key="b" className="services-money">{formatFen(claim.benefitFen)}</span>],
    [t('claim.approved'), <strong key="a" className="services-money" data-testid="approved-amount">{formatFen(claim.approvedFen)}</strong>],
  ];
  if (claim.status === 'in_review' && claim.waitingOrgName) items.splice(showMember ? 3 : 1, 0, [t('claim.waitingOrg'), t('waitingAt', { org: claim.waitingOrgName })]);
  if (claim.batchId !== null) items.push([t('batch.id'), t('claim.batch', { id: claim.batchId })]);
  return <Facts items={items} />;
}

/** The review chain: each level's organization and its decision. */
export function ReviewChain({ claim }: { claim: Claim }) {
  const t = useServicesT();
  const tc = useLocale().t;
  const vertical = Grid.useBreakpoint().md === false;
  const current = claim.chain.findIndex((step) => step.decision === 'pending');
  const status = (decision: Claim['chain'][number]['decision']) =>
    decision === 'reject' ? 'error' as const : decision === 'pending' ? 'process' as const : decision === 'skipped' ? 'wait' as const : 'finish' as const;
  return (
    <Steps
      size="small"
      orientation={vertical ? 'vertical' : 'horizontal'}
      current={current < 0 ? claim.chain.length : current}
      items={claim.chain.map((step) => ({
        title: step.orgName,
        description: `${tc(LEVEL_LABEL[step.level])} · ${t(`decision.${step.decision}`)}`,
        status: status(step.decision),
      }))}
    />
  );
}

/** What happened to the claim, oldest first, in China time. */
export function ClaimHistory({ claim }: { claim: Claim }) {
  const t = useServicesT();
  const { formatDateTime, locale } = useLocale();
  return (
    <Timeline
      items={claim.history.map((event) => ({
        key: `${event.at}-${event.action}`,
        content: (
          <div>
            <Typography.Text strong>{t(`event.${event.action}`)}</Typography.Text>
            {event.orgName ? <Typography.Text type="secondary"> · {event.orgName}</Typography.Text> : null}
            {event.actor ? <Typography.Text type="secondary"> · {event.actor}</Typography.Text> : null}
            <div><Typography.Text type="secondary" style={{ fontSize: 13 }}>{formatDateTime(event.at)}</Typography.Text></div>
            {event.amountFen !== null && event.action !== 'submit' ? <div>{t('event.amount', { amount: formatFen(event.amountFen) })}</div> : null}
            {event.missingDocuments?.length ? <div>{t('event.missing', { kinds: documentKinds(t, event.missingDocuments, locale) })}</div> : null}
            {event.reason ? <div style={{ overflowWrap: 'anywhere' }}>{event.reason}</div> : null}
          </div>
        ),
      }))}
    />
  );
}

/** One document, shown in the page: a photo as an image, a PDF in a frame (a link on a phone). */
function DocumentShown({ document, index }: { document: ClaimDocument; index: number }) {
  const t = useServicesT();
  const phone = Grid.useBreakpoint().md === false;
  const name = `${documentKind(t, document.kind)} ${index + 1}`;
  const size = `${Math.max(1, Math.round(document.bytes / 1024))} KB`;
  const pdf = document.mediaType === 'application/pdf';
  return (
    <figure className="services-document" style={{ margin: 0 }}>
      {pdf ? (phone
        ? <a href={document.url} target="_blank" rel="noreferrer"><FilePdfOutlined /> {t('claim.openDocument', { name })}</a>
        : <iframe src={document.url} title={name} />)
        : <a href={document.url} target="_blank" rel="noreferrer" aria-label={t('claim.openDocument', { name })}><img src={document.url} alt={name} loading="lazy" /></a>}
      {/* The name opens the document on its own (a browser without a PDF viewer shows the frame empty). */}
      <figcaption className="services-document-caption"><a href={document.url} target="_blank" rel="noreferrer">{name}</a><Typography.Text type="secondary">{size}</Typography.Text></figcaption>
    </figure>
  );
}

export function ClaimDocuments({ claim }: { claim: Claim }) {
  const t = useServicesT();
  if (!claim.documents.length) return <EmptyBlock description={t('claim.noDocuments')} />;
  // Numbered within their kind: 出院小结 1, 出院小结 2, 住院费用发票 1.
  const seen = new Map<string, number>();
  return (
    <div className="services-documents" data-testid="claim-documents">
      {claim.documents.map((document) => {
        const index = seen.get(document.kind) ?? 0;
        seen.set(document.kind, index + 1);
        return <DocumentShown key={document.id} document={document} index={index} />;
      })}
    </div>
  );
}

/** The whole claim as the member and the reviewers see it (the actions are the page's own). */
export function ClaimView({ claim, showMember, actions }: { claim: Claim; showMember: boolean; actions?: ReactNode }) {
  const t = useServicesT();
  return (
    <Flex vertical gap={12}>
      <Card title={heading(t('claim.title', { id: claim.id }))}>
        <ClaimFacts claim={claim} showMember={showMember} />
        {actions}
      </Card>
      <Card title={heading(t('claim.explanation'))}><BenefitExplanationList claim={claim} /></Card>
      <Card title={heading(t('claim.chain'))}><div data-testid="review-chain"><ReviewChain claim={claim} /></div></Card>
      <Card title={heading(t('claim.documents'))}><ClaimDocuments claim={claim} /></Card>
      <Card title={heading(t('claim.history'))}><ClaimHistory claim={claim} /></Card>
    </Flex>
  );
}
