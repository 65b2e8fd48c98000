import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import {
  CHECKIN_OPENS_MINUTES_BEFORE, CHECKIN_PERIOD_SECONDS, PRESENCE_MAX_SECONDS_PER_BEAT, TRAINING_TIME_ZONE,
  type Attendance, type AttendanceListQuery, type CheckinInput, type EnrolmentMode,
} from '@workers-home/contract';
import { inTransaction, paged, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { AppError, badRequest, conflict, fieldError, forbidden, forbiddenOnField, notFound } from '../../errors.ts';
import type { Caller } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { takeClock } from './clock.ts';
import { authorizeClass, inScope, isOwner, mayEnrolFrom } from './policy.ts';
import { classOfSession, ownedSession } from './timetable.ts';

/**
 * Check-in codes. Time is cut into windows of 30 s; a session's code for window w is
 * HMAC-SHA256(session.checkin_secret, `${sessionId}:${w}`). The QR token carries the session,
 * the window and 12 bytes of that MAC; the typed code is 6 digits cut from it the way TOTP
 * does (RFC 4226 dynamic truncation). The current and the previous window are accepted, so
 * a code scanned just before it changes still works, and nothing older does.
 */
const PERIOD_MS = CHECKIN_PERIOD_SECONDS * 1000;
export const windowAt = (ms: number) => Math.floor(ms / PERIOD_MS);

function macFor(secret: Buffer, sessionId: number, window: number): Buffer {
  return createHmac('sha256', secret).update(`${sessionId}:${window}`).digest();
}

export function tokenFor(secret: Buffer, sessionId: number, window: number): string {
  return `${sessionId}.${window}.${macFor(secret, sessionId, window).subarray(0, 12).toString('base64url')}`;
}

export function codeFor(secret: Buffer, sessionId: number, window: number): string {
  const mac = macFor(secret, sessionId, window);
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 1_000_000).padStart(6, '0');
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function checkinCode(db: Queryable, caller: Caller, sessionId: number, origin: string) {
  await ownedSession(db, caller, sessionId);
  const secret = await db.query<{ secret: Buffer }>('SELECT checkin_secret AS secret FROM training_sessions WHERE id = $1', [sessionId]);
  const window = windowAt(Date.now());
  const token = tokenFor(secret.rows[0]!.secret, sessionId, window);
  return {
    sessionId, token, code: codeFor(secret.rows[0]!.secret, sessionId, window),
    url: `${origin}/app/check-in?t=${encodeURIComponent(token)}`,
    expiresAt: new Date((window + 1) * PERIOD_MS).toISOString(), periodSeconds: CHECKIN_PERIOD_SECONDS,
  };
}

const chinaTime = new Intl.DateTimeFormat('sv-SE', { timeZone: TRAINING_TIME_ZONE, dateStyle: 'short', timeStyle: 'short' });

/**
 * Sessions' check-in secrets, kept in memory: a secret never changes, and the check-in burst
 * (hundreds of scans a second at one session) then costs one statement per scan. Bounded; a
 * deleted session's entry is harmless (its check-in statement finds no session).
 */
const secretCache = new Map<number, Buffer>();
async function secretOf(pool: Pool, sessionId: number): Promise<Buffer | undefined> {
  const cached = secretCache.get(sessionId);
  if (cached) return cached;
  const row = await pool.query<{ secret: Buffer }>({ name: 'training-checkin-secret', text: 'SELECT checkin_secret AS secret FROM training_sessions WHERE id = $1', values: [sessionId] });
  const secret = row.rows[0]?.secret;
  if (secret) {
    if (secretCache.size >= 10_000) secretCache.clear();
    secretCache.set(sessionId, secret);
  }
  return secret;
}

interface CheckinOutcome {
  classId: number;
  topic: string;
  startsAt: Date;
  endsAt: Date;
  isOpen: boolean;
  classStatus: string;
  enrolmentId: number | null;
  /** The enrolment's province (its trainee's): the key of its attendance. */
  provinceId: number | null;
  mode: EnrolmentMode | null;
  enrolmentStatus: string | null;
  /** Set when this statement wrote the attendance. */
  newMethod: string | null;
  newAt: string | null;
  /** The attendance as it was before this statement (a repeated scan). */
  oldMethod: string | null;
  oldAt: string | null;
}

/**
 * The session, its class and the caller's enrolment, and — when every rule holds — the
 * attendance with its audit entry, all in one statement (one round trip per scan).
 */
const CHECKIN_STATEMENT = `
  WITH target AS (
    SELECT s.id AS session_id, s.class_id, s.topic, s.starts_at, s.ends_at,
           now() BETWEEN s.starts_at - make_interval(mins => $5) AND s.ends_at AS is_open, c.status AS class_status,
           e.id AS enrolment_id, e.province_id, e.mode, e.status AS enrolment_status, o.path AS org_path
    FROM training_sessions s JOIN training_classes c ON c.id = s.class_id
    LEFT JOIN training_enrolments e ON e.class_id = s.class_id AND e.person_id = $2
    LEFT JOIN orgs o ON o.id = e.org_id
    WHERE s.id = $1),
  ins AS (
    INSERT INTO training_attendance (session_id, enrolment_id, province_id, method, recorded_by)
    SELECT session_id, enrolment_id, province_id, $3, $4 FROM target
    WHERE enrolment_status = 'enrolled' AND mode = 'onsite' AND class_status IN ('open', 'running') AND is_open
    ON CONFLICT (session_id, enrolment_id, province_id) DO NOTHING
    RETURNING method, checked_in_at),
  audit AS (
    INSERT INTO audit_log (actor_id, action, entity, entity_id, org_path, province_id, person_id, after, request_id)
    SELECT $4, 'check-in', 'training_attendance', t.session_id || ':' || t.enrolment_id, t.org_path, coalesce(province_of(t.org_path::ltree), 0), $2,
           json_build_object('method', ins.method), $6
    FROM ins CROSS JOIN target t)
  SELECT t.class_id AS "classId", t.topic, t.starts_at AS "startsAt", t.ends_at AS "endsAt", t.is_open AS "isOpen", t.class_status AS "classStatus",
         t.enrolment_id AS "enrolmentId", t.province_id AS "provinceId", t.mode, t.enrolment_status AS "enrolmentStatus",
         ins.method AS "newMethod", to_json(ins.checked_in_at)#>>'{}' AS "newAt", a.method AS "oldMethod", to_json(a.checked_in_at)#>>'{}' AS "oldAt"
  FROM target t LEFT JOIN ins ON true
  LEFT JOIN training_attendance a ON a.session_id = t.session_id AND a.province_id = t.province_id AND a.enrolment_id = t.enrolment_id`;

function parseToken(token: string): { sessionId: number; window: number; mac: string } | null {
  const match = /^(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{16})$/.exec(token.trim());
  if (!match) return null;
  return { sessionId: Number(match[1]), window: Number(match[2]), mac: match[3]! };
}

/**
 * A trainee checks in by QR token or typed code. Idempotent: a repeated scan answers the
 * first check-in (created: false) and writes nothing.
 */
export async function traineeCheckin(pool: Pool, ctx: WriteContext, personId: number, input: z.infer<typeof CheckinInput>) {
  const now = windowAt(Date.now());
  const byToken = 'token' in input;
  const field = byToken ? 'body.token' : 'body.code';
  let sessionId: number;
  if (byToken) {
    const parts = parseToken(input.token);
    if (!parts) throw badRequest(field, 'checkin.code.not_ours');
    if (input.sessionId !== undefined && input.sessionId !== parts.sessionId) throw badRequest(field, 'checkin.code.other_session');
    sessionId = parts.sessionId;
    const secret = await secretOf(pool, sessionId);
    const genuine = secret !== undefined && parts.window <= now && sameText(parts.mac, macFor(secret, sessionId, parts.window).subarray(0, 12).toString('base64url'));
    if (!genuine) throw badRequest(field, 'checkin.code.forged');
    if (parts.window < now - 1) throw badRequest(field, 'checkin.code.expired');
  } else {
    sessionId = input.sessionId;
    const secret = await secretOf(pool, sessionId);
    // A typed code names its session by id: a session of a class the trainee is not enrolled
    // in is answered as one that does not exist, so ids cannot be probed with wrong codes.
    const enrolled = secret && await pool.query({
      name: 'training-checkin-enrolled',
      text: `SELECT 1 FROM training_sessions s JOIN training_enrolments e ON e.class_id = s.class_id WHERE s.id = $1 AND e.person_id = $2`,
      values: [sessionId, personId],
    });
    if (!secret || !enrolled || !enrolled.rowCount) throw notFound(`Training session ${sessionId}`);
    if (!sameText(input.code, codeFor(secret, sessionId, now)) && !sameText(input.code, codeFor(secret, sessionId, now - 1))) {
      throw badRequest(field, 'checkin.code.wrong');
    }
  }
  const method = byToken ? 'qr' : 'code';
  const outcome = (await pool.query<CheckinOutcome>({
    name: 'training-checkin', text: CHECKIN_STATEMENT,
    values: [sessionId, personId, method, ctx.caller.accountId, CHECKIN_OPENS_MINUTES_BEFORE, ctx.requestId],
  })).rows[0];
  if (!outcome) throw badRequest(field, 'checkin.code.session_gone');
  const t = outcome;
  if (t.enrolmentId === null || t.enrolmentStatus !== 'enrolled') throw forbiddenOnField(fieldError(field, 'checkin.not_enrolled'));
  if (t.mode === 'live') throw conflict(field, 'checkin.live_trainee');
  if (t.classStatus === 'draft' || t.classStatus === 'closed') throw conflict(field, 'checkin.class_state', { state: t.classStatus });
  if (!t.isOpen) {
    const opens = new Date(t.startsAt.getTime() - CHECKIN_OPENS_MINUTES_BEFORE * 60_000);
    throw conflict(field, 'checkin.window', { from: chinaTime.format(opens), to: chinaTime.format(t.endsAt) });
  }
  let result = t.newMethod !== null ? { method: t.newMethod, checkedInAt: t.newAt!, created: true }
    : t.oldMethod !== null ? { method: t.oldMethod, checkedInAt: t.oldAt!, created: false } : null;
  if (!result) {
    // Two scans at the same instant: the other one's row was not yet visible to this statement.
    const first = await pool.query<{ method: string; checkedInAt: string }>(
      `SELECT method, to_json(checked_in_at)#>>'{}' AS "checkedInAt" FROM training_attendance WHERE session_id = $1 AND enrolment_id = $2 AND province_id = $3`,
      [sessionId, t.enrolmentId, t.provinceId]);
    result = { ...first.rows[0]!, created: false };
  }
  return { sessionId, classId: t.classId, topic: t.topic, method: result.method as 'qr', checkedInAt: result.checkedInAt, created: result.created };
}

// Organizers: attendance list, manual check-in and undo ---------------------------------

const ATTENDANCE_COLUMNS = `a.session_id AS "sessionId", a.enrolment_id AS "enrolmentId", e.person_id AS "personId", p.name,
  e.org_id AS "orgId", o.name AS "orgName", e.mode, a.method, to_json(a.checked_in_at)#>>'{}' AS "checkedInAt"`;
const ATTENDANCE_FROM = `training_attendance a JOIN training_enrolments e ON e.province_id = a.province_id AND e.id = a.enrolment_id
  JOIN persons p ON p.province_id = e.province_id AND p.id = e.person_id JOIN orgs o ON o.id = e.org_id`;

export async function sessionClass(db: Queryable, caller: Caller, sessionId: number, lock = false) {
  const classId = await classOfSession(db, sessionId);
  if (classId === undefined) throw notFound(`Training session ${sessionId}`);
  try {
    return await authorizeClass(db, caller, classId, 'read', { lock });
  } catch (error) {
    if (error instanceof AppError && error.status === 404) throw notFound(`Training session ${sessionId}`);
    throw error;
  }
}

export async function listAttendance(db: Queryable, caller: Caller, sessionId: number, query: z.infer<typeof AttendanceListQuery>) {
  const cls = await sessionClass(db, caller, sessionId);
  return paged<Attendance>(db, {
    select: ATTENDANCE_COLUMNS,
    from: `${ATTENDANCE_FROM} WHERE a.session_id = $1 AND ($2::ltree[] IS NULL OR o.path <@ ANY($2))`,
    orderBy: 'a.checked_in_at, a.enrolment_id',
  }, [sessionId, cls.scope], query);
}

/** The enrolment of this session's class that the caller may check in by hand (owners: all; audience organizers: their own people). */
async function manualTarget(db: Queryable, caller: Caller, sessionId: number, enrolmentId: number, field: string) {
  const cls = await sessionClass(db, caller, sessionId);
  const row = await db.query<{ orgPath: string; personId: number; provinceId: number; status: string }>(
    `SELECT o.path::text AS "orgPath", e.person_id AS "personId", e.province_id AS "provinceId", e.status FROM training_enrolments e JOIN orgs o ON o.id = e.org_id WHERE e.id = $1 AND e.class_id = $2`,
    [enrolmentId, cls.id]);
  const enrolment = row.rows[0];
  if (!enrolment || !inScope(cls.scope, enrolment.orgPath)) {
    throw (field.startsWith('body') ? badRequest(field, 'training.enrolment.not_in_class', { id: enrolmentId }) : notFound(`Enrolment ${enrolmentId}`));
  }
  if (!isOwner(caller, cls) && !mayEnrolFrom(caller, cls, enrolment.orgPath)) throw forbidden('needs the organizer role on the class\'s organization or on the trainee\'s');
  return { cls, enrolment };
}

export async function manualCheckin(pool: Pool, ctx: WriteContext, sessionId: number, enrolmentId: number): Promise<{ attendance: Attendance; created: boolean }> {
  return inTransaction(pool, async (db) => {
    const { cls, enrolment } = await manualTarget(db, ctx.caller, sessionId, enrolmentId, 'body.enrolmentId');
    if (enrolment.status !== 'enrolled') throw conflict('body.enrolmentId', 'training.enrolment.withdrawn');
    const inserted = await db.query(
      `INSERT INTO training_attendance (session_id, enrolment_id, province_id, method, recorded_by) VALUES ($1, $2, $3, 'manual', $4) ON CONFLICT DO NOTHING RETURNING 1`,
      [sessionId, enrolmentId, enrolment.provinceId, ctx.caller.accountId]);
    const attendance = (await db.query<Attendance>(
      `SELECT ${ATTENDANCE_COLUMNS} FROM ${ATTENDANCE_FROM} WHERE a.session_id = $1 AND a.enrolment_id = $2 AND a.province_id = $3`,
      [sessionId, enrolmentId, enrolment.provinceId])).rows[0]!;
    if (inserted.rowCount) {
      await recordAudit(db, ctx, { action: 'manual-check-in', entity: 'training_attendance', entityId: `${sessionId}:${enrolmentId}`, orgPath: enrolment.orgPath, personId: enrolment.personId, after: { classId: cls.id, ...attendance } });
    }
    return { attendance, created: Boolean(inserted.rowCount) };
  });
}

export async function undoCheckin(pool: Pool, ctx: WriteContext, sessionId: number, enrolmentId: number): Promise<void> {
  await inTransaction(pool, async (db) => {
    const { enrolment } = await manualTarget(db, ctx.caller, sessionId, enrolmentId, 'params.enrolmentId');
    const key = [sessionId, enrolmentId, enrolment.provinceId];
    const before = (await db.query<Attendance>(
      `SELECT ${ATTENDANCE_COLUMNS} FROM ${ATTENDANCE_FROM} WHERE a.session_id = $1 AND a.enrolment_id = $2 AND a.province_id = $3 FOR UPDATE OF a`, key)).rows[0];
    if (!before) throw notFound(`A check-in of enrolment ${enrolmentId} at session ${sessionId}`);
    await db.query('DELETE FROM training_attendance WHERE session_id = $1 AND enrolment_id = $2 AND province_id = $3', key);
    // Counted live seconds go too, so a 'live' attendance is not re-created by the next heartbeat unless earned again.
    await db.query('DELETE FROM training_live_presence WHERE session_id = $1 AND enrolment_id = $2 AND province_id = $3', key);
    await recordAudit(db, ctx, { action: 'undo-check-in', entity: 'training_attendance', entityId: `${sessionId}:${enrolmentId}`, orgPath: enrolment.orgPath, personId: enrolment.personId, before });
  });
}

// Live presence -------------------------------------------------------------------------

interface PresenceTarget {
  enrolmentId: number | null;
  provinceId: number | null;
  mode: EnrolmentMode | null;
  enrolmentStatus: string | null;
  orgPath: string | null;
  streamUrl: string | null;
  running: boolean;
  startsAt: Date;
  /** Whole seconds of the session that have passed. */
  elapsed: number;
  requiredSeconds: number;
}

/**
 * A heartbeat from the live page. The server counts time, not the client: a beat credits at
 * most the seconds since the previous beat (the first, since the session began), at most 60,
 * never more than the session has run, and never more than the trainee's one clock allows (clock.ts:
 * time since their last beat on any material or session). When the counted seconds reach the class's live
 * presence share of the session, a 'live' attendance is written (once).
 */
export async function presenceBeat(pool: Pool, ctx: WriteContext, personId: number, sessionId: number, claimed: number) {
  return inTransaction(pool, async (db) => {
    const row = await db.query<PresenceTarget>(
      `SELECT e.id AS "enrolmentId", e.province_id AS "provinceId", e.mode, e.status AS "enrolmentStatus", o.path::text AS "orgPath", s.stream_url AS "streamUrl",
              now() BETWEEN s.starts_at AND s.ends_at AS running, s.starts_at AS "startsAt",
              greatest(0, floor(extract(epoch FROM least(now(), s.ends_at) - s.starts_at)))::int AS elapsed,
              ceil(extract(epoch FROM s.ends_at - s.starts_at) * c.live_presence_share)::int AS "requiredSeconds"
       FROM training_sessions s JOIN training_classes c ON c.id = s.class_id
       LEFT JOIN training_enrolments e ON e.class_id = s.class_id AND e.person_id = $2
       LEFT JOIN orgs o ON o.id = e.org_id WHERE s.id = $1`,
      [sessionId, personId]);
    const t = row.rows[0];
    if (!t || t.enrolmentId === null || t.enrolmentStatus !== 'enrolled') throw notFound(`Training session ${sessionId} among your classes`);
    if (t.mode !== 'live') throw conflict('params.id', 'checkin.onsite_trainee');
    if (!t.streamUrl) throw conflict('params.id', 'checkin.not_streamed');
    if (!t.running) throw conflict('params.id', 'checkin.not_running');
    // The trainee's one clock (clock.ts), shared with study: a stream and materials open at once earn the time once.
    const provinceId = t.provinceId!;
    const sinceAnyBeat = await takeClock(db, { personId, provinceId });
    const key = [sessionId, t.enrolmentId, provinceId];
    await db.query(
      `INSERT INTO training_live_presence (session_id, enrolment_id, province_id, seconds, last_beat_at)
       VALUES ($1, $2, $3, 0, greatest($4::timestamptz, now() - make_interval(secs => $5)))
       ON CONFLICT DO NOTHING`, [...key, t.startsAt, PRESENCE_MAX_SECONDS_PER_BEAT]);
    const current = (await db.query<{ seconds: number; since: number }>(
      `SELECT seconds, greatest(0, floor(extract(epoch FROM now() - last_beat_at)))::int AS since FROM training_live_presence
       WHERE session_id = $1 AND enrolment_id = $2 AND province_id = $3 FOR UPDATE`, key)).rows[0]!;
    const credited = Math.max(0, Math.min(claimed, current.since, sinceAnyBeat ?? Infinity, PRESENCE_MAX_SECONDS_PER_BEAT, t.elapsed - current.seconds));
    const seconds = current.seconds + credited;
    await db.query('UPDATE training_live_presence SET seconds = $4, last_beat_at = now() WHERE session_id = $1 AND enrolment_id = $2 AND province_id = $3', [...key, seconds]);
    const present = seconds >= t.requiredSeconds;
    if (present) {
      const inserted = await db.query(
        `INSERT INTO training_attendance (session_id, enrolment_id, province_id, method, recorded_by) VALUES ($1, $2, $3, 'live', $4) ON CONFLICT DO NOTHING RETURNING 1`,
        [...key, ctx.caller.accountId]);
      if (inserted.rowCount) {
        await recordAudit(db, ctx, { action: 'live-presence', entity: 'training_attendance', entityId: `${sessionId}:${t.enrolmentId}`, orgPath: t.orgPath, personId, after: { method: 'live', seconds } });
      }
    }
    const attended = await db.query('SELECT 1 FROM training_attendance WHERE session_id = $1 AND enrolment_id = $2 AND province_id = $3', key);
    return { credited, seconds, requiredSeconds: t.requiredSeconds, present: Boolean(attended.rowCount) };
  });
}

