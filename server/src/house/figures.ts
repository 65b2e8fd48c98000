import type { SubtreeFigures } from '@workers-home/contract';
import { statementName, type Queryable } from '../db/pool.ts';
import type { FiguresContribution } from './module.ts';

/**
 * The statement that reads an organization's path and every contribution's rows at once
 * (each contribution's query as a JSON array beside the path): one round trip.
 */
function figuresStatement(contributions: readonly FiguresContribution[]) {
  const parts = contributions.map((c, i) => `(SELECT coalesce(json_agg(f), '[]') FROM (${c.sql}) f) AS c${i}`);
  const text = `SELECT o.path::text AS path${parts.map((p) => `, ${p}`).join('')} FROM orgs o WHERE o.id = $1`;
  return { name: statementName('subtree-figures', text), text };
}

const statements = new WeakMap<readonly FiguresContribution[], { name: string; text: string }>();

/**
 * An organization's path and the figures of its whole subtree, composed of the contributions,
 * with how many stored delta rows they were summed from; undefined when there is no such
 * organization. The caller checks the path against the caller's scope.
 */
export async function readSubtreeFigures(db: Queryable, orgId: number, contributions: readonly FiguresContribution[], now: Date) {
  let statement = statements.get(contributions);
  if (!statement) statements.set(contributions, statement = figuresStatement(contributions));
  const result = await db.query<Record<string, unknown> & { path: string }>({ ...statement, values: [orgId] });
  const row = result.rows[0];
  if (!row) return undefined;
  const figures = { orgId, asOf: now.toISOString() } as Record<string, unknown>;
  let deltaRows = 0;
  contributions.forEach((contribution, i) => {
    const rows = row[`c${i}`] as Array<Record<string, unknown>>;
    for (const r of rows) deltaRows += Number(r.rows);
    figures[contribution.key] = contribution.fold(rows, now);
  });
  return { path: row.path, figures: figures as unknown as SubtreeFigures, deltaRows };
}
