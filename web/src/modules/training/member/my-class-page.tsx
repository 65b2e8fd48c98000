import { useState } from 'react';
import { Button, Card, Descriptions, Flex, List, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { EmptyBlock, QueryView } from '../../../shared/ui/states.tsx';
import { CompletionTag, formatRange, ModeTag, percent, SessionKindTag, ToneTag } from '../components/labels.tsx';
import { byDay, clock, SpeakerLine } from '../components/timetable-tab.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import { myClassQuery } from './api.ts';
import { CompetencyCard } from './competency-card.tsx';

const heading = (text: string) => <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{text}</Typography.Title>;

/** One of my classes: the timetable with my attendance per session, live sessions to join, my completion. */
export default function MyClassPage() {
  const { formatDate, formatNumber } = useLocale();
  const [now] = useState(() => new Date().toISOString());
  const t = useTrainingT();
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const detail = useQuery(myClassQuery(id));
  return (
    <QueryView query={detail} rows={10}>
      {(c) => (
        <Flex vertical gap={12}>
          <Card>
            <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>{c.title}</Typography.Title>
            <ModeTag mode={c.mode} />
            <div><Typography.Text type="secondary">{formatRange(formatDate, c.startsOn, c.endsOn)}{c.venue ? ` · ${c.venue}` : ''}</Typography.Text></div>
          </Card>
          <Card title={heading(t('my.completion'))}>
            <Descriptions column={1} size="small" items={[
              { key: 'status', label: t('progress.status'), children: <CompletionTag status={c.completion.status} /> },
              { key: 'attendance', label: t('progress.attendance'), children: `${t('my.attendanceLine', { attended: c.attendance.attended, expected: c.attendance.expected, share: percent(c.attendance.expected ? c.attendance.attended / c.attendance.expected : 0) })} · ${t('my.needed', { value: percent(c.completion.minAttendanceShare) })}` },
              ...(c.completion.minOnlineMinutes > 0 || c.completion.onlineMinutes > 0 ? [{ key: 'online', label: t('progress.online'), children: `${formatNumber(Math.floor(c.completion.onlineMinutes))} · ${t('my.needed', { value: formatNumber(c.completion.minOnlineMinutes) })}` }] : []),
              ...(c.completion.minAssessmentScore !== null ? [{ key: 'assessment', label: t('progress.assessment'), children: `${c.completion.assessmentScore === null ? '—' : formatNumber(c.completion.assessmentScore)} · ${t('my.needed', { value: formatNumber(c.completion.minAssessmentScore) })}` }] : []),
              ...(c.classHours !== null ? [{ key: 'hours', label: t('field.classHours'), children: formatNumber(c.classHours) }] : []),
            ]} />
          </Card>
          {c.competencyModel && <CompetencyCard detail={c} />}
          <Card title={heading(t('my.timetable'))}>
            {c.sessions.length === 0 ? <EmptyBlock description={t('session.noSessions')} /> : byDay(c.sessions).map(([day, items]) => (
              <section key={day} aria-label={formatDate(day)}>
                <Typography.Title level={3} style={{ fontSize: 14, margin: '8px 0 0' }}>{formatDate(day)}</Typography.Title>
                <List
                  dataSource={items}
                  renderItem={(s) => {
                    const live = c.mode === 'live' && !!s.streamUrl;
                    return (
                      <List.Item data-testid="my-session">
                        <div style={{ width: '100%' }}>
                          <Flex justify="space-between" gap={8}>
                            <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums' }}>{clock(s.startsAt)}–{clock(s.endsAt)}</Typography.Text>
                            {s.attended ? <ToneTag color="green">{t('my.attended')}</ToneTag> : s.expected ? <Tag>{t('my.notAttended')}</Tag> : null}
                          </Flex>
                          <div><SessionKindTag kind={s.kind} /> <Typography.Text>{s.topic}</Typography.Text></div>
                          <SpeakerLine session={s} />
                          {s.place && c.mode === 'onsite' && <Typography.Text type="secondary" style={{ fontSize: 13 }}>{s.place}</Typography.Text>}
                          {s.method && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`checkin.method.${s.method}`)}</Typography.Text></div>}
                          {c.mode === 'live' && s.liveSeconds > 0 && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('my.liveSent', { minutes: Math.floor(s.liveSeconds / 60) })}</Typography.Text></div>}
                          {live && s.endsAt > now && (
                            <Button size="small" type="primary" style={{ marginTop: 4 }} onClick={() => void navigate(`/training/sessions/${s.id}/live?classId=${c.classId}`)}>{t('my.joinLive')}</Button>
                          )}
                        </div>
                      </List.Item>
                    );
                  }}
                />
              </section>
            ))}
          </Card>
          <Link to="/training">{t('my.back')}</Link>
        </Flex>
      )}
    </QueryView>
  );
}
