import type { SubtreeFigures } from '@workers-home/contract';
import type { FiguresContribution } from '../../house/module.ts';

const TODAY = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;

/**
 * Huigong Bao in a subtree, by the members' unions: persons enrolled and covered today,
 * contributions due and paid, claims by state, benefits approved and paid, and the average
 * days from filing to payment. Read from the module's own tables (statements are one row per
 * union enrolment; claims are few beside memberships), so it keeps no delta table.
 */
export const servicesFigures: FiguresContribution<'services'> = {
  key: 'services',
  sql: `SELECT 0 AS rows,
      (SELECT count(*) FROM services_enrolments e JOIN orgs u ON u.id = e.org_id WHERE u.path <@ (SELECT path FROM orgs WHERE id = $1))::bigint AS enrolled,
      (SELECT count(*) FROM services_enrolments e JOIN orgs u ON u.id = e.org_id
        WHERE u.path <@ (SELECT path FROM orgs WHERE id = $1) AND e.covered_from <= ${TODAY} AND e.covered_to >= ${TODAY})::bigint AS covered,
      (SELECT coalesce(sum(s.amount_fen), 0) FROM services_statements s JOIN orgs u ON u.id = s.org_id WHERE u.path <@ (SELECT path FROM orgs WHERE id = $1))::bigint AS due,
      (SELECT coalesce(sum(s.amount_fen), 0) FROM services_statements s JOIN orgs u ON u.id = s.org_id WHERE u.path <@ (SELECT path FROM orgs WHERE id = $1) AND s.status = 'paid')::bigint AS paid,
      (SELECT coalesce(json_object_agg(status, n), '{}') FROM (
         SELECT c.status, count(*) AS n FROM services_claims c JOIN orgs u ON u.id = c.org_id WHERE u.path <@ (SELECT path FROM orgs WHERE id = $1) GROUP BY 1) x) AS by_status,
      (SELECT coalesce(sum(c.approved_fen) FILTER (WHERE c.status IN ('approved', 'in_batch', 'paid')), 0)::bigint AS approved
         FROM services_claims c JOIN orgs u ON u.id = c.org_id WHERE u.path <@ (SELECT path FROM orgs WHERE id = $1)) AS approved,
      (SELECT coalesce(sum(c.approved_fen) FILTER (WHERE c.status = 'paid'), 0)::bigint
         FROM services_claims c JOIN orgs u ON u.id = c.org_id WHERE u.path <@ (SELECT path FROM orgs WHERE id = $1)) AS benefit_paid,
      (SELECT avg(extract(epoch FROM c.paid_at - c.submitted_at) / 86400)::float8
         FROM services_claims c JOIN orgs u ON u.id = c.org_id WHERE u.path <@ (SELECT path FROM orgs WHERE id = $1) AND c.status = 'paid') AS days_to_pay
    FROM orgs r WHERE r.id = $1`,
  fold(rows) {
    const row = (rows[0] ?? {});
    const byStatus = (row.by_status ?? {}) as Record<string, number>;
    const value: SubtreeFigures['services'] = {
      enrolled: Number(row.enrolled ?? 0),
      covered: Number(row.covered ?? 0),
      contributionsDueFen: Number(row.due ?? 0),
      contributionsPaidFen: Number(row.paid ?? 0),
      claimsByStatus: {
        in_review: Number(byStatus.in_review ?? 0), returned: Number(byStatus.returned ?? 0), approved: Number(byStatus.approved ?? 0),
        rejected: Number(byStatus.rejected ?? 0), in_batch: Number(byStatus.in_batch ?? 0), paid: Number(byStatus.paid ?? 0),
      },
      approvedFen: Number(row.approved ?? 0),
      paidFen: Number(row.benefit_paid ?? 0),
      averageDaysToPay: row.days_to_pay === null || row.days_to_pay === undefined ? null : Math.round(Number(row.days_to_pay) * 10) / 10,
    };
    return value;
  },
};
