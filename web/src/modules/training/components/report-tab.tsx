import { lazy, Suspense, useCallback, useState } from 'react';
import { Alert, App, Button, Col, Flex, Row, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { LoadingBlock, QueryView } from '../../../shared/ui/states.tsx';
import { LEVEL_LABEL } from '../../orgs/index.ts';
import { download } from '../../../shared/api/download.ts';
import { reportQuery } from '../api.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';
import type { ReportLevel, ReportOrg, ReportSession, SessionKind, TrainingClassDetail } from '../types.ts';
import { SessionKindTag, percent } from './labels.tsx';
import { clock } from './timetable-tab.tsx';

// ECharts weighs several hundred KB: loaded only when a report is opened.
const ReportCharts = lazy(() => import('./report-charts.tsx'));

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
  const levelName = useCallback((level: string | null) => (level && level in LEVEL_LABEL ? tc(LEVEL_LABEL[level as keyof typeof LEVEL_LABEL]) : level ?? t('report.other')), [tc, t]);
  return (
    <QueryView query={report} rows={10}>
      {(r) => (
        <div>
          <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
            {r.wholeClass ? <span /> : <Alert type="info" showIcon title={t('report.ownPeopleOnly')} />}
            <Button icon={<DownloadOutlined />} onClick={() => void exportXlsx()} loading={exporting}>{t('report.export')}</Button>
          </Flex>
          <Row gutter={24} style={{ marginBottom: 16 }}>
            <Col xs={12} md={5}><Statistic title={t('report.totalEnrolled')} value={formatNumber(r.totals.enrolled)} /></Col>
            <Col xs={12} md={5}><Statistic title={t('report.enrolledOnsite')} value={formatNumber(r.totals.onsite)} /></Col>
            <Col xs={12} md={5}><Statistic title={t('report.enrolledLive')} value={formatNumber(r.totals.live)} /></Col>
            <Col xs={12} md={4}><Statistic title={t('report.present')} value={formatNumber(r.totals.present)} /></Col>
            <Col xs={12} md={5}><Statistic title={t('report.completionRate')} value={percent(r.totals.completionRate)} suffix={<span style={{ fontSize: 14 }}>({formatNumber(r.totals.completed)})</span>} /></Col>
          </Row>
          <Suspense fallback={<LoadingBlock rows={8} minHeight={320} />}>
            <ReportCharts report={r} levelName={levelName} />
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
              { key: 'when', title: t('session.time'), width: 200, render: (_, s) => `${formatDate(s.startsAt)} ${clock(s.startsAt)}` },
              { key: 'topic', title: t('session.topic'), render: (_, s) => <span><SessionKindTag kind={s.kind as SessionKind} /> {s.topic}</span> },
              { key: 'onsite', title: t('report.presentOnsite'), width: 130, render: (_, s) => <span data-testid="present-onsite">{formatNumber(s.presentOnsite)} / {formatNumber(s.expectedOnsite)}</span> },
              { key: 'live', title: t('report.presentLive'), width: 130, render: (_, s) => `${formatNumber(s.presentLive)} / ${formatNumber(s.expectedLive)}` },
            ]}
          />
          <Row gutter={24}>
            <Col xs={24} md={10}>
              <Typography.Title level={2} style={{ fontSize: 16, marginTop: 24 }}>{t('report.byLevel')}</Typography.Title>
              <Table<ReportLevel> rowKey="level" size="small" pagination={false} dataSource={r.byLevel} aria-label={t('report.byLevel')}
                columns={[
                  { key: 'level', title: t('report.level'), render: (_, g) => levelName(g.level) },
                  { key: 'enrolled', title: t('report.enrolled'), width: 80, render: (_, g) => formatNumber(g.enrolled) },
                  { key: 'present', title: t('report.present'), width: 80, render: (_, g) => formatNumber(g.present) },
                  { key: 'completed', title: t('report.completed'), width: 80, render: (_, g) => formatNumber(g.completed) },
                ]} />
            </Col>
            <Col xs={24} md={14}>
              <Typography.Title level={2} style={{ fontSize: 16, marginTop: 24 }}>{t('report.byOrg')}</Typography.Title>
              <Table<ReportOrg> rowKey={(g) => String(g.orgId ?? 'other')} size="small" dataSource={r.byOrg} aria-label={t('report.byOrg')}
                pagination={r.byOrg.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
                columns={[
                  { key: 'org', title: t('report.org'), render: (_, g) => (g.orgId === null ? t('report.other') : g.orgName) },
                  { key: 'onsite', title: t('mode.onsite'), width: 70, render: (_, g) => formatNumber(g.onsite) },
                  { key: 'live', title: t('mode.live'), width: 100, render: (_, g) => formatNumber(g.live) },
                  { key: 'present', title: t('report.present'), width: 70, render: (_, g) => formatNumber(g.present) },
                ]} />
            </Col>
          </Row>
        </div>
      )}
    </QueryView>
  );
}
