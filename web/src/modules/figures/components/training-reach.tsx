import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { QueryView } from '../../../shared/ui/states.tsx';
import { figuresQuery } from '../api.ts';

/** Training reach of an organization's whole subtree: places taken on site and live, withdrawals, valid certificates. */
export function TrainingReach({ orgId }: { orgId: number }) {
  const { t, formatNumber } = useLocale();
  const figures = useQuery(figuresQuery(orgId));
  return (
    <Card size="small" title={t('figures.training.title')}>
      <QueryView query={figures} rows={2} minHeight={76}>
        {({ training }) => (
          <>
            <Row gutter={[16, 16]}>
              {([
                ['figures.training.enrolledOnsite', training.enrolled.onsite],
                ['figures.training.enrolledLive', training.enrolled.live],
                ['figures.training.withdrawn', training.withdrawn],
                ['figures.training.certified', training.certified],
              ] as const).map(([label, value]) => (
                <Col key={label} xs={12} md={6}>
                  <Statistic title={t(label)} value={value} formatter={(v) => formatNumber(Number(v))} />
                </Col>
              ))}
            </Row>
            <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0' }}>{t('figures.training.note')}</Typography.Paragraph>
          </>
        )}
      </QueryView>
    </Card>
  );
}
