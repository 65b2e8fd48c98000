import type { z } from 'zod';
import type { SessionCreate, SessionUpdate, TrainingSession } from '@workers-home/contract';
import { inTransaction, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import type { Caller } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { authorizeClass, type ClassRow } from './policy.ts';

/** Session columns; `overlapsWith` lists the class's other sessions whose time overlaps. */
export const SESSION_COLUMNS = `s.id, s.class_id AS "classId", s.kind, s.topic, to_json(s.starts_at)#>>'{}' AS "startsAt",
  to_json(s.ends_at)#>>'{}' AS "endsAt", s.place, s.stream_url AS "streamUrl", s.speakers`;
// to_json: a bigint[] would come back as strings.
const OVERLAPS = `to_json(ARRAY(SELECT x.id FROM training_sessions x WHERE x.class_id = s.class_id AND x.id <> s.id
  AND x.starts_at < s.ends_at AND s.starts_at < x.ends_at ORDER BY x.starts_at, x.id)) AS "overlapsWith"`;

export async function listSessions(db: Queryable, caller: Caller, classId: number): Promise<TrainingSession[]> {
  await authorizeClass(db, caller, classId, 'read');
  return sessionsOf(db, classId);
}

export async function sessionsOf(db: Queryable, classId: number): Promise<TrainingSession[]> {
  const rows = await db.query<TrainingSession>(`SELECT ${SESSION_COLUMNS}, ${OVERLAPS} FROM training_sessions s WHERE s.class_id = $1 ORDER BY s.starts_at, s.id`, [classId]);
  return rows.rows;
}

async function loadSession(db: Queryable, id: number): Promise<TrainingSession> {
  const row = await db.query<TrainingSession>(`SELECT ${SESSION_COLUMNS}, ${OVERLAPS} FROM training_sessions s WHERE s.id = $1`, [id]);
  if (!row.rows[0]) throw notFound(`Training session ${id}`);
  return row.rows[0];
}

/** The class of a session, or 404 (also when the caller may not see the class). */
export async function classOfSession(db: Queryable, sessionId: number): Promise<number | undefined> {
  const row = await db.query<{ classId: number }>('SELECT class_id AS "classId" FROM training_sessions WHERE id = $1', [sessionId]);
  return row.rows[0]?.classId;
}

export async function ownedSession(db: Queryable, caller: Caller, id: number, lock = false): Promise<ClassRow> {
  const classId = await classOfSession(db, id);
  if (classId === undefined) throw notFound(`Training session ${id}`);
  try {
    return await authorizeClass(db, caller, classId, 'own', { lock });
  } catch (error) {
    if ((error as { status?: number }).status === 404) throw notFound(`Training session ${id}`);
    throw error;
  }
}

type SessionValues = { kind: string; topic: string; startsAt: string; endsAt: string; place: string | null; streamUrl: string | null };

/** A session lies within the class dates (China time), ends after it starts, and says where to attend. */
async function checkSession(db: Queryable, cls: ClassRow, s: SessionValues, input: Record<string, unknown>) {
  const field = (name: string, fallback: string) => (input[name] !== undefined ? `body.${name}` : `body.${fallback}`);
  if (Date.parse(s.endsAt) <= Date.parse(s.startsAt)) throw badRequest(field('endsAt', 'startsAt'), 'training.session.after_start');
  const days = await db.query<{ startDay: string; endDay: string }>(
    `SELECT ($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date::text AS "startDay", ($2::timestamptz AT TIME ZONE 'Asia/Shanghai')::date::text AS "endDay"`,
    [s.startsAt, s.endsAt],
  );
  const { startDay, endDay } = days.rows[0]!;
  if (startDay < cls.startsOn || startDay > cls.endsOn) throw badRequest(field('startsAt', 'endsAt'), 'training.session.within_dates', { from: cls.startsOn, to: cls.endsOn });
  if (endDay < cls.startsOn || endDay > cls.endsOn) throw badRequest(field('endsAt', 'startsAt'), 'training.session.within_dates', { from: cls.startsOn, to: cls.endsOn });
  if (s.place === null && s.streamUrl === null) throw badRequest('body.place', 'training.session.place_or_stream');
  if (s.kind === 'live' && s.streamUrl === null) throw badRequest('body.streamUrl', 'training.session.live_stream');
}

export async function createSession(pool: Pool, ctx: WriteContext, classId: number, input: z.infer<typeof SessionCreate>): Promise<TrainingSession> {
  return inTransaction(pool, async (db) => {
    const cls = await authorizeClass(db, ctx.caller, classId, 'own', { lock: true });
    const values = { ...input, place: input.place ?? null, streamUrl: input.streamUrl ?? null };
    await checkSession(db, cls, values, input);
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO training_sessions (class_id, kind, topic, starts_at, ends_at, place, stream_url, speakers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [classId, input.kind, input.topic, input.startsAt, input.endsAt, values.place, values.streamUrl, JSON.stringify(input.speakers ?? [])],
    );
    const session = await loadSession(db, inserted.rows[0]!.id);
    await recordAudit(db, ctx, { action: 'create', entity: 'training_session', entityId: session.id, orgPath: cls.orgPath, after: session });
    return session;
  });
}

export async function updateSession(pool: Pool, ctx: WriteContext, id: number, input: z.infer<typeof SessionUpdate>): Promise<TrainingSession> {
  return inTransaction(pool, async (db) => {
    const cls = await ownedSession(db, ctx.caller, id, true);
    const before = await loadSession(db, id);
    const values = {
      kind: input.kind ?? before.kind, topic: input.topic ?? before.topic, startsAt: input.startsAt ?? before.startsAt, endsAt: input.endsAt ?? before.endsAt,
      place: input.place !== undefined ? input.place : before.place, streamUrl: input.streamUrl !== undefined ? input.streamUrl : before.streamUrl,
    };
    await checkSession(db, cls, values, input);
    await db.query(
      `UPDATE training_sessions SET kind = $2, topic = $3, starts_at = $4, ends_at = $5, place = $6, stream_url = $7, speakers = $8, updated_at = now() WHERE id = $1`,
      [id, values.kind, values.topic, values.startsAt, values.endsAt, values.place, values.streamUrl, JSON.stringify(input.speakers ?? before.speakers)],
    );
    const after = await loadSession(db, id);
    await recordAudit(db, ctx, { action: 'update', entity: 'training_session', entityId: id, orgPath: cls.orgPath, before, after });
    return after;
  });
}

/** Removes a session nobody has attended yet (attendance is never thrown away silently). */
export async function deleteSession(pool: Pool, ctx: WriteContext, id: number): Promise<void> {
  await inTransaction(pool, async (db) => {
    const cls = await ownedSession(db, ctx.caller, id, true);
    const before = await loadSession(db, id);
    const attended = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM training_attendance WHERE session_id = $1', [id]);
    if (attended.rows[0]!.n > 0) throw conflict('params.id', 'training.session.attended', { count: attended.rows[0]!.n });
    await db.query('DELETE FROM training_sessions WHERE id = $1', [id]);
    await recordAudit(db, ctx, { action: 'delete', entity: 'training_session', entityId: id, orgPath: cls.orgPath, before });
  });
}
