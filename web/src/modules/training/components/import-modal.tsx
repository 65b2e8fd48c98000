import { useState } from 'react';
import { Alert, App, Button, Flex, Modal, Table, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { ApiError } from '../../../shared/api/client.ts';
import { useLocale, type Translate } from '../../../shared/i18n/locale.tsx';
import { codeText, problemText } from '../../../shared/i18n/server-messages.ts';
import { useTrainingMutations } from '../api.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { TrainingMessageKey } from '../i18n/zh-CN.ts';
import type { ImportResult, ImportRowError } from '../types.ts';

/** The file's columns as the server names them, in the reader's words. */
const COLUMN_LABEL: Record<string, TrainingMessageKey> = {
  name: 'trainee.name', idNumber: 'trainee.idNumber', id_number: 'trainee.idNumber', phone: 'trainee.phone', mode: 'trainee.mode', org: 'trainee.org', orgId: 'trainee.org',
};

/** The rows the server refused (422 `rows`), if that is what the error is. */
/**
 * A row's reason in the reader's language, by its code. A file that cannot be read at all has
 * the server's own English words for why (a PDF, a damaged xlsx…): an English reader gets them.
 */
function readableReason(e: ImportRowError, t: Translate): string {
  if (e.code === 'request.file_unreadable' && t.locale === 'en') return e.reason;
  return codeText({ code: e.code, params: e.params, message: e.reason }, t);
}

function rowErrors(error: unknown): ImportRowError[] | null {
  if (!(error instanceof ApiError)) return null;
  const rows = (error.problem as { rows?: ImportRowError[] } | null)?.rows;
  return Array.isArray(rows) ? rows : null;
}

/**
 * Bulk enrolment from .xlsx / .csv: a dry run first shows either the counts or every bad row
 * (nothing is written while any row is bad); then the same file is imported. Mounted only
 * while open, so every opening starts afresh.
 */
export function ImportModal({ classId, open, onClose }: { classId: number; open: boolean; onClose: () => void }) {
  const { t: tc, formatNumber } = useLocale();
  const t = useTrainingT();
  const { message } = App.useApp();
  const { importEnrolments } = useTrainingMutations(classId);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [errors, setErrors] = useState<ImportRowError[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const run = (dryRun: boolean) => {
    if (!file) return;
    setErrors(null);
    setFailure(null);
    importEnrolments.mutate({ file, dryRun }, {
      onSuccess: (result) => {
        if (dryRun) setPreview(result);
        else {
          void message.success(t('import.done', { count: result.enrolled }));
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
      open={open}
      width={760}
      title={t('import.title')}
      onCancel={onClose}
      footer={[
        <Button key="cancel" onClick={onClose}>{tc('action.cancel')}</Button>,
        <Button key="check" onClick={() => run(true)} disabled={!file} loading={importEnrolments.isPending && importEnrolments.variables.dryRun}>{t('import.preview')}</Button>,
        <Button key="import" type="primary" onClick={() => run(false)} disabled={!file || !preview} loading={importEnrolments.isPending && !importEnrolments.variables.dryRun}>{t('import.commit')}</Button>,
      ]}
    >
      <Typography.Paragraph type="secondary">{t('import.help')}</Typography.Paragraph>
      <Flex gap={12} align="center" style={{ marginBottom: 16 }}>
        <Upload
          accept=".xlsx,.csv"
          maxCount={1}
          showUploadList={false}
          beforeUpload={(chosen) => { setFile(chosen); setPreview(null); setErrors(null); setFailure(null); return false; }}
        >
          <Button icon={<UploadOutlined />}>{t('import.choose')}</Button>
        </Upload>
        <Typography.Text data-testid="import-file">{file?.name ?? ''}</Typography.Text>
      </Flex>
      {preview && (
        <Alert type="success" showIcon data-testid="import-preview"
          title={t('import.previewOk', { total: preview.rowsRead, onsite: formatNumber(preview.byMode.onsite), live: formatNumber(preview.byMode.live) })} />
      )}
      {failure && <Alert type="error" showIcon title={failure} />}
      {errors && (
        <>
          <Alert type="error" showIcon title={t('import.failed', { count: new Set(errors.map((e) => e.row)).size })} style={{ marginBottom: 12 }} />
          <Table<ImportRowError>
            rowKey={(e) => `${e.row}:${e.field ?? ''}:${e.reason}`}
            size="small"
            aria-label={t('import.failed', { count: errors.length })}
            dataSource={errors}
            pagination={errors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
            columns={[
              { key: 'row', title: t('import.row'), dataIndex: 'row', width: 80 },
              { key: 'field', title: t('import.field'), dataIndex: 'field', width: 140, render: (v: string) => (v in COLUMN_LABEL ? t(COLUMN_LABEL[v]!) : v || '—') },
              { key: 'reason', title: t('import.reason'), dataIndex: 'reason', render: (_: string, e: ImportRowError) => readableReason(e, tc) },
            ]}
          />
        </>
      )}
    </Modal>
  );
}
