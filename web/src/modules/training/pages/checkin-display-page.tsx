import { useEffect, useState } from 'react';
import { Button, Flex, QRCode, Spin } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Navigate, useLocation, useParams } from 'react-router';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { ErrorBlock } from '../../../shared/ui/states.tsx';
import { useMe } from '../../auth/index.ts';
import { attendanceQuery, checkinCodeQuery, classQuery, sessionsQuery } from '../api.ts';
import { clock } from '../components/timetable-tab.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import './checkin-display.css';

/** Seconds until the code changes, ticking every second. */
function useCountdown(expiresAt: string | undefined) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return expiresAt ? Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000)) : 0;
}

/**
 * The venue's screen: the session's rotating QR code (the server's check-in URL, which the
 * phone's own camera app opens too) and the 6-digit typed code, renewed when it expires.
 */
export default function CheckinDisplayPage() {
  const { t: tc, formatNumber } = useLocale();
  const t = useTrainingT();
  const location = useLocation();
  const classId = Number(useParams().classId);
  const sessionId = Number(useParams().sessionId);
  const me = useMe();
  const signedIn = !!me.data;
  const detail = useQuery({ ...classQuery(classId), enabled: signedIn });
  const sessions = useQuery({ ...sessionsQuery(classId), enabled: signedIn });
  const code = useQuery({
    ...checkinCodeQuery(sessionId),
    enabled: signedIn,
    // A new code just after this one expires; never later than one period.
    refetchInterval: (query) => {
      const data = query.state.data;
      if (!data) return 5000;
      return Math.min(data.periodSeconds * 1000, Math.max(1000, Date.parse(data.expiresAt) - Date.now() + 300));
    },
    refetchIntervalInBackground: true,
  });
  const attendance = useQuery({ ...attendanceQuery(sessionId), enabled: signedIn, refetchInterval: 5000 });
  const seconds = useCountdown(code.data?.expiresAt);
  const [size, setSize] = useState(() => Math.min(window.innerWidth * 0.45, window.innerHeight * 0.62));
  useEffect(() => {
    const resize = () => setSize(Math.min(window.innerWidth * 0.45, window.innerHeight * 0.62));
    window.addEventListener('resize', resize);
    return () => window.removeEventListener('resize', resize);
  }, []);

  if (me.isPending) return <Flex className="wh-display" align="center" justify="center"><Spin size="large" aria-label={tc('state.loading')} /></Flex>;
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  const session = sessions.data?.find((s) => s.id === sessionId);

  return (
    <main className="wh-display">
      <header className="wh-display-head">
        <div className="wh-display-class">{detail.data?.title ?? ''}</div>
        <h1 className="wh-display-topic">
          {session ? `${t(`kind.${session.kind}`)} · ${session.topic}` : ''}
        </h1>
        {session && <div className="wh-display-time">{clock(session.startsAt)}–{clock(session.endsAt)}{session.place ? ` · ${session.place}` : ''}</div>}
      </header>
      {code.error ? (
        <div style={{ maxWidth: 640, margin: '48px auto' }}><ErrorBlock error={code.error} onRetry={() => void code.refetch()} /></div>
      ) : (
        <Flex className="wh-display-body" align="center" justify="center" gap={64} wrap>
          <div className="wh-display-qr" data-testid="checkin-qr">
            {code.data ? (
              <QRCode value={code.data.url} size={Math.round(size)} errorLevel="M" bordered={false} bgColor="#ffffff" color="#000000" type="canvas" aria-label={t('checkIn.scan')} />
            ) : <div style={{ width: size, height: size }} aria-busy="true" />}
          </div>
          <div className="wh-display-side">
            <div className="wh-display-label">{t('checkin.code')}</div>
            <div className="wh-display-code" data-testid="checkin-code" aria-live="polite">{code.data?.code.replace(/(\d{3})(\d{3})/, '$1 $2') ?? '······'}</div>
            <div className="wh-display-countdown" role="timer">{t('checkin.refreshIn', { seconds })}</div>
            <div className="wh-display-count" data-testid="display-present">{t('checkin.present')} {formatNumber(attendance.data?.length ?? 0)}</div>
            <p className="wh-display-hint">{t('checkin.scanHint')}</p>
            <Button onClick={() => window.close()} size="large" ghost>{t('checkin.close')}</Button>
          </div>
        </Flex>
      )}
    </main>
  );
}
