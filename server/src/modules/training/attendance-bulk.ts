import type { z } from 'zod';
import {
  isMobilePhone, nationalIdProblem, NATIONAL_ID_CODES, normalizeNationalId,
  type AttendanceImportReport, type EnrolCandidate, type EnrolCandidateQuery, type ErrorCode, type ErrorParamsArgs,
} from '@workers-home/contract';
import type { Services, WriteContext } from '../../context.ts';
import { inTransaction, paged, type Pool, type Queryable } from '../../db/pool.ts';
import { escapeLike } from '../../db/sql.ts';
import { badRequest, conflict, forbidden } from '../../errors.ts';
import { isWithin, scopeOf, type Caller } from '../../plugins/access.ts';
import { cellText, FileProblem, indexColumns, normalizeHeader, type Cell } from '../../spreadsheets/cells.ts';
import { readRows, sniffFile } from '../../spreadsheets/read.ts';
import { recordAudit } from '../audit/service.ts';
import { nameGrams } from '../people/service.ts';
import { sessionClass } from './checkin.ts';
import { rowProblem, TrainingFileRejected, type RowProblem } from './file-rejected.ts';
import { authorizeClass, inScope, isOwner, mayEnrolFrom, trainingPolicy, type ClassRow } from './policy.ts';

// Enrolling by name ---------------------------------------------------------------------

/**
 * The subtrees an organizer may enrol from in this class: each of their organizer subtrees
 * met with each of the class's audience subtrees (the deeper of the two when one holds the other).
 */
function enrolRoots(caller: Caller, cls: Pick<ClassRow, 'audiencePaths'>): string[] {
  const roots = new Set<string>();
  for (const mine of scopeOf(caller, trainingPolicy.organize)) {
    for (const audience of cls.audiencePaths) {
      if (isWithin(mine, audience)) roots.add(mine);
      else if (isWithin(audience, mine)) roots.add(audience);
    }
  }
  return [...roots];
}

/**
 * People on the roster (current members) whose name contains `q`, in the unions the caller may
 * enrol from in this class, and/or within one organization's subtree: the people module's
 * name index (name_grams) finds them, LIKE confirms. Others' people are never listed.
 */
export async function enrolCandidates(db: Queryable, caller: Caller, classId: number, query: z.infer<typeof EnrolCandidateQuery>) {
  const cls = await authorizeClass(db, caller, classId, 'enrol');
  const roots = enrolRoots(caller, cls);
  if (!query.q && query.orgId === undefined) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
  const params: unknown[] = [classId, roots];
  let where = `m.status = 'active' AND o.path <@ ANY($2::ltree[])`;
  if (query.q) {
    params.push(nameGrams(query.q), `%${escapeLike(query.q)}%`, query.q);
    where += ` AND p.name_grams @> $3::text[] AND p.name ILIKE $4`;
  }
  if (query.orgId !== undefined) {
    params.push(query.orgId);
    where += ` AND o.path <@ (SELECT path FROM orgs WHERE id = $${params.length})`;
  }
  // Closest first: the name itself, then names that begin with the fragment, then shorter names.
  const orderBy = query.q ? `p.name = $5::text DESC, strpos(p.name, $5::text), length(p.name), p.name, o.path, p.id` : 'p.name, o.path, p.id';
  return paged<EnrolCandidate>(db, {
    select: `p.id AS "personId", p.name, p.id_number_masked AS "idNumberMasked", p.gender, p.birth_date AS "birthDate", o.id AS "orgId", o.name AS "orgName",
      EXISTS (SELECT 1 FROM training_enrolments e WHERE e.class_id = $1 AND e.province_id = p.province_id AND e.person_id = p.id AND e.status = 'enrolled') AS enrolled`,
    from: `memberships m JOIN orgs o ON o.id = m.org_id JOIN persons p ON p.province_id = m.province_id AND p.id = m.person_id WHERE ${where}`,
    orderBy,
    total: 'window',
  }, params, query);
}

// Attendance in bulk --------------------------------------------------------------------

interface Target { id: number; provinceId: number; personId: number; name: string; orgPath: string; status: string }

/** The class's enrolments the caller may mark present, by id: owners all, audience organizers their own people. */
async function markable(db: Queryable, caller: Caller, cls: ClassRow & { scope: string[] | null }, ids: number[]) {
  const rows = await db.query<Target>(
    `SELECT e.id, e.province_id AS "provinceId", e.person_id AS "personId", p.name, o.path::text AS "orgPath", e.status FROM training_enrolments e
     JOIN orgs o ON o.id = e.org_id JOIN persons p ON p.province_id = e.province_id AND p.id = e.person_id
     WHERE e.class_id = $1 AND e.id = ANY($2::bigint[])`, [cls.id, ids]);
  const byId = new Map(rows.rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const target = byId.get(id);
    return target && inScope(cls.scope, target.orgPath) ? target : undefined;
  });
}

/**
 * The enrolments a bulk action names, all or none: each must be in the class and the caller's
 * to see (else 400 naming it), and the caller must own the class or organize every trainee's
 * organization (else 403).
 */
async function bulkTargets(db: Queryable, caller: Caller, cls: ClassRow & { scope: string[] | null }, enrolmentIds: number[]): Promise<Target[]> {
  const ids = [...new Set(enrolmentIds)];
  const targets = await markable(db, caller, cls, ids);
  const missing = ids.find((_, i) => !targets[i]);
  if (missing !== undefined) throw badRequest('body.enrolmentIds', 'training.enrolment.not_in_class', { id: missing });
  const found = targets as Target[];
  if (!isOwner(caller, cls) && found.some((t) => !mayEnrolFrom(caller, cls, t.orgPath))) {
    throw forbidden('needs the organizer role on the class\'s organization or on the trainees\'');
  }
  return found;
}

/** Writes present rows for enrolments (checked already) and audits each new one; answers the ids written. */
async function markPresent(db: Queryable, ctx: WriteContext, sessionId: number, classId: number, targets: Target[], method: 'manual' | 'live', via: string) {
  const inserted = await db.query<{ enrolmentId: number }>(
    `INSERT INTO training_attendance (session_id, enrolment_id, province_id, method, recorded_by)
     SELECT $1, x.id, x.province_id, $4, $5 FROM unnest($2::bigint[], $3::bigint[]) AS x(id, province_id)
     ON CONFLICT DO NOTHING RETURNING enrolment_id AS "enrolmentId"`,
    [sessionId, targets.map((t) => t.id), targets.map((t) => t.provinceId), method, ctx.caller.accountId]);
  const created = new Set(inserted.rows.map((r) => Number(r.enrolmentId)));
  for (const t of targets.filter((x) => created.has(x.id))) {
    await recordAudit(db, ctx, {
      action: 'manual-check-in', entity: 'training_attendance', entityId: `${sessionId}:${t.id}`, orgPath: t.orgPath, personId: t.personId,
      after: { classId, sessionId, enrolmentId: t.id, method, via },
    });
  }
  return created;
}

/**
 * Marks several trainees present at a session in one request: all or none (an enrolment not
 * in the class, not the caller's to mark, or withdrawn refuses the request), idempotent
 * (those present already stay as they were).
 */
export async function bulkCheckin(pool: Pool, ctx: WriteContext, sessionId: number, enrolmentIds: number[]) {
  return inTransaction(pool, async (db) => {
    const cls = await sessionClass(db, ctx.caller, sessionId);
    const found = await bulkTargets(db, ctx.caller, cls, enrolmentIds);
    const withdrawn = found.find((t) => t.status !== 'enrolled');
    if (withdrawn) throw conflict('body.enrolmentIds', 'training.attendance.withdrawn', { name: withdrawn.name });
    const created = await markPresent(db, ctx, sessionId, cls.id, found, 'manual', 'bulk');
    return { sessionId, created: created.size, already: found.length - created.size };
  });
}

// Attendance from a spreadsheet ---------------------------------------------------------

const ATTENDANCE_COLUMNS = {
  name: ['姓名', '学员姓名', '用户名称', '观众姓名', '昵称', 'name'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '身份证', 'id_number', 'idnumber', 'national id'],
  phone: ['手机号', '手机号码', '手机', '联系电话', '电话', 'phone', 'mobile'],
  minutes: ['观看时长（分钟）', '观看时长(分钟)', '观看时长', '在线时长（分钟）', '在线时长(分钟)', '在线时长', '时长（分钟）', '时长(分钟)', '时长', '分钟', 'minutes', 'watch minutes', 'duration'],
} as const;
type Column = keyof typeof ATTENDANCE_COLUMNS;
const LABEL: Record<Column, string> = { name: 'name', idNumber: 'id_number', phone: 'phone', minutes: 'minutes' };
const ALIASES = new Map<string, Column>(
  Object.entries(ATTENDANCE_COLUMNS).flatMap(([column, names]) => names.map((n) => [normalizeHeader(n), column as Column] as const)),
);
const EXPECTED_HEADER = '姓名/name, and optionally 身份证号/id_number, 手机号/phone, 观看时长（分钟）/minutes';
const MAX_ROWS = 20_000;

/** An attendance file that cannot be recorded: 422 with every rejected row; nothing was written. */
export class AttendanceFileRejected extends TrainingFileRejected {
  constructor(rows: RowProblem[], detail: string) {
    super(rows, detail, 'training.attendance.file_rejected', 'The file cannot be recorded');
  }
}

interface FileRow { row: number; name: string; idNumber: string | null; phone: string | null; minutes: number | null }

/** Minutes from a number (35, 35.5) or a duration (1:05:30, 35:12). */
function minutesOf(cell: Cell): number | null {
  if (typeof cell === 'number') return cell >= 0 ? cell : null;
  const text = cellText(cell).replace(/\s|分钟|分|min(ute)?s?/gi, '');
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const parts = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(text);
  if (parts) return Number(parts[1] ?? 0) * 60 + Number(parts[2]) + Number(parts[3]) / 60;
  return null;
}

async function readAttendanceFile(path: string) {
  const file = await sniffFile(path);
  const source = readRows(path, file);
  let header: Partial<Record<Column, number>> | null = null;
  let headerTries = 0;
  const rows: FileRow[] = [];
  const problems: RowProblem[] = [];
  let rowsRead = 0;
  for await (const { rowNumber, cells } of source.rows) {
    const filled = cells.map(cellText).filter(Boolean);
    if (!header) {
      if (filled.length === 0) continue;
      const { index } = indexColumns(cells, ALIASES);
      if (index.name !== undefined) { header = index; continue; }
      if (filled.length === 1 && ++headerTries <= 3) continue;
      throw new AttendanceFileRejected([rowProblem(rowNumber, 'header', 'training.import.header', { expected: EXPECTED_HEADER, found: filled.join(', ') })],
        `body.file: the header row (row ${rowNumber}) does not name the expected columns: ${EXPECTED_HEADER}`);
    }
    if (filled.length === 0) continue;
    if (++rowsRead > MAX_ROWS) throw new FileProblem(`the file has more than ${MAX_ROWS} rows; split it`);
    const index = header;
    const raw = (c: Column): Cell => (index[c] === undefined ? undefined : cells[index[c]]);
    const text = (c: Column) => cellText(raw(c));
    const reject = <C extends ErrorCode>(c: Column, code: C, ...params: ErrorParamsArgs<C>) => { problems.push(rowProblem(rowNumber, LABEL[c], code, ...params)); };
    const name = text('name');
    if (!name) { reject('name', 'training.import.merged_cell'); continue; }
    let idNumber: string | null = null;
    if (typeof raw('idNumber') === 'number') { reject('idNumber', 'people.id_number.stored_as_number'); continue; }
    if (text('idNumber')) {
      idNumber = normalizeNationalId(text('idNumber'));
      const problem = nationalIdProblem(idNumber);
      if (problem === 'length') { reject('idNumber', 'people.id_number.length_actual', { length: idNumber.length }); continue; }
      if (problem) { reject('idNumber', NATIONAL_ID_CODES[problem]); continue; }
    }
    let phone: string | null = null;
    if (text('phone')) {
      phone = text('phone').replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
      if (!isMobilePhone(phone)) { reject('phone', 'people.mobile.format'); continue; }
    }
    let minutes: number | null = null;
    if (index.minutes !== undefined) {
      minutes = minutesOf(raw('minutes'));
      if (minutes === null) { reject('minutes', 'training.attendance.minutes_format', { value: text('minutes') }); continue; }
    }
    rows.push({ row: rowNumber, name, idNumber, phone, minutes });
  }
  if (!header) throw new AttendanceFileRejected([rowProblem(1, 'header', 'training.import.no_header', { expected: EXPECTED_HEADER })], 'body.file: the file is empty or has no header row');
  return { rows, problems, rowsRead, hasMinutes: header.minutes !== undefined };
}

interface Enrolled { id: number; provinceId: number; personId: number; name: string; orgPath: string; status: string; phone: string | null; hash: Buffer | null; present: boolean }

/**
 * Attendance of one session from a spreadsheet (e.g. a live platform's viewing export): each
 * row names an enrolled trainee of the class by ID number, else phone, else their name (which
 * must then be unique in the class); with a minutes column, a trainee's rows are added up and
 * count as present from the class's live presence share of the session. All or nothing: any
 * row that names no one (or several) rejects the file with every bad row; idempotent: those
 * present already stay as they were. A dry run answers the report without writing.
 */
export async function importAttendance(services: Services, ctx: WriteContext, sessionId: number, path: string, options: { dryRun: boolean }): Promise<AttendanceImportReport> {
  const { pool, secrets } = services;
  await sessionClass(pool, ctx.caller, sessionId);
  let read: Awaited<ReturnType<typeof readAttendanceFile>>;
  try {
    read = await readAttendanceFile(path);
  } catch (error) {
    if (error instanceof FileProblem) throw new AttendanceFileRejected([{ row: 0, field: 'file', code: 'request.file_unreadable', reason: error.message }], `body.file: ${error.message}`);
    throw error;
  }
  return inTransaction(pool, async (db) => {
    const cls = await sessionClass(db, ctx.caller, sessionId);
    const owner = isOwner(ctx.caller, cls);
    const session = (await db.query<{ required: number }>(
      `SELECT ceil(extract(epoch FROM s.ends_at - s.starts_at) / 60.0 * c.live_presence_share)::int AS required
       FROM training_sessions s JOIN training_classes c ON c.id = s.class_id WHERE s.id = $1`, [sessionId])).rows[0]!;
    const enrolled = (await db.query<Enrolled>(
      `SELECT e.id, e.province_id AS "provinceId", e.person_id AS "personId", p.name, o.path::text AS "orgPath", e.status, p.phone, p.id_number_hash AS hash,
              EXISTS (SELECT 1 FROM training_attendance a WHERE a.session_id = $2 AND a.province_id = e.province_id AND a.enrolment_id = e.id) AS present
       FROM training_enrolments e JOIN persons p ON p.province_id = e.province_id AND p.id = e.person_id JOIN orgs o ON o.id = e.org_id
       WHERE e.class_id = $1 AND e.status = 'enrolled'`, [cls.id, sessionId])).rows
      .filter((e) => inScope(cls.scope, e.orgPath) && (owner || mayEnrolFrom(ctx.caller, cls, e.orgPath)));
    const problems = [...read.problems];
    const reject = <C extends ErrorCode>(row: FileRow, field: string, code: C, ...params: ErrorParamsArgs<C>) => { problems.push(rowProblem(row.row, field, code, ...params)); };
    const byTrainee = new Map<number, { target: Enrolled; first: FileRow; minutes: number | null }>();
    for (const row of read.rows) {
      let matches: Enrolled[];
      let field: string;
      if (row.idNumber) {
        const hash = secrets.lookupHash(row.idNumber);
        matches = enrolled.filter((e) => e.hash !== null && e.hash.equals(hash));
        field = 'id_number';
      } else if (row.phone) {
        matches = enrolled.filter((e) => e.phone === row.phone);
        field = 'phone';
      } else {
        matches = enrolled.filter((e) => e.name === row.name);
        field = 'name';
      }
      if (matches.length === 0) { reject(row, field, 'training.attendance.not_enrolled', { name: row.name }); continue; }
      if (matches.length > 1) { reject(row, field, 'training.attendance.ambiguous', { name: row.name, count: matches.length }); continue; }
      // Matched by ID number or phone, the roster's name stands: a platform's export may carry a nickname.
      const target = matches[0]!;
      const seen = byTrainee.get(target.id);
      if (seen) seen.minutes = seen.minutes === null || row.minutes === null ? null : seen.minutes + row.minutes;
      else byTrainee.set(target.id, { target, first: row, minutes: row.minutes });
    }
    if (problems.length) {
      problems.sort((a, b) => a.row - b.row);
      throw new AttendanceFileRejected(problems, `body.file: ${problems.length} row${problems.length > 1 ? 's' : ''} cannot be recorded; nothing was written (first: row ${problems[0]!.row}, ${problems[0]!.field} ${problems[0]!.reason})`);
    }
    const entries = [...byTrainee.values()];
    const counts = (x: (typeof entries)[number]) => !read.hasMinutes || (x.minutes ?? 0) >= session.required;
    const toMark = entries.filter((x) => counts(x) && !x.target.present).map((x) => x.target);
    if (!options.dryRun && toMark.length) await markPresent(db, ctx, sessionId, cls.id, toMark, read.hasMinutes ? 'live' : 'manual', 'import');
    const rows = entries.map((x) => ({
      row: x.first.row, name: x.target.name, enrolmentId: x.target.id, minutes: x.minutes === null ? null : Math.round(x.minutes * 10) / 10,
      // Present already stands, whatever the file says.
      outcome: x.target.present ? 'already' as const : counts(x) ? 'present' as const : 'short' as const,
    })).sort((a, b) => a.row - b.row);
    return {
      dryRun: options.dryRun, sessionId, rowsRead: read.rowsRead, requiredMinutes: read.hasMinutes ? session.required : 0,
      present: rows.filter((r) => r.outcome === 'present').length,
      already: rows.filter((r) => r.outcome === 'already').length,
      short: rows.filter((r) => r.outcome === 'short').length,
      rows,
    };
  });
}

/**
 * Withdraws several trainees of a class in one request: all or none (an enrolment not in the
 * class or not the caller's refuses it), idempotent (those withdrawn already stay so), each audited.
 */
export async function bulkWithdraw(pool: Pool, ctx: WriteContext, classId: number, enrolmentIds: number[]) {
  return inTransaction(pool, async (db) => {
    const cls = await authorizeClass(db, ctx.caller, classId, 'read', { lock: true });
    const found = await bulkTargets(db, ctx.caller, cls, enrolmentIds);
    const changing = found.filter((t) => t.status === 'enrolled');
    await db.query(`UPDATE training_enrolments SET status = 'withdrawn' WHERE id = ANY($1::bigint[])`, [changing.map((t) => t.id)]);
    for (const t of changing) {
      await recordAudit(db, ctx, {
        action: 'update', entity: 'training_enrolment', entityId: t.id, orgPath: t.orgPath, personId: t.personId,
        before: { status: 'enrolled' }, after: { status: 'withdrawn', via: 'bulk' },
      });
    }
    return { classId, withdrawn: changing.length, already: found.length - changing.length };
  });
}
