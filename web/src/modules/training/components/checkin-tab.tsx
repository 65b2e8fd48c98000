import { useState } from 'react';
import { Alert, App, Button, Flex, Input, Space, Table, Tag, Typography } from 'antd';
import { CheckOutlined, FullscreenOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { EmptyBlock, ErrorBlock, QueryView } from '../../../shared/ui/states.tsx';
import { attendanceQuery, enrolmentsQuery, sessionsQuery, useTrainingMutations } from '../api.ts';
import { ToneTag } from './labels.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { Enrolment, TrainingClassDetail, TrainingSession } from '../types.ts';
import { AttendanceImportModal } from './attendance-import-modal.tsx';
import { DownloadButton } from '../../../shared/ui/download-button.tsx';
import { currentSession, SessionPicker } from './session-picker.tsx';

/** Who is checked in to one session; organizers check people in by hand or undo a mistake. */
function ManualCheckin({ detail, session }: { detail: TrainingClassDetail; session: TrainingSession }) {
  const { t: tc, formatNumber, formatDateTime } = useLocale();
  const t = useTrainingT();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<number[]>([]);
  const [uploading, setUploading] = useState(false);
  // The trainees the session expects: on site where it has a place, live where it is streamed.
  const mode = session.place && session.streamUrl ? undefined : session.streamUrl ? 'live' as const : 'onsite' as const;
  const enrolments = useQuery(enrolmentsQuery(detail.id, { mode, q: q || undefined }, page, 50));
  const attendance = useQuery({ ...attendanceQuery(session.id), refetchInterval: 10_000 });
  const { checkIn, undoCheckIn, bulkCheckIn } = useTrainingMutations(detail.id);
  const present = new Map((attendance.data ?? []).map((a) => [a.enrolmentId, a]));
  const markSelected = () => bulkCheckIn.mutate({ sessionId: session.id, enrolmentIds: selected }, {
    onSuccess: (result) => { setSelected([]); void message.success(t('checkin.marked', { created: result.created, already: result.already })); },
    onError: (error) => void message.error(problemText(error, tc)),
  });

  if (enrolments.error) return <ErrorBlock error={enrolments.error} onRetry={() => void enrolments.refetch()} />;
  return (
    <div>
      <Flex justify="space-between" wrap gap={8} style={{ margin: '16px 0 8px' }}>
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('checkin.manual')}</Typography.Title>
        <Typography.Text strong data-testid="present-count">
          {t('checkin.presentCount', { present: formatNumber(attendance.data?.length ?? 0), total: formatNumber(enrolments.data?.total ?? 0) })}
        </Typography.Text>
      </Flex>
      <Flex gap={8} wrap style={{ marginBottom: 8 }}>
        <Input.Search aria-label={t('trainee.search')} placeholder={t('trainee.search')} allowClear onSearch={(v) => { setQ(v.trim()); setPage(1); }} style={{ width: '100%', maxWidth: 320 }} enterButton={tc('action.search')} />
        <Button type="primary" icon={<CheckOutlined />} disabled={selected.length === 0} loading={bulkCheckIn.isPending} onClick={markSelected}>
          {t('checkin.markSelected', { count: selected.length })}
        </Button>
        <Button icon={<UploadOutlined />} onClick={() => setUploading(true)}>{t('checkin.upload')}</Button>
        <DownloadButton path={`/training/sessions/${session.id}/attendance.xlsx`} fileName={`${detail.title} ${session.topic}.xlsx`} label={t('checkin.export')} />
      </Flex>
      {uploading && <AttendanceImportModal classId={detail.id} session={session} onClose={() => setUploading(false)} />}
      <div style={{ overflowX: 'auto' }}>
      <Table<Enrolment>
        rowKey="id"
        size="small"
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as number[]),
          getCheckboxProps: (e) => ({ disabled: present.has(e.id), 'aria-label': e.name }),
        }}
        aria-label={t('checkin.manual')}
        loading={enrolments.isFetching}
        dataSource={(enrolments.data?.items ?? []).filter((e) => e.status === 'enrolled')}
        locale={{ emptyText: enrolments.isPending ? ' ' : <EmptyBlock description={t('trainee.none')} /> }}
        pagination={{ current: page, pageSize: 50, total: enrolments.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        style={{ minWidth: 600 }}
        columns={[
          { key: 'name', title: t('trainee.name'), dataIndex: 'name', width: 140 },
          { key: 'org', title: t('trainee.org'), dataIndex: 'orgName' },
          {
            key: 'state', title: t('field.status'), width: 220,
            render: (_, e) => {
              const a = present.get(e.id);
              return a ? <Space size={4}><ToneTag color="green">{t('checkin.present')}</ToneTag><span className="wh-secondary">{t(`checkin.method.${a.method}`)} {formatDateTime(a.checkedInAt)}</span></Space> : <Tag>{t('checkin.absent')}</Tag>;
            },
          },
          {
            key: 'action', title: '', width: 110,
            render: (_, e) => present.has(e.id) ? (
              <Button size="small" onClick={() => undoCheckIn.mutate({ sessionId: session.id, enrolmentId: e.id }, { onError: (error) => void message.error(problemText(error, tc)) })}>{t('checkin.undo')}</Button>
            ) : (
              <Button size="small" type="primary" ghost onClick={() => checkIn.mutate({ sessionId: session.id, enrolmentId: e.id }, {
                onSuccess: () => void message.success(t('checkin.done', { name: e.name })),
                onError: (error) => void message.error(problemText(error, tc)),
              })}>{t('checkin.checkIn')}</Button>
            ),
          },
        ]}
      />
      </div>
    </div>
  );
}

/** Check-in: choose a session, show its rotating code full screen at the venue, check people in by hand. */
export function CheckinTab({ detail, canOrganize }: { detail: TrainingClassDetail; canOrganize: boolean }) {
  const t = useTrainingT();
  const sessions = useQuery(sessionsQuery(detail.id));
  const [chosen, setChosen] = useState<number | undefined>();
  return (
    <QueryView query={sessions} rows={6}>
      {(list) => {
        if (!list.length) return <EmptyBlock description={t('checkin.noSessions')} />;
        const session = list.find((s) => s.id === chosen) ?? currentSession(list)!;
        return (
          <div>
            <Flex gap={12} wrap align="center">
              <SessionPicker sessions={list} value={session.id} onChange={setChosen} />
              {canOrganize && session.place && (
                <Button type="primary" icon={<FullscreenOutlined />} href={`/training/classes/${detail.id}/check-in/${session.id}`} target="_blank" rel="noopener">
                  {t('checkin.display')}
                </Button>
              )}
            </Flex>
            {!session.place && <Alert type="info" showIcon title={t('checkin.liveOnly')} style={{ marginTop: 12 }} />}
            <ManualCheckin key={session.id} detail={detail} session={session} />
          </div>
        );
      }}
    </QueryView>
  );
}
