import { Flex, List, Tag, Typography } from 'antd';
import type { AidPlan, BenefitRules } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { useServicesT } from '../i18n/use-services-t.ts';
import { formatFen } from '../../../shared/money.ts';
import { Facts } from './claim-view.tsx';
import { documentKinds } from './labels.tsx';

export function RulesFacts({ rules }: { rules: BenefitRules }) {
  const t = useServicesT();
  const { locale } = useLocale();
  return (
    <Facts items={[
      [t('rules.dailyAllowance'), formatFen(rules.dailyAllowanceFen)],
      [t('rules.deductibleDays'), String(rules.deductibleDays)],
      [t('rules.perStayCap'), formatFen(rules.perStayCapFen)],
      [t('rules.perYearCap'), formatFen(rules.perYearCapFen)],
      [t('rules.maxStaysPerYear'), String(rules.maxStaysPerYear)],
      [t('rules.minStayDays'), String(rules.minStayDays)],
      [t('rules.requiredDocuments'), rules.requiredDocuments.length ? documentKinds(t, rules.requiredDocuments, locale) : '—', 'wide'],
    ]} />
  );
}

/** The rules in force and every version, newest first, with the date each applies from. */
export function RulesTab({ plan }: { plan: AidPlan }) {
  const t = useServicesT();
  const { formatDate } = useLocale();
  const versions = [...plan.versions].sort((a, b) => b.version - a.version);
  return (
    <Flex vertical gap={16}>
      <RulesFacts rules={plan.rules} />
      <Typography.Title level={3} style={{ fontSize: 15, margin: 0 }}>{t('rules.versions')}</Typography.Title>
      <List
        dataSource={versions}
        renderItem={(v) => (
          <List.Item>
            <Flex vertical gap={4} style={{ width: '100%' }}>
              <Flex gap={8} wrap align="center">
                <Typography.Text strong>{t('rules.version', { version: v.version })}</Typography.Text>
                <Typography.Text type="secondary">{t('rules.effectiveFrom', { date: formatDate(v.effectiveFrom) })}</Typography.Text>
                {JSON.stringify(v.rules) === JSON.stringify(plan.rules) ? <Tag color="green">{t('rules.current')}</Tag> : null}
              </Flex>
              <Typography.Text style={{ fontSize: 13 }}>{t('rules.summary', {
                daily: formatFen(v.rules.dailyAllowanceFen), deductible: v.rules.deductibleDays, stayCap: formatFen(v.rules.perStayCapFen),
                yearCap: formatFen(v.rules.perYearCapFen), stays: v.rules.maxStaysPerYear, minDays: v.rules.minStayDays,
              })}</Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    </Flex>
  );
}
