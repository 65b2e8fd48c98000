import type { SubtreeFigures } from '@workers-home/contract';
import { statementName, type Queryable } from '../db/pool.ts';
import type { FiguresContribution } from './module.ts';

/**
 * An organization's path and the figures of its whole subtree, composed of the contributions,
 * with how many stored delta rows they were summed from; undefined when there is no such
 * organization. The caller checks the path against the caller's scope. Each contribution is a
 * statement of its own: on Citus the tree is a copy on every node and the figures are spread by
 * province, and Citus plans no subquery from the one into the other.
 */
export async function readSubtreeFigures(db: Queryable, orgId: number, contributions: readonly FiguresContribution[], now: Date) {
  const org = await db.query<{ path: string }>({ name: 'org-path', text: 'SELECT path::text AS path FROM orgs WHERE id = $1', values: [orgId] });
  const path = org.rows[0]?.path;
  if (path === undefined) return undefined;
  const figures = { orgId, asOf: now.toISOString() } as Record<string, unknown>;
  let deltaRows = 0;
  // At once, on the pool's connections (a client runs them one after another).
  const answers = await Promise.all(contributions.map((contribution) =>
    db.query<Record<string, unknown>>({ name: statementName(`figures-${contribution.key}`, contribution.sql), text: contribution.sql, values: [orgId] })));
  contributions.forEach((contribution, i) => {
    const rows = answers[i]!.rows;
    for (const r of rows) deltaRows += Number(r.rows);
    figures[contribution.key] = contribution.fold(rows, now);
  });
  return { path, figures: figures as unknown as SubtreeFigures, deltaRows };
}
