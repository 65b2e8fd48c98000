import type { z } from 'zod';
import {
  COMPETENCY_ASPECTS, type CompetencyInput, type Course, type CourseCreate, type CourseListQuery, type CourseUpdate, type Material,
  type MaterialCreate, type MaterialUpdate,
} from '@workers-home/contract';
import type { WriteContext } from '../../context.ts';
import { inTransaction, paged, type Pool, type Queryable } from '../../db/pool.ts';
import { badRequest, conflict, forbidden, notFound } from '../../errors.ts';
import { canReach, isWithin, scopeOf, type Caller } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { findOrg } from '../orgs/service.ts';
import { takeClock, traineeOf } from './clock.ts';
import { trainingPolicy } from './policy.ts';
import { authorizeClass, findClass, isOwner, personOf, scopeCondition } from './policy.ts';
import { homeProvince } from '../../db/home-province.ts';

const COURSE_FROM = `training_courses c JOIN orgs co ON co.id = c.org_id
  LEFT JOIN training_classes cl ON cl.id = c.class_id LEFT JOIN orgs clo ON clo.id = cl.org_id`;
const COURSE_COLUMNS = `c.id, c.org_id AS "orgId", co.name AS "orgName", c.class_id AS "classId", cl.title AS "classTitle", c.title, c.description, c.status,
  (SELECT count(*)::int FROM training_materials m WHERE m.course_id = c.id) AS "materialCount",
  (SELECT coalesce(sum(m.required_minutes), 0)::int FROM training_materials m WHERE m.course_id = c.id) AS "requiredMinutes",
  to_json(c.updated_at)#>>'{}' AS "updatedAt"`;
const MATERIAL_COLUMNS = `m.id, m.course_id AS "courseId", m.position, m.kind, m.title, m.url, m.body, m.required_minutes AS "requiredMinutes"`;

/**
 * Who may see a course (params $1 = the caller's read scope): a class's course with its class
 * (the organizer's subtree, or the audience once the class is not a draft); a standalone
 * course in the subtree of the organization that offers it, and by readers above it.
 */
const COURSE_VISIBLE = `(
  (c.class_id IS NULL AND (co.path <@ ANY($1::ltree[]) OR co.path @> ANY($1::ltree[])))
  OR (c.class_id IS NOT NULL AND (clo.path <@ ANY($1::ltree[]) OR (cl.status <> 'draft' AND EXISTS (
    SELECT 1 FROM orgs a WHERE (a.id = ANY(cl.audience_org_ids) OR (cardinality(cl.audience_org_ids) = 0 AND a.id = cl.org_id))
      AND (a.path <@ ANY($1::ltree[]) OR a.path @> ANY($1::ltree[]))))))
)`;

interface CourseRow extends Course { orgPath: string }

async function loadCourse(db: Queryable, id: number): Promise<CourseRow | undefined> {
  const row = await db.query<CourseRow>(`SELECT ${COURSE_COLUMNS}, co.path::text AS "orgPath" FROM ${COURSE_FROM} WHERE c.id = $1`, [id]);
  return row.rows[0];
}

const publicCourse = ({ orgPath: _orgPath, ...course }: CourseRow): Course => course;

async function materialsOf(db: Queryable, courseId: number): Promise<Material[]> {
  return (await db.query<Material>(`SELECT ${MATERIAL_COLUMNS} FROM training_materials m WHERE m.course_id = $1 ORDER BY m.position, m.id`, [courseId])).rows;
}

/** A course the caller may see; `write` also requires owning it (the class's owners, or organizers of a standalone course's org). */
async function reachableCourse(db: Queryable, caller: Caller, id: number, write: boolean): Promise<CourseRow> {
  const course = await loadCourse(db, id);
  if (!course) throw notFound(`Course ${id}`);
  if (course.classId !== null) {
    const cls = await authorizeClass(db, caller, course.classId, 'read').catch(() => { throw notFound(`Course ${id}`); });
    if (write && !isOwner(caller, cls)) throw forbidden('needs the admin or organizer role on the organization that runs the class');
    return course;
  }
  const scope = scopeOf(caller, trainingPolicy.read);
  if (!scope.some((root) => isWithin(course.orgPath, root) || isWithin(root, course.orgPath))) throw notFound(`Course ${id}`);
  if (write && !canReach(caller, trainingPolicy.organize, course.orgPath)) throw forbidden('needs the admin or organizer role on the organization that offers this course');
  return course;
}

export async function listCourses(db: Queryable, caller: Caller, query: z.infer<typeof CourseListQuery>) {
  const where = [COURSE_VISIBLE];
  const params: unknown[] = [scopeOf(caller, trainingPolicy.read)];
  if (query.classId !== undefined) {
    await authorizeClass(db, caller, query.classId, 'read');
    params.push(query.classId);
    where.push(`c.class_id = $${params.length}`);
  }
  if (query.orgId !== undefined) {
    params.push(query.orgId);
    where.push(`c.org_id = $${params.length}`);
  }
  return paged<Course>(db, { select: COURSE_COLUMNS, from: `${COURSE_FROM} WHERE ${where.join(' AND ')}`, orderBy: 'c.updated_at DESC, c.id DESC' }, params, query);
}

export async function getCourse(db: Queryable, caller: Caller, id: number) {
  const course = await reachableCourse(db, caller, id, false);
  return { ...publicCourse(course), materials: await materialsOf(db, id) };
}

export async function createCourse(pool: Pool, ctx: WriteContext, input: z.infer<typeof CourseCreate>) {
  return inTransaction(pool, async (db) => {
    let orgId: number;
    let orgPath: string;
    if (input.classId !== undefined) {
      const cls = await findClass(db, input.classId);
      if (!cls || !canReach(ctx.caller, trainingPolicy.read, cls.orgPath)) throw badRequest('body.classId', 'training.class.not_found', { id: input.classId });
      if (!isOwner(ctx.caller, cls)) throw forbidden('body.classId: needs the admin or organizer role on the organization that runs this class');
      if (input.orgId !== undefined && input.orgId !== cls.orgId) throw badRequest('body.orgId', 'training.course.class_org');
      ({ orgId, orgPath } = cls);
    } else if (input.orgId !== undefined) {
      const org = await findOrg(db, input.orgId);
      if (!org || !canReach(ctx.caller, trainingPolicy.read, org.path)) throw badRequest('body.orgId', 'orgs.org.not_found', { id: input.orgId });
      if (!canReach(ctx.caller, trainingPolicy.organize, org.path)) throw forbidden('body.orgId: needs the admin or organizer role on this organization');
      orgId = org.id;
      orgPath = org.path;
    } else {
      throw badRequest('body.classId', 'training.course.class_or_org');
    }
    const row = await db.query<{ id: number }>(
      `INSERT INTO training_courses (org_id, class_id, title, description, status) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [orgId, input.classId ?? null, input.title, input.description ?? null, input.status],
    );
    const course = publicCourse((await loadCourse(db, row.rows[0]!.id))!);
    await recordAudit(db, ctx, { action: 'create', entity: 'training_course', entityId: course.id, orgPath, after: course });
    return { ...course, materials: [] };
  });
}

export async function updateCourse(pool: Pool, ctx: WriteContext, id: number, input: z.infer<typeof CourseUpdate>) {
  return inTransaction(pool, async (db) => {
    const before = await reachableCourse(db, ctx.caller, id, true);
    await db.query(
      `UPDATE training_courses SET title = coalesce($2, title), description = CASE WHEN $3 THEN $4 ELSE description END,
         status = coalesce($5, status), updated_at = now() WHERE id = $1`,
      [id, input.title ?? null, input.description !== undefined, input.description ?? null, input.status ?? null],
    );
    const after = publicCourse((await loadCourse(db, id))!);
    await recordAudit(db, ctx, { action: 'update', entity: 'training_course', entityId: id, orgPath: before.orgPath, before: publicCourse(before), after });
    return { ...after, materials: await materialsOf(db, id) };
  });
}

export async function deleteCourse(pool: Pool, ctx: WriteContext, id: number) {
  await inTransaction(pool, async (db) => {
    const before = await reachableCourse(db, ctx.caller, id, true);
    await db.query('DELETE FROM training_courses WHERE id = $1', [id]);
    await recordAudit(db, ctx, { action: 'delete', entity: 'training_course', entityId: id, orgPath: before.orgPath, before: publicCourse(before) });
  });
}

function checkMaterialBody(kind: string, url: string | null | undefined, body: string | null | undefined) {
  if (kind === 'page' && !body) throw badRequest('body.body', 'training.course.page_text');
  if (kind !== 'page' && !url) throw badRequest('body.url', 'training.course.address', { kind });
}

export async function createMaterial(pool: Pool, ctx: WriteContext, courseId: number, input: z.infer<typeof MaterialCreate>) {
  return inTransaction(pool, async (db) => {
    const course = await reachableCourse(db, ctx.caller, courseId, true);
    checkMaterialBody(input.kind, input.url, input.body);
    const row = await db.query<Material>(
      `INSERT INTO training_materials (course_id, position, kind, title, url, body, required_minutes)
       VALUES ($1, coalesce($2, (SELECT coalesce(max(position) + 1, 0) FROM training_materials WHERE course_id = $1)), $3, $4, $5, $6, $7)
       RETURNING id, course_id AS "courseId", position, kind, title, url, body, required_minutes AS "requiredMinutes"`,
      [courseId, input.position ?? null, input.kind, input.title, input.url ?? null, input.body ?? null, input.requiredMinutes],
    );
    await db.query('UPDATE training_courses SET updated_at = now() WHERE id = $1', [courseId]);
    await recordAudit(db, ctx, { action: 'create', entity: 'training_material', entityId: row.rows[0]!.id, orgPath: course.orgPath, after: row.rows[0] });
    return row.rows[0]!;
  });
}

async function materialForWrite(db: Queryable, caller: Caller, id: number) {
  const row = await db.query<Material>(`SELECT ${MATERIAL_COLUMNS} FROM training_materials m WHERE m.id = $1 FOR UPDATE`, [id]);
  const material = row.rows[0];
  if (!material) throw notFound(`Material ${id}`);
  const course = await reachableCourse(db, caller, material.courseId, true).catch((error: unknown) => {
    if ((error as { status?: number }).status === 404) throw notFound(`Material ${id}`);
    throw error;
  });
  return { material, course };
}

/** Changing required minutes needs no recomputation: whether a material is done is derived from the seconds studied. */
export async function updateMaterial(pool: Pool, ctx: WriteContext, id: number, input: z.infer<typeof MaterialUpdate>) {
  return inTransaction(pool, async (db) => {
    const { material, course } = await materialForWrite(db, ctx.caller, id);
    const next = { ...material, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
    checkMaterialBody(next.kind, next.url, next.body);
    const row = await db.query<Material>(
      `UPDATE training_materials SET position = $2, kind = $3, title = $4, url = $5, body = $6, required_minutes = $7, updated_at = now() WHERE id = $1
       RETURNING id, course_id AS "courseId", position, kind, title, url, body, required_minutes AS "requiredMinutes"`,
      [id, next.position, next.kind, next.title, next.url, next.body, next.requiredMinutes],
    );
    await db.query('UPDATE training_courses SET updated_at = now() WHERE id = $1', [material.courseId]);
    await recordAudit(db, ctx, { action: 'update', entity: 'training_material', entityId: id, orgPath: course.orgPath, before: material, after: row.rows[0] });
    return row.rows[0]!;
  });
}

export async function deleteMaterial(pool: Pool, ctx: WriteContext, id: number) {
  await inTransaction(pool, async (db) => {
    const { material, course } = await materialForWrite(db, ctx.caller, id);
    await db.query('DELETE FROM training_materials WHERE id = $1', [id]);
    await db.query('UPDATE training_courses SET updated_at = now() WHERE id = $1', [material.courseId]);
    await recordAudit(db, ctx, { action: 'delete', entity: 'training_material', entityId: id, orgPath: course.orgPath, before: material });
  });
}

/**
 * The published courses a person may study ($1 = person id): the courses of classes they are
 * enrolled in (once the class is not a draft), and standalone courses offered by their
 * union or any organization above it.
 */
// My courses and progress: $1 my person id, $2 my home province (named on each of my rows, the
// statement runs on one shard on Citus, where its subqueries are planned).
const MY_COURSES = `c.status = 'published' AND (
  (c.class_id IS NOT NULL AND cl.status <> 'draft' AND EXISTS (
    SELECT 1 FROM training_enrolments e WHERE e.province_id = $2 AND e.class_id = c.class_id AND e.person_id = $1 AND e.status = 'enrolled'))
  OR (c.class_id IS NULL AND co.path @> ANY(ARRAY(
    SELECT o.path FROM memberships ms JOIN orgs o ON o.id = ms.org_id WHERE ms.province_id = $2 AND ms.person_id = $1 AND ms.status = 'active'))))`;
const MY_PROGRESS = `(SELECT round(coalesce(sum(least(s.seconds, m.required_minutes * 60)), 0) / 60.0, 1)::float8
    FROM training_materials m JOIN training_study s ON s.material_id = m.id AND s.province_id = $2 AND s.person_id = $1 WHERE m.course_id = c.id) AS "studiedMinutes",
  (SELECT count(*)::int FROM training_materials m JOIN training_study s ON s.material_id = m.id AND s.province_id = $2 AND s.person_id = $1
    WHERE m.course_id = c.id AND s.seconds >= m.required_minutes * 60) AS "materialsDone"`;

export async function myCourses(db: Queryable, caller: Caller, query: { page: number; pageSize: number }) {
  const personId = personOf(caller);
  return paged<Course & { studiedMinutes: number; materialsDone: number }>(db, { select: `${COURSE_COLUMNS}, ${MY_PROGRESS}`, from: `${COURSE_FROM} WHERE ${MY_COURSES}`, orderBy: 'c.class_id IS NULL, c.updated_at DESC, c.id DESC' },
    [personId, await homeProvince(db, personId) ?? null], query);
}

export async function myCourse(db: Queryable, caller: Caller, id: number) {
  const personId = personOf(caller);
  const province = await homeProvince(db, personId) ?? null;
  const row = await db.query<Course & { studiedMinutes: number; materialsDone: number }>(
    `SELECT ${COURSE_COLUMNS}, ${MY_PROGRESS} FROM ${COURSE_FROM} WHERE ${MY_COURSES} AND c.id = $3`, [personId, province, id]);
  if (!row.rows[0]) throw notFound(`Course ${id}`);
  const materials = await db.query(
    `SELECT ${MATERIAL_COLUMNS}, coalesce(s.seconds, 0) AS "studiedSeconds", coalesce(s.seconds >= m.required_minutes * 60, false) AS done
     FROM training_materials m LEFT JOIN training_study s ON s.material_id = m.id AND s.province_id = $3 AND s.person_id = $1
     WHERE m.course_id = $2 ORDER BY m.position, m.id`,
    [personId, id, province],
  );
  return { ...row.rows[0], materials: materials.rows as Array<Material & { studiedSeconds: number; done: boolean }> };
}

/** A heartbeat gap longer than this starts a new sitting: nothing is credited for the gap. */
export const STUDY_SITTING_GAP_SECONDS = 120;

/**
 * Credits a study heartbeat: min(claimed, seconds since this material's last beat, seconds since
 * the trainee's last beat on anything (their one clock, see clock.ts), 60), and nothing on the
 * first beat of a sitting (opening a material is not studying it). One transaction holding the
 * trainee's clock row: beats from several tabs or materials at once are credited one after the
 * other and together never more than the wall-clock time that passed.
 */
export async function recordStudy(pool: Pool, caller: Caller, materialId: number, claimed: number) {
  const personId = personOf(caller);
  return inTransaction(pool, async (db) => {
    const trainee = await traineeOf(db, personId);
    if (!trainee) throw notFound(`Material ${materialId}`);
    const reachable = await db.query<{ required: number }>(
      `SELECT m.required_minutes * 60 AS required FROM training_materials m JOIN ${COURSE_FROM} ON c.id = m.course_id WHERE m.id = $3 AND ${MY_COURSES}`,
      [personId, trainee.provinceId, materialId],
    );
    if (!reachable.rows[0]) throw notFound(`Material ${materialId}`);
    const sinceAnyBeat = await takeClock(db, trainee);
    const key = [materialId, personId, trainee.provinceId];
    // This material's previous beat, locked: none, or one before a gap, starts a sitting, which earns nothing.
    const before = (await db.query<{ since: number; newSitting: boolean }>(
      `SELECT floor(extract(epoch FROM now() - last_beat_at))::int AS since, now() - last_beat_at > make_interval(secs => $4) AS "newSitting"
       FROM training_study WHERE material_id = $1 AND person_id = $2 AND province_id = $3 FOR UPDATE`,
      [...key, STUDY_SITTING_GAP_SECONDS])).rows[0];
    const credited = !before || before.newSitting ? 0 : Math.max(0, Math.min(claimed, before.since, sinceAnyBeat ?? Infinity, 60));
    // Citus takes no subquery in an INSERT … VALUES: the credit is worked out above, under the same locks.
    const row = await db.query<{ seconds: number }>(
      `INSERT INTO training_study AS s (material_id, person_id, province_id, seconds) VALUES ($1, $2, $3, 0)
       ON CONFLICT (material_id, person_id, province_id) DO UPDATE SET seconds = s.seconds + $4, last_beat_at = greatest(s.last_beat_at, now())
       RETURNING s.seconds`,
      [...key, credited],
    );
    const { seconds } = row.rows[0]!;
    const required = reachable.rows[0].required;
    return { materialId, credited, studiedSeconds: seconds, requiredSeconds: required, done: seconds >= required };
  });
}

/** The trainee's own self-assessment against the 10-aspect model, when the class has it. */
export async function submitCompetency(pool: Pool, caller: Caller, classId: number, input: z.infer<typeof CompetencyInput>) {
  const personId = personOf(caller);
  const enrolment = await pool.query<{ id: number; provinceId: number; competency: boolean; status: string }>(
    `SELECT e.id, e.province_id AS "provinceId", c.competency_model AS competency, c.status FROM training_enrolments e JOIN training_classes c ON c.id = e.class_id
     WHERE e.class_id = $1 AND e.person_id = $2 AND e.status = 'enrolled' AND c.status <> 'draft'`,
    [classId, personId],
  );
  const row = enrolment.rows[0];
  if (!row) throw notFound(`Class ${classId}`);
  if (!row.competency) throw conflict('params.id', 'training.course.no_competency');
  const saved = await pool.query<{ submittedAt: string }>(
    `INSERT INTO training_competency_assessments (enrolment_id, province_id, scores, submitted_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (enrolment_id, province_id) DO UPDATE SET scores = excluded.scores, submitted_at = excluded.submitted_at
     RETURNING to_json(submitted_at)#>>'{}' AS "submittedAt"`,
    [row.id, row.provinceId, JSON.stringify(input.scores)],
  );
  return { classId, scores: input.scores, submittedAt: saved.rows[0]!.submittedAt };
}

/** Averages per aspect over the self-assessments of the trainees the caller sees. */
export async function competencySummary(db: Queryable, caller: Caller, classId: number) {
  const { scope } = await authorizeClass(db, caller, classId, 'read');
  const aspects = COMPETENCY_ASPECTS.map(([aspect]) => aspect);
  // One aggregate per aspect, over the enrolments and their self-assessments (co-located by province).
  const averagesSql = aspects.map((_, i) => `round(avg((a.scores->>$${3 + i}::text)::numeric), 2)::float8 AS a${i}`).join(', ');
  const row = await db.query<Record<string, number | null> & { respondents: number; enrolled: number }>(
    `SELECT count(a.enrolment_id)::int AS respondents, count(*)::int AS enrolled, ${averagesSql}
     FROM training_enrolments e JOIN orgs eo ON eo.id = e.org_id
     LEFT JOIN training_competency_assessments a ON a.province_id = e.province_id AND a.enrolment_id = e.id
     WHERE e.class_id = $1 AND e.status = 'enrolled' AND ${scopeCondition(2)}`,
    [classId, scope, ...aspects],
  );
  const { respondents, enrolled } = row.rows[0]!;
  const averages = aspects.map((_, i) => row.rows[0]![`a${i}`] ?? null);
  return {
    classId, respondents, enrolled,
    aspects: COMPETENCY_ASPECTS.map(([aspect, label], i) => ({ aspect, label, average: averages[i] ?? null })),
  };
}

