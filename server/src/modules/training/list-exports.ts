import type { Readable } from 'node:stream';
import type { Queryable } from '../../db/pool.ts';
import type { Caller } from '../../plugins/access.ts';
import { chinaWallClock } from '../../china-time.ts';
import { toXlsx } from '../../spreadsheets/write.ts';
import { sessionClass } from './checkin.ts';
import { completionPage } from './completion.ts';
import { authorizeClass } from './policy.ts';

/** Lists an organizer downloads: every trainee's progress, and one session's check-in list (China time). */

const STATUSES: Record<string, string> = { completed: '已结业', in_progress: '学习中', not_completed: '未结业' };
const MODES: Record<string, string> = { onsite: '线下', live: '线上（直播）' };
const METHODS: Record<string, string> = { qr: '扫码', code: '签到码', manual: '补签', live: '直播在线' };

/** An instant as China's wall clock, '2026-12-05 07:44' (a text cell: what the organizer reads, whatever the server's zone). */
const chinaMinute = (at: string) => chinaWallClock(at).toISOString().slice(0, 16).replace('T', ' ');
const text = (v: string | number | null) => (v === null ? null : String(v));

/** Rows already in memory (one class's trainees) as the stream the spreadsheet writer reads. */
function rowsOf<T>(items: T[], row: (item: T) => Array<string | null>): AsyncIterable<Array<string | null>> {
  return {
    [Symbol.asyncIterator]() {
      let i = 0;
      return { next: () => Promise.resolve(i < items.length ? { value: row(items[i++]!), done: false as const } : { value: undefined, done: true as const }) };
    },
  };
}

/** The progress tab as an .xlsx: the trainees the caller sees, with attendance, online minutes, score and status. */
export async function progressXlsx(db: Queryable, caller: Caller, classId: number): Promise<Readable> {
  const { scope } = await authorizeClass(db, caller, classId, 'read');
  const { items } = await completionPage(db, classId, scope, { page: 1, pageSize: 100_000 });
  return toXlsx(
    ['姓名 name', '单位 organization', '方式 mode', '应到 expected', '实到 attended', '出勤率 share', '在线学时（分钟） online minutes', '考核 score', '状态 status', '证书编号 certificate'],
    '学习进度 Progress',
    rowsOf(items, (r) => [r.name, r.orgName, MODES[r.mode] ?? r.mode, text(r.sessionsExpected), text(r.sessionsAttended), `${Math.round(r.attendanceShare * 100)}%`,
      text(r.onlineMinutes), text(r.assessmentScore), STATUSES[r.status] ?? r.status, r.certificateNumber]),
  );
}

/** One session's check-in list as an .xlsx: every enrolled trainee the caller sees, present or not, with how and when (China time). */
export async function attendanceXlsx(db: Queryable, caller: Caller, sessionId: number): Promise<{ file: Readable; topic: string }> {
  const cls = await sessionClass(db, caller, sessionId);
  const session = (await db.query<{ topic: string; startsAt: string; place: string | null; streamUrl: string | null }>(
    `SELECT topic, to_json(starts_at)#>>'{}' AS "startsAt", place, stream_url AS "streamUrl" FROM training_sessions WHERE id = $1`, [sessionId])).rows[0]!;
  const rows = await db.query<{ name: string; orgName: string; mode: string; method: string | null; checkedInAt: string | null }>(
    `SELECT p.name, o.name AS "orgName", e.mode, a.method, to_json(a.checked_in_at)#>>'{}' AS "checkedInAt"
     FROM training_enrolments e JOIN persons p ON p.province_id = e.province_id AND p.id = e.person_id JOIN orgs o ON o.id = e.org_id
     LEFT JOIN training_attendance a ON a.session_id = $2 AND a.province_id = e.province_id AND a.enrolment_id = e.id
     WHERE e.class_id = $1 AND e.status = 'enrolled' AND ($3::ltree[] IS NULL OR o.path <@ ANY($3))
       AND (a.enrolment_id IS NOT NULL OR ($4 AND e.mode = 'onsite') OR ($5 AND e.mode = 'live'))
     ORDER BY a.checked_in_at IS NULL, o.path, p.name, e.id`,
    [cls.id, sessionId, cls.scope, session.place !== null, session.streamUrl !== null]);
  const file = toXlsx(
    ['姓名 name', '单位 organization', '方式 mode', '签到 checked in', '签到方式 method', '签到时间（北京时间） time (China time)'],
    '签到 Check-in',
    rowsOf(rows.rows, (r) => [r.name, r.orgName, MODES[r.mode] ?? r.mode, r.checkedInAt ? '已签到' : '未签到', r.method ? METHODS[r.method] ?? r.method : null, r.checkedInAt ? chinaMinute(r.checkedInAt) : null]),
  );
  return { file, topic: session.topic };
}
