import type { MembershipStatus } from '@workers-home/contract';
import { useT } from '../../../shared/i18n/locale.tsx';
import { STATUS_LABEL } from './people-labels.ts';
import './status-badge.css';

/** A membership status as a coloured dot and plain text (coloured tag texts miss WCAG contrast). */
export function StatusBadge({ status }: { status: MembershipStatus }) {
  const t = useT();
  return (
    <span className="wh-status">
      <span className={`wh-status-dot wh-status-${status}`} aria-hidden />
      {t(STATUS_LABEL[status])}
    </span>
  );
}
