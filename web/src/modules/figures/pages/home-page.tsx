import { Button, Select, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { Me, SubtreeFigures, Workbench } from '@workers-home/contract';
import { useMe } from '../../auth/index.ts';
import { HOME_SHORTCUTS } from '../../index.ts';
import { useLocale, type MessageKey } from '../../../shared/i18n/locale.tsx';
import { Panel } from '../../../shared/ui/panel.tsx';
import { EmptyBlock, QueryView } from '../../../shared/ui/states.tsx';
import { figuresQuery, trendQuery, workbenchQuery } from '../api.ts';
import { MemberTrendChart } from '../components/member-trend-chart.tsx';
import './home-page.css';

/**
 * The first page after signing in: the figures of the caller's subtree with their trend, what
 * waits for the caller (each module's cards), and shortcuts to what is most often done.
 * A caller holding roles in several subtrees picks which one the figures show.
 */
export default function HomePage() {
  const { t } = useLocale();
  const me = useMe();
  const workbench = useQuery(workbenchQuery());
  const [search, setSearch] = useSearchParams();
  return (
    <div className="wh-home">
      <QueryView query={workbench} rows={6}>
        {(bench) => {
          const chosen = Number(search.get('org'));
          const root = bench.roots.find((r) => r.id === chosen) ?? bench.roots[0];
          return (
            <>
              <div className="wh-home-head">
                <Typography.Title level={1} className="wh-home-title">{t('home.title')}</Typography.Title>
                {bench.roots.length > 1 ? (
                  <Select
                    aria-label={t('home.subtree')} value={root?.id} className="wh-home-root"
                    options={bench.roots.map((r) => ({ value: r.id, label: r.name }))}
                    onChange={(id: number) => setSearch({ org: String(id) }, { replace: true })}
                  />
                ) : root && <Typography.Text type="secondary" className="wh-home-root-name">{root.name}</Typography.Text>}
              </div>
              {root && <SubtreeTiles orgId={root.id} />}
              <div className="wh-home-columns">
                {root && <TrendPanel orgId={root.id} />}
                <WaitingPanel cards={bench.cards} />
              </div>
              {me.data && <Shortcuts me={me.data} />}
            </>
          );
        }}
      </QueryView>
    </div>
  );
}

function Tile({ label, value, note }: { label: string; value: string; note?: string | undefined }) {
  return (
    <div className="wh-home-tile">
      <div className="wh-home-tile-label">{label}</div>
      <div className="wh-home-tile-value">{value}</div>
      {note && <div className="wh-home-tile-note">{note}</div>}
    </div>
  );
}

/** The subtree's headline figures; this month's joins and ends under the members. */
function SubtreeTiles({ orgId }: { orgId: number }) {
  const { t, formatNumber } = useLocale();
  const figures = useQuery(figuresQuery(orgId));
  const trend = useQuery(trendQuery(orgId));
  const thisMonth = trend.data?.months.at(-1);
  const unions = (f: SubtreeFigures) => Object.values(f.unionsByLevel).reduce((sum, n) => sum + n, 0);
  return (
    <QueryView query={figures} rows={2} minHeight={96}>
      {(f) => (
        <section className="wh-home-tiles" aria-label={t('home.figures')}>
          <Tile
            label={t('home.tile.members')} value={formatNumber(f.members.active)}
            note={thisMonth && t('home.tile.membersMonth', { joined: thisMonth.joined, ended: thisMonth.ended })}
          />
          <Tile label={t('home.tile.unions')} value={formatNumber(unions(f))} note={t('home.tile.grassroots', { count: f.unionsByLevel.grassroots })} />
          <Tile label={t('home.tile.trainees')} value={formatNumber(f.training.enrolled.onsite + f.training.enrolled.live)} note={t('home.tile.traineesNote', { live: f.training.enrolled.live })} />
          <Tile label={t('home.tile.certified')} value={formatNumber(f.training.certified)} />
          {/* A server older than the services module answers no services figures. */}
          {(f.services as SubtreeFigures['services'] | undefined) && (
            <Tile label={t('home.tile.servicesCovered')} value={formatNumber(f.services.covered)} note={t('home.tile.servicesClaims', { count: f.services.claimsByStatus.in_review ?? 0 })} />
          )}
        </section>
      )}
    </QueryView>
  );
}

function TrendPanel({ orgId }: { orgId: number }) {
  const { t } = useLocale();
  const trend = useQuery(trendQuery(orgId));
  return (
    <Panel title={t('home.trend.title')}>
      <QueryView query={trend} rows={5} minHeight={280}>
        {(data) => <MemberTrendChart trend={data} />}
      </QueryView>
    </Panel>
  );
}

/** Every module's cards, those with something waiting first; an empty state when nothing waits. */
function WaitingPanel({ cards }: { cards: Workbench['cards'] }) {
  const { t, formatNumber } = useLocale();
  const waiting = cards.filter((c) => c.count > 0);
  return (
    <Panel title={t('home.waiting.title')} className="wh-home-waiting">
      {cards.length === 0 || waiting.length === 0 ? <EmptyBlock description={t('home.waiting.none')} /> : (
        <ul className="wh-home-cards">
          {waiting.map((card) => (
            <li key={card.id}>
              <Link to={card.link} className="wh-home-card">
                <span className="wh-home-card-count">{formatNumber(card.count)}</span>
                <span className="wh-home-card-label">{t(`home.card.${card.id}` as MessageKey, { count: card.count })}</span>
                <RightOutlined aria-hidden className="wh-home-card-go" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function Shortcuts({ me }: { me: Me }) {
  const { t } = useLocale();
  const allowed = HOME_SHORTCUTS.filter((s) => me.grants.some((g) => s.roles.includes(g.role)));
  if (allowed.length === 0) return null;
  return (
    <Panel title={t('home.shortcuts')}>
      <nav className="wh-home-shortcuts" aria-label={t('home.shortcuts')}>
        {allowed.map((s) => <Link key={s.path} to={s.path}><Button tabIndex={-1}>{t(s.label)}</Button></Link>)}
      </nav>
    </Panel>
  );
}
