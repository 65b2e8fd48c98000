import { Flex } from 'antd';
import { Link } from 'react-router';
import { MODULE_ACCESS } from '@workers-home/contract/access';
import { holdsAny, useMe } from '../../auth/index.ts';
import { useServicesT } from '../i18n/use-services-t.ts';
import './services.css';

/** The title bar of Huigong Bao's console lists: plans, claims, payouts (those the caller's roles reach). */
export function ServicesTabs({ current }: { current: 'plans' | 'claims' | 'batches' }) {
  const t = useServicesT();
  const me = useMe().data;
  const tabs = [
    { key: 'plans', to: '/services', label: t('plans'), show: true },
    // A reviewer's claims open on their queue: in review, waiting for their organizations.
    { key: 'claims', to: holdsAny(me, MODULE_ACCESS.services.review) ? '/services/claims?waitingForMe=true&status=in_review' : '/services/claims', label: t('claims'), show: true },
    { key: 'batches', to: '/services/batches', label: t('batches'), show: holdsAny(me, MODULE_ACCESS.services.pay) },
  ] as const;
  return (
    <Flex component="nav" aria-label={t('title')} gap={16} wrap align="baseline">
      <h1 className="services-tabs-title">{t('title')}</h1>
      {tabs.filter((tab) => tab.show || tab.key === current).map((tab) => (tab.key === current
        ? <span key={tab.key} className="services-tab services-tab-current" aria-current="page">{tab.label}</span>
        : <Link key={tab.key} to={tab.to} className="services-tab">{tab.label}</Link>))}
    </Flex>
  );
}
