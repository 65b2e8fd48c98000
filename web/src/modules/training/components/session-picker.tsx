import { Select } from 'antd';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { TrainingSession } from '../types.ts';
import { clock } from './timetable-tab.tsx';

/** The session running now, else the next one, else the last. */
export function currentSession(sessions: TrainingSession[], now = Date.now()): TrainingSession | undefined {
  const sorted = [...sessions].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  return sorted.find((s) => Date.parse(s.endsAt) > now) ?? sorted.at(-1);
}

export function SessionPicker({ sessions, value, onChange }: { sessions: TrainingSession[]; value: number | undefined; onChange: (id: number) => void }) {
  const { formatDate } = useLocale();
  const t = useTrainingT();
  return (
    <Select<number>
      aria-label={t('checkin.session')}
      value={value}
      onChange={onChange}
      style={{ minWidth: 'min(360px, 100%)', maxWidth: '100%' }}
      options={[...sessions].sort((a, b) => a.startsAt.localeCompare(b.startsAt)).map((s) => ({
        value: s.id,
        label: `${formatDate(s.startsAt)} ${clock(s.startsAt)} · ${t(`kind.${s.kind}`)} · ${s.topic}`,
      }))}
    />
  );
}
