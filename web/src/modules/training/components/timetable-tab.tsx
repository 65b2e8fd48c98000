import { useState } from 'react';
import { Alert, App, Button, Flex, List, Popconfirm, Space, Tooltip, Typography } from 'antd';
import { DeleteOutlined, DownloadOutlined, EditOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { chinaClock, chinaDay } from '../../../shared/i18n/china-time.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { EmptyBlock, QueryView } from '../../../shared/ui/states.tsx';
import { download } from '../../../shared/api/download.ts';
import { sessionsQuery, useTrainingMutations } from '../api.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { TrainingClassDetail, TrainingSession } from '../types.ts';
import { SessionKindTag, ToneTag } from './labels.tsx';
import { SessionFormModal } from './session-form-modal.tsx';

/** A session's time of day, on China's clock whatever the browser's zone. */
export const clock = (iso: string) => chinaClock(iso);

/** Groups sessions by their calendar day in China, in time order. */
export function byDay<S extends { startsAt: string }>(sessions: S[]): Array<[string, S[]]> {
  const days = new Map<string, S[]>();
  for (const s of [...sessions].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))) days.set(chinaDay(s.startsAt), [...(days.get(chinaDay(s.startsAt)) ?? []), s]);
  return [...days];
}

export function SpeakerLine({ session }: { session: Pick<TrainingSession, 'speakers'> }) {
  const t = useTrainingT();
  if (!session.speakers.length) return null;
  return (
    <div>
      {session.speakers.map((s, i) => (
        <Typography.Text key={i} type="secondary" style={{ marginRight: 12 }}>
          {s.presiding ? <ToneTag color="gold">{t('session.presiding')}</ToneTag> : null}
          {s.name}{s.title ? `（${s.title}${s.org ? `，${s.org}` : ''}）` : s.org ? `（${s.org}）` : ''}
        </Typography.Text>
      ))}
    </div>
  );
}

/** The timetable by day, with kind, speakers, place or stream, overlap warnings; organizers add and edit. */
export function TimetableTab({ detail, canOrganize }: { detail: TrainingClassDetail; canOrganize: boolean }) {
  const { t: tc, formatDate } = useLocale();
  const t = useTrainingT();
  const { message } = App.useApp();
  const sessions = useQuery(sessionsQuery(detail.id));
  const { deleteSession } = useTrainingMutations(detail.id);
  const [editing, setEditing] = useState<TrainingSession | null>(null);
  const [open, setOpen] = useState(false);
  const [downloading, setDownloading] = useState(false);

  const ics = async () => {
    setDownloading(true);
    try {
      await download(`/training/classes/${detail.id}/timetable.ics`, `${detail.title}.ics`);
    } catch (error) {
      void message.error(problemText(error, tc));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div>
      <Flex justify="end" gap={8} style={{ marginBottom: 12 }}>
        <Button icon={<DownloadOutlined />} onClick={() => void ics()} loading={downloading} disabled={!sessions.data?.length}>{t('session.downloadIcs')}</Button>
        {canOrganize && <Button type="primary" icon={<PlusOutlined />} onClick={() => { setEditing(null); setOpen(true); }}>{t('session.add')}</Button>}
      </Flex>
      <QueryView query={sessions} rows={6}>
        {(list) => {
          if (!list.length) return <EmptyBlock description={t('session.noSessions')} />;
          const topics = new Map(list.map((s) => [s.id, s.topic]));
          const overlapping = list.filter((s) => s.overlapsWith?.length).length;
          return (
            <>
              {overlapping > 0 && <Alert type="warning" showIcon title={t('session.overlap')} style={{ marginBottom: 12 }} />}
              {byDay(list).map(([date, items]) => (
                <section key={date} aria-label={formatDate(date)} style={{ marginBottom: 16 }}>
                  <Typography.Title level={2} style={{ fontSize: 15, margin: '8px 0' }}>{formatDate(date)}</Typography.Title>
                  <List
                    bordered
                    dataSource={items}
                    renderItem={(s) => (
                      <List.Item
                        data-testid="session-row"
                        actions={canOrganize ? [
                          <Button key="edit" type="text" size="small" icon={<EditOutlined />} aria-label={`${t('session.edit')} ${s.topic}`} onClick={() => { setEditing(s); setOpen(true); }} />,
                          <Popconfirm key="delete" title={t('session.deleteConfirm')} onConfirm={() => deleteSession.mutate(s.id, { onError: (error) => void message.error(problemText(error, tc)) })}>
                            <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={`${t('session.delete')} ${s.topic}`} />
                          </Popconfirm>,
                        ] : []}
                      >
                        <Flex gap={16} align="start" style={{ width: '100%' }}>
                          <Typography.Text strong style={{ width: 110, flex: 'none', fontVariantNumeric: 'tabular-nums' }}>{clock(s.startsAt)}–{clock(s.endsAt)}</Typography.Text>
                          <div style={{ flex: 1, minWidth: 0 }}>
                            <Space wrap size={4}>
                              <SessionKindTag kind={s.kind} />
                              <Typography.Text strong>{s.topic}</Typography.Text>
                              {s.overlapsWith?.length ? (
                                <Tooltip title={s.overlapsWith.map((id) => t('session.overlapWith', { topic: topics.get(id) ?? `#${id}` })).join('; ')}>
                                  <Typography.Text style={{ color: "#ad4e00" }} data-testid="overlap-warning"><WarningOutlined /> {t('session.overlap')}</Typography.Text>
                                </Tooltip>
                              ) : null}
                            </Space>
                            <SpeakerLine session={s} />
                            <div>
                              <Typography.Text type="secondary">
                                {[s.place, s.streamUrl ? `${t('session.stream')}: ${s.streamUrl}` : null].filter(Boolean).join(' · ')}
                              </Typography.Text>
                            </div>
                          </div>
                        </Flex>
                      </List.Item>
                    )}
                  />
                </section>
              ))}
            </>
          );
        }}
      </QueryView>
      {canOrganize && open && <SessionFormModal detail={detail} session={editing} open onClose={() => setOpen(false)} />}
    </div>
  );
}
