import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrolmentImportReport } from '@workers-home/contract';
import { call, createTestApp, expectProblem, json, makeFederation, makePerson, signIn, type Session, type TestApp } from './helpers.ts';
import { multipart } from './import-helpers.ts';
import { insertClass } from './training-helpers.ts';

/**
 * Bulk enrolment from spreadsheets made by LibreOffice Calc (fixtures/training, see its
 * README): all rows or none, a report naming every bad row, nothing half-written.
 */
const fixture = (name: string) => readFile(new URL(`fixtures/training/${name}`, import.meta.url));

let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let owner: Session;

type Rejected = { detail: string; errors: Array<{ field: string }>; rows: Array<{ row: number; field: string; reason: string }> };

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  owner = await signIn(t, 'organizer', f.provinceA);
  // The people the fixtures name (their ID numbers and phones are in the files).
  await makePerson(t, f.unionA1, { name: '乌兰', idNumber: '150702198003120017', phone: '13947000001', birthDate: '1980-03-12' });
  await makePerson(t, f.unionA1, { name: '巴特尔', idNumber: '150702198211050025', phone: '13947000002', birthDate: '1982-11-05', gender: 'female' });
  await makePerson(t, f.unionA1b, { name: '周立群', idNumber: '310101197906230037', phone: '13601000003', birthDate: '1979-06-23' });
  await makePerson(t, f.unionA2, { name: '陈静', idNumber: '310101198509170047', phone: '13601000004', birthDate: '1985-09-17' });
  await makePerson(t, f.unionA1, { name: '马建国', idNumber: '410122198801010054', phone: '13703710005', birthDate: '1988-01-01' });
  await makePerson(t, f.unionB, { name: '孙红', idNumber: '110105197607080073', birthDate: '1976-07-08' });
  await makePerson(t, f.unionA1, { name: '其其格', idNumber: '150702198304040088', birthDate: '1983-04-04' });
  await makePerson(t, f.unionA1, { name: '阿拉坦', idNumber: '150702198405050090', birthDate: '1984-05-05' });
});
afterAll(async () => { await t.close(); });

const upload = (session: Session, classId: number, name: string, content: Buffer | string, query = '') =>
  call(t, session, { method: 'POST', url: `/api/training/classes/${classId}/enrolments/import${query}`, ...multipart(name, content) });
const enrolled = async (classId: number) =>
  (await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM training_enrolments WHERE class_id = $1`, [classId])).rows[0]!.n;

function rejected(response: Awaited<ReturnType<typeof upload>>): Rejected {
  const problem = expectProblem(response, 422, 'body.file');
  return problem as unknown as Rejected;
}

describe('a good list', () => {
  it('previews with dryRun (nothing written), then enrols every row at once, and a second upload changes nothing', async () => {
    const cls = await insertClass(t, f.provinceA);
    const preview = await upload(owner, cls.id, 'trainees.xlsx', await fixture('enrolment-good.xlsx'), '?dryRun=true');
    expect(preview.statusCode, preview.body).toBe(200);
    const report = json<EnrolmentImportReport>(preview);
    expect(report).toMatchObject({ dryRun: true, rowsRead: 4, enrolled: 4, unchanged: 0, byMode: { onsite: 2, live: 2 }, ignoredColumns: ['序号'] });
    expect(report.rows.map((r) => [r.row, r.name, r.mode, r.outcome])).toEqual([
      [2, '乌兰', 'onsite', 'new'], [3, '巴特尔', 'live', 'new'], [5, '陈静', 'live', 'new'], [6, '周立群', 'onsite', 'new'],
    ]);
    expect(report.rows[0]!.idNumberMasked).toBe('1507**********0017');
    expect(report.rows.find((r) => r.name === '周立群')!.orgId).toBe(f.unionA1b.id);
    expect(await enrolled(cls.id)).toBe(0);

    const written = await upload(owner, cls.id, 'trainees.xlsx', await fixture('enrolment-good.xlsx'));
    expect(written.statusCode, written.body).toBe(201);
    expect(json<EnrolmentImportReport>(written)).toMatchObject({ dryRun: false, enrolled: 4 });
    expect(await enrolled(cls.id)).toBe(4);
    const audit = await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'training_enrolment' AND after->>'classId' = $1`, [String(cls.id)]);
    expect(audit.rows[0]!.n).toBe(4);

    // The same list as CSV: everyone is already enrolled, nothing changes.
    const again = await upload(owner, cls.id, 'trainees.csv', await fixture('enrolment-good.csv'));
    expect(json<EnrolmentImportReport>(again)).toMatchObject({ enrolled: 0, unchanged: 4 });
    expect(await enrolled(cls.id)).toBe(4);
  });

  it('reads a GBK-encoded CSV (what Excel on a Chinese Windows saves)', async () => {
    const cls = await insertClass(t, f.provinceA);
    const gbk = iconv.encode((await fixture('enrolment-good.csv')).toString('utf8'), 'gbk');
    const response = await upload(owner, cls.id, 'trainees.csv', gbk);
    expect(response.statusCode, response.body).toBe(201);
    expect(json<EnrolmentImportReport>(response).rows.map((r) => r.name)).toEqual(['乌兰', '巴特尔', '陈静', '周立群']);
  });

  it('takes the trainee\'s organization from a 单位 column (an id or a name) when it is theirs', async () => {
    const cls = await insertClass(t, f.provinceA);
    const good = `姓名,身份证号,单位\n周立群,310101197906230037,${f.countyA1.name}\n乌兰,150702198003120017,${f.unionA1.id}\n`;
    const report = json<EnrolmentImportReport>(await upload(owner, cls.id, 'list.csv', good, '?mode=live'));
    expect(report.rows.map((r) => [r.name, r.orgId, r.mode])).toEqual([['周立群', f.countyA1.id, 'live'], ['乌兰', f.unionA1.id, 'live']]);
    const bad = `姓名,身份证号,单位\n乌兰,150702198003120017,${f.unionA2.id}\n巴特尔,150702198211050025,没有这个单位\n`;
    expect(rejected(await upload(owner, cls.id, 'list.csv', bad)).rows.map((r) => [r.row, r.field])).toEqual([[2, 'org'], [3, 'org']]);
  });
});

describe('a bad list', () => {
  const expectedRows = [
    [4, 'id_number', 'must be 18 characters (it has 17)'],
    [5, 'id_number', 'the same trainee as row 2 (duplicate)'],
    [6, 'id_number', 'no person with this ID number is on the roster of your organizations'],
    [7, 'id_number', 'no person with this ID number is on the roster of your organizations'],
    [8, 'name', 'is empty (a merged cell keeps its value only in its first row: unmerge it and fill in every row)'],
    [9, 'mode', '"远程" is not a mode: write 线下 (on site) or 线上/直播 (live)'],
    [10, 'phone', 'must be an 11-digit mainland mobile number starting with 1'],
    [12, 'id_number', 'has a wrong check digit (GB 11643)'],
    [13, 'name', 'does not match the roster\'s name for this ID number'],
  ];

  it.each(['enrolment-bad.xlsx', 'enrolment-bad.csv'])('%s: every bad row reported (blank rows skipped), nothing written', async (name) => {
    const cls = await insertClass(t, f.provinceA);
    const problem = rejected(await upload(owner, cls.id, name, await fixture(name)));
    expect(problem.rows.map((r) => [r.row, r.field, r.reason])).toEqual(expectedRows);
    expect(problem.detail).toMatch(/^body\.file: 9 rows cannot be enrolled; nothing was written/);
    expect(await enrolled(cls.id)).toBe(0);
    // A dry run of a bad file answers the same report.
    expect(rejected(await upload(owner, cls.id, name, await fixture(name), '?dryRun=true')).rows).toHaveLength(9);
  });

  it('merged cells: the title row is passed over; rows under a merged mode cell are reported', async () => {
    const cls = await insertClass(t, f.provinceA);
    const problem = rejected(await upload(owner, cls.id, 'merged.xlsx', await fixture('enrolment-merged.xlsx')));
    expect(problem.rows).toEqual([
      { row: 4, field: 'mode', code: 'training.import.merged_cell', reason: 'is empty (a merged cell keeps its value only in its first row: unmerge it and fill in every row)' },
      { row: 5, field: 'mode', code: 'training.import.merged_cell', reason: 'is empty (a merged cell keeps its value only in its first row: unmerge it and fill in every row)' },
    ]);
    expect(await enrolled(cls.id)).toBe(0);
  });

  it('wrong columns: the header row is named, nothing written', async () => {
    const cls = await insertClass(t, f.provinceA);
    const problem = rejected(await upload(owner, cls.id, 'list.xlsx', await fixture('enrolment-wrong-columns.xlsx')));
    expect(problem.rows).toHaveLength(1);
    expect(problem.rows[0]).toMatchObject({ row: 1, field: 'header' });
    expect(problem.rows[0]!.reason).toContain('found: 序号, 部门, 职务, 备注');
    expect(problem.detail).toContain('姓名/name');
  });

  it('ID numbers stored as numbers (precision lost) are reported per row', async () => {
    const cls = await insertClass(t, f.provinceA);
    const problem = rejected(await upload(owner, cls.id, 'ids.xlsx', await fixture('enrolment-numeric-ids.xlsx')));
    expect(problem.rows.map((r) => [r.row, r.field])).toEqual([[2, 'id_number'], [3, 'id_number']]);
    expect(problem.rows[0]!.reason).toContain('stored as a number');
  });

  it('files that are not spreadsheets, and requests without a file, are refused clearly', async () => {
    const cls = await insertClass(t, f.provinceA);
    expect(rejected(await upload(owner, cls.id, 'x.pdf', Buffer.from('%PDF-1.7 not a list'))).rows[0]!.reason).toContain('PDF');
    expect(rejected(await upload(owner, cls.id, 'x.csv', '')).rows[0]!.reason).toContain('empty');
    expect(rejected(await upload(owner, cls.id, 'x.csv', '\n\n')).rows[0]!.field).toBe('header');
    expectProblem(await call(t, owner, { method: 'POST', url: `/api/training/classes/${cls.id}/enrolments/import`, payload: { file: 'x' } }), 415);
    expectProblem(await call(t, owner, { method: 'POST', url: `/api/training/classes/${cls.id}/enrolments/import`, ...multipart('x.csv', 'a', 'other') }), 400, 'body.file');
    expectProblem(await upload(owner, cls.id, 'x.csv', 'x', '?dryRun=maybe'), 400, 'query.dryRun');
  });
});

describe('limits', () => {
  it('refuses a file that overfills a mode, naming the mode; nothing written', async () => {
    const cls = await insertClass(t, f.provinceA, { capacityOnsite: 1, capacityLive: 10 });
    const problem = expectProblem(await upload(owner, cls.id, 'trainees.xlsx', await fixture('enrolment-good.xlsx')), 409, 'mode');
    expect(problem.detail).toContain('2 trainees on site');
    expect(await enrolled(cls.id)).toBe(0);
  });

  it('an organizer of an audience subtree enrols only their own people', async () => {
    const cls = await insertClass(t, f.provinceA, { audienceOrgIds: [f.countyA1.id, f.countyA2.id] });
    const countyOrganizer = await signIn(t, 'organizer', f.countyA1);
    const problem = rejected(await upload(countyOrganizer, cls.id, 'trainees.xlsx', await fixture('enrolment-good.xlsx')));
    // 陈静 (row 5) belongs to county A2.
    expect(problem.rows.map((r) => [r.row, r.field])).toEqual([[5, 'phone']]);
    expect(await enrolled(cls.id)).toBe(0);
    const outsider = await signIn(t, 'organizer', f.provinceB);
    expectProblem(await upload(outsider, cls.id, 'trainees.xlsx', await fixture('enrolment-good.xlsx')), 404);
  });
});
