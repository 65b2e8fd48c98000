import type { z } from 'zod';
import { nationalIdProblem, NATIONAL_ID_CODES, normalizeNationalId, type AidEnrolImportQuery, type AidEnrolImportReport, type ErrorCode, type ErrorParamsArgs } from '@workers-home/contract';
import type { Services, WriteContext } from '../../context.ts';
import { badRequest, conflict } from '../../errors.ts';
import { canReach } from '../../plugins/access.ts';
import { chinaDate } from '../../china-time.ts';
import { cellText, FileProblem, indexColumns, normalizeHeader, type Cell } from '../../spreadsheets/cells.ts';
import { readRows, sniffFile } from '../../spreadsheets/read.ts';
import { rowProblem, SpreadsheetRejected, type RowProblem } from '../../spreadsheets/rejected.ts';
import { findOrg } from '../orgs/service.ts';
import { enrol } from './enrolment.ts';
import { authorizePlan, servicesPolicy } from './policy.ts';

/**
 * Enrolment of a union's members from a spreadsheet (.xlsx or .csv, read by the shared readers:
 * format sniffed from the bytes, UTF-8 / UTF-16 / GBK text). Each row names a member by name
 * and ID number; every row is checked before anything is written: all or nothing, unless
 * `acceptValid` enrols the good rows and reports the others. The enrolment itself is the
 * union's ordinary enrolment (one statement), so the same file twice enrols nobody twice.
 */
const COLUMNS = {
  name: ['姓名', '会员姓名', 'name'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '身份证', 'id_number', 'idnumber', 'national id'],
} as const;
type Column = keyof typeof COLUMNS;
const LABEL: Record<Column, string> = { name: 'name', idNumber: 'id_number' };
const ALIASES = new Map<string, Column>(Object.entries(COLUMNS).flatMap(([column, names]) => names.map((n) => [normalizeHeader(n), column as Column] as const)));
const EXPECTED = '姓名/name, 身份证号/id_number';
const MAX_ROWS = 100_000;

class EnrolmentFileRejected extends SpreadsheetRejected {
  constructor(rows: RowProblem[], detail: string) {
    super(rows, detail, 'services.import.rejected', 'The file cannot be enrolled');
  }
}

interface FileRow { row: number; name: string; idNumber: string }

async function readFile(path: string): Promise<{ rows: FileRow[]; problems: RowProblem[]; rowsRead: number }> {
  const source = readRows(path, await sniffFile(path));
  let index: Partial<Record<Column, number>> | null = null;
  let headerTries = 0;
  const rows: FileRow[] = [];
  const problems: RowProblem[] = [];
  let rowsRead = 0;
  for await (const { rowNumber, cells } of source.rows) {
    const filled = cells.map(cellText).filter(Boolean);
    if (!index) {
      if (filled.length === 0) continue;
      const mapped = indexColumns(cells, ALIASES).index;
      if (mapped.name !== undefined && mapped.idNumber !== undefined) { index = mapped; continue; }
      // A title above the header (often one merged cell) is passed over.
      if (filled.length === 1 && ++headerTries <= 3) continue;
      throw new EnrolmentFileRejected([rowProblem(rowNumber, 'header', 'services.import.header', { expected: EXPECTED, found: filled.join(', ') })],
        `body.file: the header row (row ${rowNumber}) does not name the expected columns: ${EXPECTED}`);
    }
    if (filled.length === 0) continue; // blank rows are skipped
    if (++rowsRead > MAX_ROWS) throw new FileProblem(`the file has more than ${MAX_ROWS} rows; split it`);
    const raw = (c: Column): Cell => cells[index![c]!];
    const reject = <C extends ErrorCode>(c: Column, code: C, ...params: ErrorParamsArgs<C>) => { problems.push(rowProblem(rowNumber, LABEL[c], code, ...params)); };
    const name = cellText(raw('name'));
    if (!name) { reject('name', 'validation.required'); continue; }
    if (typeof raw('idNumber') === 'number') { reject('idNumber', 'people.id_number.stored_as_number'); continue; }
    const idNumber = normalizeNationalId(cellText(raw('idNumber')));
    if (!idNumber) { reject('idNumber', 'validation.required'); continue; }
    const problem = nationalIdProblem(idNumber);
    if (problem === 'length') { reject('idNumber', 'people.id_number.length_actual', { length: idNumber.length }); continue; }
    if (problem) { reject('idNumber', NATIONAL_ID_CODES[problem]); continue; }
    rows.push({ row: rowNumber, name, idNumber });
  }
  if (!index) throw new EnrolmentFileRejected([rowProblem(1, 'header', 'services.import.no_header', { expected: EXPECTED })], 'body.file: the file is empty or has no header row');
  return { rows, problems, rowsRead };
}

export async function importEnrolments(services: Services, ctx: WriteContext, planId: number, path: string, query: z.infer<typeof AidEnrolImportQuery>, now = new Date()): Promise<AidEnrolImportReport> {
  const { pool, secrets } = services;
  // Authorization first: a caller who may not enrol this union learns nothing about the file.
  const plan = await authorizePlan(pool, ctx.caller, planId, 'read');
  const org = await findOrg(pool, query.orgId);
  if (!org || !canReach(ctx.caller, servicesPolicy.manage, org.path)) throw badRequest('querystring.orgId', 'orgs.org.not_found', { id: query.orgId });
  if (!(org.path === plan.orgPath || org.path.startsWith(plan.orgPath + '.'))) throw badRequest('querystring.orgId', 'services.enrol.org_outside');
  const window = (await pool.query<{ enrolStart: string; enrolEnd: string; coverageStart: string; minAge: number | null; maxAge: number | null }>(
    `SELECT enrol_start AS "enrolStart", enrol_end AS "enrolEnd", coverage_start AS "coverageStart", min_age AS "minAge", max_age AS "maxAge" FROM services_plans WHERE id = $1`, [planId])).rows[0]!;
  const today = chinaDate(now);
  if (today < window.enrolStart || today > window.enrolEnd) throw conflict('querystring.orgId', 'services.enrol.closed', { from: window.enrolStart, to: window.enrolEnd });
  let read: Awaited<ReturnType<typeof readFile>>;
  try {
    read = await readFile(path);
  } catch (error) {
    if (error instanceof FileProblem) throw new EnrolmentFileRejected([{ row: 0, field: 'file', code: 'request.file_unreadable', reason: error.message }], `body.file: ${error.message}`);
    throw error;
  }
  const problems = [...read.problems];
  const found = await pool.query<{ id: number; name: string; hash: Buffer; member: boolean; inAge: boolean; enrolled: boolean }>(
    `SELECT p.id::int, p.name, p.id_number_hash AS hash,
       EXISTS (SELECT 1 FROM memberships m WHERE m.province_id = p.province_id AND m.person_id = p.id AND m.org_id = $2 AND m.status = 'active') AS member,
       (p.birth_date IS NULL OR (($4::int IS NULL OR date_part('year', age($3::date, p.birth_date)) >= $4)
         AND ($5::int IS NULL OR date_part('year', age($3::date, p.birth_date)) <= $5))) AS "inAge",
       EXISTS (SELECT 1 FROM services_enrolments e WHERE e.plan_id = $6 AND e.province_id = p.province_id AND e.person_id = p.id) AS enrolled
     FROM persons p WHERE p.id_number_hash = ANY($1)`,
    [read.rows.map((r) => secrets.lookupHash(r.idNumber)), org.id, window.coverageStart, window.minAge, window.maxAge, planId]);
  const byHash = new Map(found.rows.map((p) => [p.hash.toString('hex'), p]));
  const seen = new Map<number, number>();
  const toEnrol: number[] = [];
  let alreadyEnrolled = 0;
  for (const row of read.rows) {
    const person = byHash.get(secrets.lookupHash(row.idNumber).toString('hex'));
    // Someone on no roster of this union is answered alike whether they exist elsewhere or not.
    if (!person || !person.member) { problems.push(rowProblem(row.row, 'id_number', 'services.import.not_member')); continue; }
    if (person.name !== row.name) { problems.push(rowProblem(row.row, 'name', 'services.import.name_mismatch')); continue; }
    const first = seen.get(person.id);
    if (first !== undefined) { problems.push(rowProblem(row.row, 'id_number', 'services.import.duplicate_row', { row: first })); continue; }
    seen.set(person.id, row.row);
    if (person.enrolled) { alreadyEnrolled++; continue; }
    if (!person.inAge) { problems.push(rowProblem(row.row, 'id_number', 'services.import.age')); continue; }
    toEnrol.push(person.id);
  }
  problems.sort((a, b) => a.row - b.row);
  if (problems.length && !query.acceptValid) {
    throw new EnrolmentFileRejected(problems, `body.file: ${problems.length} rows cannot be enrolled (first: row ${problems[0]!.row}, ${problems[0]!.field}: ${problems[0]!.reason}); nothing was written`);
  }
  const base = { dryRun: query.dryRun, rowsRead: read.rowsRead, rejected: problems };
  if (query.dryRun || toEnrol.length === 0) return { ...base, enrolled: toEnrol.length, alreadyEnrolled, statementId: null };
  const result = await enrol(pool, ctx, planId, { orgId: org.id, personIds: toEnrol }, now);
  return { ...base, enrolled: result.enrolled, alreadyEnrolled: alreadyEnrolled + result.alreadyEnrolled, statementId: result.statementId };
}
