import type { CSSProperties, ReactNode } from 'react';
import { Tag } from 'antd';
import type { ClassStatus, CompletionStatus, EnrolmentMode, SessionKind } from '../types.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';

/**
 * antd's green and cyan tags read at about 3.4:1; these keep their look with darker text
 * (WCAG AA, 4.5:1). The other colours used here pass as antd draws them.
 */
const TONES: Record<string, CSSProperties> = {
  green: { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' },
  cyan: { color: '#00474f', background: '#e6fffb', borderColor: '#87e8de' },
};

/** A tag in one of antd's colours, with readable text. */
export function ToneTag({ color, children }: { color: string; children: ReactNode }) {
  const tone = TONES[color];
  return tone ? <Tag style={tone}>{children}</Tag> : <Tag color={color}>{children}</Tag>;
}

/** Tag colours whose text keeps WCAG AA contrast on their own background. */
const STATUS_COLOR: Record<ClassStatus, string> = { draft: 'default', open: 'blue', running: 'green', closed: 'default' };
const KIND_COLOR: Record<SessionKind, string> = {
  opening: 'red', lecture: 'blue', onsite_teaching: 'green', discussion: 'purple', policy: 'geekblue', live: 'magenta', closing: 'red',
};
const COMPLETION_COLOR: Record<CompletionStatus, string> = { completed: 'green', in_progress: 'blue', not_completed: 'red' };

export function ClassStatusTag({ status }: { status: ClassStatus }) {
  const t = useTrainingT();
  return <ToneTag color={STATUS_COLOR[status]}>{t(`status.${status}`)}</ToneTag>;
}

export function SessionKindTag({ kind }: { kind: SessionKind }) {
  const t = useTrainingT();
  return <ToneTag color={KIND_COLOR[kind]}>{t(`kind.${kind}`)}</ToneTag>;
}

export function ModeTag({ mode }: { mode: EnrolmentMode }) {
  const t = useTrainingT();
  return <ToneTag color={mode === 'live' ? 'magenta' : 'cyan'}>{t(`mode.${mode}`)}</ToneTag>;
}

export function CompletionTag({ status }: { status: CompletionStatus }) {
  const t = useTrainingT();
  return <ToneTag color={COMPLETION_COLOR[status]}>{t(`completion.${status}`)}</ToneTag>;
}

/** '2024-05-20' – '2024-05-24' as the reader writes dates. */
export function formatRange(formatDate: (iso: string) => string, from: string, to: string) {
  return from === to ? formatDate(from) : `${formatDate(from)} – ${formatDate(to)}`;
}

export const percent = (share: number) => `${Math.round(share * 100)}%`;
