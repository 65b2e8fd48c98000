import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, expectProblem, makeFederation, makePerson, signIn, validIdNumber, type Session, type TestApp } from './helpers.ts';
import { importFile } from './import-helpers.ts';

let t: TestApp;
let fed: Awaited<ReturnType<typeof makeFederation>>;
let adminA: Session;
let adminB: Session;
let auditorA: Session;
const people: Array<{ id: number; idNumber: string }> = [];
let outsider: { id: number; idNumber: string };

beforeAll(async () => {
  t = await createTestApp();
  fed = await makeFederation(t.pool);
  adminA = await signIn(t, 'admin', fed.provinceA);
  adminB = await signIn(t, 'admin', fed.provinceB);
  auditorA = await signIn(t, 'auditor', fed.provinceA);
  people.push(await makePerson(t, fed.unionA1, { name: '甲, "引号"', phone: '13800000001' }));
  people.push(await makePerson(t, fed.unionA2, { name: '乙', gender: 'female', birthDate: '1999-12-31' }));
  outsider = await makePerson(t, fed.unionB, { name: '外省' });
});
afterAll(() => t.close());

const exportUrl = (orgId: number, format = 'csv', status = 'active') => `/api/member-exports?orgId=${orgId}&format=${format}&status=${status}`;

describe('GET /api/member-exports', () => {
  it('streams a subtree\'s members as CSV with full ID numbers, and the file imports back unchanged', async () => {
    const response = await call(t, adminA, { method: 'GET', url: exportUrl(fed.provinceA.id) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toContain(`members-${fed.provinceA.id}.csv`);
    const records: string[][] = parse(response.body, { bom: true });
    expect(records[0]!.slice(0, 5)).toEqual(['姓名', '性别', '民族', '出生日期', '身份证号']);
    const ids = records.slice(1).map((r) => r[4]).sort();
    expect(ids).toEqual(people.map((p) => p.idNumber).sort());
    expect(response.body).not.toContain(outsider.idNumber);
    expect(records.find((r) => r[4] === people[0]!.idNumber)![0]).toBe('甲, "引号"');

    const again = await importFile(t, adminA, fed.provinceA.id, 'export.csv', response.rawPayload);
    expect(again).toMatchObject({ status: 'succeeded', rowsRead: 2, rowsRejected: 0, rowsUnchanged: 2, personsCreated: 0, personsUpdated: 0 });
    expect(again.ignoredColumns).toEqual(['工会名称', '会员状态']);
  });

  it('streams an xlsx that imports back unchanged', async () => {
    const response = await call(t, adminA, { method: 'GET', url: exportUrl(fed.countyA1.id, 'xlsx') });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const again = await importFile(t, adminA, fed.countyA1.id, 'export.xlsx', response.rawPayload);
    expect(again).toMatchObject({ status: 'succeeded', fileFormat: 'xlsx', rowsRead: 1, rowsUnchanged: 1 });
  });

  it('filters by status and audits every export', async () => {
    const left = await makePerson(t, fed.unionA1b);
    await t.pool.query(`UPDATE memberships SET status = 'left', ended_on = '2020-01-01' WHERE person_id = $1`, [left.id]);
    const active = await call(t, adminA, { method: 'GET', url: exportUrl(fed.unionA1b.id) });
    expect(active.body).not.toContain(left.idNumber);
    const gone = await call(t, adminA, { method: 'GET', url: exportUrl(fed.unionA1b.id, 'csv', 'left') });
    expect(gone.body).toContain(left.idNumber);
    expect(gone.body).toContain('退会');
    const audits = await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'member_export' AND actor_id = $1`, [adminA.accountId]);
    expect(audits.rows[0]!.n).toBeGreaterThanOrEqual(4);
  });

  it('answers 401, 403 without the admin role, 400 for another subtree or a bad format', async () => {
    expectProblem(await call(t, null, { method: 'GET', url: exportUrl(fed.provinceA.id) }), 401);
    expectProblem(await call(t, auditorA, { method: 'GET', url: exportUrl(fed.provinceA.id) }), 403);
    expectProblem(await call(t, adminB, { method: 'GET', url: exportUrl(fed.provinceA.id) }), 400, 'query.orgId');
    expectProblem(await call(t, adminA, { method: 'GET', url: exportUrl(fed.root.id) }), 400, 'query.orgId');
    expectProblem(await call(t, adminA, { method: 'GET', url: exportUrl(fed.provinceA.id, 'pdf') }), 400, 'query.format');
    expectProblem(await call(t, adminA, { method: 'GET', url: '/api/member-exports' }), 400, 'query.orgId');
  });

  it('keeps every Chinese character intact across stream chunk boundaries, in both formats and back', async () => {
    // ~700 KB of Chinese text: many characters fall across the chunks of COPY, zip and the file reader.
    const union = fed.unionA2;
    const ids = await t.pool.query<{ id: number }>(
      `INSERT INTO persons (province_id, name, gender, birth_date, id_number_cipher, id_number_hash, id_number_masked, employer)
       SELECT province_of($2::ltree), '测试' || g, 'male', '1985-06-15', $1, sha256(('chunk' || g)::bytea), '1101**********0011', repeat('内蒙古自治区呼伦贝尔市', 1 + g % 7)
       FROM generate_series(1, 3000) g RETURNING id`, [t.secrets.encrypt('110101198506150019'), union.path]);
    void ids;
    // Give them real, distinct ID numbers so the files import back.
    const rows = await t.pool.query<{ id: number }>(`SELECT id FROM persons WHERE name LIKE '测试%' ORDER BY id`);
    for (const [i, row] of rows.rows.entries()) {
      const idNumber = validIdNumber('1985-06-15', 'male');
      await t.pool.query('UPDATE persons SET id_number_cipher = $2, id_number_hash = $3 WHERE id = $1', [row.id, t.secrets.encrypt(idNumber), t.secrets.lookupHash(idNumber)]);
      void i;
    }
    await t.pool.query(`INSERT INTO memberships (person_id, org_id, org_path, province_id, joined_on) SELECT id, $1, $2::ltree::text, province_of($2::ltree), '2015-03-01' FROM persons WHERE name LIKE '测试%'`, [union.id, union.path]);
    const expected = new Map((await t.pool.query<{ name: string; employer: string }>(`SELECT name, employer FROM persons WHERE name LIKE '测试%'`)).rows.map((r) => [r.name, r.employer]));

    const csv = await call(t, adminA, { method: 'GET', url: exportUrl(union.id) });
    const records: string[][] = parse(csv.body, { bom: true, from_line: 2 });
    const fromCsv = records.filter((r) => r[0]!.startsWith('测试'));
    expect(fromCsv).toHaveLength(3000);
    for (const r of fromCsv) expect(r[8], r[0]).toBe(expected.get(r[0]!));
    const csvAgain = await importFile(t, adminA, union.id, 'chunks.csv', csv.rawPayload);
    expect(csvAgain).toMatchObject({ status: 'succeeded', personsUpdated: 0, personsCreated: 0 });

    const xlsx = await call(t, adminA, { method: 'GET', url: exportUrl(union.id, 'xlsx') });
    const xlsxAgain = await importFile(t, adminA, union.id, 'chunks.xlsx', xlsx.rawPayload);
    expect(xlsxAgain).toMatchObject({ status: 'succeeded', personsUpdated: 0, personsCreated: 0 });
  });
});
