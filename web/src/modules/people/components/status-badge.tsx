import { Badge } from 'antd';
import type { MembershipStatus } from '@workers-home/contract';
import { useT } from '../../../shared/i18n/locale.tsx';
import { STATUS_LABEL } from './people-labels.ts';

const BADGE: Record<MembershipStatus, 'success' | 'processing' | 'default'> = { active: 'success', transferred_out: 'processing', left: 'default' };

/** A membership status as a coloured dot and plain text (coloured tag texts miss WCAG contrast). */
export function StatusBadge({ status }: { status: MembershipStatus }) {
  const t = useT();
  return <Badge status={BADGE[status]} text={t(STATUS_LABEL[status])} />;
}
