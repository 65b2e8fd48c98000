import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJob } from '@workers-home/contract';
import { buildApp } from '../src/app.ts';
import { call, createTestApp, expectProblem, makeFederation, makePerson, signIn, validIdNumber, type Session, type TestApp } from './helpers.ts';
import { importFile, multipart, rosterCsv } from './import-helpers.ts';

const fixture = (name: string) => readFile(new URL(`fixtures/${name}`, import.meta.url));

let t: TestApp;
let fed: Awaited<ReturnType<typeof makeFederation>>;
let adminA: Session;
let adminB: Session;
let auditorA: Session;

beforeAll(async () => {
  t = await createTestApp();
  fed = await makeFederation(t.pool);
  adminA = await signIn(t, 'admin', fed.provinceA);
  adminB = await signIn(t, 'admin', fed.provinceB);
  auditorA = await signIn(t, 'auditor', fed.provinceA);
});
afterAll(() => t.close());

const count = async (sql: string, params: unknown[] = []) => Number((await t.pool.query<{ n: string }>(sql, params)).rows[0]!.n);
const activeMembers = (orgId: number) => count(`SELECT count(*) AS n FROM memberships WHERE org_id = $1 AND status = 'active'`, [orgId]);
const personByIdNumber = async (idNumber: string) =>
  (await t.pool.query(`SELECT id, name, gender, birth_date, phone, employer FROM persons WHERE id_number_hash = $1`, [t.secrets.lookupHash(idNumber)])).rows[0] as
    { id: number; name: string; gender: string; birth_date: string; phone: string | null; employer: string | null } | undefined;

async function rejectsOf(session: Session, job: ImportJob, lang = '') {
  const response = await call(t, session, { method: 'GET', url: `/api/member-imports/${job.id}/rejects.csv${lang}` });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/csv/);
  // Each rejected row as "row,field,reason,name,masked id,union", unquoted for matching.
  return parse(response.body, { bom: true, from_line: 2 }).map((record: string[]) => record.join(','));
}

describe('POST /api/member-imports', () => {
  it('imports a CSV (unions by id or by name), and importing it again changes nothing', async () => {
    const rows = [
      { name: '王芳', idNumber: validIdNumber('1990-02-03', 'female'), phone: '13800138000', union: fed.unionA1.id, cardNumber: 'C-1' },
      { name: '李强', idNumber: validIdNumber('1980-11-30', 'male'), gender: '男', union: fed.unionA2.name },
    ];
    const csv = rosterCsv(rows);
    const first = await importFile(t, adminA, fed.provinceA.id, 'roster.csv', csv);
    expect(first).toMatchObject({ status: 'succeeded', phase: 'done', progress: 1, rowsRead: 2, rowsRejected: 0, personsCreated: 2, membershipsCreated: 2, fileFormat: 'csv' });
    expect(await activeMembers(fed.unionA1.id)).toBe(1);
    expect(await activeMembers(fed.unionA2.id)).toBe(1);
    expect(await personByIdNumber(rows[0]!.idNumber)).toMatchObject({ name: '王芳', gender: 'female', birth_date: '1990-02-03', phone: '13800138000' });

    const before = await t.pool.query(`SELECT p.*, m.* FROM persons p JOIN memberships m ON m.person_id = p.id ORDER BY p.id`);
    const second = await importFile(t, adminA, fed.provinceA.id, 'roster.csv', csv);
    expect(second).toMatchObject({ status: 'succeeded', personsCreated: 0, personsUpdated: 0, membershipsCreated: 0, rowsUnchanged: 2 });
    const after = await t.pool.query(`SELECT p.*, m.* FROM persons p JOIN memberships m ON m.person_id = p.id ORDER BY p.id`);
    expect(after.rows).toEqual(before.rows);
  });

  it('updates a person already on the roster (matched by ID number), keeping what a blank cell leaves out', async () => {
    const existing = await makePerson(t, fed.unionA1, { name: '赵刚', phone: '13900000001' });
    await t.pool.query(`UPDATE persons SET employer = '老单位' WHERE id = $1`, [existing.id]);
    const job = await importFile(t, adminA, fed.provinceA.id, 'update.csv', rosterCsv([{ name: '赵刚', idNumber: existing.idNumber, phone: '13900000002', union: fed.unionA1.id }]));
    expect(job).toMatchObject({ status: 'succeeded', personsCreated: 0, personsUpdated: 1, membershipsCreated: 0 });
    expect(await personByIdNumber(existing.idNumber)).toMatchObject({ id: existing.id, phone: '13900000002', employer: '老单位' });
    expect(await count(`SELECT count(*) AS n FROM memberships WHERE person_id = $1`, [existing.id])).toBe(1);
  });

  it('gives a known person without a current membership a new one', async () => {
    const person = await makePerson(t, fed.unionA1);
    await t.pool.query(`UPDATE memberships SET status = 'left', ended_on = '2019-01-01' WHERE person_id = $1`, [person.id]);
    const job = await importFile(t, adminA, fed.provinceA.id, 'rejoin.csv', rosterCsv([{ name: '回来了', idNumber: person.idNumber, union: fed.unionA2.id, joinedOn: '2021-05-01' }]));
    expect(job).toMatchObject({ status: 'succeeded', personsCreated: 0, membershipsCreated: 1 });
    const rows = await t.pool.query(`SELECT org_id, status FROM memberships WHERE person_id = $1 ORDER BY id`, [person.id]);
    expect(rows.rows).toEqual([{ org_id: fed.unionA1.id, status: 'left' }, { org_id: fed.unionA2.id, status: 'active' }]);
  });

  it('rejects the whole file when a row is invalid, with a report of every rejected row; --accept-valid writes the rest', async () => {
    const member = await makePerson(t, fed.unionA1);
    const good = validIdNumber('1991-01-01', 'female');
    const dup = validIdNumber('1992-02-02', 'male');
    const wrongCheck = validIdNumber('1993-03-03', 'male').slice(0, 17) + 'Y';
    const lines = [
      '姓名,身份证号,性别,出生日期,手机号,入会时间,所属工会',
      `好人,${good},女,1991-01-01,13700000000,2015-01-01,${fed.unionA1.id}`, // row 2: valid
      `坏号,${wrongCheck},,,,,${fed.unionA1.id}`, // 3
      `错性别,${validIdNumber('1980-01-01', 'male')},女,,,,${fed.unionA1.id}`, // 4
      `错生日,${validIdNumber('1980-01-01', 'male')},,1980-01-02,,,${fed.unionA1.id}`, // 5
      `错手机,${validIdNumber('1980-01-01', 'male')},,,12345,,${fed.unionA1.id}`, // 6
      `错日期,${validIdNumber('1980-01-01', 'male')},,,,2015-13-01,${fed.unionA1.id}`, // 7
      `未来,${validIdNumber('1980-01-01', 'male')},,,,2999-01-01,${fed.unionA1.id}`, // 8
      `重复一,${dup},,,,,${fed.unionA1.id}`, // 9: valid, first of two
      `重复二,${dup},,,,,${fed.unionA1.id}`, // 10
      `无此工会,${validIdNumber('1980-01-01', 'male')},,,,,99999`, // 11
      `外省工会,${validIdNumber('1980-01-01', 'male')},,,,,${fed.unionB.id}`, // 12
      `县总工会,${validIdNumber('1980-01-01', 'male')},,,,,${fed.countyA1.id}`, // 13
      `已是会员,${member.idNumber},,,,,${fed.unionA2.id}`, // 14
      `,,,,,,`, // 15: blank, skipped
      `无名,,,,,,${fed.unionA1.id}`, // 16
    ];
    const csv = lines.join('\r\n') + '\r\n';
    const personsBefore = await count('SELECT count(*) AS n FROM persons');
    const job = await importFile(t, adminA, fed.provinceA.id, 'mixed.csv', csv);
    expect(job).toMatchObject({ status: 'rejected', rowsRead: 14, rowsRejected: 12, personsCreated: 0 });
    expect(await count('SELECT count(*) AS n FROM persons')).toBe(personsBefore);
    expect(await personByIdNumber(good)).toBeUndefined();

    const report = await rejectsOf(adminA, job);
    const byRow = new Map(report.map((line) => [Number(line.split(',')[0]), line]));
    expect([...byRow.keys()]).toEqual([3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16]);
    expect(byRow.get(3)).toMatch(/id_number,has a wrong check digit|id_number,must be 17 digits/);
    expect(byRow.get(4)).toContain('gender,does not match the ID number');
    expect(byRow.get(5)).toContain('birth_date,does not match the ID number');
    expect(byRow.get(6)).toContain('phone,must be an 11-digit');
    expect(byRow.get(7)).toContain('joined_on,is not a date');
    expect(byRow.get(8)).toContain('joined_on,is in the future');
    expect(byRow.get(10)).toContain('the same ID number as row 9');
    expect(byRow.get(11)).toContain('union "99999" was not found');
    expect(byRow.get(12)).toContain(`union "${fed.unionB.id}" was not found`);
    expect(byRow.get(13)).toContain('is not a grassroots union');
    expect(byRow.get(14)).toContain(`active member of union ${fed.unionA1.id}; transfer them instead`);
    expect(byRow.get(16)).toContain('id_number,is required');
    // The report never shows a full ID number.
    expect(report.join('\n')).not.toContain(member.idNumber);
    // In the reader's language: the console asks for its own; a browser's Accept-Language is the fallback.
    const chinese = new Map((await rejectsOf(adminA, job, '?lang=zh-CN')).map((line) => [Number(line.split(',')[0]), line]));
    expect(chinese.get(6)).toContain('phone,应为以 1 开头的 11 位手机号');
    expect(chinese.get(10)).toContain('与第 9 行的身份证号相同');
    expect(chinese.get(16)).toContain('id_number,必填');
    const byHeader = await call(t, adminA, { method: 'GET', url: `/api/member-imports/${job.id}/rejects.csv`, headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    expect(byHeader.body).toContain('与第 9 行的身份证号相同');

    const accepted = await importFile(t, adminA, fed.provinceA.id, 'mixed.csv', csv, true);
    expect(accepted).toMatchObject({ status: 'succeeded', rowsRejected: 12, personsCreated: 2, membershipsCreated: 2 });
    expect(await personByIdNumber(good)).toMatchObject({ name: '好人', phone: '13700000000' });
    expect(await personByIdNumber(dup)).toMatchObject({ name: '重复一' });
  });

  it('does not reveal or touch a member of a union outside the caller\'s subtree', async () => {
    const elsewhere = await makePerson(t, fed.unionB, { name: '外省人' });
    const job = await importFile(t, adminA, fed.provinceA.id, 'steal.csv', rosterCsv([{ name: '改名', idNumber: elsewhere.idNumber, union: fed.unionA1.id }]), true);
    expect(job).toMatchObject({ status: 'succeeded', rowsRejected: 1, personsUpdated: 0 });
    // The same words wherever the holder is (trust-findings.test.ts compares a sibling county and another province).
    expect((await rejectsOf(adminA, job))[0]).toContain('is held by a member of another union');
    expect(await personByIdNumber(elsewhere.idNumber)).toMatchObject({ name: '外省人' });
  });

  it('takes English headers in any order and a file without a union column into a grassroots union', async () => {
    const id = validIdNumber('1999-09-09', 'female');
    const csv = `phone;ID_Number;Name;Joined_On\n13611112222;${id.toLowerCase()};Alice Wang;2020/1/2\n`;
    const job = await importFile(t, adminA, fed.unionA1b.id, 'english.csv', csv);
    expect(job).toMatchObject({ status: 'succeeded', personsCreated: 1 });
    const person = await personByIdNumber(id);
    expect(person).toMatchObject({ name: 'Alice Wang', gender: 'female', phone: '13611112222' });
    const membership = await t.pool.query(`SELECT org_id, joined_on FROM memberships WHERE person_id = $1`, [person!.id]);
    expect(membership.rows).toEqual([{ org_id: fed.unionA1b.id, joined_on: '2020-01-02' }]);
  });

  it('refuses a file without a union column for an organization that is not grassroots', async () => {
    const job = await importFile(t, adminA, fed.provinceA.id, 'nounion.csv', `姓名,身份证号\n某人,${validIdNumber()}\n`);
    expect(job.status).toBe('failed');
    expect(job.error).toContain('所属工会/union');
  });

  it('imports an xlsx saved by LibreOffice Calc (date cells, phone numbers as numbers, a blank row)', async () => {
    const job = await importFile(t, adminA, fed.unionA2.id, 'roster.xlsx', await fixture('roster-libreoffice.xlsx'));
    expect(job).toMatchObject({ status: 'succeeded', fileFormat: 'xlsx', rowsRead: 4, rowsRejected: 0, personsCreated: 4 });
    expect(await personByIdNumber('110101199002030026')).toMatchObject({ name: '王芳', gender: 'female', birth_date: '1990-02-03', phone: '13800138002' });
    const person = await personByIdNumber('150102200108080012');
    const membership = await t.pool.query(`SELECT joined_on FROM memberships WHERE person_id = $1`, [person!.id]);
    expect(membership.rows[0]).toEqual({ joined_on: '2023-05-20' });
    const again = await importFile(t, adminA, fed.unionA2.id, 'roster.xlsx', await fixture('roster-libreoffice.xlsx'));
    expect(again).toMatchObject({ status: 'succeeded', rowsUnchanged: 4, personsCreated: 0, personsUpdated: 0 });
  });

  it('detects a GBK-encoded CSV and reads its Chinese text', async () => {
    const gbk = await fixture('roster-gbk.csv');
    expect(iconv.decode(gbk, 'gbk')).toContain('张伟');
    // The same people as the LibreOffice fixture, into the same union: created or unchanged, never rejected.
    const job = await importFile(t, adminA, fed.unionA2.id, 'gbk.csv', gbk);
    expect(job).toMatchObject({ status: 'succeeded', rowsRead: 4, rowsRejected: 0 });
    expect(await personByIdNumber('110101198506150019')).toMatchObject({ name: '张伟', employer: '郑州宇通客车股份有限公司' });
  });

  it('maps 民族, 政治面貌, 学历 and 就业形态 to the national code lists, and rejects a value not in them naming the column', async () => {
    const mapped = validIdNumber('1988-08-08', 'male');
    const unknown = validIdNumber('1987-07-07', 'female');
    const csv = [
      '姓名,身份证号,民族,政治面貌,学历,就业形态,所属工会',
      `映射,${mapped},回,中国共产党党员,大学本科,Agency work,${fed.unionA1.id}`,
      `未知,${unknown},汉族,群众,函授,全日制,${fed.unionA1.id}`,
    ].join('\r\n');
    const job = await importFile(t, adminA, fed.provinceA.id, 'coded.csv', csv, true);
    expect(job).toMatchObject({ status: 'succeeded', rowsRejected: 1, personsCreated: 1 });
    const stored = await t.pool.query('SELECT ethnicity, political_status, education, employment_form FROM persons WHERE id_number_hash = $1', [t.secrets.lookupHash(mapped)]);
    expect(stored.rows[0]).toEqual({ ethnicity: '回族', political_status: '中共党员', education: '本科', employment_form: '劳务派遣' });
    expect(await rejectsOf(adminA, job)).toEqual([expect.stringMatching(/^3,education,"函授" is not in this column's list/)]);
    expect((await rejectsOf(adminA, job, '?lang=zh-CN'))[0]).toMatch(/^3,education,“函授”不在本列的代码表中/);
  });

  it('reports every reason of a rejected row, on screen (a page of rows) and in the CSV', async () => {
    const csv = [
      '姓名,身份证号,性别,手机号,学历,入会时间,所属工会',
      `三处错,${validIdNumber('1979-09-09', 'male')},男的,12345,函授,2015-13-01,${fed.unionA1.id}`,
      `一处错,${validIdNumber('1979-09-10', 'male')},男,12345,本科,,${fed.unionA1.id}`,
    ].join('\r\n');
    const job = await importFile(t, adminA, fed.provinceA.id, 'reasons.csv', csv);
    expect(job).toMatchObject({ status: 'rejected', rowsRejected: 2 });
    const page = await call(t, adminA, { method: 'GET', url: `/api/member-imports/${job.id}/rejects?pageSize=1` });
    expect(page.statusCode).toBe(200);
    const first = page.json<{ total: number; items: Array<{ rowNumber: number; name: string; reasons: Array<{ field: string; code: string }> }> }>();
    expect(first.total).toBe(2);
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ rowNumber: 2, name: '三处错' });
    expect(first.items[0]!.reasons.map((r) => [r.field, r.code])).toEqual([
      ['gender', 'people.import.gender_format'], ['phone', 'people.mobile.format'], ['joined_on', 'people.import.joined_on_format'], ['education', 'people.import.code_list_unknown'],
    ]);
    const second = (await call(t, adminA, { method: 'GET', url: `/api/member-imports/${job.id}/rejects?page=2&pageSize=1` })).json<{ items: Array<{ rowNumber: number; reasons: unknown[] }> }>();
    expect(second.items.map((r) => [r.rowNumber, r.reasons.length])).toEqual([[3, 1]]);
    const lines = await rejectsOf(adminA, job);
    expect(lines.filter((l) => l.startsWith('2,')).map((l) => l.split(',')[1])).toEqual(['gender', 'phone', 'joined_on', 'education']);
    // Outside the caller's subtree the job does not exist.
    expect((await call(t, adminB, { method: 'GET', url: `/api/member-imports/${job.id}/rejects` })).statusCode).toBe(404);
  });

  it('offers a template: Chinese headers, an example row the import takes, the code lists as drop-downs', async () => {
    const response = await call(t, adminA, { method: 'GET', url: `/api/member-imports/template.xlsx?orgId=${fed.unionA1.id}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('会员名单')!;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    expect(header).toEqual(['姓名*', '性别', '民族', '出生日期', '身份证号*', '手机号', '政治面貌', '学历', '工作单位', '就业形态', '入会时间', '会员证号', '所属工会']);
    expect((sheet.getRow(2).values as string[]).slice(1, 5)).toEqual(['张伟', '男', '汉族', '1985-06-15']);
    expect(sheet.getCell('M2').value).toBe(fed.unionA1.name);
    const lists = workbook.getWorksheet('代码表')!;
    expect(lists.state).toBe('hidden');
    const listOf = (cell: string) => {
      const validation = sheet.getCell(cell).dataValidation;
      expect(validation).toMatchObject({ type: 'list', allowBlank: true, showErrorMessage: true });
      const [, letter, from, to] = /'代码表'!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)/.exec(validation.formulae[0] as string)!;
      const values: string[] = [];
      for (let row = Number(from); row <= Number(to); row++) values.push(lists.getCell(`${letter}${row}`).text);
      return values;
    };
    expect(listOf('B2')).toEqual(['男', '女']);
    const ethnic = listOf('C500');
    expect(ethnic).toHaveLength(58);
    expect(ethnic.slice(0, 3)).toEqual(['汉族', '蒙古族', '回族']);
    expect(listOf('G2')).toContain('中共党员');
    expect(listOf('H2')).toEqual(expect.arrayContaining(['本科', '大专', '硕士研究生']));
    expect(listOf('J2')).toContain('新就业形态');
    expect(sheet.getCell('A2').dataValidation).toBeUndefined();

    // Filled in as it comes (but for a person not yet on this test's roster), it imports into a grassroots union.
    sheet.getCell('E2').value = validIdNumber('1985-06-15', 'male');
    const job = await importFile(t, adminA, fed.unionA1.id, 'template.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(await rejectsOf(adminA, job)).toEqual([]);
    expect(job).toMatchObject({ status: 'succeeded', rowsRead: 1, rowsRejected: 0 });
    // Only those who may import are offered it.
    expect((await call(t, auditorA, { method: 'GET', url: `/api/member-imports/template.xlsx?orgId=${fed.unionA1.id}` })).statusCode).toBe(403);
    expect((await call(t, adminB, { method: 'GET', url: `/api/member-imports/template.xlsx?orgId=${fed.unionA1.id}` })).statusCode).toBe(400);
  });

  it('rejects formula cells and ID numbers stored as numbers, naming the column', async () => {
    const job = await importFile(t, adminA, fed.unionA1.id, 'formulas.xlsx', await fixture('formulas-libreoffice.xlsx'));
    expect(job).toMatchObject({ status: 'rejected', rowsRejected: 2 });
    const report = await rejectsOf(adminA, job);
    expect(report[0]).toMatch(/^2,phone,holds a formula/);
    expect(report.find((line) => line.startsWith('3,'))).toMatch(/^3,id_number,is stored as a number, so its last digits are lost/);
  });

  it('refuses files that are not spreadsheets, and a truncated xlsx, writing nothing', async () => {
    const before = await count('SELECT count(*) AS n FROM persons');
    const cases: Array<[string, Buffer, RegExp]> = [
      ['scan.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), /PDF, not a spreadsheet/],
      ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), /Excel 97-2003/],
      ['photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]), /not a spreadsheet/],
      ['truncated.xlsx', (await fixture('roster-libreoffice.xlsx')).subarray(0, 3000), /truncated or damaged/],
      ['empty.csv', Buffer.alloc(0), /empty/],
      ['notes.csv', Buffer.from('hello,world\n1,2\n'), /must be a header.*姓名\/name/],
    ];
    for (const [name, content, message] of cases) {
      const job = await importFile(t, adminA, fed.unionA1.id, name, content);
      expect(job.status, name).toBe('failed');
      expect(job.error, name).toMatch(message);
    }
    expect(await count('SELECT count(*) AS n FROM persons')).toBe(before);
  });

  it('records one audit entry per import with its counts', async () => {
    const job = await importFile(t, adminA, fed.unionA1.id, 'audit.csv', rosterCsv([{ name: '审计', idNumber: validIdNumber(), union: fed.unionA1.id }]));
    const entries = await t.pool.query(`SELECT actor_id, after FROM audit_log WHERE entity = 'member_import' AND entity_id = $1`, [String(job.id)]);
    expect(entries.rows).toHaveLength(1);
    expect(entries.rows[0]).toMatchObject({ actor_id: adminA.accountId, after: { status: 'succeeded', personsCreated: 1 } });
  });

  it('answers 401 to an anonymous caller, 403 without the admin role, 400 for another subtree or bad input', async () => {
    const upload = multipart('a.csv', rosterCsv([]));
    expectProblem(await call(t, null, { method: 'POST', url: `/api/member-imports?orgId=${fed.unionA1.id}`, ...upload }), 401);
    expectProblem(await call(t, auditorA, { method: 'POST', url: `/api/member-imports?orgId=${fed.unionA1.id}`, ...upload }), 403);
    expectProblem(await call(t, adminB, { method: 'POST', url: `/api/member-imports?orgId=${fed.unionA1.id}`, ...upload }), 400, 'query.orgId');
    expectProblem(await call(t, adminA, { method: 'POST', url: '/api/member-imports', ...upload }), 400, 'query.orgId');
    expectProblem(await call(t, adminA, { method: 'POST', url: `/api/member-imports?orgId=${fed.unionA1.id}&acceptValid=maybe`, ...upload }), 400, 'query.acceptValid');
    expectProblem(await call(t, adminA, { method: 'POST', url: `/api/member-imports?orgId=${fed.unionA1.id}`, payload: { file: 'x' } }), 415);
    expectProblem(await call(t, adminA, { method: 'POST', url: `/api/member-imports?orgId=${fed.unionA1.id}`, ...multipart('a.csv', 'x', 'other') }), 400, 'body.file');
  });

  it('refuses an upload over the size limit with 413 and keeps nothing', async () => {
    const small = await buildApp({ pool: t.pool, secrets: t.secrets, sessionIdleMinutes: 60, sessionMaxHours: 12, imports: { maxImportBytes: 1000 } });
    try {
      const upload = multipart('big.csv', 'x'.repeat(5000));
      const response = await small.inject({
        method: 'POST', url: `/api/member-imports?orgId=${fed.unionA1.id}`, payload: upload.payload, headers: { ...upload.headers, cookie: adminA.cookie },
      });
      expect(response.statusCode).toBe(413);
      expect(response.json<{ detail: string }>().detail).toMatch(/^body.file: is larger than the limit/);
    } finally {
      await small.close();
    }
  });
});

describe('an import that needs more memory than it may use', () => {
  it('fails on its own, writing nothing, while the server answers and the next import runs', async () => {
    // Every distinct text of an .xlsx is held in memory while its rows are read: 200,000
    // long ones (40 MB as JavaScript strings) do not fit in a 48 MB heap.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wh-oom-'));
    const file = path.join(dir, 'huge.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['姓名', '身份证号', '工作单位']).commit();
    const employer = '郑州航空港经济综合实验区职工服务中心'.repeat(5);
    for (let i = 0; i < 200_000; i++) sheet.addRow([`职工${i}`, validIdNumber(), `${employer}第${i}号`]).commit();
    await workbook.commit();
    const content = await readFile(file);
    await rm(dir, { recursive: true, force: true });

    const small = await buildApp({ pool: t.pool, secrets: t.secrets, sessionIdleMinutes: 60, sessionMaxHours: 12, imports: { heapMb: 48 } });
    const upload = async (name: string, body: Buffer | string) => {
      const form = multipart(name, body);
      const response = await small.inject({ method: 'POST', url: `/api/member-imports?orgId=${fed.unionA1.id}`, payload: form.payload, headers: { ...form.headers, cookie: adminA.cookie } });
      expect(response.statusCode).toBe(202);
      const id = response.json<ImportJob>().id;
      for (;;) {
        const job = (await small.inject({ method: 'GET', url: `/api/member-imports/${id}`, headers: { cookie: adminA.cookie } })).json<ImportJob>();
        if (['succeeded', 'rejected', 'failed'].includes(job.status)) return job;
        await sleep(50);
      }
    };
    try {
      const persons = await count('SELECT count(*) AS n FROM persons');
      const job = await upload('huge.xlsx', content);
      expect(job).toMatchObject({ status: 'failed', phase: 'done' });
      expect(job.error).toMatch(/needs more than the 48 MB of memory an import may use.*nothing was written/);
      expect(await count('SELECT count(*) AS n FROM persons')).toBe(persons);
      expect((await small.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);

      const next = await upload('next.csv', rosterCsv([{ name: '下一个', idNumber: validIdNumber(), union: fed.unionA1.id }]));
      expect(next).toMatchObject({ status: 'succeeded', personsCreated: 1 });
    } finally {
      await small.close();
    }
  }, 60_000);
});

describe('GET /api/member-imports', () => {
  it('shows a job and its report within the subtree only', async () => {
    const job = await importFile(t, adminA, fed.unionA1.id, 'scope.csv', rosterCsv([{ name: '范围', idNumber: validIdNumber(), union: fed.unionA1.id }]));
    expect((await call(t, auditorA, { method: 'GET', url: `/api/member-imports/${job.id}` })).statusCode).toBe(200);
    expectProblem(await call(t, null, { method: 'GET', url: `/api/member-imports/${job.id}` }), 401);
    expectProblem(await call(t, adminB, { method: 'GET', url: `/api/member-imports/${job.id}` }), 404);
    expectProblem(await call(t, adminB, { method: 'GET', url: `/api/member-imports/${job.id}/rejects.csv` }), 404);
    expectProblem(await call(t, null, { method: 'GET', url: `/api/member-imports/${job.id}/rejects.csv` }), 401);
    expectProblem(await call(t, adminA, { method: 'GET', url: '/api/member-imports/abc' }), 400, 'params.id');

    const mine = (await call(t, adminA, { method: 'GET', url: '/api/member-imports?pageSize=200' })).json<{ items: ImportJob[]; total: number }>();
    expect(mine.items.some((j) => j.id === job.id)).toBe(true);
    const theirs = (await call(t, adminB, { method: 'GET', url: '/api/member-imports' })).json<{ items: ImportJob[]; total: number }>();
    expect(theirs.total).toBe(0);
    expectProblem(await call(t, adminB, { method: 'GET', url: `/api/member-imports?orgId=${fed.provinceA.id}` }), 404);
    expectProblem(await call(t, null, { method: 'GET', url: '/api/member-imports' }), 401);
  });
});
