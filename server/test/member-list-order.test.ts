import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberRow } from '@workers-home/contract';
import { call, createTestApp, json, makeFederation, makeOrg, makePerson, signIn, type OrgRef, type TestApp } from './helpers.ts';

/**
 * The member list's default order is the roster's: by union (a subtree's unions depth
 * first, by their paths) and by name within each union. It comes from the path each
 * membership carries (migration 0013), which must follow transfers and subtree moves.
 */
let t: TestApp;
let fed: Awaited<ReturnType<typeof makeFederation>>;

beforeAll(async () => {
  t = await createTestApp();
  fed = await makeFederation(t.pool);
});
afterAll(async () => t.close());

interface Page { items: MemberRow[]; total: number }

async function list(orgId: number, extra = '') {
  const admin = await signIn(t, 'admin', fed.root);
  const response = await call(t, admin, { method: 'GET', url: `/api/members?orgId=${orgId}&pageSize=100${extra}` });
  expect(response.statusCode, response.body).toBe(200);
  return json<Page>(response);
}

/** Every membership's path is its union's path: the invariant the list's order relies on. */
async function expectPathsRight() {
  const wrong = await t.pool.query(`SELECT m.id FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.org_path <> o.path::text`);
  expect(wrong.rows).toEqual([]);
}

describe('member list order', () => {
  it('lists a subtree by union, then by name, by default; name order on request', async () => {
    const county = await makeOrg(t.pool, fed.provinceA, 'county');
    const first = await makeOrg(t.pool, county, 'grassroots');
    const second = await makeOrg(t.pool, county, 'grassroots');
    // A union whose id has more digits sorts by its path's text: what matters is that unions stay together.
    for (const [union, name] of [[second, '赵一'], [first, '王二'], [second, '李三'], [first, '陈四'], [first, '张五']] as Array<[OrgRef, string]>) {
      await makePerson(t, union, { name });
    }
    const page = await list(county.id);
    expect(page.total).toBe(5);
    const byUnion = [first, second].sort((a, b) => (a.path < b.path ? -1 : 1));
    const expected = byUnion.flatMap((u) => page.items.filter((i) => i.orgId === u.id).map((i) => i.name).sort());
    expect(page.items.map((i) => i.name)).toEqual(expected);
    // Consecutive rows of one union, never interleaved.
    const unionsInOrder = page.items.map((i) => i.orgId).filter((id, i, all) => i === 0 || all[i - 1] !== id);
    expect(unionsInOrder).toEqual(byUnion.map((u) => u.id));

    const byName = await list(county.id, '&sort=name');
    expect(byName.items.map((i) => i.name)).toEqual(['张五', '李三', '王二', '赵一', '陈四'].sort());
    const desc = await list(county.id, '&order=desc');
    expect(desc.items.map((i) => i.name)).toEqual([...page.items.map((i) => i.name)].reverse());
  });

  it('follows a transfer and a subtree move: the list of each subtree holds exactly its members', async () => {
    const countyX = await makeOrg(t.pool, fed.provinceA, 'county');
    const countyY = await makeOrg(t.pool, fed.provinceB, 'county');
    const union = await makeOrg(t.pool, countyX, 'grassroots');
    const other = await makeOrg(t.pool, countyY, 'grassroots');
    const a = await makePerson(t, union, { name: '迁移甲' });
    await makePerson(t, union, { name: '迁移乙' });
    const admin = await signIn(t, 'admin', fed.root);

    const transfer = await call(t, admin, { method: 'POST', url: `/api/persons/${a.id}/transfer`, payload: { toOrgId: other.id, date: '2026-01-05' } });
    expect(transfer.statusCode, transfer.body).toBe(200);
    expect((await list(countyY.id)).items.map((i) => i.name)).toEqual(['迁移甲']);
    expect((await list(countyX.id)).items.map((i) => i.name)).toEqual(['迁移乙']);
    // The membership transferred out stays in the old union's history.
    expect((await list(countyX.id, '&status=all')).items.map((i) => [i.name, i.status])).toEqual([['迁移乙', 'active'], ['迁移甲', 'transferred_out']].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)));

    // Move the union (with its member) from province A to province B, under county Y.
    const move = await call(t, admin, { method: 'POST', url: `/api/orgs/${union.id}/move`, payload: { parentId: countyY.id } });
    expect(move.statusCode, move.body).toBe(200);
    await expectPathsRight();
    expect((await list(countyX.id)).total).toBe(0);
    expect((await list(countyX.id)).items).toEqual([]);
    expect((await list(countyY.id)).items.map((i) => i.name).sort()).toEqual(['迁移乙', '迁移甲'].sort());
    expect((await list(fed.provinceB.id)).items.map((i) => i.name)).toEqual(expect.arrayContaining(['迁移甲', '迁移乙']));
    expect((await list(fed.provinceA.id)).items.map((i) => i.name)).not.toContain('迁移乙');
  });

  it('a county admin sees only the county: a sibling county\'s list is 404', async () => {
    const admin = await signIn(t, 'admin', fed.countyA1);
    await makePerson(t, fed.unionA1, { name: '本县人' });
    await makePerson(t, fed.unionA2, { name: '邻县人' });
    const own = await call(t, admin, { method: 'GET', url: '/api/members?pageSize=100' });
    expect(own.statusCode).toBe(200);
    const names = json<Page>(own).items.map((i) => i.name);
    expect(names).toContain('本县人');
    expect(names).not.toContain('邻县人');
    expect((await call(t, admin, { method: 'GET', url: `/api/members?orgId=${fed.countyA2.id}` })).statusCode).toBe(404);
    // The province above the county has rows the admin may not see: 404 too, and for an org that does not exist.
    expect((await call(t, admin, { method: 'GET', url: `/api/members?orgId=${fed.provinceA.id}` })).statusCode).toBe(404);
    expect((await call(t, admin, { method: 'GET', url: '/api/members?orgId=999999999' })).statusCode).toBe(404);
    const byOrg = await call(t, admin, { method: 'GET', url: `/api/members?orgId=${fed.countyA1.id}&pageSize=100` });
    expect(byOrg.statusCode).toBe(200);
    expect(json<Page>(byOrg).items.map((i) => i.name)).toContain('本县人');
    expect(json<Page>(byOrg).items.map((i) => i.name)).not.toContain('邻县人');
    // A page past the end: no rows, the same total.
    const past = await call(t, admin, { method: 'GET', url: `/api/members?orgId=${fed.countyA1.id}&pageSize=100&page=50` });
    expect(past.statusCode).toBe(200);
    expect(json<Page>(past)).toMatchObject({ items: [], total: json<Page>(byOrg).total, page: 50 });
  });
});
