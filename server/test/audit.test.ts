import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, expectProblem, json, makeFederation, makePerson, signIn, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

type Entry = { action: string; entity: string; entityId: string; actorName: string; personId: number | null; orgId: number | null; orgName: string | null; before: unknown; after: unknown; subject: string | null; link: string | null };
type Page = { items: Entry[]; total: number };

describe('audit log', () => {
  it('records every write with who, what, before and after; admins read it for their subtree, filtered', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    const p = await makePerson(t, f.unionA1, { name: '孙审计' });
    await call(t, admin, { method: 'PATCH', url: `/api/persons/${p.id}`, payload: { name: '孙新名' } });
    await call(t, admin, { method: 'PATCH', url: `/api/orgs/${f.unionA1.id}`, payload: { shortName: '一院' } });
    const all = json<Page>(await call(t, admin, { url: '/api/audit' }));
    expect(all.items.map((e) => `${e.entity}:${e.action}`)).toEqual(['org:update', 'person:update']);
    const personOnly = json<Page>(await call(t, admin, { url: `/api/audit?personId=${p.id}` }));
    expect(personOnly.items).toMatchObject([{ entity: 'person', action: 'update', actorName: admin.username, before: { name: '孙审计' }, after: { name: '孙新名' } }]);
    expect(json<Page>(await call(t, admin, { url: `/api/audit?entity=org&entityId=${f.unionA1.id}` })).total).toBe(1);
    expect(json<Page>(await call(t, admin, { url: `/api/audit?actorId=${admin.accountId}` })).total).toBe(2);
    const today = new Date().toISOString().slice(0, 10);
    expect(json<Page>(await call(t, admin, { url: `/api/audit?from=${today}&to=${today}` })).total).toBe(2);
    expect(json<Page>(await call(t, admin, { url: '/api/audit?to=2000-01-01' })).total).toBe(0);
    expectProblem(await call(t, admin, { url: '/api/audit?from=yesterday' }), 400, 'query.from');
  });

  it('names each entry\'s record as people know it and links to it: a person, an organization, a class, a membership by its person', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    const p = await makePerson(t, f.unionA1, { name: '钱记录' });
    await call(t, admin, { method: 'PATCH', url: `/api/persons/${p.id}`, payload: { phone: '13800138000' } });
    await call(t, admin, { method: 'POST', url: `/api/persons/${p.id}/leave`, payload: { date: '2024-01-02' } });
    await call(t, admin, { method: 'PATCH', url: `/api/orgs/${f.unionA1.id}`, payload: { shortName: '一院' } });
    const created = json<{ id: number }>(await call(t, admin, { method: 'POST', url: '/api/training/classes', payload: { orgId: f.countyA1.id, title: '审计班', startsOn: '2026-03-01', endsOn: '2026-03-02' } }));
    const items = json<Page>(await call(t, admin, { url: '/api/audit' })).items;
    const find = (entity: string) => items.find((e) => e.entity === entity)!;
    expect(find('person')).toMatchObject({ subject: '钱记录', link: `/members/${p.id}`, orgName: f.unionA1.name });
    expect(find('membership')).toMatchObject({ action: 'leave', subject: '钱记录', link: `/members/${p.id}` });
    expect(find('org')).toMatchObject({ subject: f.unionA1.name, link: `/orgs/${f.unionA1.id}` });
    expect(find('training_class')).toMatchObject({ subject: '审计班', link: `/training/classes/${created.id}`, orgName: f.countyA1.name });
  });

  it('shows a sibling county none of the entries, and lets auditors but not organizers read', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    await call(t, admin, { method: 'PATCH', url: `/api/orgs/${f.unionA1.id}`, payload: { shortName: '甲' } });
    const sibling = await signIn(t, 'admin', f.countyA2);
    expect(json<Page>(await call(t, sibling, { url: '/api/audit' })).total).toBe(0);
    const auditor = await signIn(t, 'auditor', f.provinceA);
    expect(json<Page>(await call(t, auditor, { url: '/api/audit' })).total).toBe(1);
    const organizer = await signIn(t, 'organizer', f.countyA1);
    expectProblem(await call(t, organizer, { url: '/api/audit' }), 403);
  });

  it('is append-only: the database refuses to change or delete an entry', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    await call(t, admin, { method: 'PATCH', url: `/api/orgs/${f.unionA1.id}`, payload: { shortName: '乙' } });
    await expect(t.pool.query(`UPDATE audit_log SET action = 'nothing'`)).rejects.toThrow(/append-only/);
    await expect(t.pool.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(t.pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  it('writes nothing, not even an audit entry, when a write fails', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.provinceA);
    const before = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expectProblem(await call(t, admin, { method: 'POST', url: `/api/orgs/${f.countyA1.id}/move`, payload: { parentId: f.unionA1.id } }), 400);
    const after = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('keeps every entry under its organization\'s province (Citus\'s key; 0 for an entry about no organization)', async () => {
    const entries = await t.pool.query<{ n: number; misplaced: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE province_id <> coalesce(province_of(org_path), 0))::int AS misplaced FROM audit_log`);
    expect(entries.rows[0]!.n).toBeGreaterThan(5); // the entries the tests above wrote
    expect(entries.rows[0]!.misplaced).toBe(0);
  });
});
