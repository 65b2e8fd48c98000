import { Fragment } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Membership } from '@workers-home/contract';
import { ApiError } from '../../../shared/api/client.ts';
import { myPersonQuery } from './queries.ts';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { PlainCard, PlainErrorBlock, PlainNotice, PlainSkeleton } from '../../../shared/ui/plain.tsx';
import { GENDER_LABEL } from '../components/people-labels.ts';
import { StatusBadge } from '../components/status-badge.tsx';
import './my-record-page.css';

function MembershipTimeline({ memberships }: { memberships: Membership[] }) {
  const { t, formatDate } = useLocale();
  return (
    <ol className="wh-plain-timeline">
      {memberships.map((m) => (
        <li key={m.id} className="wh-plain-timeline-item">
          <span className={m.status === 'active' ? 'wh-plain-timeline-dot wh-plain-timeline-dot-active' : 'wh-plain-timeline-dot'} aria-hidden />
          <strong>{m.orgName ?? t('people.anotherUnion')}</strong> <StatusBadge status={m.status} />
          <div className="wh-plain-secondary">
            {m.endedOn ? t('memberApp.period', { from: formatDate(m.joinedOn), to: formatDate(m.endedOn) }) : t('memberApp.periodOpen', { from: formatDate(m.joinedOn) })}
          </div>
          {m.note && <div className="wh-plain-secondary">{m.note}</div>}
        </li>
      ))}
    </ol>
  );
}

/**
 * My union, profile and membership history: the member app's first page, opened on nearly every
 * visit. Plain HTML (shared/ui/plain.tsx), so it shows before antd has loaded.
 */
export default function MyRecordPage() {
  const { t, formatDate } = useLocale();
  const person = useQuery(myPersonQuery);
  // Offline before any data came: the banner above says so; no endless skeleton.
  if (person.isPending && person.fetchStatus === 'paused') return null;
  if (person.isPending) return <PlainCard><PlainSkeleton rows={8} minHeight={420} /></PlainCard>;
  if (person.error) {
    if (person.error instanceof ApiError && person.error.status === 404) return <PlainNotice tone="info" title={t('memberApp.noRecord')} />;
    return <PlainErrorBlock error={person.error} onRetry={() => void person.refetch()} minHeight={420} />;
  }
  const p = person.data;
  const current = p.memberships.find((m) => m.status === 'active');
  const fields: Array<[string, string]> = [
    [t('people.field.name'), p.name],
    [t('people.field.gender'), t(GENDER_LABEL[p.gender])],
    [t('people.field.birthDate'), formatDate(p.birthDate)],
    [t('people.field.idNumber'), p.idNumberMasked],
    [t('people.field.phone'), p.phone ?? '—'],
    [t('people.field.employer'), p.employer ?? '—'],
  ];
  return (
    <div className="wh-my-record">
      <PlainCard title={t('memberApp.myUnion')}>
        {current ? (
          <>
            <p className="wh-my-record-union" data-testid="my-union">{current.orgName}</p>
            <div className="wh-plain-secondary">{t('memberApp.joinedOn', { date: formatDate(current.joinedOn) })}</div>
            {current.cardNumber && <div className="wh-plain-secondary">{t('memberApp.cardNumber', { number: current.cardNumber })}</div>}
          </>
        ) : (
          <span>{t('memberApp.noUnion')}</span>
        )}
      </PlainCard>
      <PlainCard title={t('memberApp.profile')}>
        <dl className="wh-plain-fields">
          {fields.map(([label, value], i) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd className={i === 3 ? 'wh-my-record-id' : undefined}>{value}</dd>
            </Fragment>
          ))}
        </dl>
      </PlainCard>
      <PlainCard title={t('memberApp.history')}>
        <MembershipTimeline memberships={p.memberships} />
      </PlainCard>
    </div>
  );
}
