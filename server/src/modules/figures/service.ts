import { AGE_BANDS, type SubtreeFigures } from '@workers-home/contract';
import type { Pool, Queryable } from '../../db/pool.ts';
import { notFound } from '../../errors.ts';
import { canReach, type Caller } from '../../plugins/access.ts';
import { findOrg } from '../orgs/service.ts';
import { figuresPolicy } from './policy.ts';

type AgeBand = (typeof AGE_BANDS)[number];

/** Age is this year minus the birth year: figures stay exact without recounting on birthdays. */
export function ageBand(birthYear: number | null, thisYear: number): AgeBand {
  if (birthYear === null) return 'unknown';
  const age = thisYear - birthYear;
  if (age < 25) return 'under_25';
  if (age < 35) return '25_34';
  if (age < 45) return '35_44';
  if (age < 55) return '45_54';
  return '55_plus';
}

// Above this many delta rows for one organization, its figures are compacted after the read.
const COMPACT_ABOVE = 2000;

/**
 * The figures of an organization's subtree: the maintained figures of its descendants
 * (subtree_member_figures / subtree_org_figures, see migration 0011; subtree_training_figures,
 * 0031) plus its own members, trainees and itself, counted live. Three index lookups,
 * whatever the subtree's size.
 */
export async function subtreeFigures(db: Queryable, orgId: number, now = new Date()): Promise<SubtreeFigures> {
  const members = await db.query<{ status: string; gender: string; birth_year: number | null; n: string; rows: string }>(
    `SELECT status, gender, birth_year, sum(n) AS n, count(*) AS rows FROM (
       SELECT status, gender, birth_year, n FROM subtree_member_figures WHERE org_id = $1
       UNION ALL
       SELECT m.status, p.gender, extract(year FROM p.birth_date)::smallint, 1 FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.org_id = $1
     ) f GROUP BY 1, 2, 3`,
    [orgId],
  );
  const orgs = await db.query<{ level: string; status: string; n: string }>(
    `SELECT level, status, sum(n) AS n FROM (
       SELECT level, status, n FROM subtree_org_figures WHERE org_id = $1
       UNION ALL
       SELECT level, status, 1 FROM orgs WHERE id = $1
     ) f GROUP BY 1, 2`,
    [orgId],
  );
  // Trainee places by mode, status and whether a certificate counts (migration 0031).
  const training = await db.query<{ mode: string; status: string; certified: boolean; n: string; rows: string }>(
    `SELECT mode, status, certified, sum(n) AS n, count(*) AS rows FROM (
       SELECT mode, status, certified, n FROM subtree_training_figures WHERE org_id = $1
       UNION ALL
       SELECT e.mode, e.status, enrolment_certified(e.id), 1 FROM training_enrolments e WHERE e.org_id = $1
     ) f GROUP BY 1, 2, 3`,
    [orgId],
  );
  const thisYear = now.getFullYear();
  const figures: SubtreeFigures = {
    orgId,
    members: {
      active: 0,
      byStatus: { active: 0, transferred_out: 0, left: 0 },
      byGender: { male: 0, female: 0 },
      byAgeBand: Object.fromEntries(AGE_BANDS.map((b) => [b, 0])) as Record<AgeBand, number>,
    },
    unionsByLevel: { national: 0, provincial: 0, industrial: 0, city: 0, county: 0, grassroots: 0 },
    training: { enrolled: { onsite: 0, live: 0 }, withdrawn: 0, certified: 0 },
    asOf: now.toISOString(),
  };
  let deltaRows = 0;
  for (const row of members.rows) {
    const n = Number(row.n);
    deltaRows += Number(row.rows);
    figures.members.byStatus[row.status as keyof SubtreeFigures['members']['byStatus']] += n;
    if (row.status !== 'active') continue;
    figures.members.active += n;
    figures.members.byGender[row.gender as 'male' | 'female'] += n;
    figures.members.byAgeBand[ageBand(row.birth_year, thisYear)] += n;
  }
  for (const row of orgs.rows) {
    if (row.status === 'active') figures.unionsByLevel[row.level as keyof SubtreeFigures['unionsByLevel']] += Number(row.n);
  }
  for (const row of training.rows) {
    const n = Number(row.n);
    deltaRows += Number(row.rows);
    if (row.status === 'enrolled') figures.training.enrolled[row.mode as 'onsite' | 'live'] += n;
    else figures.training.withdrawn += n;
    if (row.certified) figures.training.certified += n;
  }
  if (deltaRows > COMPACT_ABOVE && 'connect' in db) {
    void (db as Pool).query('SELECT compact_subtree_figures(ARRAY[$1::bigint])', [orgId]).catch(() => undefined);
  }
  return figures;
}

export async function figuresFor(db: Queryable, caller: Caller, orgId: number): Promise<SubtreeFigures> {
  const org = await findOrg(db, orgId);
  if (!org || !canReach(caller, figuresPolicy.read, org.path)) throw notFound(`Organization ${orgId}`);
  return subtreeFigures(db, orgId);
}

/**
 * How many memberships (of a status, or all) lie in the given subtrees, from the
 * maintained figures: the member list's total without counting millions of rows.
 * The subtrees must not overlap (as scopeOf returns them).
 */
export async function subtreeMemberTotal(db: Queryable, rootPaths: string[], status: 'active' | 'transferred_out' | 'left' | 'all'): Promise<number> {
  const row = await db.query<{ n: string }>({ name: 'subtree-member-total', text: `SELECT ${subtreeMemberTotalSql('$1', '$2')} AS n`, values: [orgIdsOf(rootPaths), status] });
  return Number(row.rows[0]!.n);
}

/** The organization ids at the end of ltree paths. */
export const orgIdsOf = (paths: string[]) => paths.map((p) => Number(p.split('.').pop()));

/** subtreeMemberTotal as an SQL expression, given the placeholders of the org ids (bigint[]) and the status. */
export const subtreeMemberTotalSql = (orgIds: string, status: string) => `(SELECT coalesce(sum(n), 0) FROM (
    SELECT n FROM subtree_member_figures WHERE org_id = ANY (${orgIds}::bigint[]) AND (${status}::text = 'all' OR status = ${status}::text)
    UNION ALL
    SELECT count(*) FROM memberships WHERE org_id = ANY (${orgIds}::bigint[]) AND (${status}::text = 'all' OR status = ${status}::text)
  ) f)`;
