import { lazy, Suspense, useCallback, useState } from 'react';
import { App, Button, Col, Flex, Row, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { LoadingBlock, QueryView } from '../../../shared/ui/states.tsx';
import { LEVEL_LABEL } from '../../orgs/components/org-labels.ts';
import { download, reportQuery } from '../api.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { ClassReport, ReportGroup, ReportSession, TrainingClassDetail } from '../types.ts';
import { SessionKindTag, percent } from './labels.tsx';
import { clock } from './timetable-tab.tsx';

// ECharts weighs several hundred KB: loaded only when a report is opened.
const ReportCharts = lazy(() => import('./report-charts.tsx'));

export function reportTotals(report: ClassReport) {
  const onsite = report.enrolled?.onsite ?? Math.max(0, ...report.sessions.map((s) => s.enrolledOnsite));
  const live = report.enrolled?.live ?? Math.max(0, ...report.sessions.map((s) => s.enrolledLive));
  return { onsite, live, total: report.enrolled?.total ?? report.completion.enrolled ?? onsite + live };
}

/** Who took part: enrolled vs present by session, on site vs live, by level and organization; charts; .xlsx. */
export function ReportTab({ detail }: { detail: TrainingClassDetail }) {
  const { t: tc, formatNumber, formatDate, locale } = useLocale();
  const t = useTrainingT();
  const { message } = App.useApp();
  const report = useQuery(reportQuery(detail.id));
  const [exporting, setExporting] = useState(false);
  const exportXlsx = async () => {
    setExporting(true);
    try {
      await download(`/training/classes/${detail.id}/report.xlsx?lang=${locale}`, `${detail.title}.xlsx`);
    } catch (error) {
      void message.error(problemText(error, tc));
    } finally {
      setExporting(false);
    }
  };
  const groupName = useCallback(
    (g: ReportGroup) => g.orgName ?? g.name ?? (g.level ? (g.level in LEVEL_LABEL ? tc(LEVEL_LABEL[g.level as keyof typeof LEVEL_LABEL]) : g.level) : t('report.other')),
    [tc, t],
  );
  return (
    <QueryView query={report} rows={10}>
      {(r) => {
        const totals = reportTotals(r);
        return (
          <div>
            <Flex justify="end" style={{ marginBottom: 12 }}>
              <Button icon={<DownloadOutlined />} onClick={() => void exportXlsx()} loading={exporting}>{t('report.export')}</Button>
            </Flex>
            <Row gutter={24} style={{ marginBottom: 16 }}>
              <Col xs={12} md={6}><Statistic title={t('report.totalEnrolled')} value={formatNumber(totals.total)} /></Col>
              <Col xs={12} md={6}><Statistic title={t('report.enrolledOnsite')} value={formatNumber(totals.onsite)} /></Col>
              <Col xs={12} md={6}><Statistic title={t('report.enrolledLive')} value={formatNumber(totals.live)} /></Col>
              <Col xs={12} md={6}><Statistic title={t('report.completionRate')} value={percent(Number(r.completion.rate))} suffix={<span style={{ fontSize: 14 }}>({formatNumber(r.completion.completed)})</span>} /></Col>
            </Row>
            <Suspense fallback={<LoadingBlock rows={8} minHeight={320} />}>
              <ReportCharts report={r} groupName={groupName} />
            </Suspense>
            <Typography.Title level={2} style={{ fontSize: 16, marginTop: 24 }}>{t('report.bySession')}</Typography.Title>
            <Table<ReportSession>
              rowKey="sessionId"
              size="small"
              aria-label={t('report.bySession')}
              dataSource={r.sessions}
              pagination={false}
              scroll={{ x: 800 }}
              columns={[
                { key: 'when', title: t('session.time'), width: 200, render: (_, s) => `${formatDate(s.startsAt.slice(0, 10))} ${clock(s.startsAt)}` },
                { key: 'topic', title: t('session.topic'), render: (_, s) => <span><SessionKindTag kind={s.kind} /> {s.topic}</span> },
                { key: 'onsite', title: t('report.presentOnsite'), width: 130, render: (_, s) => <span data-testid="present-onsite">{formatNumber(s.presentOnsite)} / {formatNumber(s.enrolledOnsite)}</span> },
                { key: 'live', title: t('report.presentLive'), width: 130, render: (_, s) => `${formatNumber(s.presentLive)} / ${formatNumber(s.enrolledLive)}` },
              ]}
            />
            <Row gutter={24}>
              <Col xs={24} md={10}>
                <Typography.Title level={2} style={{ fontSize: 16, marginTop: 24 }}>{t('report.byLevel')}</Typography.Title>
                <Table<ReportGroup> rowKey={(g) => g.level ?? g.key ?? ''} size="small" pagination={false} dataSource={r.byLevel} aria-label={t('report.byLevel')}
                  columns={[
                    { key: 'level', title: t('report.level'), render: (_, g) => groupName(g) },
                    { key: 'enrolled', title: t('report.enrolled'), width: 90, render: (_, g) => formatNumber(g.enrolled) },
                    { key: 'present', title: t('report.present'), width: 90, render: (_, g) => (g.present === undefined ? '—' : formatNumber(g.present)) },
                  ]} />
              </Col>
              <Col xs={24} md={14}>
                <Typography.Title level={2} style={{ fontSize: 16, marginTop: 24 }}>{t('report.byOrg')}</Typography.Title>
                <Table<ReportGroup> rowKey={(g) => String(g.orgId ?? g.key ?? g.orgName)} size="small" dataSource={r.byOrg} aria-label={t('report.byOrg')}
                  pagination={r.byOrg.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
                  columns={[
                    { key: 'org', title: t('report.org'), render: (_, g) => groupName(g) },
                    { key: 'onsite', title: t('mode.onsite'), width: 80, render: (_, g) => (g.onsite === undefined ? '—' : formatNumber(g.onsite)) },
                    { key: 'live', title: t('mode.live'), width: 110, render: (_, g) => (g.live === undefined ? '—' : formatNumber(g.live)) },
                    { key: 'enrolled', title: t('report.enrolled'), width: 80, render: (_, g) => formatNumber(g.enrolled) },
                  ]} />
              </Col>
            </Row>
          </div>
        );
      }}
    </QueryView>
  );
}
