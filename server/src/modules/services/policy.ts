import { MODULE_ACCESS } from '@workers-home/contract';
import type { Queryable } from '../../db/pool.ts';
import { forbidden, notFound } from '../../errors.ts';
import { canReach, scopeOf, type Caller } from '../../plugins/access.ts';

/**
 * Services' one access path. Roles, within the subtrees where they are held:
 * - read (services.manager, services.reviewer, services.payer): the plans that apply to their
 *   subtrees, the enrolments, statements and claims of the members' unions in them;
 * - manage (services.manager): issue and change plans of their organizations, enrol their
 *   unions' members, record contributions paid, file claims for members;
 * - review (services.reviewer): decide claims waiting at an organization of their subtrees;
 * - pay (services.payer): gather approved claims into payout batches and record them paid.
 * A plan issued above the caller's subtree applies to it and is readable (its unions enrol in
 * it) but not changeable. Anything else outside the caller's subtrees is "not found".
 */
export const servicesPolicy = MODULE_ACCESS.services;

/** A plan is visible where it applies: issued within one of the scope's subtrees or above one of them. */
export const PLAN_VISIBLE = (orgAlias: string, scopeParam: string) => `(${orgAlias}.path <@ ANY(${scopeParam}::ltree[]) OR ${orgAlias}.path @> ANY(${scopeParam}::ltree[]))`;

export interface PlanRef {
  id: number;
  orgId: number;
  orgPath: string;
  orgLevel: string;
}

export async function findPlanRef(db: Queryable, id: number, lock = false): Promise<PlanRef | undefined> {
  const result = await db.query<PlanRef>(
    `SELECT p.id, p.org_id AS "orgId", o.path::text AS "orgPath", o.level AS "orgLevel"
       FROM services_plans p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1${lock ? ' FOR UPDATE OF p' : ''}`, [id]);
  return result.rows[0];
}

const isAbove = (path: string, root: string) => root.startsWith(path + '.');
/** Whether the plan applies to one of the caller's subtrees where they hold one of `roles`. */
export const planVisible = (caller: Caller, roles: readonly Parameters<typeof scopeOf>[1][number][], orgPath: string) =>
  canReach(caller, roles, orgPath) || scopeOf(caller, roles).some((root) => isAbove(orgPath, root));

/** The plan, if visible to the caller (read), or theirs to change (manage: 403 when only visible). */
export async function authorizePlan(db: Queryable, caller: Caller, id: number, action: 'read' | 'manage', lock = false): Promise<PlanRef> {
  const plan = await findPlanRef(db, id, lock);
  if (!plan || !planVisible(caller, servicesPolicy.read, plan.orgPath)) throw notFound(`Huigong Bao plan ${id}`);
  if (action === 'manage' && !canReach(caller, servicesPolicy.manage, plan.orgPath)) {
    throw forbidden('the plan was issued above the caller\'s organizations, or the caller does not manage Huigong Bao there', 'services.plan.issued_above');
  }
  return plan;
}
