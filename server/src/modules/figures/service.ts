import type { SubtreeFigures } from '@workers-home/contract';
import type { Pool, Queryable } from '../../db/pool.ts';
import { notFound } from '../../errors.ts';
import type { FiguresContribution } from '../../house/module.ts';
import { canReach, type Caller } from '../../plugins/access.ts';
import { findOrg } from '../orgs/service.ts';
import { figuresPolicy } from './policy.ts';

// Above this many delta rows for one organization, its figures are compacted after the read.
const COMPACT_ABOVE = 2000;

/**
 * The figures of an organization's whole subtree, composed of every module's contribution
 * (each one or two index lookups, whatever the subtree's size). Reading an organization
 * whose stored deltas have piled up folds them (compact_subtree_figures, migration 0035).
 */
export async function subtreeFigures(db: Queryable, orgId: number, contributions: readonly FiguresContribution[], now = new Date()): Promise<SubtreeFigures> {
  const figures = { orgId, asOf: now.toISOString() } as Record<string, unknown>;
  let deltaRows = 0;
  // One after another: under load, one connection per request serves more requests.
  for (const contribution of contributions) {
    const part = await contribution.read(db, orgId, now);
    figures[contribution.key] = part.value;
    deltaRows += part.deltaRows;
  }
  if (deltaRows > COMPACT_ABOVE && 'connect' in db) {
    void (db as Pool).query('SELECT compact_subtree_figures(ARRAY[$1::bigint])', [orgId]).catch(() => undefined);
  }
  return figures as SubtreeFigures;
}

export async function figuresFor(db: Queryable, caller: Caller, orgId: number, contributions: readonly FiguresContribution[]): Promise<SubtreeFigures> {
  const org = await findOrg(db, orgId);
  if (!org || !canReach(caller, figuresPolicy.read, org.path)) throw notFound(`Organization ${orgId}`);
  return subtreeFigures(db, orgId, contributions);
}
