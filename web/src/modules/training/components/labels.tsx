import { Tag } from 'antd';
import type { ClassStatus, CompletionStatus, EnrolmentMode, SessionKind } from '../types.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';

/** Tag colours whose text keeps WCAG AA contrast on their own background. */
const STATUS_COLOR: Record<ClassStatus, string> = { draft: 'default', open: 'blue', running: 'green', closed: 'default' };
const KIND_COLOR: Record<SessionKind, string> = {
  opening: 'red', lecture: 'blue', onsite_teaching: 'green', discussion: 'purple', policy: 'geekblue', live: 'magenta', closing: 'red',
};
const COMPLETION_COLOR: Record<CompletionStatus, string> = { completed: 'green', in_progress: 'blue', not_completed: 'red' };

export function ClassStatusTag({ status }: { status: ClassStatus }) {
  const t = useTrainingT();
  return <Tag color={STATUS_COLOR[status]}>{t(`status.${status}`)}</Tag>;
}

export function SessionKindTag({ kind }: { kind: SessionKind }) {
  const t = useTrainingT();
  return <Tag color={KIND_COLOR[kind]}>{t(`kind.${kind}`)}</Tag>;
}

export function ModeTag({ mode }: { mode: EnrolmentMode }) {
  const t = useTrainingT();
  return <Tag color={mode === 'live' ? 'magenta' : 'cyan'}>{t(`mode.${mode}`)}</Tag>;
}

export function CompletionTag({ status }: { status: CompletionStatus }) {
  const t = useTrainingT();
  return <Tag color={COMPLETION_COLOR[status]}>{t(`completion.${status}`)}</Tag>;
}

/** '2024-05-20' – '2024-05-24' as the reader writes dates. */
export function formatRange(formatDate: (iso: string) => string, from: string, to: string) {
  return from === to ? formatDate(from) : `${formatDate(from)} – ${formatDate(to)}`;
}

export const percent = (share: number) => `${Math.round(share * 100)}%`;
