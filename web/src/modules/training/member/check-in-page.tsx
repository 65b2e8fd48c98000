import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Flex, Form, Input, Result, Select, Typography } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { CHECKIN_OPENS_MINUTES_BEFORE } from '@workers-home/contract';
import { Link, useSearchParams } from 'react-router';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import type { Translate } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { clock } from '../components/timetable-tab.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { MyClass } from '../types.ts';
import { myClassesQuery, useCheckIn } from './api.ts';
import { QrScanner } from './qr-scanner.tsx';

/** A refused check-in says why, also when it is a 403 (not enrolled: its code says so). */
function checkInProblem(error: unknown, t: Translate): string {
  return problemText(error, t);
}

/**
 * Check in: scan the venue's QR code with the camera, or type its 6-digit code. Opened from the
 * QR code itself (/app/check-in?t=…, e.g. by the phone's own camera app), it checks in at once
 * (after signing in, when needed).
 */
export default function CheckInPage() {
  const { t: tc, formatDate } = useLocale();
  const t = useTrainingT();
  const [search, setSearch] = useSearchParams();
  const token = search.get('t');
  const checkIn = useCheckIn();
  const sent = useRef<string | null>(null);
  const [scanning, setScanning] = useState(false);
  const [cameraFailed, setCameraFailed] = useState(false);
  const classes = useQuery(myClassesQuery);
  const [now] = useState(() => Date.now());

  // Once per token (StrictMode runs effects twice in development).
  useEffect(() => {
    if (token && sent.current !== token) {
      sent.current = token;
      checkIn.mutate({ token });
    }
  }, [token, checkIn]);

  // Every on-site session whose check-in is open now (overlapping ones too) and each class's next one.
  const sessions = (classes.data ?? []).filter((c) => c.mode === 'onsite').flatMap((c) => c.checkinSessions.filter((s) => s.place))
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt)) satisfies MyClass['checkinSessions'];
  const openNow = sessions.find((s) => Date.parse(s.startsAt) - CHECKIN_OPENS_MINUTES_BEFORE * 60_000 <= now && now <= Date.parse(s.endsAt));
  const scanned = (found: string) => { setScanning(false); setSearch({ t: found }, { replace: true }); };

  if (checkIn.isSuccess) {
    return (
      <Card>
        <Result
          status="success"
          title={<span role="status" data-testid="check-in-result">{checkIn.data.created ? t('checkIn.success') : t('checkIn.again')}</span>}
          subTitle={t('checkIn.at', { topic: checkIn.data.topic, time: clock(checkIn.data.checkedInAt) })}
          extra={<Link to={`/training/classes/${checkIn.data.classId}`}>{t('my.timetable')}</Link>}
        />
      </Card>
    );
  }

  return (
    <Flex vertical gap={12}>
      {checkIn.isPending && <Alert type="info" showIcon title={t('checkIn.working')} />}
      {checkIn.error ? <Alert type="error" showIcon role="alert" data-testid="check-in-error" title={checkInProblem(checkIn.error, tc)} /> : null}
      <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('checkIn.scan')}</Typography.Title>}>
        {scanning ? (
          <>
            <QrScanner label={t('checkIn.scan')} onToken={scanned} onError={() => { setScanning(false); setCameraFailed(true); }} />
            <Button block style={{ marginTop: 8 }} onClick={() => setScanning(false)}>{t('checkIn.stopScan')}</Button>
          </>
        ) : (
          <Button type="primary" size="large" block icon={<CameraOutlined />} onClick={() => { setCameraFailed(false); checkIn.reset(); setScanning(true); }}>{t('checkIn.scan')}</Button>
        )}
        {cameraFailed && <Alert type="warning" showIcon title={t('checkIn.cameraFailed')} style={{ marginTop: 8 }} />}
      </Card>
      <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('checkIn.typeCode')}</Typography.Title>}>
        {classes.isSuccess && sessions.length === 0 ? (
          <Typography.Text type="secondary">{t('checkIn.noSessionToday')}</Typography.Text>
        ) : (
          <Form<{ sessionId: number; code: string }> layout="vertical" onFinish={(values) => checkIn.mutate({ sessionId: values.sessionId, code: values.code.trim() })}
            initialValues={{ sessionId: (openNow ?? sessions[0])?.id }} key={sessions.map((s) => s.id).join() /* a fresh form once the sessions are known */}>
            <Form.Item name="sessionId" label={t('checkIn.session')} rules={[{ required: true, message: tc('form.required') }]}>
              <Select options={sessions.map((s) => ({ value: s.id, label: `${formatDate(s.startsAt)} ${clock(s.startsAt)}–${clock(s.endsAt)} ${s.topic}` }))} />
            </Form.Item>
            <Form.Item name="code" label={t('checkIn.typeCode')} extra={t('checkIn.codeHelp')} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('checkIn.codeInvalid') }]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} size="large" style={{ letterSpacing: 6, fontSize: 22, fontVariantNumeric: 'tabular-nums' }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block size="large" loading={checkIn.isPending}>{t('checkIn.submit')}</Button>
          </Form>
        )}
      </Card>
    </Flex>
  );
}
