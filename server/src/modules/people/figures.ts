import { AGE_BANDS, type FiguresTrend, type SubtreeFigures } from '@workers-home/contract';
import type { Queryable } from '../../db/pool.ts';
import type { FiguresContribution } from '../../house/module.ts';

type AgeBand = (typeof AGE_BANDS)[number];
type MemberFigures = SubtreeFigures['members'];

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

/**
 * Members of a subtree by status, gender and age band: subtree_member_figures (migrations
 * 0011 and 0035) for the descendants, the organization's own memberships counted live.
 */
export const memberFigures: FiguresContribution<'members'> = {
  key: 'members',
  sql: `SELECT status, gender, birth_year, sum(n) AS n, count(*) AS rows FROM (
      SELECT status, gender, birth_year, n FROM subtree_member_figures WHERE org_id = $1
      UNION ALL
      SELECT m.status, p.gender, extract(year FROM p.birth_date)::smallint, 1 FROM memberships m JOIN persons p ON p.province_id = m.province_id AND p.id = m.person_id WHERE m.org_id = $1
    ) f GROUP BY 1, 2, 3`,
  fold(rows, now) {
    const thisYear = now.getFullYear();
    const value: MemberFigures = {
      active: 0,
      byStatus: { active: 0, transferred_out: 0, left: 0 },
      byGender: { male: 0, female: 0 },
      byAgeBand: Object.fromEntries(AGE_BANDS.map((b) => [b, 0])) as Record<AgeBand, number>,
    };
    for (const row of rows as Array<{ status: keyof MemberFigures['byStatus']; gender: 'male' | 'female'; birth_year: number | null; n: number }>) {
      const n = Number(row.n);
      value.byStatus[row.status] += n;
      if (row.status !== 'active') continue;
      value.active += n;
      value.byGender[row.gender] += n;
      value.byAgeBand[ageBand(row.birth_year, thisYear)] += n;
    }
    return value;
  },
};

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

/** The first days of the last `months` China calendar months, oldest first, ending with the current one. */
function monthStarts(today: string, months: number): string[] {
  const [year, month] = today.split('-').map(Number) as [number, number];
  return Array.from({ length: months }, (_, i) => {
    const d = new Date(Date.UTC(year, month - 1 - (months - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

/**
 * Members of a subtree month by month over the last twelve China months: memberships begun
 * and ended in each month (a transfer within the subtree is one of each), and the members
 * active at each month's end, walked back from today's figure. One range of
 * memberships_org_path (migration 0013), read once.
 */
export async function memberTrend(db: Queryable, orgPath: string, today: string): Promise<FiguresTrend['months']> {
  const months = monthStarts(today, 12);
  const events = await db.query<{ month: string; joined: number; ended: number }>(
    `SELECT month, sum(joined)::int AS joined, sum(ended)::int AS ended FROM (
       SELECT to_char(joined_on, 'YYYY-MM') AS month, 1 AS joined, 0 AS ended FROM memberships
        WHERE org_path >= $1 AND org_path < $1 || '/' AND joined_on >= $2::date AND joined_on <= $3::date
       UNION ALL
       SELECT to_char(ended_on, 'YYYY-MM'), 0, 1 FROM memberships
        WHERE org_path >= $1 AND org_path < $1 || '/' AND ended_on >= $2::date AND ended_on <= $3::date
     ) e GROUP BY month`,
    [orgPath, `${months[0]}-01`, today],
  );
  const byMonth = new Map(events.rows.map((r) => [r.month, r]));
  let active = await subtreeMemberTotal(db, [orgPath], 'active');
  const trend: FiguresTrend['months'] = [];
  for (const month of [...months].reverse()) {
    const { joined = 0, ended = 0 } = byMonth.get(month) ?? {};
    trend.unshift({ month, joined, ended, activeAtEnd: active });
    active = active - joined + ended;
  }
  return trend;
}
