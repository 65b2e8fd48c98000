import type { z } from 'zod';
import type {
  ClassCreate, ClassDetail, ClassListQuery, ClassStatus, ClassUpdate, PlanCreate, PlanListQuery, PlanUpdate, TrainingClass, TrainingPlan,
} from '@workers-home/contract';
import { inTransaction, paged, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { badRequest, conflict, forbidden, notFound } from '../../errors.ts';
import { canReach, scopeOf, type Caller } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { escapeLike } from '../../db/sql.ts';
import { findOrg } from '../orgs/service.ts';
import { authorize, authorizeClass, CLASS_ROW_COLUMNS, isOwner, visibleClassSql, type ClassRow } from './policy.ts';
import { trainingPolicy } from './policy.ts';

// Plans ---------------------------------------------------------------------------------

const PLAN_COLUMNS = `p.id, p.org_id AS "orgId", o.name AS "orgName", p.year, p.title, p.note,
  (SELECT count(*)::int FROM training_classes c WHERE c.plan_id = p.id) AS "classCount", to_json(p.updated_at)#>>'{}' AS "updatedAt"`;

async function loadPlan(db: Queryable, id: number) {
  const row = await db.query<TrainingPlan & { path: string }>(`SELECT ${PLAN_COLUMNS}, o.path::text AS path FROM training_plans p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1`, [id]);
  return row.rows[0];
}
const toPlan = ({ path: _path, ...plan }: TrainingPlan & { path: string }): TrainingPlan => plan;

/** An organization the caller organizes training in (the body field named in errors). */
async function organizedOrg(db: Queryable, caller: Caller, orgId: number, field: string) {
  const org = await findOrg(db, orgId);
  if (!org || !canReach(caller, trainingPolicy.read, org.path)) throw badRequest(field, 'orgs.org.not_found', { id: orgId });
  if (!canReach(caller, trainingPolicy.organize, org.path)) throw forbidden(`${field}: needs the organizer (or admin) role on organization ${orgId}`);
  if (org.status !== 'active') throw badRequest(field, 'orgs.org.closed', { id: orgId });
  return org;
}

export async function listPlans(db: Queryable, caller: Caller, query: z.infer<typeof PlanListQuery>) {
  const where = ['o.path <@ ANY($1::ltree[])'];
  const params: unknown[] = [scopeOf(caller, trainingPolicy.read)];
  if (query.orgId !== undefined) { params.push(query.orgId); where.push(`p.org_id = $${params.length}`); }
  if (query.year !== undefined) { params.push(query.year); where.push(`p.year = $${params.length}`); }
  return paged<TrainingPlan>(db, { select: PLAN_COLUMNS, from: `training_plans p JOIN orgs o ON o.id = p.org_id WHERE ${where.join(' AND ')}`, orderBy: 'p.year DESC, p.title, p.id' }, params, query);
}

export async function getPlan(db: Queryable, caller: Caller, id: number): Promise<TrainingPlan> {
  const plan = await loadPlan(db, id);
  if (!plan || !canReach(caller, trainingPolicy.read, plan.path)) throw notFound(`Training plan ${id}`);
  return toPlan(plan);
}

async function assertPlanTitleFree(db: Queryable, orgId: number, year: number, title: string, exceptId: number | null) {
  const taken = await db.query('SELECT 1 FROM training_plans WHERE org_id = $1 AND year = $2 AND title = $3 AND id IS DISTINCT FROM $4', [orgId, year, title, exceptId]);
  if (taken.rowCount) throw conflict('body.title', 'training.plan.title_taken', { year });
}

export async function createPlan(pool: Pool, ctx: WriteContext, input: z.infer<typeof PlanCreate>): Promise<TrainingPlan> {
  return inTransaction(pool, async (db) => {
    const org = await organizedOrg(db, ctx.caller, input.orgId, 'body.orgId');
    await assertPlanTitleFree(db, org.id, input.year, input.title, null);
    const inserted = await db.query<{ id: number }>('INSERT INTO training_plans (org_id, year, title, note) VALUES ($1, $2, $3, $4) RETURNING id', [org.id, input.year, input.title, input.note ?? null]);
    const plan = toPlan((await loadPlan(db, inserted.rows[0]!.id))!);
    await recordAudit(db, ctx, { action: 'create', entity: 'training_plan', entityId: plan.id, orgPath: org.path, after: plan });
    return plan;
  });
}

export async function updatePlan(pool: Pool, ctx: WriteContext, id: number, input: z.infer<typeof PlanUpdate>): Promise<TrainingPlan> {
  return inTransaction(pool, async (db) => {
    const found = await loadPlan(db, id);
    if (!found || !canReach(ctx.caller, trainingPolicy.read, found.path)) throw notFound(`Training plan ${id}`);
    if (!canReach(ctx.caller, trainingPolicy.organize, found.path)) throw forbidden('needs the organizer (or admin) role on the plan\'s organization');
    await db.query('SELECT 1 FROM training_plans WHERE id = $1 FOR UPDATE', [id]);
    const before = toPlan(found);
    await assertPlanTitleFree(db, before.orgId, input.year ?? before.year, input.title ?? before.title, id);
    await db.query(
      `UPDATE training_plans SET year = coalesce($2, year), title = coalesce($3, title), note = CASE WHEN $4 THEN $5 ELSE note END, updated_at = now() WHERE id = $1`,
      [id, input.year ?? null, input.title ?? null, input.note !== undefined, input.note ?? null],
    );
    const after = toPlan((await loadPlan(db, id))!);
    await recordAudit(db, ctx, { action: 'update', entity: 'training_plan', entityId: id, orgPath: found.path, before, after });
    return after;
  });
}

// Classes -------------------------------------------------------------------------------

// What the API shows of a class besides the policy's columns (CLASS_ROW_COLUMNS).
const CLASS_COLUMNS = `c.plan_id AS "planId", pl.title AS "planTitle", c.theme, c.host_institution AS "hostInstitution", c.venue,
  to_json(c.audience_org_ids) AS "audienceOrgIds", c.audience_levels AS "audienceLevels", c.audience_note AS "audienceNote",
  c.min_attendance_share::float8 AS "minAttendanceShare", c.min_online_minutes AS "minOnlineMinutes",
  c.min_assessment_score::float8 AS "minAssessmentScore", to_json(c.updated_at)#>>'{}' AS "updatedAt", ${CLASS_ROW_COLUMNS}`;
const CLASS_FROM = 'training_classes c JOIN orgs o ON o.id = c.org_id LEFT JOIN training_plans pl ON pl.id = c.plan_id';

/** A class as the API shows it, with what the policy needs to decide who sees it. */
type ClassRecord = Omit<TrainingClass, 'owned'> & ClassRow;

function presentClass(caller: Caller, { orgPath, audiencePaths: _audience, ...row }: ClassRecord & { scope?: unknown }): TrainingClass {
  delete row.scope;
  return { ...row, owned: isOwner(caller, { orgPath }) };
}

/** The class as the caller may see it (policy: 'read'), loaded once with everything the API shows. */
async function readClassRecord(db: Queryable, caller: Caller, id: number) {
  const row = await db.query<ClassRecord>(`SELECT ${CLASS_COLUMNS} FROM ${CLASS_FROM} WHERE c.id = $1`, [id]);
  const record = authorize(caller, 'read', row.rows[0], () => notFound(`Training class ${id}`));
  return (await withSeatsTaken(db, [record]))[0]!;
}

/**
 * The seats the classes' enrolled trainees take, by mode. Counted apart from the classes: a class
 * is a row of every node on Citus and its enrolments lie in their trainees' provinces, and Citus
 * plans no subquery from one into the other.
 */
async function withSeatsTaken<T extends { id: number }>(db: Queryable, classes: T[]): Promise<Array<T & { seatsTakenOnsite: number; seatsTakenLive: number }>> {
  const taken = new Map((await db.query<{ classId: number; onsite: number; live: number }>(
    `SELECT class_id AS "classId", count(*) FILTER (WHERE mode = 'onsite')::int AS onsite, count(*) FILTER (WHERE mode = 'live')::int AS live
     FROM training_enrolments WHERE class_id = ANY ($1::bigint[]) AND status = 'enrolled' GROUP BY class_id`,
    [classes.map((c) => c.id)],
  )).rows.map((r) => [Number(r.classId), r]));
  return classes.map((c) => ({ ...c, seatsTakenOnsite: taken.get(c.id)?.onsite ?? 0, seatsTakenLive: taken.get(c.id)?.live ?? 0 }));
}

export async function listClasses(db: Queryable, caller: Caller, query: z.infer<typeof ClassListQuery>) {
  const params: unknown[] = [scopeOf(caller, trainingPolicy.read)];
  const where = [visibleClassSql('$1::ltree[]')];
  const add = (sql: string, value: unknown) => { params.push(value); where.push(sql.replaceAll('?', `$${params.length}`)); };
  if (query.orgId !== undefined) add('c.org_id = ?', query.orgId);
  if (query.planId !== undefined) add('c.plan_id = ?', query.planId);
  if (query.status) add('c.status = ?', query.status);
  if (query.year !== undefined) add('extract(year FROM c.starts_on) = ?', query.year);
  if (query.q) add('(c.title ILIKE ? OR c.theme ILIKE ?)', `%${escapeLike(query.q)}%`);
  const page = await paged<ClassRecord>(db, { select: CLASS_COLUMNS, from: `${CLASS_FROM} WHERE ${where.join(' AND ')}`, orderBy: 'c.starts_on DESC, c.id DESC' }, params, query);
  return { ...page, items: (await withSeatsTaken(db, page.items)).map((row) => presentClass(caller, row)) };
}

export async function classDetail(db: Queryable, caller: Caller, id: number): Promise<ClassDetail> {
  const record = await readClassRecord(db, caller, id);
  const roots = record.scope;
  const counts = await db.query<ClassDetail['counts']>(
    `SELECT count(*) FILTER (WHERE e.mode = 'onsite' AND ($2::ltree[] IS NULL OR o.path <@ ANY($2)))::int AS "enrolledOnsite",
            count(*) FILTER (WHERE e.mode = 'live' AND ($2::ltree[] IS NULL OR o.path <@ ANY($2)))::int AS "enrolledLive",
            count(*) FILTER (WHERE e.mode = 'onsite')::int AS "seatsTakenOnsite",
            count(*) FILTER (WHERE e.mode = 'live')::int AS "seatsTakenLive"
     FROM training_enrolments e JOIN orgs o ON o.id = e.org_id WHERE e.class_id = $1 AND e.status = 'enrolled'`,
    [id, roots],
  );
  // Apart: the sessions are a copy on every node, the enrolments spread by province (Citus).
  const sessions = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM training_sessions WHERE class_id = $1', [id]);
  return { ...presentClass(caller, record), counts: { ...counts.rows[0]!, sessions: sessions.rows[0]!.n } };
}

/** Audience organizations must exist within the caller's organizer subtrees. */
async function checkAudience(db: Queryable, caller: Caller, ids: number[]) {
  for (const [i, orgId] of ids.entries()) {
    const org = await findOrg(db, orgId);
    if (!org || !canReach(caller, trainingPolicy.organize, org.path)) throw badRequest(`body.audienceOrgIds.${i}`, 'orgs.org.not_in_subtrees', { id: orgId });
  }
}

async function checkPlan(db: Queryable, caller: Caller, planId: number, orgPath: string) {
  const plan = await loadPlan(db, planId);
  if (!plan || !canReach(caller, trainingPolicy.read, plan.path)) throw badRequest('body.planId', 'training.plan.not_found', { id: planId });
  if (!(orgPath === plan.path || orgPath.startsWith(plan.path + '.'))) throw badRequest('body.planId', 'training.plan.other_org');
}

type ClassInput = z.infer<typeof ClassUpdate>;
const CLASS_FIELDS: Array<[keyof ClassInput, string]> = [
  ['planId', 'plan_id'], ['title', 'title'], ['theme', 'theme'], ['hostInstitution', 'host_institution'], ['venue', 'venue'],
  ['startsOn', 'starts_on'], ['endsOn', 'ends_on'], ['capacityOnsite', 'capacity_onsite'], ['capacityLive', 'capacity_live'],
  ['audienceOrgIds', 'audience_org_ids'], ['audienceLevels', 'audience_levels'], ['audienceNote', 'audience_note'],
  ['classHours', 'class_hours'], ['minAttendanceShare', 'min_attendance_share'], ['minOnlineMinutes', 'min_online_minutes'],
  ['minAssessmentScore', 'min_assessment_score'], ['livePresenceShare', 'live_presence_share'], ['competencyModel', 'competency_model'],
];

export async function createClass(pool: Pool, ctx: WriteContext, input: z.infer<typeof ClassCreate>): Promise<ClassDetail> {
  return inTransaction(pool, async (db) => {
    const org = await organizedOrg(db, ctx.caller, input.orgId, 'body.orgId');
    if (input.endsOn < input.startsOn) throw badRequest('body.endsOn', 'training.class.ends_before_start');
    if (input.planId !== undefined && input.planId !== null) await checkPlan(db, ctx.caller, input.planId, org.path);
    if (input.audienceOrgIds) await checkAudience(db, ctx.caller, input.audienceOrgIds);
    const columns = ['org_id', 'created_by'];
    const values: unknown[] = [org.id, ctx.caller.accountId];
    for (const [key, column] of CLASS_FIELDS) {
      if (input[key] === undefined) continue;
      columns.push(column);
      values.push(input[key]);
    }
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO training_classes (${columns.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`, values);
    const detail = await classDetail(db, ctx.caller, inserted.rows[0]!.id);
    await recordAudit(db, ctx, { action: 'create', entity: 'training_class', entityId: detail.id, orgPath: org.path, after: detail });
    return detail;
  });
}

export async function updateClass(pool: Pool, ctx: WriteContext, id: number, input: ClassInput): Promise<ClassDetail> {
  return inTransaction(pool, async (db) => {
    const cls = await authorizeClass(db, ctx.caller, id, 'own', { lock: true });
    const before = await readClassRecord(db, ctx.caller, id);
    const startsOn = input.startsOn ?? cls.startsOn;
    const endsOn = input.endsOn ?? cls.endsOn;
    if (endsOn < startsOn) throw badRequest(input.endsOn ? 'body.endsOn' : 'body.startsOn', 'training.class.would_end_before_start');
    if (input.planId !== undefined && input.planId !== null) await checkPlan(db, ctx.caller, input.planId, cls.orgPath);
    if (input.audienceOrgIds) await checkAudience(db, ctx.caller, input.audienceOrgIds);
    if (input.startsOn || input.endsOn) {
      const outside = await db.query<{ id: number }>(
        `SELECT id FROM training_sessions WHERE class_id = $1 AND ((starts_at AT TIME ZONE 'Asia/Shanghai')::date < $2 OR (ends_at AT TIME ZONE 'Asia/Shanghai')::date > $3) ORDER BY starts_at LIMIT 1`,
        [id, startsOn, endsOn],
      );
      if (outside.rowCount) throw conflict(input.startsOn ? 'body.startsOn' : 'body.endsOn', 'training.class.session_outside', { id: outside.rows[0]!.id });
    }
    for (const [mode, key] of [['onsite', 'capacityOnsite'], ['live', 'capacityLive']] as const) {
      const capacity = input[key];
      if (capacity === undefined) continue;
      const taken = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM training_enrolments WHERE class_id = $1 AND mode = $2 AND status = 'enrolled'`, [id, mode]);
      if (taken.rows[0]!.n > capacity) throw conflict(`body.${key}`, 'training.capacity.already_enrolled', { count: taken.rows[0]!.n, mode });
    }
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [key, column] of CLASS_FIELDS) {
      if (input[key] === undefined) continue;
      params.push(input[key]);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length) await db.query(`UPDATE training_classes SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
    const after = await classDetail(db, ctx.caller, id);
    if (sets.length) await recordAudit(db, ctx, { action: 'update', entity: 'training_class', entityId: id, orgPath: cls.orgPath, before: presentClass(ctx.caller, before), after });
    return after;
  });
}

const STATUS_ORDER: ClassStatus[] = ['draft', 'open', 'running', 'closed'];

/** Moves a class one step along draft → open → running → closed, or one step back. */
export async function setClassStatus(pool: Pool, ctx: WriteContext, id: number, status: ClassStatus): Promise<ClassDetail> {
  return inTransaction(pool, async (db) => {
    const cls = await authorizeClass(db, ctx.caller, id, 'own', { lock: true });
    const step = STATUS_ORDER.indexOf(status) - STATUS_ORDER.indexOf(cls.status);
    if (step === 0) return classDetail(db, ctx.caller, id);
    if (Math.abs(step) !== 1) throw conflict('body.status', 'training.class.one_step', { status: cls.status });
    await db.query('UPDATE training_classes SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
    await recordAudit(db, ctx, { action: 'status', entity: 'training_class', entityId: id, orgPath: cls.orgPath, before: { status: cls.status }, after: { status } });
    return classDetail(db, ctx.caller, id);
  });
}
