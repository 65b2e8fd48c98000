import type { SubtreeFigures } from '@workers-home/contract';
import type { FiguresContribution } from '../../house/module.ts';

/**
 * Training reach of a subtree: trainee places by mode and status and whether a certificate
 * counts (subtree_training_figures, migrations 0031 and 0035), the organization's own
 * enrolments counted live (certified as enrolment_certified says, with the certificate found by its key).
 */
export const trainingFigures: FiguresContribution<'training'> = {
  key: 'training',
  sql: `SELECT mode, status, certified, sum(n) AS n, count(*) AS rows FROM (
      SELECT mode, status, certified, n FROM subtree_training_figures WHERE org_id = $1
      UNION ALL
      SELECT e.mode, e.status,
             EXISTS (SELECT 1 FROM training_certificates tc WHERE tc.province_id = e.province_id AND tc.enrolment_id = e.id AND tc.revoked_at IS NULL), 1
      FROM training_enrolments e WHERE e.org_id = $1
    ) f GROUP BY 1, 2, 3`,
  fold(rows) {
    const value: SubtreeFigures['training'] = { enrolled: { onsite: 0, live: 0 }, withdrawn: 0, certified: 0 };
    for (const row of rows as Array<{ mode: 'onsite' | 'live'; status: string; certified: boolean; n: number }>) {
      const n = Number(row.n);
      if (row.status === 'enrolled') value.enrolled[row.mode] += n;
      else value.withdrawn += n;
      if (row.certified) value.certified += n;
    }
    return value;
  },
};
