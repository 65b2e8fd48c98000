import { App, Button, Card, Flex, Grid, Select, Space, Tabs, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { ErrorBlock, LoadingBlock } from '../../../shared/ui/states.tsx';
import { classQuery, useTrainingMutations } from '../api.ts';
import { CertificatesTab } from '../components/certificates-tab.tsx';
import { CheckinTab } from '../components/checkin-tab.tsx';
import { CoursesTab } from '../components/courses-tab.tsx';
import { ClassStatusTag, formatRange } from '../components/labels.tsx';
import { OverviewTab } from '../components/overview-tab.tsx';
import { ProgressTab } from '../components/progress-tab.tsx';
import { ReportTab } from '../components/report-tab.tsx';
import { TimetableTab } from '../components/timetable-tab.tsx';
import { TraineesTab } from '../components/trainees-tab.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import { CLASS_STATUSES } from '../types.ts';

const TABS = ['overview', 'timetable', 'trainees', 'checkin', 'courses', 'progress', 'certificates', 'report'] as const;
type TabKey = (typeof TABS)[number];

/** One class: its overview and, in tabs, everything an organizer does with it. The tab is in the address. */
export default function ClassPage() {
  const { t: tc, formatDate } = useLocale();
  const t = useTrainingT();
  const { message } = App.useApp();
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const detail = useQuery(classQuery(id));
  // On a phone the eight tabs would overflow into antd's "more" menu (a button inside the tab list,
  // which screen readers cannot make sense of): a plain chooser instead.
  const wide = Grid.useBreakpoint().md !== false;
  const { setStatus } = useTrainingMutations(id);
  const tab: TabKey = TABS.includes(search.get('tab') as TabKey) ? (search.get('tab') as TabKey) : 'overview';

  if (detail.isPending) return <Card><LoadingBlock rows={10} /></Card>;
  if (detail.error) return <ErrorBlock error={detail.error} onRetry={() => void detail.refetch()} />;
  const c = detail.data;
  const canOrganize = c.owned;
  const index = CLASS_STATUSES.indexOf(c.status);
  const next = CLASS_STATUSES[index + 1];
  const previous = CLASS_STATUSES[index - 1];
  const move = (status: (typeof CLASS_STATUSES)[number]) =>
    setStatus.mutate({ id, status }, { onError: (error) => void message.error(problemText(error, tc)) });

  const items = [
    { key: 'overview', label: t('tab.overview'), children: <OverviewTab detail={c} /> },
    { key: 'timetable', label: t('tab.timetable'), children: <TimetableTab detail={c} canOrganize={canOrganize} /> },
    { key: 'trainees', label: t('tab.trainees'), children: <TraineesTab detail={c} /> },
    { key: 'checkin', label: t('tab.checkin'), children: <CheckinTab detail={c} canOrganize={canOrganize} /> },
    { key: 'courses', label: t('tab.courses'), children: <CoursesTab detail={c} canOrganize={canOrganize} /> },
    { key: 'progress', label: t('tab.progress'), children: <ProgressTab detail={c} /> },
    { key: 'certificates', label: t('tab.certificates'), children: <CertificatesTab detail={c} canOrganize={canOrganize} /> },
    { key: 'report', label: t('tab.report'), children: <ReportTab detail={c} /> },
  ];

  return (
    <Card>
      <Flex justify="space-between" align="start" wrap gap={12}>
        <div>
          <nav aria-label={t('breadcrumb')}>
            <Typography.Text type="secondary">
              <Link to="/training" aria-label={t('backToClasses')}><ArrowLeftOutlined /> {t('title')}</Link>{c.planTitle ? ` / ${c.planTitle}` : ''}
            </Typography.Text>
          </nav>
          <Typography.Title level={1} style={{ fontSize: 20, margin: '4px 0' }}>
            {c.title} <ClassStatusTag status={c.status} />
          </Typography.Title>
          <Typography.Text type="secondary">
            {[c.orgName, formatRange(formatDate, c.startsOn, c.endsOn), c.venue].filter(Boolean).join(' · ')}
          </Typography.Text>
        </div>
        {canOrganize && (
          <Space wrap>
            {previous && <Button onClick={() => move(previous)} loading={setStatus.isPending}>{t('statusStep.back', { status: t(`status.${previous}`) })}</Button>}
            {next && <Button type="primary" onClick={() => move(next)} loading={setStatus.isPending}>{t('statusStep.next', { status: t(`status.${next}`) })}</Button>}
            <Button icon={<EditOutlined />} onClick={() => void navigate(`/training/classes/${id}/edit`)}>{tc('action.edit')}</Button>
          </Space>
        )}
      </Flex>
      {!wide ? (
        <div style={{ marginTop: 12 }}>
          <Select
            aria-label={t('sections')}
            value={tab}
            onChange={(key) => setSearch(key === 'overview' ? {} : { tab: key }, { replace: true })}
            options={items.map((item) => ({ value: item.key, label: item.label }))}
            style={{ width: '100%', marginBottom: 12 }}
          />
          <section aria-label={items.find((item) => item.key === tab)!.label}>{items.find((item) => item.key === tab)!.children}</section>
        </div>
      ) : (
      <Tabs
        style={{ marginTop: 8 }}
        activeKey={tab}
        destroyOnHidden
        onChange={(key) => setSearch(key === 'overview' ? {} : { tab: key }, { replace: true })}
        items={items}
      />
      )}
    </Card>
  );
}
