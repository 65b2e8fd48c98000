import type { z } from 'zod';
import type { CodedError, Enrolment, EnrolmentCreate, EnrolmentListQuery, EnrolmentMode, EnrolmentUpdate } from '@workers-home/contract';
import { inTransaction, paged, type Pool, type Queryable } from '../../db/pool.ts';
import type { Services, WriteContext } from '../../context.ts';
import { badRequest, badRequestFrom, conflict, forbidden, notFound } from '../../errors.ts';
import { canReach, isWithin, type Caller } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { escapeLike } from '../../db/sql.ts';
import { authorizeClass, authorizeTraineeRecord, inScope, isOwner, mayEnrolFrom, trainingPolicy, type ClassRow } from './policy.ts';
import { lockRosterRow } from '../../db/home-province.ts';

/**
 * A trainee's phone belongs to their present union: it shows while they are still a member
 * within the organization they were enrolled from, not after they moved to another subtree.
 */
const PRESENT_PHONE = `(CASE WHEN EXISTS (SELECT 1 FROM memberships pm WHERE pm.province_id = p.province_id AND pm.person_id = p.id AND pm.status = 'active' AND pm.org_path::ltree <@ o.path) THEN p.phone END)`;

export const ENROLMENT_COLUMNS = `e.id, e.class_id AS "classId", e.person_id AS "personId", p.name, p.id_number_masked AS "idNumberMasked", ${PRESENT_PHONE} AS phone,
  e.org_id AS "orgId", o.name AS "orgName", o.level AS "orgLevel", e.mode, e.status, e.assessment_score::float8 AS "assessmentScore",
  to_json(e.enrolled_at)#>>'{}' AS "enrolledAt"`;
const ENROLMENT_FROM = 'training_enrolments e JOIN persons p ON p.province_id = e.province_id AND p.id = e.person_id JOIN orgs o ON o.id = e.org_id';

export const MODE_LABEL: Record<EnrolmentMode, string> = { onsite: 'on site', live: 'live' };

/** An enrolment's key: its id and its trainee's province. */
export interface EnrolmentKey {
  id: number;
  provinceId: number;
}

export async function loadEnrolment(db: Queryable, { id, provinceId }: EnrolmentKey): Promise<Enrolment & { orgPath: string }> {
  const row = await db.query<Enrolment & { orgPath: string }>(
    `SELECT ${ENROLMENT_COLUMNS}, o.path::text AS "orgPath" FROM ${ENROLMENT_FROM} WHERE e.province_id = $2 AND e.id = $1`, [id, provinceId]);
  if (!row.rows[0]) throw notFound(`Enrolment ${id}`);
  return row.rows[0];
}
const toEnrolment = ({ orgPath: _orgPath, ...e }: Enrolment & { orgPath: string }): Enrolment => e;

export async function listEnrolments(db: Queryable, caller: Caller, classId: number, query: z.infer<typeof EnrolmentListQuery>) {
  const cls = await authorizeClass(db, caller, classId, 'read');
  const params: unknown[] = [classId, cls.scope];
  const where = ['e.class_id = $1', '($2::ltree[] IS NULL OR o.path <@ ANY($2))'];
  const add = (sql: string, value: unknown) => { params.push(value); where.push(sql.replaceAll('?', `$${params.length}`)); };
  if (query.status !== 'all') add('e.status = ?', query.status);
  if (query.mode) add('e.mode = ?', query.mode);
  if (query.orgId !== undefined) add('o.path <@ (SELECT path FROM orgs WHERE id = ?)', query.orgId);
  if (query.q) add(/^\d{3,11}$/.test(query.q) ? `${PRESENT_PHONE} LIKE ? || '%'` : `p.name ILIKE '%' || ? || '%'`, /^\d{3,11}$/.test(query.q) ? query.q : escapeLike(query.q));
  return paged<Enrolment>(db, { select: ENROLMENT_COLUMNS, from: `${ENROLMENT_FROM} WHERE ${where.join(' AND ')}`, orderBy: 'o.path, p.name, e.id' }, params, query);
}

/** An organization a person may be enrolled from: where they hold a position now, or their union. */
export interface PersonOrg {
  personId: number;
  orgId: number;
  orgPath: string;
  orgName: string;
}

export async function currentOrgsOf(db: Queryable, personIds: number[]): Promise<Map<number, PersonOrg[]>> {
  const rows = await db.query<PersonOrg>(
    `SELECT x.person_id AS "personId", o.id AS "orgId", o.path::text AS "orgPath", o.name AS "orgName" FROM (
       SELECT c.person_id, c.org_id, 1 AS preference, c.since AS since FROM cadre_positions c WHERE c.person_id = ANY($1) AND c.until IS NULL
       UNION ALL
       SELECT m.person_id, m.org_id, 2, m.joined_on FROM memberships m WHERE m.person_id = ANY($1) AND m.status = 'active'
     ) x JOIN orgs o ON o.id = x.org_id WHERE o.status = 'active' ORDER BY x.preference, x.since DESC`,
    [personIds],
  );
  const byPerson = new Map<number, PersonOrg[]>();
  for (const row of rows.rows) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), row]);
  return byPerson;
}

/** An organization the caller may enrol trainees from in this class: in their organizer subtrees and in the class's audience. */

/**
 * The organization a trainee is enrolled from: the one asked for (it must be one of the
 * person's organizations or above one), or the first of theirs the caller may enrol from.
 * Returns a reason when there is none.
 */
export function enrolmentOrg(caller: Caller, cls: ClassRow, orgs: PersonOrg[], wanted?: { id: number; path: string; name: string }): PersonOrg | CodedError {
  if (orgs.length === 0) return { code: 'training.enrolment.no_union' };
  if (wanted) {
    if (!orgs.some((o) => isWithin(o.orgPath, wanted.path))) return { code: 'training.enrolment.not_in_org', params: { id: wanted.id } };
    if (!mayEnrolFrom(caller, cls, wanted.path)) return { code: 'training.enrolment.org_outside', params: { id: wanted.id } };
    return { personId: orgs[0]!.personId, orgId: wanted.id, orgPath: wanted.path, orgName: wanted.name };
  }
  return orgs.find((o) => mayEnrolFrom(caller, cls, o.orgPath)) ?? { code: 'training.enrolment.no_org_allowed' };
}

export function assertClassEnrolling(cls: ClassRow) {
  if (cls.status === 'closed') throw conflict('params.id', 'training.class.closed_enrol');
}

/** Seats taken per mode, under the class row lock the caller holds. */
export async function seatsTaken(db: Queryable, classId: number): Promise<Record<EnrolmentMode, number>> {
  const rows = await db.query<{ mode: EnrolmentMode; n: number }>(
    `SELECT mode, count(*)::int AS n FROM training_enrolments WHERE class_id = $1 AND status = 'enrolled' GROUP BY mode`, [classId]);
  const taken = { onsite: 0, live: 0 };
  for (const row of rows.rows) taken[row.mode] = row.n;
  return taken;
}

export const capacityOf = (cls: ClassRow, mode: EnrolmentMode) => (mode === 'onsite' ? cls.capacityOnsite : cls.capacityLive);

function assertSeats(cls: ClassRow, taken: Record<EnrolmentMode, number>, mode: EnrolmentMode, adding: number, field: string) {
  const capacity = capacityOf(cls, mode);
  if (taken[mode] + adding > capacity) {
    throw capacity === 0
      ? conflict(field, 'training.capacity.none', { mode })
      : conflict(field, 'training.capacity.full', { mode, taken: taken[mode], capacity, adding });
  }
}

/** One answer for a person who does not exist and one outside the caller's subtrees, by id or by ID number. */
const NOT_ON_ROSTER = 'people.person.not_on_roster';

async function findPersonFor(db: Queryable, { secrets }: Services, caller: Caller, cls: ClassRow, input: z.infer<typeof EnrolmentCreate>): Promise<{ personId: number; field: string }> {
  if (input.personId !== undefined) return { personId: input.personId, field: 'body.personId' };
  if (input.idNumber !== undefined) {
    const row = await db.query<{ id: number }>('SELECT id FROM persons WHERE id_number_hash = $1', [secrets.lookupHash(input.idNumber)]);
    if (!row.rows[0]) throw badRequest('body.idNumber', NOT_ON_ROSTER);
    return { personId: row.rows[0].id, field: 'body.idNumber' };
  }
  const rows = await db.query<{ id: number }>('SELECT id FROM persons WHERE phone = $1 ORDER BY id', [input.phone]);
  const orgs = await currentOrgsOf(db, rows.rows.map((r) => r.id));
  const reachable = rows.rows.filter((r) => (orgs.get(r.id) ?? []).some((o) => mayEnrolFrom(caller, cls, o.orgPath)));
  if (reachable.length === 0) throw badRequest('body.phone', 'training.enrolment.no_phone');
  if (reachable.length > 1) throw conflict('body.phone', 'training.enrolment.phone_shared', { count: reachable.length });
  return { personId: reachable[0]!.id, field: 'body.phone' };
}

/** Enrols one person (by id, ID number or phone); capacity is checked under the class row lock. */
export async function enrolOne(services: Services, ctx: WriteContext, classId: number, input: z.infer<typeof EnrolmentCreate>): Promise<Enrolment> {
  return inTransaction(services.pool, async (db) => {
    // The class row lock serializes enrolments of one class: two organizers cannot both take the last seat.
    const cls = await authorizeClass(db, ctx.caller, classId, 'enrol', { lock: true });
    assertClassEnrolling(cls);
    const { personId, field } = await findPersonFor(db, services, ctx.caller, cls, input);
    const orgs = (await currentOrgsOf(db, [personId])).get(personId) ?? [];
    // A person outside the caller's subtrees is "not on your roster", whatever the reason.
    if (!orgs.some((o) => canReach(ctx.caller, trainingPolicy.organize, o.orgPath))) throw badRequest(field, NOT_ON_ROSTER);
    let wanted: { id: number; path: string; name: string } | undefined;
    if (input.orgId !== undefined) {
      const org = await db.query<{ id: number; path: string; name: string }>('SELECT id, path::text AS path, name FROM orgs WHERE id = $1', [input.orgId]);
      if (!org.rows[0] || !canReach(ctx.caller, trainingPolicy.read, org.rows[0].path)) throw badRequest('body.orgId', 'orgs.org.not_found', { id: input.orgId });
      wanted = org.rows[0];
    }
    const org = enrolmentOrg(ctx.caller, cls, orgs, wanted);
    if ('code' in org) throw badRequestFrom(input.orgId !== undefined ? 'body.orgId' : field, org);
    const existing = await db.query<EnrolmentKey & { status: string; mode: EnrolmentMode }>(
      'SELECT id, province_id AS "provinceId", status, mode FROM training_enrolments WHERE class_id = $1 AND person_id = $2', [classId, personId]);
    const previous = existing.rows[0];
    if (previous?.status === 'enrolled') throw conflict(field, 'training.enrolment.already_enrolled', { mode: previous.mode, id: previous.id });
    assertSeats(cls, await seatsTaken(db, classId), input.mode, 1, 'body.mode');
    const written = previous
      ? await db.query<EnrolmentKey>(
        `UPDATE training_enrolments SET status = 'enrolled', mode = $3, org_id = $4, enrolled_by = $5, enrolled_at = now()
         WHERE province_id = $2 AND id = $1 RETURNING id, province_id AS "provinceId"`,
        [previous.id, previous.provinceId, input.mode, org.orgId, ctx.caller.accountId])
      : await db.query<EnrolmentKey>(
        `INSERT INTO training_enrolments (class_id, person_id, province_id, org_id, mode, enrolled_by)
         SELECT $1, p.id, p.province_id, $3, $4, $5 FROM persons p WHERE p.id = $2 RETURNING id, province_id AS "provinceId"`,
        [classId, personId, org.orgId, input.mode, ctx.caller.accountId]);
    const enrolment = await loadEnrolment(db, written.rows[0]!);
    await recordAudit(db, ctx, { action: previous ? 're-enrol' : 'enrol', entity: 'training_enrolment', entityId: enrolment.id, orgPath: enrolment.orgPath, personId, after: toEnrolment(enrolment) });
    return toEnrolment(enrolment);
  });
}

/** An enrolment the caller may change: the class's owners, or an organizer reaching the trainee's organization within its audience. */
export async function changeableEnrolment(db: Queryable, caller: Caller, id: number, lockClass: boolean) {
  const row = await db.query<{ classId: number; provinceId: number }>('SELECT class_id AS "classId", province_id AS "provinceId" FROM training_enrolments WHERE id = $1', [id]);
  const missing = () => notFound(`Enrolment ${id}`);
  if (!row.rows[0]) throw missing();
  const key = { id, provinceId: row.rows[0].provinceId };
  const cls = await authorizeClass(db, caller, row.rows[0].classId, 'read', { lock: lockClass, missing });
  const enrolment = await loadEnrolment(db, key);
  if (!inScope(cls.scope, enrolment.orgPath)) throw missing();
  if (!isOwner(caller, cls) && !mayEnrolFrom(caller, cls, enrolment.orgPath)) throw forbidden('needs the organizer role on the class\'s organization or on the trainee\'s');
  return { cls, enrolment, key };
}

export async function updateEnrolment(services: Services, ctx: WriteContext, id: number, input: z.infer<typeof EnrolmentUpdate>): Promise<Enrolment> {
  return inTransaction(services.pool, async (db) => {
    const { cls, enrolment: before, key } = await changeableEnrolment(db, ctx.caller, id, true);
    const mode = input.mode ?? before.mode;
    const status = input.status ?? before.status;
    if (status === 'enrolled' && (before.status !== 'enrolled' || mode !== before.mode)) {
      assertClassEnrolling(cls);
      const taken = await seatsTaken(db, cls.id);
      if (before.status === 'enrolled') taken[before.mode] -= 1;
      assertSeats(cls, taken, mode, 1, input.mode ? 'body.mode' : 'body.status');
    }
    await db.query('UPDATE training_enrolments SET mode = $3, status = $4 WHERE province_id = $2 AND id = $1', [id, key.provinceId, mode, status]);
    const after = await loadEnrolment(db, key);
    await recordAudit(db, ctx, { action: 'update', entity: 'training_enrolment', entityId: id, orgPath: after.orgPath, personId: after.personId, before: toEnrolment(before), after: toEnrolment(after) });
    return toEnrolment(after);
  });
}

/**
 * A trainee's assessment score (0–100, one decimal, or null to clear): the one way it is
 * written. Only the class's owners score; the change and its audit row are one transaction.
 */
export async function recordAssessment(pool: Pool, ctx: WriteContext, id: number, score: number | null): Promise<{ enrolmentId: number; assessmentScore: number | null }> {
  return inTransaction(pool, async (db) => {
    await lockRosterRow(db, 'training_enrolments', id);
    const found = await db.query<{ classId: number; personId: number; provinceId: number; before: number | null; orgPath: string }>(
      `SELECT e.class_id AS "classId", e.person_id AS "personId", e.province_id AS "provinceId", e.assessment_score::float8 AS before, o.path::text AS "orgPath"
       FROM training_enrolments e JOIN orgs o ON o.id = e.org_id WHERE e.id = $1`, [id]);
    const enrolment = found.rows[0];
    const missing = () => notFound(`Enrolment ${id}`);
    if (!enrolment) throw missing();
    const cls = await authorizeTraineeRecord(db, ctx.caller, enrolment.classId, enrolment.orgPath, missing);
    await db.query('UPDATE training_enrolments SET assessment_score = $3 WHERE province_id = $2 AND id = $1', [id, enrolment.provinceId, score]);
    await recordAudit(db, ctx, { action: 'assess', entity: 'training_enrolment', entityId: id, orgPath: cls.orgPath, personId: enrolment.personId, before: { assessmentScore: enrolment.before }, after: { assessmentScore: score } });
    return { enrolmentId: id, assessmentScore: score };
  });
}
