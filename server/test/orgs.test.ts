import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, expectProblem, json, makeFederation, makeOrg, makePerson, signIn, unique, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

type Page = { items: Array<{ id: number; name: string }>; total: number };

describe('organizations', () => {
  it('creates an organization under a parent within the admin\'s subtree, and audits it', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.provinceA);
    const name = unique('新城县总工会');
    const response = await call(t, admin, { method: 'POST', url: '/api/orgs', payload: { parentId: f.provinceA.id, name, level: 'county', kind: 'federation', regionCode: '410122' } });
    expect(response.statusCode).toBe(201);
    const org = json<{ id: number; depth: number; parentId: number }>(response);
    expect(org).toMatchObject({ name, parentId: f.provinceA.id, depth: 3, level: 'county', status: 'active' });
    const path = await t.pool.query<{ path: string }>('SELECT path::text FROM orgs WHERE id = $1', [org.id]);
    expect(path.rows[0]!.path).toBe(`${f.provinceA.path}.${org.id}`);
    const audit = await t.pool.query('SELECT actor_id, action FROM audit_log WHERE entity = $1 AND entity_id = $2', ['org', String(org.id)]);
    expect(audit.rows).toEqual([{ actor_id: admin.accountId, action: 'create' }]);
  });

  it('rejects bad input with a 400 naming the field, and writes nothing', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.root);
    const before = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ parentId: f.provinceA.id, name: '', level: 'county', kind: 'federation' }, 'body.name'],
      [{ parentId: f.provinceA.id, name: 'x'.repeat(101), level: 'county', kind: 'federation' }, 'body.name'],
      [{ parentId: 'one', name: 'x', level: 'county', kind: 'federation' }, 'body.parentId'],
      [{ parentId: f.provinceA.id, name: 'x', level: 'village', kind: 'federation' }, 'body.level'],
      [{ parentId: f.provinceA.id, name: 'x', level: 'county', kind: 'federation', regionCode: '41012' }, 'body.regionCode'],
      [{ parentId: f.provinceA.id, name: 'x', level: 'county', kind: 'federation', color: 'red' }, 'body.color'],
      [{ parentId: f.provinceA.id, name: 'x', level: 'provincial', kind: 'federation' }, 'body.parentId'], // not below its parent
      [{ parentId: f.unionA1.id, name: 'x', level: 'grassroots', kind: 'enterprise_union' }, 'body.parentId'], // under a grassroots union
      [{ parentId: 99999999, name: 'x', level: 'county', kind: 'federation' }, 'body.parentId'],
    ];
    for (const [payload, field] of cases) {
      expectProblem(await call(t, admin, { method: 'POST', url: '/api/orgs', payload }), 400, field);
    }
    const after = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('refuses a second active sibling with the same name', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.root);
    const payload = { parentId: f.countyA1.id, name: f.unionA1.name, level: 'grassroots', kind: 'enterprise_union' };
    expectProblem(await call(t, admin, { method: 'POST', url: '/api/orgs', payload }), 409, 'body.name');
  });

  it('renames an organization and keeps the before and after in the audit log', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    const response = await call(t, admin, { method: 'PATCH', url: `/api/orgs/${f.unionA1.id}`, payload: { name: '中牟县第一人民医院工会', shortName: '一院工会' } });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toMatchObject({ name: '中牟县第一人民医院工会', shortName: '一院工会' });
    const audit = await t.pool.query<{ before: { name: string }; after: { name: string } }>(`SELECT before, after FROM audit_log WHERE entity = 'org' AND entity_id = $1 AND action = 'update'`, [String(f.unionA1.id)]);
    expect(audit.rows[0]!.before.name).toBe(f.unionA1.name);
    expect(audit.rows[0]!.after.name).toBe('中牟县第一人民医院工会');
  });

  it('moves a subtree: every descendant\'s path follows, and member counts move with it', async () => {
    const f = await makeFederation(t.pool);
    await makePerson(t, f.unionA1);
    await makePerson(t, f.unionA1b);
    const admin = await signIn(t, 'admin', f.root);
    const response = await call(t, admin, { method: 'POST', url: `/api/orgs/${f.countyA1.id}/move`, payload: { parentId: f.provinceB.id } });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toMatchObject({ parentId: f.provinceB.id, depth: 3 });
    const paths = await t.pool.query<{ id: number; path: string; parent_path: string | null }>(
      `SELECT o.id, o.path::text, p.path::text AS parent_path FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id WHERE o.path <@ $1::ltree`,
      [`${f.provinceB.path}.${f.countyA1.id}`],
    );
    expect(paths.rows.map((r) => r.id).sort()).toEqual([f.countyA1.id, f.unionA1.id, f.unionA1b.id].sort());
    for (const row of paths.rows) expect(row.path).toBe(`${row.parent_path}.${row.id}`);
    const provinceB = json<{ subtree: { activeMembers: number } }>(await call(t, admin, { url: `/api/orgs/${f.provinceB.id}` }));
    expect(provinceB.subtree.activeMembers).toBe(2);
    const provinces = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM memberships WHERE province_id = $1', [f.provinceB.id]);
    expect(provinces.rows[0]!.n).toBe(2);
  });

  it('refuses to move an organization under itself or its descendants', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.root);
    expectProblem(await call(t, admin, { method: 'POST', url: `/api/orgs/${f.provinceA.id}/move`, payload: { parentId: f.countyA1.id } }), 400, 'body.parentId');
    expectProblem(await call(t, admin, { method: 'POST', url: `/api/orgs/${f.provinceA.id}/move`, payload: { parentId: f.provinceA.id } }), 400, 'body.parentId');
    const still = await t.pool.query<{ parent_id: number }>('SELECT parent_id FROM orgs WHERE id = $1', [f.provinceA.id]);
    expect(still.rows[0]!.parent_id).toBe(f.root.id);
  });

  it('refuses a move into another admin\'s subtree', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.provinceA);
    const response = await call(t, admin, { method: 'POST', url: `/api/orgs/${f.unionA1.id}/move`, payload: { parentId: f.provinceB.id } });
    expect(response.statusCode).toBe(400); // province B does not exist for this admin
    const inside = await call(t, admin, { method: 'POST', url: `/api/orgs/${f.unionA1.id}/move`, payload: { parentId: f.countyA2.id } });
    expect(inside.statusCode).toBe(200);
    const countyAdmin = await signIn(t, 'admin', f.countyA1);
    // A county admin cannot move their own county: that changes where it stands in the province.
    expectProblem(await call(t, countyAdmin, { method: 'POST', url: `/api/orgs/${f.countyA1.id}/move`, payload: { parentId: f.provinceA.id } }), 403);
  });

  it('closes an empty organization but not one with members or children', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    await makePerson(t, f.unionA1);
    expectProblem(await call(t, admin, { method: 'POST', url: `/api/orgs/${f.unionA1.id}/close`, payload: {} }), 409);
    const response = await call(t, admin, { method: 'POST', url: `/api/orgs/${f.unionA1b.id}/close`, payload: { closedOn: '2026-06-30' } });
    expect(json(response)).toMatchObject({ status: 'closed', closedOn: '2026-06-30' });
    const children = json<Page>(await call(t, admin, { url: `/api/orgs/${f.countyA1.id}/children` }));
    expect(children.items.map((c) => c.id)).toEqual([f.unionA1.id]);
    const withClosed = json<Page>(await call(t, admin, { url: `/api/orgs/${f.countyA1.id}/children?includeClosed=true` }));
    expect(withClosed.total).toBe(2);
    expectProblem(await call(t, admin, { method: 'POST', url: `/api/orgs/${f.countyA1.id}/close`, payload: {} }), 403); // needs admin on the parent
  });

  it('answers breadcrumbs within the caller\'s subtree only', async () => {
    const f = await makeFederation(t.pool);
    const countyAdmin = await signIn(t, 'organizer', f.countyA1);
    const crumbs = json<Array<{ id: number }>>(await call(t, countyAdmin, { url: `/api/orgs/${f.unionA1.id}/ancestors` }));
    expect(crumbs.map((c) => c.id)).toEqual([f.countyA1.id, f.unionA1.id]);
    const rootAdmin = await signIn(t, 'admin', f.root);
    const full = json<Array<{ id: number }>>(await call(t, rootAdmin, { url: `/api/orgs/${f.unionA1.id}/ancestors` }));
    expect(full.map((c) => c.id)).toEqual([f.root.id, f.provinceA.id, f.countyA1.id, f.unionA1.id]);
  });

  it('searches by name within a subtree, in Chinese', async () => {
    const f = await makeFederation(t.pool);
    const hospital = await makeOrg(t.pool, f.countyA1, 'grassroots', unique('中牟县人民医院工会'), 'institution_union');
    await makeOrg(t.pool, f.provinceB, 'grassroots', unique('郑州人民医院工会'), 'institution_union');
    const organizer = await signIn(t, 'organizer', f.provinceA);
    const found = json<Page>(await call(t, organizer, { url: `/api/orgs?q=${encodeURIComponent('人民医院')}` }));
    expect(found.items.map((o) => o.id)).toEqual([hospital.id]);
    const within = json<Page>(await call(t, organizer, { url: `/api/orgs?q=${encodeURIComponent('医院')}&within=${f.countyA2.id}` }));
    expect(within.total).toBe(0);
    const roots = json<Array<{ id: number }>>(await call(t, organizer, { url: '/api/orgs/roots' }));
    expect(roots.map((r) => r.id)).toEqual([f.provinceA.id]);
    // A percent sign is text, not a wildcard.
    expect(json<Page>(await call(t, organizer, { url: `/api/orgs?q=${encodeURIComponent('%')}` })).total).toBe(0);
  });

  it('never shows a sibling subtree: 404 for its organizations, none of its rows in lists', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.provinceB);
    for (const url of [`/api/orgs/${f.countyA1.id}`, `/api/orgs/${f.countyA1.id}/children`, `/api/orgs/${f.countyA1.id}/ancestors`]) {
      expectProblem(await call(t, admin, { url }), 404);
    }
    expectProblem(await call(t, admin, { method: 'PATCH', url: `/api/orgs/${f.countyA1.id}`, payload: { name: 'taken over' } }), 404);
    expectProblem(await call(t, admin, { method: 'POST', url: `/api/orgs/${f.countyA1.id}/close`, payload: {} }), 404);
    const all = json<Page>(await call(t, admin, { url: '/api/orgs?pageSize=200' }));
    expect(all.items.every((o) => [f.provinceB.id, f.unionB.id].includes(o.id))).toBe(true);
    expectProblem(await call(t, admin, { url: `/api/orgs?within=${f.provinceA.id}` }), 404);
  });

  it('forbids writes to roles that may only read', async () => {
    const f = await makeFederation(t.pool);
    const organizer = await signIn(t, 'organizer', f.provinceA);
    expectProblem(await call(t, organizer, { method: 'POST', url: '/api/orgs', payload: { parentId: f.provinceA.id, name: 'x', level: 'county', kind: 'federation' } }), 403);
    const member = await signIn(t, 'member', f.unionA1);
    expectProblem(await call(t, member, { url: `/api/orgs/${f.unionA1.id}` }), 403);
  });
});
