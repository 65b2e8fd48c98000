import type { SubtreeFigures } from '@workers-home/contract';
import type { FiguresContribution } from '../../house/module.ts';

/** Active organizations of a subtree by level, the organization itself included (subtree_org_figures, 0011). */
export const unionFigures: FiguresContribution<'unionsByLevel'> = {
  key: 'unionsByLevel',
  async read(db, orgId) {
    const rows = await db.query<{ level: string; status: string; n: string; rows: string }>(
      `SELECT level, status, sum(n) AS n, count(*) AS rows FROM (
         SELECT level, status, n FROM subtree_org_figures WHERE org_id = $1
         UNION ALL
         SELECT level, status, 1 FROM orgs WHERE id = $1
       ) f GROUP BY 1, 2`,
      [orgId],
    );
    const value: SubtreeFigures['unionsByLevel'] = { national: 0, provincial: 0, industrial: 0, city: 0, county: 0, grassroots: 0 };
    let deltaRows = 0;
    for (const row of rows.rows) {
      deltaRows += Number(row.rows);
      if (row.status === 'active') value[row.level as keyof typeof value] += Number(row.n);
    }
    return { value, deltaRows };
  },
};
