import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, expectProblem, makeFederation, makePerson, signIn, type TestApp } from './helpers.ts';

let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
});
afterAll(async () => { await t.close(); });

async function sheetRows(body: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const rows: string[][] = [];
  // Empty cells come back as holes in the row's values.
  workbook.worksheets[0]!.eachRow((row) => rows.push(Array.from({ length: 9 }, (_, i) => String((row.values as Array<string | number | null | undefined>)[i + 1] ?? ''))));
  return rows;
}

describe('GET /api/members/export.xlsx', () => {
  it('answers 401 to an anonymous caller', async () => {
    expectProblem(await call(t, null, { url: '/api/members/export.xlsx' }), 401);
  });

  it('exports exactly the filtered members of the caller\'s subtree, ID numbers masked, headings in the asked language', async () => {
    const mine = await makePerson(t, f.unionA1, { name: '导出甲', gender: 'female', phone: '13800000001' });
    await makePerson(t, f.unionA1, { name: '导出乙', gender: 'male' });
    await makePerson(t, f.unionB, { name: '导出丙', gender: 'female' }); // another province: never exported
    const admin = await signIn(t, 'admin', f.provinceA);

    const response = await call(t, admin, { url: `/api/members/export.xlsx?q=${encodeURIComponent('导出')}&gender=female&lang=zh-CN` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="members-\d{4}-\d{2}-\d{2}\.xlsx"/);
    const rows = await sheetRows(response.rawPayload);
    expect(rows[0]).toEqual(['姓名', '性别', '出生日期', '身份证号（脱敏）', '手机号', '工作单位', '所在工会', '会员状态', '入会时间']);
    expect(rows.slice(1)).toEqual([['导出甲', '女', '1985-06-15', mine.idNumber.slice(0, 4) + '**********' + mine.idNumber.slice(-4), '13800000001', '', f.unionA1.name, '在会', '2015-03-01']]);

    // Same rows, same order as the member list with the same filter and sort.
    const filter = `q=${encodeURIComponent('导出')}&sort=name&order=desc`;
    const english = await sheetRows((await call(t, admin, { url: `/api/members/export.xlsx?${filter}&lang=en` })).rawPayload);
    const listed = (await call(t, admin, { url: `/api/members?${filter}` })).json<{ items: Array<{ name: string }> }>().items;
    expect(english.map((r) => r[0])).toEqual(['Name', ...listed.map((m) => m.name)]);
    expect(listed).toHaveLength(2);
    expect(english[1]![7]).toBe('Active');
  });

  it('refuses an organization outside the caller\'s subtree, and a bad filter, naming the field', async () => {
    const countyAdmin = await signIn(t, 'admin', f.countyA1);
    expectProblem(await call(t, countyAdmin, { url: `/api/members/export.xlsx?orgId=${f.unionB.id}` }), 404);
    expectProblem(await call(t, countyAdmin, { url: '/api/members/export.xlsx?lang=fr' }), 400, 'query.lang');
    expectProblem(await call(t, countyAdmin, { url: '/api/members/export.xlsx?page=2' }), 400, 'query.page');
  });

  it('is recorded in the audit log with its filter', async () => {
    const admin = await signIn(t, 'admin', f.countyA1);
    await call(t, admin, { url: `/api/members/export.xlsx?orgId=${f.unionA1.id}` });
    const audit = await call(t, admin, { url: '/api/audit?entity=member-list' });
    const entries = audit.json<{ items: Array<{ action: string; after: { filter: { orgId: number }; rows: number } }> }>().items;
    expect(entries[0]).toMatchObject({ action: 'export', after: { filter: { orgId: f.unionA1.id } } });
  });
});
