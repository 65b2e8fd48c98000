import type { Role } from '@workers-home/contract';
import { windowAt, tokenFor, codeFor } from '../src/modules/training/checkin.ts';
import { makePerson, signIn, unique, type OrgRef, type Session, type TestApp } from './helpers.ts';

/** Today's date in China (class dates are China dates), shifted by `days`. */
export function chinaDate(days = 0): string {
  const shanghai = new Date(Date.now() + 8 * 3600_000 + days * 86_400_000);
  return shanghai.toISOString().slice(0, 10);
}

/** An ISO time `minutes` from now. */
export const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

export interface ClassRef {
  id: number;
  orgId: number;
}

/**
 * A class written straight to the database (tests of other rules than creation), running from
 * two days ago to two days ahead (China dates), open for enrolment.
 */
export async function insertClass(t: TestApp, org: OrgRef, fields: { status?: string; capacityOnsite?: number; capacityLive?: number; audienceOrgIds?: number[]; planId?: number; livePresenceShare?: number; title?: string } = {}): Promise<ClassRef> {
  const row = await t.pool.query<{ id: number }>(
    `INSERT INTO training_classes (org_id, plan_id, title, venue, starts_on, ends_on, capacity_onsite, capacity_live, audience_org_ids, status, live_presence_share)
     VALUES ($1, $2, $3, '中国劳动关系学院', $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [org.id, fields.planId ?? null, fields.title ?? unique('培训班'), chinaDate(-2), chinaDate(2), fields.capacityOnsite ?? 50, fields.capacityLive ?? 50,
      fields.audienceOrgIds ?? [], fields.status ?? 'open', fields.livePresenceShare ?? 0.6],
  );
  return { id: row.rows[0]!.id, orgId: org.id };
}

/** A session of the class from `startMinutes` to `endMinutes` relative to now, on site and streamed. */
export async function insertSession(t: TestApp, classId: number, startMinutes = -10, endMinutes = 60, fields: { place?: string | null; streamUrl?: string | null; kind?: string } = {}): Promise<number> {
  const row = await t.pool.query<{ id: number }>(
    `INSERT INTO training_sessions (class_id, kind, topic, starts_at, ends_at, place, stream_url, speakers)
     VALUES ($1, $2, $3, now() + make_interval(mins => $4), now() + make_interval(mins => $5), $6, $7, '[{"name":"王主讲","title":"教授","org":"中国劳动关系学院"}]') RETURNING id`,
    [classId, fields.kind ?? 'lecture', unique('专题讲座'), startMinutes, endMinutes,
      fields.place === undefined ? '报告厅' : fields.place, fields.streamUrl === undefined ? 'https://live.example.cn/s/1' : fields.streamUrl],
  );
  return row.rows[0]!.id;
}

export async function insertEnrolment(t: TestApp, classId: number, personId: number, org: OrgRef, mode: 'onsite' | 'live' = 'onsite'): Promise<number> {
  const row = await t.pool.query<{ id: number }>(
    `INSERT INTO training_enrolments (class_id, person_id, province_id, org_id, mode) SELECT $1, id, province_id, $3, $4 FROM persons WHERE id = $2 RETURNING id`,
    [classId, personId, org.id, mode]);
  return row.rows[0]!.id;
}

export interface Trainee {
  personId: number;
  idNumber: string;
  session: Session;
}

/** A member of `union` with a signed-in account linked to their person. */
export async function makeTrainee(t: TestApp, union: OrgRef, role: Role = 'member', fields: { name?: string; phone?: string } = {}): Promise<Trainee> {
  const person = await makePerson(t, union, fields);
  const session = await signIn(t, role, union, person.id);
  return { personId: person.id, idNumber: person.idNumber, session };
}

export async function sessionSecret(t: TestApp, sessionId: number): Promise<Buffer> {
  return (await t.pool.query<{ s: Buffer }>('SELECT checkin_secret AS s FROM training_sessions WHERE id = $1', [sessionId])).rows[0]!.s;
}

/** The QR token and typed code of a session for the window `offset` windows from now. */
export async function codesAt(t: TestApp, sessionId: number, offset = 0) {
  const secret = await sessionSecret(t, sessionId);
  const window = windowAt(Date.now()) + offset;
  return { token: tokenFor(secret, sessionId, window), code: codeFor(secret, sessionId, window) };
}

/**
 * The rows the access tests aim at, in grassroots union A1 (county A1, province A): a plan, an
 * open class with two sessions, two trainees (one checked in at the first session).
 */
export async function trainingTargets(t: TestApp, unionA1: OrgRef) {
  const plan = await t.pool.query<{ id: number }>(`INSERT INTO training_plans (org_id, year, title) VALUES ($1, 2026, '年度培训计划') RETURNING id`, [unionA1.id]);
  const cls = await insertClass(t, unionA1, { planId: plan.rows[0]!.id });
  const session = await insertSession(t, cls.id);
  const emptySession = await insertSession(t, cls.id, 120, 180);
  const checkedIn = await makePerson(t, unionA1);
  const other = await makePerson(t, unionA1);
  const enrolment = await insertEnrolment(t, cls.id, checkedIn.id, unionA1);
  const otherEnrolment = await insertEnrolment(t, cls.id, other.id, unionA1);
  await t.pool.query(
    `INSERT INTO training_attendance (session_id, enrolment_id, province_id, method) SELECT $1, id, province_id, 'manual' FROM training_enrolments WHERE id = $2`,
    [session, enrolment]);
  return { plan: plan.rows[0]!.id, cls: cls.id, session, emptySession, enrolment, otherEnrolment, person: checkedIn.id, idNumber: checkedIn.idNumber };
}
