import type { FiguresTrend, SubtreeFigures, Workbench, WorkbenchCard } from '@workers-home/contract';
import { chinaDate } from '../../china-time.ts';
import type { Pool, Queryable } from '../../db/pool.ts';
import { notFound } from '../../errors.ts';
import { readSubtreeFigures } from '../../house/figures.ts';
import type { FiguresContribution, WorkbenchContribution } from '../../house/module.ts';
import { canReach, scopeOf, type Caller } from '../../plugins/access.ts';
import { findOrg } from '../orgs/service.ts';
import { memberTrend } from '../people/index.ts';
import { figuresPolicy } from './policy.ts';

// Above this many delta rows for one organization, its figures are compacted after the read.
const COMPACT_ABOVE = 2000;

/**
 * The figures of an organization's whole subtree, composed of every module's contribution
 * (one statement: each contribution one or two index lookups, whatever the subtree's size).
 * Reading an organization whose stored deltas have piled up folds them
 * (compact_subtree_figures, migration 0035).
 */
export async function figuresFor(db: Queryable, caller: Caller, orgId: number, contributions: readonly FiguresContribution[], now = new Date()): Promise<SubtreeFigures> {
  const read = await readSubtreeFigures(db, orgId, contributions, now);
  if (!read || !canReach(caller, figuresPolicy.read, read.path)) throw notFound(`Organization ${orgId}`);
  if (read.deltaRows > COMPACT_ABOVE && 'connect' in db) {
    void (db as Pool).query('SELECT compact_subtree_figures(ARRAY[$1::bigint])', [orgId]).catch(() => undefined);
  }
  return read.figures;
}

// A subtree's trend reads every membership of the subtree that began or ended within a year:
// a province's takes a moment, so each is kept for a while (per server; it changes slowly).
const TREND_TTL_MS = 10 * 60_000;
const trendCaches = new WeakMap<Queryable, Map<number, { at: number; trend: FiguresTrend }>>();

export async function trendFor(db: Queryable, caller: Caller, orgId: number, now = new Date()): Promise<FiguresTrend> {
  const org = await findOrg(db, orgId);
  if (!org || !canReach(caller, figuresPolicy.read, org.path)) throw notFound(`Organization ${orgId}`);
  let trendCache = trendCaches.get(db);
  if (!trendCache) trendCaches.set(db, trendCache = new Map<number, { at: number; trend: FiguresTrend }>());
  const cached = trendCache.get(orgId);
  if (cached && now.getTime() - cached.at < TREND_TTL_MS) return cached.trend;
  const trend: FiguresTrend = { orgId, months: await memberTrend(db, org.path, chinaDate(now)), asOf: now.toISOString() };
  if (trendCache.size > 1000) trendCache.clear();
  trendCache.set(orgId, { at: now.getTime(), trend });
  return trend;
}

/**
 * The caller's home page: the organizations at the top of their subtrees, and every module's
 * cards of what waits for them (one module after another, as the figures are read).
 */
export async function workbenchFor(db: Queryable, caller: Caller, contributions: readonly WorkbenchContribution[], now = new Date()): Promise<Workbench> {
  const rootPaths = scopeOf(caller, figuresPolicy.read);
  const roots = rootPaths.length === 0 ? [] : (await db.query<Workbench['roots'][number]>(
    `SELECT id::int, name, level FROM orgs WHERE id = ANY($1::bigint[]) ORDER BY path`, [rootPaths.map((p) => Number(p.split('.').pop()))],
  )).rows;
  const cards: WorkbenchCard[] = [];
  for (const contribution of contributions) cards.push(...await contribution.cards(db, caller, now));
  return { roots, cards };
}
