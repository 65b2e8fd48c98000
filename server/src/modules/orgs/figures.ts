import type { SubtreeFigures } from '@workers-home/contract';
import type { FiguresContribution } from '../../house/module.ts';

/** Active organizations of a subtree by level, the organization itself included (subtree_org_figures, 0011). */
export const unionFigures: FiguresContribution<'unionsByLevel'> = {
  key: 'unionsByLevel',
  sql: `SELECT level, status, sum(n) AS n, count(*) AS rows FROM (
      SELECT level, status, n FROM subtree_org_figures WHERE org_id = $1
      UNION ALL
      SELECT level, status, 1 FROM orgs WHERE id = $1
    ) f GROUP BY 1, 2`,
  fold(rows) {
    const value: SubtreeFigures['unionsByLevel'] = { national: 0, provincial: 0, industrial: 0, city: 0, county: 0, grassroots: 0 };
    for (const row of rows as Array<{ level: keyof typeof value; status: string; n: number }>) {
      if (row.status === 'active') value[row.level] += Number(row.n);
    }
    return value;
  },
};
