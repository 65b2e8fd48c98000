import { App, Button, Flex, Tabs, Typography } from 'antd';
import { CopyOutlined, EditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { MODULE_ACCESS } from '@workers-home/contract/access';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { problemText } from '../../../shared/i18n/server-messages.ts';
import { Panel } from '../../../shared/ui/panel.tsx';
import { ErrorBlock, LoadingBlock } from '../../../shared/ui/states.tsx';
import { holdsAny, useMe } from '../../auth/index.ts';
import { LEVEL_LABEL } from '../../orgs/index.ts';
import { planQuery, useCopyPlan } from '../api.ts';
import { Facts } from '../components/claim-view.tsx';
import { DownloadButton } from '../../../shared/ui/download-button.tsx';
import { EnrolmentTab } from '../components/enrolment-tab.tsx';
import { PlanStatusTag } from '../components/labels.tsx';
import { RulesTab } from '../components/rules-tab.tsx';
import { StatementsTab } from '../components/statements-tab.tsx';
import { useServicesT } from '../i18n/use-services-t.ts';
import { formatFen } from '../../../shared/money.ts';

const TABS = ['rules', 'enrolment', 'statements'] as const;
type TabKey = (typeof TABS)[number];

/** One plan: its facts, and in tabs its rules (with versions), enrolment and contribution statements. */
export default function PlanPage() {
  const t = useServicesT();
  const { t: tc, formatDate, formatNumber } = useLocale();
  const { message, modal } = App.useApp();
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const plan = useQuery(planQuery(id));
  const copy = useCopyPlan(id);
  const canManage = holdsAny(useMe().data, MODULE_ACCESS.services.manage);
  const tab: TabKey = TABS.includes(search.get('tab') as TabKey) ? (search.get('tab') as TabKey) : 'rules';

  if (plan.isPending) return <Panel><LoadingBlock rows={10} /></Panel>;
  if (plan.error) return <Panel><ErrorBlock error={plan.error} onRetry={() => void plan.refetch()} /></Panel>;
  const p = plan.data;

  const copyToNextYear = () => modal.confirm({
    title: t('plan.copy'),
    content: t('plan.copyConfirm', { year: p.planYear + 1 }),
    onOk: () => copy.mutate(undefined, {
      onSuccess: (next) => {
        void message.success(t('plan.copied', { year: next.planYear }));
        void navigate(`/services/plans/${next.id}`);
      },
      onError: (error) => void message.error(problemText(error, tc)),
    }),
  });

  return (
    <Panel>
      {/* The plan's name is the users' words: a heading in the page, not in the panel's title bar. */}
      <Flex gap={8} align="center" justify="space-between" wrap style={{ marginBottom: 16 }}>
        <Flex gap={8} align="center" wrap><Typography.Title level={1} style={{ fontSize: 18, margin: 0 }}>{p.name}</Typography.Title><PlanStatusTag status={p.status} /></Flex>
        <Flex gap={8} wrap>
          {canManage ? <Link to={`/services/plans/${p.id}/edit`}><Button icon={<EditOutlined />}>{t('plan.edit')}</Button></Link> : null}
          {canManage ? <Button icon={<CopyOutlined />} onClick={() => { copyToNextYear(); }}>{t('plan.copy')}</Button> : null}
          <DownloadButton path={`/services/plans/${p.id}/report.xlsx`} fileName={`${p.name}.xlsx`} label={t('plan.report')} />
        </Flex>
      </Flex>
      <Facts items={[
        [t('plan.org'), p.orgName, 'wide'],
        [t('plan.year'), String(p.planYear)],
        [t('plan.enrol'), `${formatDate(p.enrolStart)} – ${formatDate(p.enrolEnd)}`, 'wide'],
        [t('plan.coverage'), `${formatDate(p.coverageStart)} – ${formatDate(p.coverageEnd)}`, 'wide'],
        [t('plan.contributionShort'), formatFen(p.contributionFen)],
        [t('plan.waitingDays'), String(p.waitingDays)],
        [t('plan.reviewLevels'), p.reviewLevels.map((l) => tc(LEVEL_LABEL[l])).join(' → '), 'wide'],
        [t('plan.sampling'), p.sampling ? `${formatFen(p.sampling.reviewAboveFen)} · ${Math.round(p.sampling.sampleShare * 100)}%` : '—'],
        [t('plan.minAge'), p.minAge === null ? '—' : String(p.minAge)],
        [t('plan.maxAge'), p.maxAge === null ? '—' : String(p.maxAge)],
        [t('plan.enrolled'), formatNumber(p.enrolled)],
        [t('plan.covered'), formatNumber(p.covered)],
      ]} />
      <Tabs
        style={{ marginTop: 16 }}
        activeKey={tab}
        onChange={(key) => setSearch((s) => { const next = new URLSearchParams(s); next.set('tab', key); next.delete('page'); return next; }, { replace: true })}
        items={[
          { key: 'rules', label: t('tab.rules'), children: <RulesTab plan={p} /> },
          { key: 'enrolment', label: t('tab.enrolment'), children: <EnrolmentTab plan={p} canManage={canManage} /> },
          { key: 'statements', label: t('tab.statements'), children: <StatementsTab plan={p} canManage={canManage} /> },
        ]}
      />
    </Panel>
  );
}
