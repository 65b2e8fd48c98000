import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, expectProblem, makeFederation, makePerson, signIn, unique, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const activeUnion = async (personId: number) =>
  (await t.pool.query<{ org_id: string }>(`SELECT org_id FROM memberships WHERE person_id = $1 AND status = 'active'`, [personId])).rows.map((r) => Number(r.org_id));
const audits = async (action: string, personIds: number[]) =>
  Number((await t.pool.query<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE action = $1 AND person_id = ANY($2::bigint[])`, [action, personIds])).rows[0]!.n);

describe('bulk actions on the member list', () => {
  it('transfers several members in one request, each audited as a single transfer', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.provinceA);
    const a = await makePerson(t, f.unionA1);
    const b = await makePerson(t, f.unionA1);
    const response = await call(t, admin, { method: 'POST', url: '/api/persons/bulk-transfer', payload: { personIds: [a.id, b.id], toOrgId: f.unionA2.id, date: '2025-06-01' } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ count: 2 });
    expect([await activeUnion(a.id), await activeUnion(b.id)]).toEqual([[f.unionA2.id], [f.unionA2.id]]);
    expect(await audits('transfer', [a.id, b.id])).toBe(2);
  });

  it('is all or nothing: one member refused leaves everyone as they were, and the refusal names that member', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    const fine = await makePerson(t, f.unionA1);
    const late = await makePerson(t, f.unionA1, { name: unique('晚入会') });
    await t.pool.query(`UPDATE memberships SET joined_on = '2024-01-01' WHERE person_id = $1`, [late.id]);
    const response = await call(t, admin, { method: 'POST', url: '/api/persons/bulk-leave', payload: { personIds: [fine.id, late.id], date: '2020-01-01' } });
    expect(response.body).toContain('body.date');
    expectProblem(response, 400, 'body.date');
    expect(response.json<{ person: { id: number; name: string } }>().person).toMatchObject({ id: late.id });
    expect(response.json<{ detail: string }>().detail).toContain('晚入会');
    expect(await activeUnion(fine.id)).toEqual([f.unionA1.id]);
    expect(await audits('leave', [fine.id, late.id])).toBe(0);

    // A person outside the caller's subtree is answered as a missing one, unnamed; nothing changes.
    const elsewhere = await makePerson(t, f.unionB);
    const outside = await call(t, admin, { method: 'POST', url: '/api/persons/bulk-leave', payload: { personIds: [fine.id, elsewhere.id], date: '2025-01-01' } });
    expect(outside.statusCode).toBe(404);
    expect(outside.body).not.toContain('person":{');
    expect(await activeUnion(fine.id)).toEqual([f.unionA1.id]);

    const ok = await call(t, admin, { method: 'POST', url: '/api/persons/bulk-leave', payload: { personIds: [fine.id, late.id], date: '2025-01-01' } });
    expect(ok.json()).toEqual({ count: 2 });
    expect(await audits('leave', [fine.id, late.id])).toBe(2);
  });

  it('exports only the selected rows', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    const chosen = await makePerson(t, f.unionA1, { name: unique('选中') });
    await makePerson(t, f.unionA1, { name: unique('未选') });
    const membership = (await t.pool.query<{ id: string }>('SELECT id FROM memberships WHERE person_id = $1', [chosen.id])).rows[0]!.id;
    const response = await call(t, admin, { url: `/api/members/export.xlsx?membershipIds=${membership}&lang=zh-CN` });
    expect(response.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const names: string[] = [];
    workbook.worksheets[0]!.eachRow((row, n) => { if (n > 1) names.push(String((row.values as string[])[1])); });
    expect(names).toEqual([expect.stringContaining('选中')]);
    // A sibling county's membership chosen by id is not in this county's export.
    const elsewhere = await makePerson(t, f.unionA2, { name: unique('别处') });
    const outside = (await t.pool.query<{ id: string }>('SELECT id FROM memberships WHERE person_id = $1', [elsewhere.id])).rows[0]!.id;
    const sibling = await call(t, admin, { url: `/api/members/export.xlsx?membershipIds=${membership},${outside}&lang=zh-CN` });
    const siblingBook = new ExcelJS.Workbook();
    await siblingBook.xlsx.load(sibling.rawPayload as unknown as ArrayBuffer);
    expect(siblingBook.worksheets[0]!.rowCount).toBe(2);
    expectProblem(await call(t, admin, { url: '/api/members/export.xlsx?membershipIds=1;DROP' }), 400, 'query.membershipIds');
  });
});
