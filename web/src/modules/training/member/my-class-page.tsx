import { Button, Card, Descriptions, Flex, List, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { EmptyBlock, QueryView } from '../../../shared/ui/states.tsx';
import { CompletionTag, formatRange, ModeTag, percent, SessionKindTag } from '../components/labels.tsx';
import { byDay, clock, SpeakerLine } from '../components/timetable-tab.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import { myClassQuery } from './api.ts';

const heading = (text: string) => <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{text}</Typography.Title>;

/** One of my classes: the timetable with my attendance per session, live sessions to join, my completion. */
export default function MyClassPage() {
  const { formatDate, formatDateTime, formatNumber } = useLocale();
  const t = useTrainingT();
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const detail = useQuery(myClassQuery(id));
  return (
    <QueryView query={detail} rows={10}>
      {({ class: c, mode, sessions, completion }) => (
        <Flex vertical gap={12}>
          <Card>
            <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>{c.title}</Typography.Title>
            <ModeTag mode={mode} />
            <div><Typography.Text type="secondary">{formatRange(formatDate, c.startsOn, c.endsOn)}{c.venue ? ` · ${c.venue}` : ''}</Typography.Text></div>
          </Card>
          {completion && (
            <Card title={heading(t('my.completion'))}>
              <Descriptions column={1} size="small" items={[
                { key: 'status', label: t('progress.status'), children: <CompletionTag status={completion.status} /> },
                { key: 'attendance', label: t('progress.attendance'), children: t('my.attendanceLine', { attended: completion.sessionsAttended, expected: completion.sessionsExpected, share: percent(Number(completion.attendanceShare)) }) },
                { key: 'online', label: t('my.courses'), children: t('my.onlineLine', { minutes: formatNumber(Math.floor(Number(completion.onlineMinutes))) }) },
                ...(completion.assessmentScore !== null ? [{ key: 'score', label: t('progress.assessment'), children: String(completion.assessmentScore) }] : []),
              ]} />
            </Card>
          )}
          <Card title={heading(t('my.timetable'))}>
            {sessions.length === 0 ? <EmptyBlock description={t('session.noSessions')} /> : byDay(sessions).map(([day, items]) => (
              <section key={day} aria-label={formatDate(day)}>
                <Typography.Title level={3} style={{ fontSize: 14, margin: '8px 0 0' }}>{formatDate(day)}</Typography.Title>
                <List
                  dataSource={items}
                  renderItem={(s) => {
                    const session = sessions.find((x) => x.id === s.id)!;
                    const live = mode === 'live' && !!s.streamUrl;
                    return (
                      <List.Item data-testid="my-session">
                        <div style={{ width: '100%' }}>
                          <Flex justify="space-between" gap={8}>
                            <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums' }}>{clock(s.startsAt)}–{clock(s.endsAt)}</Typography.Text>
                            {session.attendance ? <Tag color="green">{t('my.attended')}</Tag> : <Tag>{t('my.notAttended')}</Tag>}
                          </Flex>
                          <div><SessionKindTag kind={s.kind} /> <Typography.Text>{s.topic}</Typography.Text></div>
                          <SpeakerLine session={s} />
                          {s.place && mode === 'onsite' && <Typography.Text type="secondary" style={{ fontSize: 13 }}>{s.place}</Typography.Text>}
                          {session.attendance && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`checkin.method.${session.attendance.method}`)} · {formatDateTime(session.attendance.checkedInAt)}</Typography.Text></div>}
                          {live && Date.parse(s.endsAt) > Date.now() && (
                            <Button size="small" type="primary" style={{ marginTop: 4 }} onClick={() => void navigate(`/training/sessions/${s.id}/live?classId=${c.id}`)}>{t('my.joinLive')}</Button>
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
