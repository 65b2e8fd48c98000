import { Col, Descriptions, Progress, Row, Statistic, Steps, Typography } from 'antd';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { useTrainingT } from '../i18n/use-training-t.ts';
import { CLASS_STATUSES, type TrainingClassDetail } from '../types.ts';
import { formatRange, percent } from './labels.tsx';

function Capacity({ label, enrolled, capacity }: { label: string; enrolled: number; capacity: number }) {
  const { formatNumber } = useLocale();
  const t = useTrainingT();
  const share = capacity > 0 ? Math.min(100, Math.round((enrolled / capacity) * 100)) : 0;
  return (
    <div>
      <Statistic title={label} value={formatNumber(enrolled)} suffix={<span style={{ fontSize: 14 }}>/ {t('overview.capacity', { count: capacity })}</span>} />
      <Progress percent={share} status={enrolled >= capacity && capacity > 0 ? 'exception' : 'normal'} format={() => (enrolled >= capacity && capacity > 0 ? t('overview.full') : `${share}%`)} aria-label={label} />
    </div>
  );
}

/** Enrolled against capacity per mode, where the class is in its life, its facts and completion rules. */
export function OverviewTab({ detail: c }: { detail: TrainingClassDetail }) {
  const { formatDate } = useLocale();
  const t = useTrainingT();
  const onsite = c.counts.seatsTakenOnsite;
  const live = c.counts.seatsTakenLive;
  const days = Math.round((Date.parse(c.endsOn) - Date.parse(c.startsOn)) / 86_400_000) + 1;
  const rules = t('overview.rules', { share: percent(Number(c.minAttendanceShare)), minutes: c.minOnlineMinutes })
    + (c.minAssessmentScore !== null ? t('overview.assessment', { score: c.minAssessmentScore }) : '');
  return (
    <div>
      <Steps
        size="small"
        current={CLASS_STATUSES.indexOf(c.status)}
        items={CLASS_STATUSES.map((s) => ({ title: t(`status.${s}`) }))}
        style={{ marginBottom: 24 }}
      />
      <Row gutter={[24, 24]}>
        <Col xs={24} md={8}><Capacity label={t('mode.onsite')} enrolled={onsite} capacity={c.capacityOnsite} /></Col>
        <Col xs={24} md={8}><Capacity label={t('mode.live')} enrolled={live} capacity={c.capacityLive} /></Col>
        <Col xs={24} md={8}>
          <Statistic title={t('overview.sessions')} value={t('overview.sessionCount', { count: c.counts.sessions })} />
          <Typography.Text type="secondary">{t('overview.days', { count: days })}</Typography.Text>
        </Col>
      </Row>
      <Descriptions
        style={{ marginTop: 24 }}
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        styles={{ label: { whiteSpace: 'nowrap' } }}
        items={[
          { key: 'theme', label: t('field.theme'), children: c.theme ?? '—' },
          { key: 'org', label: t('field.org'), children: c.orgName ?? '—' },
          { key: 'host', label: t('field.hostInstitution'), children: c.hostInstitution ?? '—' },
          { key: 'venue', label: t('field.venue'), children: c.venue ?? '—' },
          { key: 'dates', label: t('field.dates'), children: formatRange(formatDate, c.startsOn, c.endsOn) },
          { key: 'hours', label: t('field.classHours'), children: c.classHours ?? '—' },
          { key: 'audience', label: t('field.audienceNote'), children: c.audienceNote ?? '—' },
          { key: 'rules', label: t('section.rules'), children: rules },
        ]}
      />
    </div>
  );
}
