import type { z } from 'zod';
import { LEVEL_RANK, type BenefitRules, type AidPlan, type AidPlanCreate, type AidPlanListQuery, type AidPlanSummary, type AidPlanUpdate, type OrgLevel } from '@workers-home/contract';
import { inTransaction, paged, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { AppError, badRequest, fieldError, notFound } from '../../errors.ts';
import { PROBLEM_TYPES, type FieldError } from '@workers-home/contract';
import { canReach, scopeOf, type Caller } from '../../plugins/access.ts';
import { chinaDate } from '../../china-time.ts';
import { recordAudit } from '../audit/service.ts';
import { findOrg } from '../orgs/service.ts';
import { authorizePlan, PLAN_VISIBLE, servicesPolicy } from './policy.ts';

const STATUS = (today: string) => `CASE WHEN p.coverage_end < '${today}'::date THEN 'ended'
  WHEN '${today}'::date BETWEEN p.enrol_start AND p.enrol_end THEN 'enrolling'
  WHEN '${today}'::date >= p.coverage_start THEN 'active' ELSE 'upcoming' END`;

const SUMMARY_COLUMNS = (today: string) => `p.id, p.org_id AS "orgId", o.name AS "orgName", p.name, p.plan_year AS "planYear",
  p.coverage_start AS "coverageStart", p.coverage_end AS "coverageEnd", p.enrol_start AS "enrolStart", p.enrol_end AS "enrolEnd",
  p.contribution_fen AS "contributionFen", ${STATUS(today)} AS status`;

/**
 * The members each plan enrols and covers, counted apart from the plans: a plan is a copy on
 * every node on Citus and its enrolments lie in their members' provinces, and Citus plans no
 * subquery from the one into the other.
 */
async function withEnrolled<T extends { id: number }>(db: Queryable, plans: T[]): Promise<Array<T & { enrolled: number; covered: number }>> {
  const counts = new Map((await db.query<{ planId: number; enrolled: number; covered: number }>(
    `SELECT plan_id AS "planId", count(*)::int AS enrolled, count(*) FILTER (WHERE covered_from IS NOT NULL)::int AS covered
     FROM services_enrolments WHERE plan_id = ANY ($1::bigint[]) GROUP BY plan_id`, [plans.map((p) => p.id)])).rows.map((r) => [Number(r.planId), r]));
  return plans.map((p) => ({ ...p, enrolled: counts.get(p.id)?.enrolled ?? 0, covered: counts.get(p.id)?.covered ?? 0 }));
}

/** The rules of a plan in force on a date: the latest version from on or before it (the first version before coverage). */
export async function rulesOn(db: Queryable, planId: number, on: string): Promise<{ version: number; rules: z.infer<typeof BenefitRules> }> {
  const result = await db.query<{ version: number; rules: z.infer<typeof BenefitRules> }>(
    `SELECT version, rules FROM services_plan_rules WHERE plan_id = $1
      ORDER BY (effective_from <= $2::date) DESC, CASE WHEN effective_from <= $2::date THEN effective_from END DESC NULLS LAST, effective_from
      LIMIT 1`, [planId, on]);
  return result.rows[0]!;
}

export async function loadPlan(db: Queryable, id: number, now = new Date()): Promise<AidPlan | undefined> {
  const today = chinaDate(now);
  const result = await db.query<Omit<AidPlan, 'rules' | 'versions'>>(
    `SELECT ${SUMMARY_COLUMNS(today)}, p.min_age AS "minAge", p.max_age AS "maxAge", p.waiting_days AS "waitingDays",
       p.review_levels AS "reviewLevels", p.sampling, p.copied_from::int AS "copiedFrom"
     FROM services_plans p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1`, [id]);
  const found = result.rows[0];
  if (!found) return undefined;
  const plan = (await withEnrolled(db, [found]))[0]!;
  const versions = await db.query<AidPlan['versions'][number]>(
    `SELECT version, effective_from AS "effectiveFrom", rules, to_json(created_at)#>>'{}' AS "createdAt"
       FROM services_plan_rules WHERE plan_id = $1 ORDER BY version`, [id]);
  const inForce = await rulesOn(db, id, today < plan.coverageStart ? plan.coverageStart : today);
  return { ...plan, rules: inForce.rules, versions: versions.rows };
}

export async function listPlans(db: Queryable, caller: Caller, query: z.infer<typeof AidPlanListQuery>, now = new Date()) {
  const where = [PLAN_VISIBLE('o', '$1')];
  const params: unknown[] = [scopeOf(caller, servicesPolicy.read)];
  if (query.orgId !== undefined) { params.push(query.orgId); where.push(`p.org_id = $${params.length}`); }
  if (query.year !== undefined) { params.push(query.year); where.push(`p.plan_year = $${params.length}`); }
  const page = await paged<AidPlanSummary>(db, {
    select: SUMMARY_COLUMNS(chinaDate(now)),
    from: `services_plans p JOIN orgs o ON o.id = p.org_id WHERE ${where.join(' AND ')}`,
    orderBy: 'p.plan_year DESC, p.id DESC',
  }, params, query);
  return { ...page, items: await withEnrolled(db, page.items) };
}

export async function getPlan(db: Queryable, caller: Caller, id: number): Promise<AidPlan> {
  await authorizePlan(db, caller, id, 'read');
  return (await loadPlan(db, id))!;
}

type PlanFields = Omit<z.infer<typeof AidPlanCreate>, 'orgId' | 'rules'>;

/** The checks across fields, all at once (each naming its field). */
function checkFields(fields: PlanFields, issuerLevel: OrgLevel) {
  const errors: FieldError[] = [];
  if (fields.coverageEnd < fields.coverageStart) errors.push(fieldError('body.coverageEnd', 'services.plan.coverage_order'));
  if (fields.enrolEnd < fields.enrolStart || fields.enrolEnd > fields.coverageEnd) errors.push(fieldError('body.enrolEnd', 'services.plan.enrol_order'));
  if (fields.minAge !== null && fields.maxAge !== null && fields.maxAge < fields.minAge) errors.push(fieldError('body.maxAge', 'services.plan.age_order'));
  let below = Infinity;
  for (const level of fields.reviewLevels) {
    const rank = LEVEL_RANK[level];
    if (rank >= below || rank < LEVEL_RANK[issuerLevel]) { errors.push(fieldError('body.reviewLevels', 'services.plan.review_levels', { level })); break; }
    below = rank;
  }
  if (errors.length) {
    throw new AppError(400, PROBLEM_TYPES.validation, 'Invalid input', errors[0]!.code, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors, errors[0]!.params);
  }
}

/** What the audit log keeps of a plan: its fields and rules in force (not the counts). */
const auditView = ({ enrolled: _e, covered: _c, status: _s, versions: _v, ...rest }: AidPlan) => rest;

export async function createPlan(pool: Pool, ctx: WriteContext, input: z.infer<typeof AidPlanCreate>): Promise<AidPlan> {
  return inTransaction(pool, async (db) => {
    const org = await findOrg(db, input.orgId);
    if (!org || !canReach(ctx.caller, servicesPolicy.manage, org.path)) throw badRequest('body.orgId', 'orgs.org.not_found', { id: input.orgId });
    if (org.status !== 'active') throw badRequest('body.orgId', 'orgs.org.closed', { id: input.orgId });
    const { rules, ...fields } = input;
    checkFields(fields, org.level);
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO services_plans (org_id, name, plan_year, coverage_start, coverage_end, enrol_start, enrol_end, min_age, max_age,
         contribution_fen, waiting_days, review_levels, sampling, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id::int`,
      [org.id, fields.name, fields.planYear, fields.coverageStart, fields.coverageEnd, fields.enrolStart, fields.enrolEnd, fields.minAge, fields.maxAge,
        fields.contributionFen, fields.waitingDays, fields.reviewLevels, fields.sampling ? JSON.stringify(fields.sampling) : null, ctx.caller.accountId]);
    const id = inserted.rows[0]!.id;
    await db.query('INSERT INTO services_plan_rules (plan_id, version, effective_from, rules, created_by) VALUES ($1, 1, $2, $3, $4)',
      [id, fields.coverageStart, JSON.stringify(rules), ctx.caller.accountId]);
    const plan = (await loadPlan(db, id))!;
    await recordAudit(db, ctx, { action: 'create', entity: 'services_plan', entityId: id, orgPath: org.path, after: auditView(plan) });
    return plan;
  });
}

const COLUMN_OF: Record<string, string> = {
  name: 'name', planYear: 'plan_year', coverageStart: 'coverage_start', coverageEnd: 'coverage_end', enrolStart: 'enrol_start', enrolEnd: 'enrol_end',
  minAge: 'min_age', maxAge: 'max_age', contributionFen: 'contribution_fen', waitingDays: 'waiting_days', reviewLevels: 'review_levels', sampling: 'sampling',
};

/**
 * Changes a plan's fields; new rules become a version in force from `rulesFrom` (within
 * coverage, after the latest version's start): claims admitted before it keep the earlier rules.
 */
export async function updatePlan(pool: Pool, ctx: WriteContext, id: number, input: z.infer<typeof AidPlanUpdate>): Promise<AidPlan> {
  return inTransaction(pool, async (db) => {
    const ref = await authorizePlan(db, ctx.caller, id, 'manage', true);
    const before = (await loadPlan(db, id))!;
    const { rules, rulesFrom, ...changes } = input;
    const merged = { ...before, ...changes };
    checkFields(merged, ref.orgLevel as OrgLevel);
    const entries = Object.entries(changes).filter(([key, value]) => value !== undefined && key in COLUMN_OF);
    if (entries.length) {
      const sets = entries.map(([key], i) => `${COLUMN_OF[key]} = $${i + 2}`);
      await db.query(`UPDATE services_plans SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1`,
        [id, ...entries.map(([key, value]) => (key === 'sampling' && value !== null ? JSON.stringify(value) : value))]);
    }
    if (rules) {
      if (!rulesFrom) throw badRequest('body.rulesFrom', 'services.plan.rules_from_missing');
      const latest = before.versions[before.versions.length - 1]!;
      const afterLatest = nextDay(latest.effectiveFrom);
      const earliest = afterLatest > merged.coverageStart ? afterLatest : merged.coverageStart;
      if (rulesFrom < earliest || rulesFrom > merged.coverageEnd) throw badRequest('body.rulesFrom', 'services.plan.rules_from', { from: earliest, to: merged.coverageEnd });
      await db.query('INSERT INTO services_plan_rules (plan_id, version, effective_from, rules, created_by) VALUES ($1, $2, $3, $4, $5)',
        [id, latest.version + 1, rulesFrom, JSON.stringify(rules), ctx.caller.accountId]);
    }
    const after = (await loadPlan(db, id))!;
    await recordAudit(db, ctx, { action: 'update', entity: 'services_plan', entityId: id, orgPath: ref.orgPath, before: auditView(before), after: auditView(after) });
    return after;
  });
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The next year's plan from this one: every date a year later, the rules in force at its end as version 1. */
export async function copyPlan(pool: Pool, ctx: WriteContext, id: number): Promise<AidPlan> {
  return inTransaction(pool, async (db) => {
    const ref = await authorizePlan(db, ctx.caller, id, 'manage');
    const source = (await loadPlan(db, id))!;
    const year = source.planYear + 1;
    const name = source.name.includes(String(source.planYear)) ? source.name.replaceAll(String(source.planYear), String(year)) : source.name;
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO services_plans (org_id, name, plan_year, coverage_start, coverage_end, enrol_start, enrol_end, min_age, max_age,
         contribution_fen, waiting_days, review_levels, sampling, copied_from, created_by)
       SELECT org_id, $2, $3, (coverage_start + interval '1 year')::date, (coverage_end + interval '1 year')::date,
         (enrol_start + interval '1 year')::date, (enrol_end + interval '1 year')::date, min_age, max_age,
         contribution_fen, waiting_days, review_levels, sampling, id, $4
       FROM services_plans WHERE id = $1 RETURNING id::int, coverage_start AS "coverageStart"`, [id, name, year, ctx.caller.accountId]);
    const copy = inserted.rows[0]! as { id: number; coverageStart: string };
    const last = await rulesOn(db, id, source.coverageEnd);
    await db.query('INSERT INTO services_plan_rules (plan_id, version, effective_from, rules, created_by) VALUES ($1, 1, $2, $3, $4)',
      [copy.id, copy.coverageStart, JSON.stringify(last.rules), ctx.caller.accountId]);
    const plan = (await loadPlan(db, copy.id))!;
    await recordAudit(db, ctx, { action: 'copy', entity: 'services_plan', entityId: copy.id, orgPath: ref.orgPath, after: { ...auditView(plan), copiedFrom: id } });
    return plan;
  });
}

export const planNotFound = (id: number) => notFound(`Huigong Bao plan ${id}`);
