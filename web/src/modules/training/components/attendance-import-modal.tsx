import { useState } from 'react';
import { Alert, App, Button, Flex, Modal, Table, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { ApiError } from '../../../shared/api/client.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { codeText, problemText } from '../../../shared/i18n/server-messages.ts';
import { useTrainingMutations } from '../api.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { TrainingMessageKey } from '../i18n/zh-CN.ts';
import type { AttendanceImportResult, ImportRowError, TrainingSession } from '../types.ts';
import { ToneTag } from './labels.tsx';

const COLUMN_LABEL: Record<string, TrainingMessageKey> = {
  name: 'trainee.name', id_number: 'trainee.idNumber', phone: 'trainee.phone', minutes: 'attendanceImport.minutes',
};
const OUTCOME_COLOR = { present: 'green', already: 'blue', short: 'orange' } as const;

function rowErrors(error: unknown): ImportRowError[] | null {
  if (!(error instanceof ApiError)) return null;
  const rows = (error.problem as { rows?: ImportRowError[] } | null)?.rows;
  return Array.isArray(rows) ? rows : null;
}

/**
 * Attendance of one session from a spreadsheet (a sign-in sheet, or a live platform's viewing
 * export with minutes watched): a check first shows every row's outcome, or every bad row
 * (nothing is written while any row is bad); then the same file is recorded, in one request.
 */
export function AttendanceImportModal({ classId, session, onClose }: { classId: number; session: TrainingSession; onClose: () => void }) {
  const { t: tc, formatNumber } = useLocale();
  const t = useTrainingT();
  const { message } = App.useApp();
  const { importAttendance } = useTrainingMutations(classId);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<AttendanceImportResult | null>(null);
  const [errors, setErrors] = useState<ImportRowError[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const run = (dryRun: boolean) => {
    if (!file) return;
    setErrors(null);
    setFailure(null);
    importAttendance.mutate({ sessionId: session.id, file, dryRun }, {
      onSuccess: (result) => {
        if (dryRun) setPreview(result);
        else {
          void message.success(t('attendanceImport.done', { count: result.present }));
          onClose();
        }
      },
      onError: (error) => {
        setPreview(null);
        const rows = rowErrors(error);
        if (rows) setErrors(rows);
        else setFailure(problemText(error, tc));
      },
    });
  };

  return (
    <Modal
      open
      width={760}
      title={t('attendanceImport.title', { topic: session.topic })}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>{tc('action.cancel')}</Button>,
        <Button key="check" onClick={() => run(true)} disabled={!file} loading={importAttendance.isPending && importAttendance.variables.dryRun}>{t('import.preview')}</Button>,
        <Button key="import" type="primary" onClick={() => run(false)} disabled={!file || !preview} loading={importAttendance.isPending && !importAttendance.variables.dryRun}>{t('attendanceImport.commit')}</Button>,
      ]}
    >
      <Typography.Paragraph type="secondary">{t('attendanceImport.help')}</Typography.Paragraph>
      <Flex gap={12} align="center" style={{ marginBottom: 16 }}>
        <Upload accept=".xlsx,.csv" maxCount={1} showUploadList={false}
          beforeUpload={(chosen) => { setFile(chosen); setPreview(null); setErrors(null); setFailure(null); return false; }}>
          <Button icon={<UploadOutlined />}>{t('import.choose')}</Button>
        </Upload>
        <Typography.Text data-testid="attendance-file">{file?.name ?? ''}</Typography.Text>
      </Flex>
      {preview && (
        <>
          <Alert type="success" showIcon data-testid="attendance-preview" style={{ marginBottom: 12 }}
            title={t('attendanceImport.previewOk', { present: preview.present, already: preview.already, short: preview.short })}
            description={preview.requiredMinutes > 0 ? t('attendanceImport.required', { minutes: preview.requiredMinutes }) : undefined} />
          <Table
            rowKey="enrolmentId"
            size="small"
            aria-label={t('attendanceImport.report')}
            dataSource={preview.rows}
            pagination={preview.rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
            columns={[
              { key: 'row', title: t('import.row'), dataIndex: 'row', width: 70 },
              { key: 'name', title: t('trainee.name'), dataIndex: 'name' },
              { key: 'minutes', title: t('attendanceImport.minutes'), dataIndex: 'minutes', width: 150, render: (v: number | null) => (v === null ? '—' : formatNumber(v)) },
              { key: 'outcome', title: t('attendanceImport.outcome'), dataIndex: 'outcome', width: 130, render: (v: 'present' | 'already' | 'short') => <ToneTag color={OUTCOME_COLOR[v]}>{t(`attendanceImport.outcome.${v}`)}</ToneTag> },
            ]}
          />
        </>
      )}
      {failure && <Alert type="error" showIcon title={failure} />}
      {errors && (
        <>
          <Alert type="error" showIcon title={t('attendanceImport.failed', { count: new Set(errors.map((e) => e.row)).size })} style={{ marginBottom: 12 }} />
          <Table<ImportRowError>
            rowKey={(e) => `${e.row}:${e.field ?? ''}:${e.reason}`}
            size="small"
            aria-label={t('attendanceImport.failed', { count: errors.length })}
            dataSource={errors}
            pagination={errors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
            columns={[
              { key: 'row', title: t('import.row'), dataIndex: 'row', width: 80 },
              { key: 'field', title: t('import.field'), dataIndex: 'field', width: 140, render: (v: string) => (v in COLUMN_LABEL ? t(COLUMN_LABEL[v]!) : v || '—') },
              { key: 'reason', title: t('import.reason'), dataIndex: 'reason', render: (_: string, e: ImportRowError) => codeText({ code: e.code, params: e.params, message: e.reason }, tc) },
            ]}
          />
        </>
      )}
    </Modal>
  );
}
