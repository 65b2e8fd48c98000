import { Alert, Card, Flex, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { QueryView } from '../../../shared/ui/states.tsx';
import { SessionKindTag } from '../components/labels.tsx';
import { clock, SpeakerLine } from '../components/timetable-tab.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { PresenceResult } from '../types.ts';
import { myClassQuery } from './api.ts';
import { EmbeddedContent } from './embedded-content.tsx';
import { useHeartbeat } from './use-heartbeat.ts';

/** A live session: the stream played in the page, and presence heartbeats sent while this page is shown. */
export default function LivePage() {
  const { t: tc, formatDate } = useLocale();
  const t = useTrainingT();
  const sessionId = Number(useParams().id);
  const [search] = useSearchParams();
  const classId = Number(search.get('classId'));
  const detail = useQuery({ ...myClassQuery(classId), enabled: classId > 0 });
  const presence = useHeartbeat<PresenceResult>(`/my/training/sessions/${sessionId}/presence`);
  return (
    <QueryView query={detail} rows={6}>
      {(c) => {
        const s = c.sessions.find((x) => x.id === sessionId);
        if (!s) return <Alert type="info" showIcon title={tc('error.notFound')} />;
        return (
          <Flex vertical gap={12}>
            <Card>
              <Typography.Text type="secondary">{c.title}</Typography.Text>
              <Typography.Title level={2} style={{ fontSize: 18, margin: '4px 0' }}>{s.topic}</Typography.Title>
              <SessionKindTag kind={s.kind} /> <Typography.Text>{formatDate(s.startsAt)} {clock(s.startsAt)}–{clock(s.endsAt)}</Typography.Text>
              <SpeakerLine session={s} />
              {s.streamUrl && <EmbeddedContent url={s.streamUrl} title={s.topic} kind="stream" />}
            </Card>
            <Alert type="info" showIcon title={t('my.liveHint')} description={presence.counting ? t('my.studying') : t('my.paused')} />
            {presence.last && <Alert type={presence.last.present ? 'success' : 'info'} showIcon title={t('my.liveSent', { minutes: Math.floor(presence.last.seconds / 60) })} description={presence.last.present ? t('my.livePresent') : undefined} role="status" />}
            {presence.error ? <Alert type="warning" showIcon title={problemText(presence.error, tc)} /> : null}
            <Link to={`/training/classes/${c.classId}`}>{t('my.back')}</Link>
          </Flex>
        );
      }}
    </QueryView>
  );
}
