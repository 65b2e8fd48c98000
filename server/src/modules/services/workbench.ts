import type { WorkbenchCard } from '@workers-home/contract';
import type { WorkbenchContribution } from '../../house/module.ts';
import { scopeOf } from '../../plugins/access.ts';
import { servicesPolicy } from './policy.ts';

/**
 * Services' cards: for reviewers, the claims waiting for their own organizations' decision;
 * for payers, the batches built and not yet paid.
 */
export const servicesWorkbench: WorkbenchContribution = {
  async cards(db, caller) {
    const cards: WorkbenchCard[] = [];
    // Claims waiting for the decision of the caller's own organizations (the review queue).
    const reviewOrgs = caller.grants.filter((g) => servicesPolicy.review.includes(g.role as never)).map((g) => g.orgId);
    if (reviewOrgs.length) {
      const waiting = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM services_claims c WHERE c.status = 'in_review' AND c.waiting_org_id = ANY($1::bigint[])`, [reviewOrgs]);
      cards.push({ id: 'services.claimsToReview', count: waiting.rows[0]!.n, link: '/services/claims?waitingForMe=true' });
    }
    const payRoots = scopeOf(caller, servicesPolicy.pay);
    if (payRoots.length) {
      const ready = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM services_batches b JOIN orgs o ON o.id = b.org_id WHERE b.status = 'ready' AND o.path <@ $1::ltree[]`, [payRoots]);
      cards.push({ id: 'services.batchesToPay', count: ready.rows[0]!.n, link: '/services/batches?status=ready' });
    }
    return cards;
  },
};
