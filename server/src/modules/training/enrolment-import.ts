import {
  errorText, isMobilePhone, nationalIdProblem, NATIONAL_ID_CODES, normalizeNationalId,
  type CodedError, type EnrolmentImportReport, type EnrolmentMode, type ErrorCode, type ErrorParamsArgs,
} from '@workers-home/contract';
import { inTransaction } from '../../db/pool.ts';
import type { Services, WriteContext } from '../../context.ts';
import { conflict } from '../../errors.ts';
import { canReach, type Caller } from '../../plugins/access.ts';
import { cellText, FileProblem, indexColumns, normalizeHeader, type Cell } from '../../spreadsheets/cells.ts';
import { readRows, sniffFile } from '../../spreadsheets/read.ts';
import { authorizeClass, type ClassRow } from './policy.ts';
import { rowProblem, TrainingFileRejected, type RowProblem } from './file-rejected.ts';
import { assertClassEnrolling, capacityOf, currentOrgsOf, enrolmentOrg, seatsTaken } from './enrolment.ts';
import { trainingPolicy } from './policy.ts';

/**
 * Bulk enrolment from an .xlsx or .csv file (the people module's readers: format sniffed
 * from the bytes, UTF-8 / UTF-16 / GBK text). All or nothing: every row is checked against
 * the file and the database first; any bad row rejects the whole file with a report of
 * every bad row, and nothing is written. A dry run answers the report of a good file
 * without writing it.
 */
export const ENROLMENT_COLUMNS = {
  name: ['姓名', '学员姓名', 'name'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '身份证', 'id_number', 'idnumber', 'national id'],
  phone: ['手机号', '手机号码', '手机', '联系电话', 'phone', 'mobile'],
  mode: ['方式', '参训方式', '培训方式', '学习方式', 'mode'],
  org: ['单位', '所属单位', '所属工会', '工会', 'org', 'org_id', 'organization', 'union'],
} as const;
type Column = keyof typeof ENROLMENT_COLUMNS;
const LABEL: Record<Column, string> = { name: 'name', idNumber: 'id_number', phone: 'phone', mode: 'mode', org: 'org' };
const ALIASES = new Map<string, Column>(
  Object.entries(ENROLMENT_COLUMNS).flatMap(([column, names]) => names.map((n) => [normalizeHeader(n), column as Column] as const)),
);
const MODES: Record<string, EnrolmentMode> = {
  线下: 'onsite', 现场: 'onsite', 面授: 'onsite', onsite: 'onsite', 'on site': 'onsite', 'on-site': 'onsite',
  线上: 'live', 直播: 'live', '线上（直播）': 'live', '线上(直播)': 'live', 网络直播: 'live', live: 'live', remote: 'live', online: 'live',
};
const MAX_ROWS = 20_000;

/** A trainee list that cannot be enrolled: 422 with every rejected row; nothing was written. */
export class EnrolmentFileRejected extends TrainingFileRejected {
  constructor(rows: RowProblem[], detail: string) {
    super(rows, detail, 'training.import.rejected', 'The file cannot be enrolled');
  }
}

interface FileRow {
  row: number;
  name: string;
  idNumber: string | null;
  phone: string | null;
  mode: EnrolmentMode;
  org: string | null;
}

function mapHeader(cells: Cell[]): { index: Partial<Record<Column, number>>; ignored: string[] } | null {
  const { index, ignored } = indexColumns(cells, ALIASES);
  if (index.name === undefined || (index.idNumber === undefined && index.phone === undefined)) return null;
  return { index, ignored };
}

const EXPECTED_HEADER = '姓名/name, 身份证号/id_number or 手机号/phone, and optionally 方式/mode (线下/线上) and 单位/org';

/** Reads and checks the rows of the file on their own (the database checks come after). */
export async function readEnrolmentFile(path: string, defaultMode: EnrolmentMode): Promise<{ rows: FileRow[]; problems: RowProblem[]; ignored: string[]; rowsRead: number }> {
  const file = await sniffFile(path);
  const source = readRows(path, file);
  let header: ReturnType<typeof mapHeader> = null;
  let headerTries = 0;
  const rows: FileRow[] = [];
  const problems: RowProblem[] = [];
  let rowsRead = 0;
  for await (const { rowNumber, cells } of source.rows) {
    const texts = cells.map(cellText);
    const filled = texts.filter(Boolean);
    if (!header) {
      if (filled.length === 0) continue;
      header = mapHeader(cells);
      if (header) continue;
      // A title above the header (often one merged cell across the columns) is passed over.
      if (filled.length === 1 && ++headerTries <= 3) continue;
      throw new EnrolmentFileRejected([rowProblem(rowNumber, 'header', 'training.import.header', { expected: EXPECTED_HEADER, found: filled.join(', ') })],
        `body.file: the header row (row ${rowNumber}) does not name the expected columns: ${EXPECTED_HEADER}`);
    }
    if (filled.length === 0) continue; // blank rows are skipped
    if (++rowsRead > MAX_ROWS) throw new FileProblem(`the file has more than ${MAX_ROWS} rows; split it`);
    const { index } = header;
    const raw = (c: Column): Cell => (index[c] === undefined ? undefined : cells[index[c]]);
    const text = (c: Column) => cellText(raw(c));
    const reject = <C extends ErrorCode>(c: Column, code: C, ...params: ErrorParamsArgs<C>) => { problems.push(rowProblem(rowNumber, LABEL[c], code, ...params)); };
    const formula = (Object.keys(index) as Column[]).find((c) => { const v = raw(c); return v !== null && typeof v === 'object' && !(v instanceof Date) && ('formula' in v || 'error' in v); });
    if (formula) { reject(formula, 'training.import.formula'); continue; }
    const name = text('name');
    if (!name) { reject('name', 'training.import.merged_cell'); continue; }
    if (name.length > 50) { reject('name', 'validation.max_length', { max: 50 }); continue; }
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
    if (!idNumber && !phone) { reject(index.idNumber !== undefined ? 'idNumber' : 'phone', 'training.import.id_or_phone'); continue; }
    let mode = defaultMode;
    if (index.mode !== undefined) {
      const modeText = text('mode');
      if (!modeText) { reject('mode', 'training.import.merged_cell'); continue; }
      const parsed = MODES[modeText.toLowerCase()];
      if (!parsed) { reject('mode', 'training.import.mode_format', { mode: modeText }); continue; }
      mode = parsed;
    }
    rows.push({ row: rowNumber, name, idNumber, phone, mode, org: text('org') || null });
  }
  if (!header) throw new EnrolmentFileRejected([rowProblem(1, 'header', 'training.import.no_header', { expected: EXPECTED_HEADER })], 'body.file: the file is empty or has no header row');
  return { rows, problems, ignored: header.ignored, rowsRead };
}

interface Resolved { file: FileRow; personId: number; orgId: number; orgName: string; idNumberMasked: string }

/** Checks the rows against the database, then (unless a dry run) enrols them in one transaction. */
export async function importEnrolments(services: Services, ctx: WriteContext, classId: number, path: string, options: { dryRun: boolean; mode: EnrolmentMode }): Promise<EnrolmentImportReport> {
  const { pool, secrets } = services;
  // Authorization first: a caller who may not enrol here learns nothing about the file.
  await authorizeClass(pool, ctx.caller, classId, 'enrol');
  let read: Awaited<ReturnType<typeof readEnrolmentFile>>;
  try {
    read = await readEnrolmentFile(path, options.mode);
  } catch (error) {
    if (error instanceof FileProblem) throw new EnrolmentFileRejected([{ row: 0, field: 'file', code: 'request.file_unreadable', reason: error.message }], `body.file: ${error.message}`);
    throw error;
  }
  return inTransaction(pool, async (db) => {
    // The class row lock: enrolments of this class wait, so capacity holds under concurrency.
    const cls = await authorizeClass(db, ctx.caller, classId, 'enrol', { lock: true });
    assertClassEnrolling(cls);
    const problems = [...read.problems];
    const reject = <C extends ErrorCode>(row: FileRow, field: string, code: C, ...params: ErrorParamsArgs<C>) => { problems.push(rowProblem(row.row, field, code, ...params)); };
    const rejectCoded = (row: FileRow, field: string, error: CodedError) => {
      problems.push({ row: row.row, field, code: error.code, ...(error.params ? { params: error.params } : {}), reason: errorText(error.code, error.params) });
    };
    const byHash = new Map<string, { id: number; name: string; masked: string }>();
    const hashes = read.rows.filter((r) => r.idNumber).map((r) => secrets.lookupHash(r.idNumber!));
    for (const p of (await db.query<{ id: number; name: string; masked: string; hash: Buffer }>(
      'SELECT id, name, id_number_masked AS masked, id_number_hash AS hash FROM persons WHERE id_number_hash = ANY($1)', [hashes])).rows) {
      byHash.set(p.hash.toString('hex'), p);
    }
    const phones = read.rows.filter((r) => !r.idNumber).map((r) => r.phone!);
    const byPhone = new Map<string, Array<{ id: number; name: string; masked: string }>>();
    for (const p of (await db.query<{ id: number; name: string; masked: string; phone: string }>(
      'SELECT id, name, id_number_masked AS masked, phone FROM persons WHERE phone = ANY($1)', [phones])).rows) {
      byPhone.set(p.phone, [...(byPhone.get(p.phone) ?? []), p]);
    }
    const candidates = [...byHash.values(), ...[...byPhone.values()].flat()].map((p) => p.id);
    const orgsOf = await currentOrgsOf(db, candidates);
    const onRoster = (personId: number) => (orgsOf.get(personId) ?? []).some((o) => canReach(ctx.caller, trainingPolicy.organize, o.orgPath));
    const orgNames = [...new Set(read.rows.map((r) => r.org).filter((o): o is string => o !== null))];
    const orgsByRef = await resolveOrgRefs(db, ctx.caller, orgNames);

    const resolved: Resolved[] = [];
    const seen = new Map<number, number>();
    for (const row of read.rows) {
      let person: { id: number; name: string; masked: string } | undefined;
      if (row.idNumber) {
        person = byHash.get(secrets.lookupHash(row.idNumber).toString('hex'));
        if (!person || !onRoster(person.id)) { reject(row, 'id_number', 'training.enrolment.no_id_number'); continue; }
      } else {
        const matches = (byPhone.get(row.phone!) ?? []).filter((p) => onRoster(p.id));
        if (matches.length === 0) { reject(row, 'phone', 'training.enrolment.no_phone'); continue; }
        if (matches.length > 1) { reject(row, 'phone', 'training.enrolment.phone_shared', { count: matches.length }); continue; }
        person = matches[0]!;
      }
      if (person.name !== row.name) { reject(row, 'name', 'training.import.name_mismatch', { by: row.idNumber ? 'id_number' : 'phone' }); continue; }
      const firstRow = seen.get(person.id);
      if (firstRow !== undefined) { reject(row, row.idNumber ? 'id_number' : 'phone', 'training.import.duplicate_row', { row: firstRow }); continue; }
      seen.set(person.id, row.row);
      let wanted: { id: number; path: string; name: string } | undefined;
      if (row.org) {
        const found = orgsByRef.get(row.org);
        if (!found) { reject(row, 'org', 'training.import.org_not_found', { org: row.org }); continue; }
        if ('code' in found) { reject(row, 'org', found.code, found.params); continue; }
        wanted = found;
      }
      const org = enrolmentOrg(ctx.caller, cls, orgsOf.get(person.id) ?? [], wanted);
      if ('code' in org) { rejectCoded(row, row.org ? 'org' : 'name', org); continue; }
      resolved.push({ file: row, personId: person.id, orgId: org.orgId, orgName: org.orgName, idNumberMasked: person.masked });
    }

    const existing = new Map<number, { id: number; mode: EnrolmentMode; status: string }>();
    for (const e of (await db.query<{ id: number; personId: number; mode: EnrolmentMode; status: string }>(
      `SELECT id, person_id AS "personId", mode, status FROM training_enrolments WHERE class_id = $1 AND person_id = ANY($2)`,
      [classId, resolved.map((r) => r.personId)])).rows) {
      existing.set(e.personId, e);
    }
    for (const r of resolved) {
      const e = existing.get(r.personId);
      if (e?.status === 'enrolled' && e.mode !== r.file.mode) reject(r.file, 'mode', 'training.enrolment.already_other_mode', { mode: e.mode });
    }
    if (problems.length) {
      problems.sort((a, b) => a.row - b.row);
      throw new EnrolmentFileRejected(problems, `body.file: ${problems.length} row${problems.length > 1 ? 's' : ''} cannot be enrolled; nothing was written (first: row ${problems[0]!.row}, ${problems[0]!.field} ${problems[0]!.reason})`);
    }

    const fresh = resolved.filter((r) => existing.get(r.personId)?.status !== 'enrolled');
    const taken = await seatsTaken(db, classId);
    for (const mode of ['onsite', 'live'] as const) {
      const adding = fresh.filter((r) => r.file.mode === mode).length;
      const capacity = capacityOf(cls, mode);
      if (adding > 0 && taken[mode] + adding > capacity) {
        throw conflict('mode', 'training.capacity.file_over', { adding, mode, free: Math.max(0, capacity - taken[mode]), capacity });
      }
    }
    if (!options.dryRun && fresh.length) await writeEnrolments(db, ctx, cls, fresh, existing);
    return {
      dryRun: options.dryRun,
      rowsRead: read.rowsRead,
      enrolled: fresh.length,
      unchanged: resolved.length - fresh.length,
      byMode: { onsite: fresh.filter((r) => r.file.mode === 'onsite').length, live: fresh.filter((r) => r.file.mode === 'live').length },
      ignoredColumns: read.ignored,
      rows: resolved.map((r) => ({
        row: r.file.row, name: r.file.name, idNumberMasked: r.idNumberMasked, personId: r.personId, orgId: r.orgId, orgName: r.orgName, mode: r.file.mode,
        outcome: existing.get(r.personId)?.status === 'enrolled' ? 'unchanged' as const : 'new' as const,
      })),
    };
  });
}

/** Organizations named in the file's 单位/org column: an id, or an exact (short) name, within the caller's subtrees. */
async function resolveOrgRefs(db: Parameters<typeof currentOrgsOf>[0], caller: Caller, refs: string[]) {
  const out = new Map<string, { id: number; path: string; name: string } | { code: 'training.import.org_ambiguous'; params: { org: string; count: number } }>();
  if (refs.length === 0) return out;
  const ids = refs.filter((r) => /^\d{1,15}$/.test(r)).map(Number);
  const rows = await db.query<{ id: number; path: string; name: string; shortName: string | null }>(
    `SELECT id, path::text AS path, name, short_name AS "shortName" FROM orgs WHERE status = 'active' AND (id = ANY($1) OR name = ANY($2) OR short_name = ANY($2))`,
    [ids, refs]);
  const reachable = rows.rows.filter((o) => canReach(caller, trainingPolicy.read, o.path));
  for (const ref of refs) {
    const matches = reachable.filter((o) => String(o.id) === ref || o.name === ref || o.shortName === ref);
    if (matches.length === 1) out.set(ref, matches[0]!);
    else if (matches.length > 1) out.set(ref, { code: 'training.import.org_ambiguous', params: { org: ref, count: matches.length } });
  }
  return out;
}

async function writeEnrolments(db: Parameters<typeof currentOrgsOf>[0], ctx: WriteContext, cls: ClassRow, rows: Resolved[], existing: Map<number, { id: number; status: string }>) {
  const again = rows.filter((r) => existing.has(r.personId));
  const fresh = rows.filter((r) => !existing.has(r.personId));
  const written = await db.query<{ id: number; personId: number; orgPath: string; mode: string; orgId: number }>(
    `WITH rows AS (SELECT * FROM unnest($2::bigint[], $3::bigint[], $4::text[]) AS r(person_id, org_id, mode)),
     inserted AS (
       INSERT INTO training_enrolments (class_id, person_id, province_id, org_id, mode, enrolled_by)
       SELECT $1, p.id, p.province_id, r.org_id, r.mode, $5 FROM rows r JOIN persons p ON p.id = r.person_id RETURNING id, person_id, org_id, mode),
     reenrolled AS (
       UPDATE training_enrolments e SET status = 'enrolled', mode = r.mode, org_id = r.org_id, enrolled_by = $5, enrolled_at = now()
       FROM unnest($6::bigint[], $7::bigint[], $8::text[]) AS r(person_id, org_id, mode)
       WHERE e.class_id = $1 AND e.person_id = r.person_id RETURNING e.id, e.person_id, e.org_id, e.mode)
     SELECT x.id, x.person_id AS "personId", x.org_id AS "orgId", x.mode, o.path::text AS "orgPath"
     FROM (SELECT * FROM inserted UNION ALL SELECT * FROM reenrolled) x JOIN orgs o ON o.id = x.org_id`,
    [cls.id, fresh.map((r) => r.personId), fresh.map((r) => r.orgId), fresh.map((r) => r.file.mode), ctx.caller.accountId,
      again.map((r) => r.personId), again.map((r) => r.orgId), again.map((r) => r.file.mode)],
  );
  // One audit entry per trainee, written in one statement.
  await db.query(
    `INSERT INTO audit_log (actor_id, action, entity, entity_id, org_path, province_id, person_id, after, request_id)
     SELECT $1, 'enrol', 'training_enrolment', id::text, path::ltree, coalesce(province_of(path::ltree), 0), person_id, jsonb_build_object('classId', $3::bigint, 'mode', mode, 'orgId', org_id, 'via', 'import'), $2
     FROM unnest($4::bigint[], $5::text[], $6::bigint[], $7::text[], $8::bigint[]) AS x(id, path, person_id, mode, org_id)`,
    [ctx.caller.accountId, ctx.requestId, cls.id, written.rows.map((r) => r.id), written.rows.map((r) => r.orgPath), written.rows.map((r) => r.personId),
      written.rows.map((r) => r.mode), written.rows.map((r) => r.orgId)],
  );
}

