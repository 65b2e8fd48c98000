import { Tag } from 'antd';
import type { AidPlanStatus, BatchStatus, ClaimDocumentKind, ClaimStatus } from '@workers-home/contract';
import { useServicesT, type ServicesTranslate } from '../i18n/use-services-t.ts';

export const CLAIM_STATUSES = ['in_review', 'returned', 'approved', 'rejected', 'in_batch', 'paid'] as const satisfies readonly ClaimStatus[];
export const BATCH_STATUSES = ['building', 'ready', 'paid', 'failed'] as const satisfies readonly BatchStatus[];

// Tag colours whose text keeps WCAG AA contrast on their own background.
const CLAIM_COLOR: Record<ClaimStatus, string> = { in_review: 'processing', returned: 'warning', approved: 'success', rejected: 'error', in_batch: 'cyan', paid: 'green' };
const PLAN_COLOR: Record<AidPlanStatus, string> = { upcoming: 'default', enrolling: 'blue', active: 'green', ended: 'default' };
const BATCH_COLOR: Record<BatchStatus, string> = { building: 'processing', ready: 'gold', paid: 'green', failed: 'error' };

export function ClaimStatusTag({ status }: { status: ClaimStatus }) {
  const t = useServicesT();
  return <Tag color={CLAIM_COLOR[status]} style={{ marginInlineEnd: 0 }}>{t(`status.${status}`)}</Tag>;
}

export function PlanStatusTag({ status }: { status: AidPlanStatus }) {
  const t = useServicesT();
  return <Tag color={PLAN_COLOR[status]}>{t(`planStatus.${status}`)}</Tag>;
}

export function BatchStatusTag({ status }: { status: BatchStatus }) {
  const t = useServicesT();
  return <Tag color={BATCH_COLOR[status]}>{t(`batch.status.${status}`)}</Tag>;
}

export const documentKind = (t: ServicesTranslate, kind: ClaimDocumentKind) => t(`doc.${kind}`);

/** Kinds as a list in the reader's language ("出院小结、住院费用发票" / "Discharge summary, Hospital invoice"). */
export const documentKinds = (t: ServicesTranslate, kinds: readonly ClaimDocumentKind[], locale: string) =>
  kinds.map((k) => documentKind(t, k)).join(locale === 'zh-CN' ? '、' : ', ');
