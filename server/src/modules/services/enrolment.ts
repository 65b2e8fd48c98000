import type { z } from 'zod';
import type { AidEnrolInput, AidEnrolment, AidEnrolmentListQuery, AidEnrolResult, ContributionStatement, MyCoverage, StatementListQuery, StatementPayment } from '@workers-home/contract';
import { inTransaction, paged, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import { canReach, scopeOf, type Caller } from '../../plugins/access.ts';
import { chinaDate } from '../../china-time.ts';
import { recordAudit } from '../audit/service.ts';
import { findOrg } from '../orgs/service.ts';
import { authorizePlan, servicesPolicy } from './policy.ts';
import { rulesOn } from './plans.ts';
import { yuan } from './money.ts';

const isWithinPath = (path: string, root: string) => path === root || path.startsWith(root + '.');

/**
 * A union enrols its members in a plan that applies to it, within the enrolment window: every
 * active member, or those chosen. Members already in the plan are counted, not enrolled twice
 * (enrolling again changes nothing); those not active members of the union, or outside the
 * plan's ages, are listed with the reason. The enrolled get one contribution statement.
 */
export async function enrol(pool: Pool, ctx: WriteContext, planId: number, input: z.infer<typeof AidEnrolInput>, now = new Date()): Promise<z.infer<typeof AidEnrolResult>> {
  if (!input.all && !input.personIds) throw badRequest('body.personIds', 'services.enrol.choose');
  return inTransaction(pool, async (db) => {
    const plan = await authorizePlan(db, ctx.caller, planId, 'read');
    const org = await findOrg(db, input.orgId);
    if (!org || !canReach(ctx.caller, servicesPolicy.manage, org.path)) throw badRequest('body.orgId', 'orgs.org.not_found', { id: input.orgId });
    if (!isWithinPath(org.path, plan.orgPath)) throw badRequest('body.orgId', 'services.enrol.org_outside');
    const p = (await db.query<{ enrolStart: string; enrolEnd: string; coverageStart: string; coverageEnd: string; minAge: number | null; maxAge: number | null; contributionFen: number }>(
      `SELECT enrol_start AS "enrolStart", enrol_end AS "enrolEnd", coverage_start AS "coverageStart", coverage_end AS "coverageEnd",
         min_age AS "minAge", max_age AS "maxAge", contribution_fen AS "contributionFen" FROM services_plans WHERE id = $1`, [planId])).rows[0]!;
    const today = chinaDate(now);
    if (today < p.enrolStart || today > p.enrolEnd) throw conflict('body.orgId', 'services.enrol.closed', { from: p.enrolStart, to: p.enrolEnd });
    // Serialize enrolments of one union in one plan (a double click enrols once).
    await db.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [planId, org.id]);
    const chosen = input.all ? null : [...new Set(input.personIds)];
    // The union's active members (those chosen, or all), each with their home province.
    const members = await db.query<{ personId: number; name: string; provinceId: number; inAge: boolean; enrolled: boolean }>(
      `SELECT m.person_id::int AS "personId", pe.name, m.province_id::int AS "provinceId",
         (pe.birth_date IS NULL OR (($3::int IS NULL OR date_part('year', age($2::date, pe.birth_date)) >= $3)
           AND ($4::int IS NULL OR date_part('year', age($2::date, pe.birth_date)) <= $4))) AS "inAge",
         EXISTS (SELECT 1 FROM services_enrolments e WHERE e.plan_id = $5 AND e.province_id = m.province_id AND e.person_id = m.person_id) AS enrolled
       FROM memberships m JOIN persons pe ON pe.province_id = m.province_id AND pe.id = m.person_id
       WHERE m.org_id = $1 AND m.status = 'active' AND ($6::bigint[] IS NULL OR m.person_id = ANY($6))`,
      [org.id, p.coverageStart, p.minAge, p.maxAge, planId, chosen]);
    const memberById = new Map(members.rows.map((m) => [m.personId, m]));
    const ineligible: z.infer<typeof AidEnrolResult>['ineligible'] = [];
    const toEnrol: Array<{ personId: number; provinceId: number }> = [];
    let alreadyEnrolled = 0;
    for (const personId of chosen ?? memberById.keys()) {
      const row = memberById.get(personId);
      if (!row) ineligible.push({ personId, name: null, reason: 'not_member' });
      else if (row.enrolled) alreadyEnrolled++;
      else if (!row.inAge) ineligible.push({ personId, name: row.name, reason: 'age' });
      else toEnrol.push({ personId, provinceId: row.provinceId });
    }
    if (!toEnrol.length) return { enrolled: 0, alreadyEnrolled, ineligible, statementId: null };
    const statement = await db.query<{ id: number }>(
      `INSERT INTO services_statements (plan_id, org_id, persons, contribution_fen, amount_fen, created_by)
       VALUES ($1, $2, $3::int, $4::bigint, $3::int::bigint * $4::bigint, $5) RETURNING id::int`, [planId, org.id, toEnrol.length, p.contributionFen, ctx.caller.accountId]);
    const statementId = statement.rows[0]!.id;
    await db.query(
      `INSERT INTO services_enrolments (plan_id, person_id, org_id, province_id, statement_id, enrolled_by, covered_to)
       SELECT $1, person_id, $2, province_id, $3, $4, $5 FROM unnest($6::bigint[], $7::bigint[]) AS t(person_id, province_id)`,
      [planId, org.id, statementId, ctx.caller.accountId, p.coverageEnd, toEnrol.map((e) => e.personId), toEnrol.map((e) => e.provinceId)]);
    await recordAudit(db, ctx, {
      action: 'enrol', entity: 'services_statement', entityId: statementId, orgPath: org.path,
      after: { planId, persons: toEnrol.length, amountFen: toEnrol.length * p.contributionFen, personIds: toEnrol.length <= 200 ? toEnrol.map((e) => e.personId) : undefined },
    });
    return { enrolled: toEnrol.length, alreadyEnrolled, ineligible, statementId };
  });
}

export async function listEnrolments(db: Queryable, caller: Caller, planId: number, query: z.infer<typeof AidEnrolmentListQuery>) {
  await authorizePlan(db, caller, planId, 'read');
  const where = ['e.plan_id = $1', 'o.path <@ ANY($2::ltree[])'];
  const params: unknown[] = [planId, scopeOf(caller, servicesPolicy.read)];
  if (query.orgId !== undefined) { params.push(query.orgId); where.push(`e.org_id = $${params.length}`); }
  if (query.q) { params.push(`${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`); where.push(`pe.name LIKE $${params.length}`); }
  return paged<AidEnrolment>(db, {
    select: `e.person_id::int AS "personId", pe.name, e.org_id::int AS "orgId", o.name AS "orgName", e.statement_id::int AS "statementId",
      to_json(e.enrolled_at)#>>'{}' AS "enrolledAt", e.covered_from AS "coveredFrom", e.covered_to AS "coveredTo",
      EXISTS (SELECT 1 FROM memberships m WHERE m.province_id = e.province_id AND m.person_id = e.person_id AND m.org_id = e.org_id AND m.status = 'active') AS "memberNow"`,
    from: `services_enrolments e JOIN orgs o ON o.id = e.org_id JOIN persons pe ON pe.province_id = e.province_id AND pe.id = e.person_id WHERE ${where.join(' AND ')}`,
    orderBy: 'o.name, pe.name, e.person_id',
  }, params, query);
}

const STATEMENT_COLUMNS = `s.id, s.plan_id::int AS "planId", p.name AS "planName", s.org_id::int AS "orgId", o.name AS "orgName", s.persons,
  s.contribution_fen AS "contributionFen", s.amount_fen AS "amountFen", s.status, s.paid_on AS "paidOn", s.reference,
  to_json(s.created_at)#>>'{}' AS "createdAt"`;
const STATEMENT_FROM = 'services_statements s JOIN services_plans p ON p.id = s.plan_id JOIN orgs o ON o.id = s.org_id';

export async function listStatements(db: Queryable, caller: Caller, planId: number, query: z.infer<typeof StatementListQuery>) {
  await authorizePlan(db, caller, planId, 'read');
  const where = ['s.plan_id = $1', 'o.path <@ ANY($2::ltree[])'];
  const params: unknown[] = [planId, scopeOf(caller, servicesPolicy.read)];
  if (query.orgId !== undefined) { params.push(query.orgId); where.push(`s.org_id = $${params.length}`); }
  if (query.status !== undefined) { params.push(query.status); where.push(`s.status = $${params.length}`); }
  return paged<ContributionStatement>(db, {
    select: STATEMENT_COLUMNS,
    from: `${STATEMENT_FROM} WHERE ${where.join(' AND ')}`,
    orderBy: 's.created_at DESC, s.id DESC',
  }, params, query);
}

/** A statement as the API answers it (the union's path is for scoping only). */
export const withoutPath = ({ orgPath: _path, ...statement }: ContributionStatement & { orgPath: string }): ContributionStatement => statement;

/** A statement of a union in the caller's subtrees ("not found" otherwise), with its union's path. */
export async function getStatement(db: Queryable, caller: Caller, id: number, lock = false): Promise<ContributionStatement & { orgPath: string }> {
  const result = await db.query<ContributionStatement & { orgPath: string }>(
    `SELECT ${STATEMENT_COLUMNS}, o.path::text AS "orgPath" FROM ${STATEMENT_FROM} WHERE s.id = $1${lock ? ' FOR UPDATE OF s' : ''}`, [id]);
  const statement = result.rows[0];
  if (!statement || !canReach(caller, servicesPolicy.read, statement.orgPath)) throw notFound(`Contribution statement ${id}`);
  return statement;
}

/**
 * Records a statement paid (the amount due, on a day not in the future): its members are
 * covered from the payment date plus the waiting period (not before coverage starts), to the
 * period's end, and the plan's ledger receives the contribution.
 */
export async function recordPayment(pool: Pool, ctx: WriteContext, id: number, input: z.infer<typeof StatementPayment>, now = new Date()): Promise<ContributionStatement> {
  return inTransaction(pool, async (db) => {
    const statement = await getStatement(db, ctx.caller, id, true);
    if (!canReach(ctx.caller, servicesPolicy.manage, statement.orgPath)) throw notFound(`Contribution statement ${id}`);
    if (statement.status === 'paid') throw conflict('status', 'services.statement.paid');
    if (input.paidOn > chinaDate(now)) throw badRequest('body.paidOn', 'services.statement.future');
    if (input.amountFen !== statement.amountFen) throw badRequest('body.amountFen', 'services.statement.amount', { due: yuan(statement.amountFen) });
    await db.query(`UPDATE services_statements SET status = 'paid', paid_on = $2, reference = $3, paid_by = $4 WHERE id = $1`,
      [id, input.paidOn, input.reference, ctx.caller.accountId]);
    await db.query(
      `UPDATE services_enrolments e SET covered_from = greatest(p.coverage_start, $2::date + p.waiting_days)
         FROM services_plans p WHERE p.id = e.plan_id AND e.statement_id = $1`, [id, input.paidOn]);
    await db.query(`INSERT INTO services_ledger (plan_id, kind, amount_fen, statement_id) VALUES ($1, 'contribution', $2, $3)`, [statement.planId, statement.amountFen, id]);
    const after = withoutPath(await getStatement(db, ctx.caller, id));
    await recordAudit(db, ctx, { action: 'pay', entity: 'services_statement', entityId: id, orgPath: statement.orgPath, before: { status: 'due' }, after });
    return after;
  });
}

/** What a person has used of a plan's year: stays claimed (not rejected) and their amounts (fen). */
export async function yearUsage(db: Queryable, planId: number, personId: number, exceptClaimId: number | null = null) {
  const result = await db.query<{ stays: number; fen: number }>(
    `SELECT count(*)::int AS stays, coalesce(sum(approved_fen), 0)::bigint AS fen FROM services_claims
      WHERE plan_id = $1 AND person_id = $2 AND status <> 'rejected' AND ($3::bigint IS NULL OR id <> $3)`, [planId, personId, exceptClaimId]);
  return result.rows[0]!;
}

/** The signed-in member's coverage in every plan they are enrolled in, newest first. */
export async function myCoverage(db: Queryable, personId: number, now = new Date()): Promise<MyCoverage[]> {
  const today = chinaDate(now);
  const rows = await db.query<Omit<MyCoverage, 'rules' | 'staysLeft' | 'benefitLeftFen' | 'state'> & { coverageStart: string }>(
    `SELECT p.id::int AS "planId", p.name AS "planName", o.name AS "orgName", p.coverage_start AS "coverageStart", p.coverage_end AS "coverageEnd",
       e.covered_from AS "coveredFrom", e.covered_to AS "coveredTo"
     FROM services_enrolments e JOIN services_plans p ON p.id = e.plan_id JOIN orgs o ON o.id = p.org_id
     WHERE e.person_id = $1 ORDER BY p.coverage_end DESC, p.id DESC`, [personId]);
  const out: MyCoverage[] = [];
  for (const row of rows.rows) {
    const { rules } = await rulesOn(db, row.planId, today < row.coverageStart ? row.coverageStart : today > row.coverageEnd ? row.coverageEnd : today);
    const used = await yearUsage(db, row.planId, personId);
    const state: MyCoverage['state'] = today > row.coveredTo ? 'ended' : row.coveredFrom === null ? 'unpaid' : today < row.coveredFrom ? 'waiting' : 'covered';
    out.push({ planId: row.planId, planName: row.planName, orgName: row.orgName, coverageEnd: row.coverageEnd, coveredFrom: row.coveredFrom, coveredTo: row.coveredTo, state, rules, staysLeft: Math.max(0, rules.maxStaysPerYear - used.stays), benefitLeftFen: Math.max(0, rules.perYearCapFen - Number(used.fen)) });
  }
  return out;
}
