import type { SubtreeFigures } from '@workers-home/contract';
import type { FiguresContribution } from '../../house/module.ts';

/**
 * Training reach of a subtree: trainee places by mode and status and whether a certificate
 * counts (subtree_training_figures, migrations 0031 and 0035), the organization's own
 * enrolments counted live.
 */
export const trainingFigures: FiguresContribution<'training'> = {
  key: 'training',
  async read(db, orgId) {
    // Named: prepared once per connection with one generic plan, as the member figures.
    const rows = await db.query<{ mode: string; status: string; certified: boolean; n: string; rows: string }>({
      name: 'training-figures',
      text: `SELECT mode, status, certified, sum(n) AS n, count(*) AS rows FROM (
         SELECT mode, status, certified, n FROM subtree_training_figures WHERE org_id = $1
         UNION ALL
         SELECT e.mode, e.status, enrolment_certified(e.id), 1 FROM training_enrolments e WHERE e.org_id = $1
       ) f GROUP BY 1, 2, 3`,
      values: [orgId],
    });
    const value: SubtreeFigures['training'] = { enrolled: { onsite: 0, live: 0 }, withdrawn: 0, certified: 0 };
    let deltaRows = 0;
    for (const row of rows.rows) {
      const n = Number(row.n);
      deltaRows += Number(row.rows);
      if (row.status === 'enrolled') value.enrolled[row.mode as 'onsite' | 'live'] += n;
      else value.withdrawn += n;
      if (row.certified) value.certified += n;
    }
    return { value, deltaRows };
  },
};
