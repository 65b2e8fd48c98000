import { Button, Card, Flex, List, Tag, Typography } from 'antd';
import { PlusOutlined, RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { MyCoverage } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { EmptyBlock, QueryView } from '../../../shared/ui/states.tsx';
import { Facts } from '../components/claim-view.tsx';
import { ClaimStatusTag } from '../components/labels.tsx';
import { useServicesT } from '../i18n/use-services-t.ts';
import { formatFen } from '../../../shared/money.ts';
import { myClaimsQuery, myCoverageQuery } from './api.ts';
import '../components/services.css';

const heading = (text: string) => <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{text}</Typography.Title>;
const STATE_COLOR: Record<MyCoverage['state'], string> = { covered: 'success', waiting: 'processing', unpaid: 'warning', ended: 'default' };

/** Huigong Bao in the member app: am I covered, by which plan, what is left this year; my claims. */
export default function MyServicesPage() {
  const t = useServicesT();
  const { formatDate } = useLocale();
  const coverage = useQuery(myCoverageQuery);
  const claims = useQuery(myClaimsQuery);
  const canClaim = (coverage.data ?? []).some((c) => c.state === 'covered');
  return (
    <Flex vertical gap={12}>
      <Card title={heading(t('my.coverage'))}>
        <QueryView query={coverage} rows={4}>
          {(list) => list.length ? (
            <Flex vertical gap={16}>
              {list.map((c) => (
                <div key={c.planId} data-testid="my-coverage">
                  <Flex justify="space-between" align="start" gap={8} wrap>
                    <div style={{ minWidth: 0 }}>
                      <Typography.Text strong>{c.planName}</Typography.Text>
                      <div><Typography.Text type="secondary" style={{ fontSize: 13 }}>{c.orgName}</Typography.Text></div>
                    </div>
                    <Tag color={STATE_COLOR[c.state]} style={{ marginInlineEnd: 0 }}>{t(`my.state.${c.state}`)}</Tag>
                  </Flex>
                  <div style={{ marginTop: 8 }}>
                    <Facts items={[
                      [t('my.period'), c.coveredFrom ? `${formatDate(c.coveredFrom)} – ${formatDate(c.coveredTo)}` : t('my.unpaidHint'), 'wide'],
                      [t('my.benefitLeft'), <strong key="l" className="services-money">{formatFen(c.benefitLeftFen)}</strong>],
                      [t('my.staysLeft'), t('my.staysLeftValue', { count: c.staysLeft })],
                      [t('my.rules'), t('rules.summary', {
                        daily: formatFen(c.rules.dailyAllowanceFen), deductible: c.rules.deductibleDays, stayCap: formatFen(c.rules.perStayCapFen),
                        yearCap: formatFen(c.rules.perYearCapFen), stays: c.rules.maxStaysPerYear, minDays: c.rules.minStayDays,
                      }), 'wide'],
                    ]} />
                  </div>
                </div>
              ))}
              {canClaim ? <Link to="/services/claims/new"><Button type="primary" block icon={<PlusOutlined />}>{t('my.fileClaim')}</Button></Link> : null}
            </Flex>
          ) : <EmptyBlock description={t('my.notEnrolled')}><Typography.Text type="secondary">{t('my.notEnrolledHint')}</Typography.Text></EmptyBlock>}
        </QueryView>
      </Card>
      <Card title={heading(t('my.claims'))}>
        <QueryView query={claims} rows={3}>
          {(list) => list.length ? (
            <List
              dataSource={list}
              renderItem={(c) => (
                <List.Item>
                  <Link to={`/services/claims/${c.id}`} style={{ display: 'block', width: '100%', color: 'inherit' }} data-testid="my-claim">
                    <Flex justify="space-between" align="center" gap={8}>
                      <div style={{ minWidth: 0 }}>
                        <Flex gap={8} align="center" wrap><Typography.Text strong>{c.hospital}</Typography.Text><ClaimStatusTag status={c.status} /></Flex>
                        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                          {t('claim.stayRange', { from: formatDate(c.admittedOn), to: formatDate(c.dischargedOn), days: c.days })}
                        </Typography.Text>
                        <div><Typography.Text style={{ fontSize: 13 }}>{t('my.benefit')} <span className="services-money">{formatFen(c.approvedFen)}</span></Typography.Text></div>
                      </div>
                      <RightOutlined aria-hidden />
                    </Flex>
                  </Link>
                </List.Item>
              )}
            />
          ) : <EmptyBlock description={t('my.noClaims')} />}
        </QueryView>
      </Card>
    </Flex>
  );
}
