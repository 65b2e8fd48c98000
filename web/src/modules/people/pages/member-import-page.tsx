import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Flex, Progress, Typography, Upload } from 'antd';
import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { ImportJob } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { Panel } from '../../../shared/ui/panel.tsx';
import { ResponsiveTable } from '../../../shared/ui/responsive-table.tsx';
import { ErrorBlock } from '../../../shared/ui/states.tsx';
import '../../../shared/ui/text.css';
import { OrgSelect } from '../../orgs/index.ts';
import { importJobQuery, importJobsQuery, importTemplateUrl, uploadMemberFile } from '../api.ts';
import { ImportRejects } from '../components/import-rejects.tsx';
import '../components/status-badge.css';

const ENDED = ['succeeded', 'rejected', 'failed'];

/** Where a job stands, as one sentence and a share 0..100. */
function useJobText() {
  const { t, formatNumber } = useLocale();
  return (job: ImportJob) => {
    const rows = formatNumber(job.rowsRead);
    if (job.status === 'succeeded') {
      return t('people.importSucceeded', {
        rows: formatNumber(job.rowsRead - job.rowsRejected), created: formatNumber(job.personsCreated), updated: formatNumber(job.personsUpdated),
        memberships: formatNumber(job.membershipsCreated), unchanged: formatNumber(job.rowsUnchanged),
      }) + (job.rowsRejected ? ` ${t('people.importRejectedSome', { count: formatNumber(job.rowsRejected) })}` : '');
    }
    if (job.status === 'rejected') return t('people.importRejected', { count: formatNumber(job.rowsRejected), rows });
    if (job.status === 'failed') return t('people.importFailed', { error: job.error ?? '' });
    return `${t(`people.importPhase.${job.phase}`)} · ${t('people.importRowsRead', { count: rows })}`;
  };
}

/**
 * Bulk import of a member roster: the file is uploaded (with its progress), then the job is
 * followed until it ends: read and checked row by row, then written all at once (or not at
 * all). Leaving the page does not stop it: recent imports are listed below.
 */
export default function MemberImportPage() {
  const { t, formatDateTime, locale } = useLocale();
  const queryClient = useQueryClient();
  const [search] = useSearchParams();
  const [orgId, setOrgId] = useState<number | undefined>(search.get('orgId') ? Number(search.get('orgId')) : undefined);
  const [file, setFile] = useState<File | null>(null);
  const [acceptValid, setAcceptValid] = useState(false);
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const job = useQuery(importJobQuery(jobId));
  const jobs = useQuery({ ...importJobsQuery(undefined, page), refetchInterval: job.data && !ENDED.includes(job.data.status) ? 2000 : false });
  const jobText = useJobText();
  const [tried, setTried] = useState(false);

  const start = async () => {
    setTried(true);
    if (!orgId || !file) return;
    setUploadError(null);
    setJobId(null);
    setUploaded(0);
    try {
      const created = await uploadMemberFile(orgId, acceptValid, file, setUploaded);
      setJobId(created.id);
      void queryClient.invalidateQueries({ queryKey: ['member-imports', 'list'] });
    } catch (error) {
      setUploadError(problemText(error, t));
    } finally {
      setUploaded(null);
    }
  };

  const current = job.data;
  const ended = current !== undefined && ENDED.includes(current.status);
  const running = uploaded !== null || (current !== undefined && !ended);
  // The list follows the running job every 2 s; once it ends, once more for its outcome.
  useEffect(() => {
    if (ended) void queryClient.invalidateQueries({ queryKey: ['member-imports', 'list'] });
  }, [ended, current?.id, queryClient]);

  return (
    <Panel>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 8 }}>
        <h1 className="wh-page-title">{t('people.importTitle')}</h1>
        <Link to="/members">{t('people.listTitle')}</Link>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 820 }}>{t('people.importHelp')}</Typography.Paragraph>

      <Flex vertical gap={12} style={{ maxWidth: 820, marginBottom: 24 }}>
        <Flex wrap gap={12} align="center">
          <label htmlFor="import-org">{t('people.importInto')}</label>
          <OrgSelect id="import-org" aria-label={t('people.importInto')} placeholder={t('people.importNeedsOrg')} value={orgId} onChange={setOrgId} style={{ width: 320, maxWidth: '100%' }} />
        </Flex>
        <Flex wrap gap={8} align="center">
          {/* Made for the organization chosen: a grassroots union's name fills the example's union column. */}
          <Button icon={<FileExcelOutlined />} href={orgId ? importTemplateUrl(orgId) : undefined} download disabled={!orgId}>{t('people.importTemplate')}</Button>
          <Typography.Text type="secondary">{t('people.importTemplateHint')}</Typography.Text>
        </Flex>
        <Flex wrap gap={12} align="center">
          <Upload accept=".xlsx,.csv" maxCount={1} showUploadList={false} beforeUpload={(chosen) => { setFile(chosen); return false; }}>
            <Button icon={<UploadOutlined />} danger={tried && !file}>{t('people.importChoose')}</Button>
          </Upload>
          <Typography.Text data-testid="import-file">
            {file ? `${file.name} (${file.size < 1024 * 1024 ? `${Math.max(1, Math.round(file.size / 1024))} KB` : `${Math.round(file.size / 1024 / 1024)} MB`})` : tried ? <Typography.Text type="danger">{t('people.importNeedsFile')}</Typography.Text> : ''}
          </Typography.Text>
        </Flex>
        <Checkbox checked={acceptValid} onChange={(e) => setAcceptValid(e.target.checked)}>{t('people.importAcceptValid')}</Checkbox>
        {tried && !orgId && <Typography.Text type="danger">{t('people.importNeedsOrg')}</Typography.Text>}
        <div>
          <Button type="primary" onClick={() => void start()} loading={running} disabled={running}>{t('people.importStart')}</Button>
        </div>

        {uploaded !== null && (
          <div data-testid="import-upload">
            <Typography.Text>{t('people.importUploading', { percent: Math.floor(uploaded * 100) })}</Typography.Text>
            <Progress percent={Math.floor(uploaded * 100)} status="active" />
          </div>
        )}
        {uploadError && <Alert type="error" showIcon title={uploadError} />}
        {job.error && <ErrorBlock error={job.error} onRetry={() => void job.refetch()} />}
        {current && (
          <div data-testid="import-job" aria-live="polite">
            {!ENDED.includes(current.status) && (
              <>
                <Typography.Text>{jobText(current)}</Typography.Text>
                <Progress percent={Math.floor(current.progress * 100)} status="active" />
              </>
            )}
            {ENDED.includes(current.status) && (
              <Alert
                type={current.status === 'succeeded' ? (current.rowsRejected ? 'warning' : 'success') : current.status === 'rejected' ? 'warning' : 'error'}
                showIcon
                title={jobText(current)}
                description={(
                  <Flex vertical gap={4}>
                    {current.ignoredColumns.length > 0 && <span>{t('people.importIgnored', { columns: current.ignoredColumns.join('、') })}</span>}
                    {current.rowsRejected > 0 && (
                      <a href={`/api/member-imports/${current.id}/rejects.csv?lang=${locale}`} download><DownloadOutlined /> {t('people.importReport')}</a>
                    )}
                  </Flex>
                )}
              />
            )}
            {ENDED.includes(current.status) && current.rowsRejected > 0 && (
              <section aria-label={t('people.importReasons')} style={{ marginTop: 12 }}>
                <h2 className="wh-card-title" style={{ marginBottom: 8 }}>{t('people.importReasons')}</h2>
                <ImportRejects key={current.id} jobId={current.id} />
              </section>
            )}
          </div>
        )}
      </Flex>

      <h2 className="wh-card-title" style={{ marginBottom: 12 }}>{t('people.importRecent')}</h2>
      {jobs.error ? (
        <ErrorBlock error={jobs.error} onRetry={() => void jobs.refetch()} />
      ) : (
        <ResponsiveTable<ImportJob>
          rowKey="id"
          cardTitle="file"
          size="small"
          aria-label={t('people.importRecent')}
          loading={jobs.isPending}
          dataSource={jobs.data?.items ?? []}
          locale={{ emptyText: jobs.isPending ? ' ' : t('people.importNone') }}
          pagination={{ current: page, pageSize: 10, total: jobs.data?.total ?? 0, showSizeChanger: false, onChange: setPage, hideOnSinglePage: true }}
          columns={[
            { key: 'time', title: t('people.importColumn.time'), width: 170, responsive: ['md'], render: (_, j) => formatDateTime(j.createdAt) },
            { key: 'file', title: t('people.importColumn.file'), dataIndex: 'fileName', ellipsis: true },
            { key: 'org', title: t('people.importInto'), dataIndex: 'orgName', ellipsis: true, responsive: ['md'] },
            { key: 'status', title: t('people.importColumn.status'), width: 100, render: (_, j) => (
                // A dot and plain text, as the membership status (coloured tag texts miss WCAG contrast).
                <span className="wh-status"><span className={`wh-status-dot wh-status-${j.status}`} aria-hidden />{t(`importStatus.${j.status}`)}</span>
              ) },
            {
              key: 'result', title: t('people.importColumn.result'),
              render: (_, j) => (
                <Flex vertical gap={2}>
                  <span>{jobText(j)}</span>
                  {j.rowsRejected > 0 && (
                    <Flex wrap gap={12}>
                      <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setJobId(j.id)}>{t('people.importShowReasons')}</Button>
                      <a href={`/api/member-imports/${j.id}/rejects.csv?lang=${locale}`} download>{t('people.importReport')}</a>
                    </Flex>
                  )}
                </Flex>
              ),
            },
          ]}
        />
      )}
    </Panel>
  );
}
