import { useState } from 'react';
import { Flex, InputNumber, Progress, Select, Table, Tooltip, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client.ts';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { EmptyBlock, ErrorBlock } from '../../../shared/ui/states.tsx';
import { progressQuery } from '../api.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { CompletionStatus, TraineeProgress, TrainingClassDetail } from '../types.ts';
import { DownloadButton } from '../../../shared/ui/download-button.tsx';
import { CompletionTag, ModeTag, percent } from './labels.tsx';

/** Per trainee: sessions attended of those expected, online minutes, assessment, completion. */
export function ProgressTab({ detail }: { detail: TrainingClassDetail }) {
  const { formatNumber } = useLocale();
  const t = useTrainingT();
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<CompletionStatus | undefined>();
  const progress = useQuery(progressQuery(detail.id, { status }, page));
  if (progress.error) return <ErrorBlock error={progress.error} onRetry={() => void progress.refetch()} />;
  return (
    <div>
      <Flex justify="space-between" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">
          {t('section.rules')}{': '}{t('overview.rules', { share: percent(Number(detail.minAttendanceShare)), minutes: detail.minOnlineMinutes })}
          {detail.minAssessmentScore !== null ? t('overview.assessment', { score: detail.minAssessmentScore }) : ''}
        </Typography.Text>
        <Flex gap={8} wrap>
        <DownloadButton path={`/training/classes/${detail.id}/progress.xlsx`} fileName={`${detail.title} ${t('tab.progress')}.xlsx`} label={t('progress.export')} />
        <Select
          aria-label={t('progress.status')}
          value={status ?? 'all'}
          onChange={(v) => { setStatus(v === 'all' ? undefined : (v as CompletionStatus)); setPage(1); }}
          style={{ width: 140 }}
          options={[{ value: 'all', label: t('progress.allStatuses') }, ...(['completed', 'in_progress', 'not_completed'] as const).map((s) => ({ value: s, label: t(`completion.${s}`) }))]}
        />
        </Flex>
      </Flex>
      <Table<TraineeProgress>
        rowKey="enrolmentId"
        size="middle"
        aria-label={t('tab.progress')}
        loading={progress.isFetching}
        dataSource={progress.data?.items ?? []}
        locale={{ emptyText: progress.isPending ? ' ' : <EmptyBlock description={t('progress.none')} /> }}
        scroll={{ x: 900 }}
        pagination={{ current: page, pageSize: 20, total: progress.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (total) => t('totalPeople', { count: total }) }}
        columns={[
          { key: 'name', title: t('trainee.name'), dataIndex: 'name', width: 120 },
          { key: 'org', title: t('trainee.org'), dataIndex: 'orgName' },
          { key: 'mode', title: t('trainee.mode'), width: 130, render: (_, r) => <ModeTag mode={r.mode} /> },
          { key: 'attendance', title: t('progress.attendance'), width: 200, render: (_, r) => (
            <Flex gap={8} align="center">
              <span style={{ fontVariantNumeric: 'tabular-nums' }}>{r.sessionsAttended}/{r.sessionsExpected}</span>
              <Progress percent={Math.round(Number(r.attendanceShare) * 100)} size="small" style={{ width: 110, margin: 0 }} aria-label={t('progress.share')} />
            </Flex>
          ) },
          { key: 'online', title: t('progress.online'), width: 130, render: (_, r) => formatNumber(Math.round(Number(r.onlineMinutes))) },
          { key: 'assessment', title: t('progress.assessment'), width: 120, render: (_, r) => (detail.owned ? <AssessmentCell classId={detail.id} row={r} /> : r.assessmentScore ?? '—') },
          { key: 'status', title: t('progress.status'), width: 110, render: (_, r) => <CompletionTag status={r.status} /> },
        ]}
      />
    </div>
  );
}

/** The organizer records a trainee's assessment score (0–100, one decimal); saved when the field is left. */
function AssessmentCell({ classId, row }: { classId: number; row: TraineeProgress }) {
  const t = useTrainingT();
  const { t: sharedT } = useLocale();
  const client = useQueryClient();
  const [value, setValue] = useState<number | null>(row.assessmentScore);
  const save = useMutation({
    mutationFn: (score: number | null) => api(`/training/enrolments/${row.enrolmentId}/assessment`, { method: 'PUT', body: { score } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['training', 'class', classId] }),
  });
  const commit = () => { if (value !== row.assessmentScore) save.mutate(value); };
  return (
    <Tooltip open={save.isError ? undefined : false} title={save.error ? problemText(save.error, sharedT) : ''}>
      <InputNumber
        size="small" min={0} max={100} step={0.5} precision={1} style={{ width: 90 }}
        aria-label={`${t('progress.assessment')}: ${row.name}`}
        status={save.isError ? 'error' : undefined}
        value={value}
        onChange={(next) => setValue(next)}
        onBlur={commit}
        onPressEnter={commit}
      />
    </Tooltip>
  );
}
