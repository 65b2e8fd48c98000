import type { WorkbenchCard } from '@workers-home/contract';
import type { WorkbenchContribution } from '../../house/module.ts';
import { scopeOf } from '../../plugins/access.ts';
import { peoplePolicy } from './policy.ts';

/**
 * The people module's cards: member imports into the caller's subtrees that failed or were
 * refused this past week, and transfer requests waiting for the caller's decision (the union
 * that holds the person decides).
 */
export const peopleWorkbench: WorkbenchContribution = {
  async cards(db, caller, now) {
    const readRoots = scopeOf(caller, peoplePolicy.read);
    const writeRoots = scopeOf(caller, peoplePolicy.write);
    if (readRoots.length === 0) return [];
    const counts = await db.query<{ imports: number; transfers: number }>(
      `SELECT (SELECT count(*)::int FROM import_jobs
                WHERE org_path <@ $1::ltree[] AND status IN ('failed', 'rejected') AND created_at > $3::timestamptz - interval '7 days') AS imports,
              (SELECT count(*)::int FROM transfer_requests r JOIN orgs f ON f.id = r.from_org_id
                WHERE r.status = 'pending' AND f.path <@ $2::ltree[]) AS transfers`,
      [readRoots, writeRoots, now],
    );
    const { imports, transfers } = counts.rows[0]!;
    const cards: WorkbenchCard[] = [{ id: 'people.importsFailed', count: imports, link: '/members/import' }];
    if (writeRoots.length > 0) cards.push({ id: 'people.transfersWaiting', count: transfers, link: '/members/transfers' });
    return cards;
  },
};
