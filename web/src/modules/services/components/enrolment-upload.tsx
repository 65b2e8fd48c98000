import { useRef, useState } from 'react';
import { Alert, Button, Flex, Progress, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { AidEnrolImportReport } from '@workers-home/contract';
import { ApiError } from '../../../shared/api/client.ts';
import { useLocale, type Translate } from '../../../shared/i18n/locale.tsx';
import { codeText, problemText } from '../../../shared/i18n/server-messages.ts';
import { ResponsiveTable } from '../../../shared/ui/responsive-table.tsx';
import { useImportEnrolments, type EnrolmentImport } from '../api.ts';
import { useServicesT, type ServicesTranslate } from '../i18n/use-services-t.ts';

type RowProblem = AidEnrolImportReport['rejected'][number];

/** Who may not be enrolled at all (as opposed to a row written wrong). */
const INELIGIBLE = new Set(['services.import.not_member', 'services.import.age']);
const COLUMNS = ['name', 'id_number', 'header', 'file'] as const;
const PAGE_SIZE = 10;

/**
 * A reason in the reader's language, by its code. A file that cannot be read at all has the
 * server's own English words for why (a PDF, a damaged .xlsx): an English reader gets them.
 */
function reasonText(problem: RowProblem, tc: Translate): string {
  if (problem.code === 'request.file_unreadable' && tc.locale === 'en') return problem.reason;
  return codeText({ code: problem.code, params: problem.params, message: problem.reason }, tc);
}

function columnText(field: string, t: ServicesTranslate): string {
  const column = COLUMNS.find((c) => c === field);
  return column ? t(`enrol.column.${column}`) : field;
}

/** The rows refused in a 422 (the problem's `rows`), if that is what the error is. */
function rowsOf(error: unknown): RowProblem[] | null {
  if (!(error instanceof ApiError)) return null;
  const rows = (error.problem as { rows?: unknown } | null)?.rows;
  return Array.isArray(rows) ? (rows as RowProblem[]) : null;
}

/** Every rejected row of the file with every reason found, in the reader's language, ten at a time. */
function RejectedRows({ problems }: { problems: RowProblem[] }) {
  const t = useServicesT();
  const { t: tc, formatNumber } = useLocale();
  const [page, setPage] = useState(1);
  const byRow = new Map<number, RowProblem[]>();
  for (const problem of problems) byRow.set(problem.row, [...(byRow.get(problem.row) ?? []), problem]);
  const rows = [...byRow].map(([row, reasons]) => ({ row, reasons }));
  return (
    <ResponsiveTable<{ row: number; reasons: RowProblem[] }>
      aria-label={t('enrol.rejectedRows')}
      rowKey="row"
      cardTitle="row"
      size="small"
      dataSource={rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)}
      pagination={{ current: page, pageSize: PAGE_SIZE, total: rows.length, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
      columns={[
        { key: 'row', title: t('enrol.row'), width: 100, render: (_, r) => (r.row > 0 ? t('enrol.rowNumber', { row: formatNumber(r.row) }) : t('enrol.wholeFile')) },
        {
          key: 'reasons', title: t('enrol.reasons'),
          render: (_, r) => (
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {r.reasons.map((problem, i) => <li key={i}><strong>{columnText(problem.field, t)}</strong>{t('enrol.reasonSeparator')}{reasonText(problem, tc)}</li>)}
            </ul>
          ),
        },
      ]}
    />
  );
}

/** What the dry run found: how many would be enrolled, already are, may not be, and the rows written wrong. */
function CheckReport({ report, fileName }: { report: AidEnrolImportReport; fileName: string }) {
  const t = useServicesT();
  const rejectedRows = new Set(report.rejected.map((r) => r.row));
  const ineligible = new Set(report.rejected.filter((r) => INELIGIBLE.has(r.code)).map((r) => r.row));
  const facts = [
    t('enrol.report.rowsRead', { count: report.rowsRead }),
    t('enrol.report.toEnrol', { count: report.enrolled }),
    t('enrol.report.already', { count: report.alreadyEnrolled }),
    ...(ineligible.size ? [t('enrol.report.ineligible', { count: ineligible.size })] : []),
    ...(rejectedRows.size > ineligible.size ? [t('enrol.report.invalid', { count: rejectedRows.size - ineligible.size })] : []),
  ];
  return (
    <Flex vertical gap={8} data-testid="enrol-check">
      <Alert
        type={report.rejected.length ? 'warning' : 'success'}
        showIcon
        title={t('enrol.report', { file: fileName })}
        description={<Flex component="ul" wrap gap="4px 16px" style={{ margin: 0, padding: 0, listStyle: 'none' }}>{facts.map((fact) => <li key={fact}>{fact}</li>)}</Flex>}
      />
      {report.rejected.length ? (
        <>
          <Typography.Title level={4} style={{ fontSize: 14, margin: '4px 0 0' }}>{t('enrol.rejectedRows')}</Typography.Title>
          <RejectedRows problems={report.rejected} />
        </>
      ) : null}
    </Flex>
  );
}

/**
 * Enrolment of a union's members from a spreadsheet: choosing the file checks it (a dry run
 * that reports every row); then one button enrols, all rows or none, or only the valid rows
 * when some are rejected. Keyed by the union, so choosing another union starts afresh.
 */
export function EnrolmentUpload({ planId, orgId }: { planId: number; orgId: number | undefined }) {
  const t = useServicesT();
  const { t: tc } = useLocale();
  const importEnrolments = useImportEnrolments(planId);
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<AidEnrolImportReport | null>(null);
  const [done, setDone] = useState<AidEnrolImportReport | null>(null);
  const [refused, setRefused] = useState<{ title: string; rows: RowProblem[] } | null>(null);
  const [share, setShare] = useState(0);
  // Set at once on the first click, where `isPending` comes a render later: no second upload.
  const busy = useRef(false);

  const run = (chosen: File, options: Pick<EnrolmentImport, 'dryRun' | 'acceptValid'>) => {
    if (orgId === undefined || busy.current) return;
    busy.current = true;
    setShare(0);
    setRefused(null);
    setDone(null);
    importEnrolments.mutate({ orgId, file: chosen, ...options, onProgress: setShare }, {
      onSuccess: (report) => {
        if (report.dryRun) setChecked(report);
        else { setDone(report); setChecked(null); setFile(null); }
      },
      // A refused file: what is wrong with it ("3 rows cannot be enrolled; nothing was written", a header that names
      // no expected column…), with its rows when they are rows.
      onError: (error) => { setChecked(null); setRefused({ title: problemText(error, tc), rows: rowsOf(error) ?? [] }); },
      onSettled: () => { busy.current = false; },
    });
  };

  const check = (chosen: File) => {
    setFile(chosen);
    setChecked(null);
    // A dry run that accepts the valid rows reports them all: how many would be enrolled and every rejected row.
    run(chosen, { dryRun: true, acceptValid: true });
  };

  const pending = importEnrolments.isPending;
  const checking = pending && importEnrolments.variables.dryRun;
  return (
    <Flex vertical gap={12}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('enrol.fileHelp')}</Typography.Paragraph>
      <Flex gap={12} align="center" wrap>
        <Upload accept=".xlsx,.csv" maxCount={1} showUploadList={false} disabled={orgId === undefined || pending} beforeUpload={(chosen) => { check(chosen); return false; }}>
          <Button icon={<UploadOutlined />} disabled={orgId === undefined || pending} loading={checking}>{file ? t('enrol.chooseAgain') : t('enrol.chooseFile')}</Button>
        </Upload>
        {file ? <Typography.Text data-testid="enrol-file">{file.name}</Typography.Text> : null}
      </Flex>
      {pending ? (
        <div role="status" aria-live="polite">
          <Typography.Text type="secondary">{share < 1 ? t('enrol.uploading', { share }) : checking ? t('enrol.checking') : t('enrol.enrolling')}</Typography.Text>
          <Progress percent={Math.round(share * 100)} size="small" status="active" showInfo={false} />
        </div>
      ) : null}
      {refused ? (
        <Flex vertical gap={8}>
          <Alert type="error" showIcon role="alert" title={refused.title} />
          {refused.rows.some((r) => r.row > 0) ? <RejectedRows problems={refused.rows} /> : null}
        </Flex>
      ) : null}
      {checked && file ? (
        <>
          <CheckReport report={checked} fileName={file.name} />
          {checked.enrolled === 0 ? <Typography.Text type="secondary">{t('enrol.report.noneToEnrol')}</Typography.Text> : (
            <Flex gap={12} align="center" wrap>
              {checked.rejected.length === 0 ? (
                <Button type="primary" disabled={pending} loading={pending && !checking} onClick={() => run(file, { dryRun: false, acceptValid: false })}>
                  {t('enrol.confirmAll', { count: checked.enrolled })}
                </Button>
              ) : (
                <>
                  <Button type="primary" disabled={pending} loading={pending && !checking} onClick={() => run(file, { dryRun: false, acceptValid: true })}>
                    {t('enrol.confirmValid', { count: checked.enrolled })}
                  </Button>
                  <Typography.Text type="secondary">{t('enrol.confirmValidHint')}</Typography.Text>
                </>
              )}
            </Flex>
          )}
        </>
      ) : null}
      {done ? (
        <Alert
          type="success"
          showIcon
          data-testid="enrol-file-result"
          title={t('enrol.fileDone', { enrolled: done.enrolled, already: done.alreadyEnrolled })}
          description={(
            <>
              {done.statementId !== null ? <div>{t('enrol.statementMade')}</div> : null}
              {done.rejected.length ? <div>{t('enrol.leftOut', { count: new Set(done.rejected.map((r) => r.row)).size })}</div> : null}
            </>
          )}
        />
      ) : null}
    </Flex>
  );
}
