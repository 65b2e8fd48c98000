import { useState } from 'react';
import { Alert, Button, Flex, Input, List, Select, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Report, ReportStatus } from '@workers-home/contract';
import { useT } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { Panel } from '../../../shared/ui/panel.tsx';
import { EmptyBlock, ErrorBlock } from '../../../shared/ui/states.tsx';
import { reportListQuery, useAnswerReport } from '../api.ts';
import { chinaTime } from '../components/labels.tsx';
import { useNewsT } from '../i18n/use-news-t.ts';

const STATUSES: ReportStatus[] = ['open', 'answered', 'closed'];
const COLORS: Record<ReportStatus, string> = { open: 'red', answered: 'blue', closed: 'default' };

/** The newsroom's queue of reports from the public: open ones first, oldest first; each answered and closed here. */
export default function ReportsPage() {
  const t = useNewsT();
  const [status, setStatus] = useState<ReportStatus | undefined>('open');
  const [page, setPage] = useState(1);
  const reports = useQuery(reportListQuery(status, page));
  return (
    <Panel title={t('reports')} extra={<Select<ReportStatus> allowClear aria-label={t('filterStatus')} placeholder={t('filterStatus')} value={status} style={{ minWidth: 120 }}
      options={STATUSES.map((s) => ({ value: s, label: t(`report.status.${s}`) }))} onChange={(v) => { setStatus(v); setPage(1); }} />}>
      {reports.error ? <ErrorBlock error={reports.error} onRetry={() => void reports.refetch()} /> : (
        <List<Report>
          loading={reports.isPending}
          dataSource={reports.data?.items ?? []}
          locale={{ emptyText: <EmptyBlock description={t('report.empty')} /> }}
          pagination={reports.data && reports.data.total > 20 ? { current: page, pageSize: 20, total: reports.data.total, onChange: setPage } : false}
          renderItem={(r) => <ReportItem report={r} />}
        />
      )}
    </Panel>
  );
}

function ReportItem({ report }: { report: Report }) {
  const t = useNewsT();
  const tc = useT();
  const answer = useAnswerReport();
  const [text, setText] = useState(report.answer ?? '');
  const [error, setError] = useState<string | null>(null);
  const send = async (close: boolean) => {
    setError(null);
    try { await answer.mutateAsync({ id: report.id, answer: text, close }); } catch (e) { setError(problemText(e, tc)); }
  };
  return (
    <List.Item>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Tag color={COLORS[report.status]}>{t(`report.status.${report.status}`)}</Tag>
          <Tag>{t(`report.reason.${report.reason}`)}</Tag>
          <Link to={`/newsroom/articles/${report.articleId}`}>{report.articleTitle}</Link>
          <Typography.Text type="secondary">{t('report.createdAt')}：{chinaTime(report.createdAt)}</Typography.Text>
        </Space>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{report.description}</Typography.Paragraph>
        {report.contact ? <Typography.Text type="secondary">{t('report.contact')}：{report.contact}</Typography.Text> : null}
        {error ? <Alert type="error" showIcon title={error} /> : null}
        {report.status === 'closed' ? <Typography.Text>{t('report.answer')}：{report.answer}</Typography.Text> : (
          <Flex gap={8} wrap>
            <Input.TextArea aria-label={t('report.answer')} placeholder={t('report.answer')} value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} autoSize={{ minRows: 1 }} style={{ flex: '1 1 240px' }} />
            <Button onClick={() => void send(false)} disabled={!text.trim()} loading={answer.isPending}>{t('report.answer')}</Button>
            <Button type="primary" onClick={() => void send(true)} disabled={!text.trim()} loading={answer.isPending}>{t('report.answerAndClose')}</Button>
          </Flex>
        )}
      </Space>
    </List.Item>
  );
}
