import { ROLE_PRESETS } from '@workers-home/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, expectProblem, json, makeFederation, makePerson, signIn, TEST_PASSWORD, unique, validIdNumber, type Session, type TestApp } from './helpers.ts';
import { importFile, rosterCsv } from './import-helpers.ts';
import { insertClass, insertEnrolment } from './training-helpers.ts';
import { signInAddress } from '../src/modules/auth/service.ts';
import { HELD_ELSEWHERE_PER_DAY } from '../src/modules/people/id-number-lookups.ts';

/**
 * The findings of the review of the trust change (#14), one test each: the held-elsewhere
 * allowance cannot be bypassed or raced, accounts holding roles above their home are not the
 * home union's to manage, a person's present phone does not show to a union they left, and
 * sign-in attempts for one username are counted one at a time.
 */
let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let root: Session;

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  root = await signIn(t, 'admin', f.root);
});
afterAll(async () => { await t.close(); });

const get = (s: Session, url: string) => call(t, s, { method: 'GET', url });
const post = (s: Session, url: string, payload: Record<string, unknown> = {}) => call(t, s, { method: 'POST', url, payload });
const newMember = (s: Session, idNumber: string, joinedOn = '2024-01-01') =>
  post(s, '/api/persons', { name: '新人', gender: 'male', idNumber, membership: { orgId: f.unionA1.id, joinedOn } });
const spent = async (accountId: number) => (await t.pool.query<{ n: number }>(
  `SELECT coalesce(sum((after->>'count')::int), 0)::int AS n FROM audit_log WHERE actor_id = $1 AND action = 'id-number-held-elsewhere'`, [accountId])).rows[0]!.n;

describe('the held-elsewhere allowance', () => {
  it('is spent atomically: thirty requests at once get twenty answers and ten refusals', async () => {
    const admin = await signIn(t, 'admin', f.countyA1);
    const held = await Promise.all(Array.from({ length: 30 }, () => makePerson(t, f.unionB)));
    const answers = await Promise.all(held.map((p) => newMember(admin, p.idNumber)));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses.filter((s) => s === 409)).toHaveLength(HELD_ELSEWHERE_PER_DAY);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - HELD_ELSEWHERE_PER_DAY);
    expect(await spent(admin.accountId)).toBe(HELD_ELSEWHERE_PER_DAY);
  });

  it('once spent, refuses every import whatever the file holds (a held number and an unused one fail alike)', async () => {
    const admin = await signIn(t, 'admin', f.countyA1);
    const held = await Promise.all(Array.from({ length: HELD_ELSEWHERE_PER_DAY }, () => makePerson(t, f.unionB)));
    for (const p of held) expectProblem(await newMember(admin, p.idNumber), 409, 'body.idNumber');
    const far = await makePerson(t, f.unionB);
    const file = (idNumber: string) => rosterCsv([{ name: '导入', idNumber, union: f.unionA1.id }, { name: '坏行', idNumber: '123' }]);
    const a = await importFile(t, admin, f.countyA1.id, 'held.csv', file(far.idNumber));
    const b = await importFile(t, admin, f.countyA1.id, 'unused.csv', file(validIdNumber()));
    expect(a.status).toBe('failed');
    expect(b.status).toBe('failed');
    expect(a.error).toBe(b.error);
    expect(await spent(admin.accountId)).toBe(HELD_ELSEWHERE_PER_DAY);
  });

  it('an import holding more held numbers than are left fails whole, spending what was left, naming none', async () => {
    const admin = await signIn(t, 'admin', f.countyA1);
    const first = await Promise.all(Array.from({ length: HELD_ELSEWHERE_PER_DAY - 1 }, () => makePerson(t, f.unionB)));
    for (const p of first) expectProblem(await newMember(admin, p.idNumber), 409, 'body.idNumber');
    const two = await Promise.all([makePerson(t, f.unionB), makePerson(t, f.unionB)]);
    const job = await importFile(t, admin, f.countyA1.id, 'two.csv', rosterCsv(two.map((p) => ({ name: '导入', idNumber: p.idNumber, union: f.unionA1.id }))));
    expect(job).toMatchObject({ status: 'failed', rowsRejected: 0 });
    expect(await spent(admin.accountId)).toBe(HELD_ELSEWHERE_PER_DAY);
  });

  it('a transfer request counts as soon as the holder is found: no later check answers uncounted (no date against their membership, a duplicate counted too)', async () => {
    const admin = await signIn(t, 'admin', f.countyA1);
    const other = await signIn(t, 'admin', f.countyA2);
    const p = await makePerson(t, f.unionB);
    // A date before the person joined their union (2015-03-01) is no answer about them: it is filed, and checked by the side that decides.
    const early = await post(admin, '/api/transfer-requests', { idNumber: p.idNumber, toOrgId: f.unionA1.id, date: '2000-01-01' });
    expect(early.statusCode, early.body).toBe(201);
    expect(await spent(admin.accountId)).toBe(1);
    const duplicate = await post(other, '/api/transfer-requests', { idNumber: p.idNumber, toOrgId: f.unionA2.id, date: '2025-01-01' });
    expectProblem(duplicate, 409, 'body.idNumber');
    expect(await spent(other.accountId)).toBe(1);
    expect((await t.pool.query('SELECT 1 FROM transfer_requests WHERE person_id = $1', [p.id])).rowCount).toBe(1);
    const holding = await signIn(t, 'admin', f.unionB);
    expectProblem(await post(holding, `/api/transfer-requests/${json<{ id: number }>(early).id}/approve`), 409, 'params.id');
  });

  it('a former member of another province joins without their old union showing: no 400 naming the day they left, their old phone and employer gone', async () => {
    const admin = await signIn(t, 'admin', f.countyA1);
    const p = await makePerson(t, f.unionB, { phone: '13612345678' });
    await t.pool.query(`UPDATE persons SET employer = '内蒙古某厂' WHERE id = $1`, [p.id]);
    await t.pool.query(`UPDATE memberships SET status = 'left', ended_on = '2023-07-19' WHERE person_id = $1`, [p.id]);
    const joined = await newMember(admin, p.idNumber, '2010-01-01');
    // 201, not a 400 naming the day they left (their old membership shows as "another union", with its dates, as every one elsewhere does).
    expect(joined.statusCode, joined.body).toBe(201);
    expect(json<{ id: number; phone: unknown; employer: unknown }>(joined)).toMatchObject({ id: p.id, phone: null, employer: null });
    const audit = await t.pool.query<{ text: string }>(`SELECT coalesce(before::text, '') || coalesce(after::text, '') AS text FROM audit_log WHERE person_id = $1`, [p.id]);
    expect(audit.rows.map((r) => r.text).join()).not.toContain('13612345678');
    // By import too.
    const q = await makePerson(t, f.unionB, { phone: '13612340000' });
    await t.pool.query(`UPDATE memberships SET status = 'left', ended_on = '2023-07-19' WHERE person_id = $1`, [q.id]);
    const job = await importFile(t, admin, f.countyA1.id, 'rejoin.csv', rosterCsv([{ name: '回来', idNumber: q.idNumber, union: f.unionA1.id, joinedOn: '2010-01-01' }]));
    expect(job).toMatchObject({ status: 'succeeded', rowsRejected: 0 });
    expect((await t.pool.query<{ phone: string | null }>('SELECT phone FROM persons WHERE id = $1', [q.id])).rows[0]!.phone).toBeNull();
  });
});

describe('accounts holding roles above their home', () => {
  it('are not the home union\'s to see, disable or grant to, and a transfer does not end their staff roles', async () => {
    const unionAdmin = await signIn(t, 'admin', f.unionA1);
    const person = await makePerson(t, f.unionA1);
    const boss = await signIn(t, 'admin', f.provinceA, person.id);
    expect(Number((await t.pool.query<{ home: string }>('SELECT home_org_id AS home FROM accounts WHERE id = $1', [boss.accountId])).rows[0]!.home)).toBe(f.unionA1.id);
    const listed = json<{ items: Array<{ id: number }> }>(await get(unionAdmin, '/api/accounts?pageSize=200')).items.map((a) => a.id);
    expect(listed).not.toContain(boss.accountId);
    expectProblem(await post(unionAdmin, `/api/accounts/${boss.accountId}/disable`), 404);
    expectProblem(await post(unionAdmin, '/api/grants', { accountId: boss.accountId, role: 'member', orgId: f.unionA1.id }), 404, 'body.accountId');
    expect((await get(boss, '/api/auth/me')).statusCode).toBe(200);
    // Province B asks for the person; union A1 approves: the province-A admin role stays.
    const b = await signIn(t, 'admin', f.provinceB);
    const asked = await post(b, '/api/transfer-requests', { idNumber: person.idNumber, toOrgId: f.unionB.id, date: '2025-06-01' });
    expect(asked.statusCode, asked.body).toBe(201);
    expect((await post(unionAdmin, `/api/transfer-requests/${json<{ id: number }>(asked).id}/approve`)).statusCode).toBe(200);
    const roles = await t.pool.query<{ role: string; org_id: string }>('SELECT role, org_id FROM role_grants WHERE account_id = $1 ORDER BY role', [boss.accountId]);
    expect(roles.rows.map((r) => [r.role, Number(r.org_id)])).toEqual([...ROLE_PRESETS.admin].sort().map((role) => [role, f.provinceA.id]));
  });
});

describe('password reset by an admin', () => {
  it('sets a new password for an account of the subtree, ends its sessions, and is "not found" for any other', async () => {
    const admin = await signIn(t, 'admin', f.countyA1);
    const clerk = await signIn(t, 'editor', f.unionA1);
    const reset = await post(admin, `/api/accounts/${clerk.accountId}/password`, { newPassword: 'a-brand-new-password' });
    expect(reset.statusCode, reset.body).toBe(200);
    expect((await get(clerk, '/api/auth/me')).statusCode).toBe(401);
    const login = (password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '127.7.0.1', payload: { username: clerk.username, password } });
    expect((await login(TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login('a-brand-new-password')).statusCode).toBe(200);
    expectProblem(await post(admin, `/api/accounts/${clerk.accountId}/password`, { newPassword: 'short' }), 400, 'body.newPassword');
    const outsider = await signIn(t, 'editor', f.unionB);
    expectProblem(await post(admin, `/api/accounts/${outsider.accountId}/password`, { newPassword: 'a-brand-new-password' }), 404);
    expect((await get(outsider, '/api/auth/me')).statusCode).toBe(200);
    const audit = await t.pool.query(`SELECT 1 FROM audit_log WHERE action = 'reset-password' AND entity_id = $1`, [String(clerk.accountId)]);
    expect(audit.rowCount).toBe(1);
  });
});

describe('more that lies outside', () => {
  it('rejoining a former member names no end date of a membership elsewhere', async () => {
    const admin = await signIn(t, 'admin', f.countyA1);
    const p = await makePerson(t, f.unionA1);
    await t.pool.query(`UPDATE memberships SET status = 'left', ended_on = '2019-01-01' WHERE person_id = $1`, [p.id]);
    // A person's memberships live in their home province (0066): the later one elsewhere brings them there.
    await t.pool.query('SELECT move_persons_to_province(ARRAY[$1]::bigint[], province_of($2::ltree))', [p.id, f.unionB.path]);
    await t.pool.query(
      `INSERT INTO memberships (person_id, org_id, org_path, province_id, joined_on, ended_on, status) VALUES ($1, $2, $3::ltree::text, province_of($3::ltree), '2020-01-01', '2023-07-19', 'left')`,
      [p.id, f.unionB.id, f.unionB.path]);
    const joined = await post(admin, `/api/persons/${p.id}/join`, { orgId: f.unionA1.id, joinedOn: '2021-01-01' });
    expect(joined.statusCode, joined.body).toBe(200);
  });

  it('the audit log does not filter by an actor it does not name', async () => {
    const auditor = await signIn(t, 'auditor', f.countyA1);
    await call(t, root, { method: 'PATCH', url: `/api/orgs/${f.unionA1.id}`, payload: { shortName: '甲一' } });
    const byRoot = json<{ total: number }>(await get(auditor, `/api/audit?actorId=${root.accountId}`));
    expect(byRoot.total).toBe(0);
    const all = json<{ items: Array<{ actorId: number | null; action: string }> }>(await get(auditor, '/api/audit?pageSize=200'));
    expect(all.items.some((e) => e.action === 'update' && e.actorId === null)).toBe(true);
  });
});

describe('a disabled account', () => {
  it('loses its calendar feed too', async () => {
    const admin = await signIn(t, 'admin', f.countyA1);
    const person = await makePerson(t, f.unionA1);
    const trainee = await signIn(t, 'member', f.unionA1, person.id);
    const feed = json<{ url: string }>(await get(trainee, '/api/my/training/feed-url')).url.replace(/^https?:\/\/[^/]+/, '');
    expect((await t.app.inject({ url: feed })).statusCode).toBe(200);
    expect((await post(admin, `/api/accounts/${trainee.accountId}/disable`)).statusCode).toBe(200);
    expect((await t.app.inject({ url: feed })).statusCode).toBe(404);
  });
});

describe('a present phone does not show to a union the person left', () => {
  it('in a class\'s trainee list, its phone search, and the member search by phone prefix', async () => {
    const organizer = await signIn(t, 'organizer', f.countyA1);
    const p = await makePerson(t, f.unionA1, { phone: '13811110000' });
    const cls = await insertClass(t, f.countyA1);
    await insertEnrolment(t, cls.id, p.id, f.unionA1);
    expect(JSON.stringify(json(await get(organizer, `/api/training/classes/${cls.id}/enrolments`)))).toContain('13811110000');
    expect((await post(root, `/api/persons/${p.id}/transfer`, { toOrgId: f.unionB.id, date: '2025-01-01' })).statusCode).toBe(200);
    await t.pool.query(`UPDATE persons SET phone = '13822223333' WHERE id = $1`, [p.id]);
    const list = json<{ items: Array<{ personId: number; phone: unknown }> }>(await get(organizer, `/api/training/classes/${cls.id}/enrolments`));
    expect(list.items.find((e) => e.personId === p.id)?.phone).toBeNull();
    expect(json<{ total: number }>(await get(organizer, `/api/training/classes/${cls.id}/enrolments?q=1382222`)).total).toBe(0);
    expect(json<{ total: number }>(await get(organizer, '/api/members?status=all&q=1382222')).total).toBe(0);
  });
});

describe('sign-in', () => {
  it('counts one username\'s attempts one at a time: ten wrong passwords at once lock the address once', async () => {
    const s = await signIn(t, 'organizer', f.countyA1);
    const attempts = await Promise.all(Array.from({ length: 10 }, () =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '127.8.0.1', payload: { username: s.username, password: 'wrong-password' } })));
    expect(attempts.every((a) => a.statusCode === 401)).toBe(true);
    const locks = await t.pool.query(`SELECT 1 FROM audit_log WHERE action = 'lock' AND entity_id = $1`, [String(s.accountId)]);
    expect(locks.rowCount).toBe(1);
    const right = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '127.8.0.1', payload: { username: s.username, password: TEST_PASSWORD } });
    expect(right.statusCode).toBe(401);
  });

  it('takes any client address without a 500, and counts an IPv6 address as its /64', async () => {
    expect(signInAddress('not-an-ip', '127.0.0.1')).toBe('127.0.0.1');
    expect(signInAddress('fe80::1%eth0', undefined)).toBe('fe80::1');
    expect(signInAddress('::ffff:10.1.2.3', undefined)).toBe('10.1.2.3');
    const username = unique('nobody.').toLowerCase();
    for (const address of ['fe80::1%eth0', '::ffff:10.1.2.3', '2001:db8:1:2::1', '2001:db8:1:2::2']) {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: address, payload: { username, password: 'whatever-wrong' } });
      expect(r.statusCode, `${address}: ${r.body}`).toBe(401);
    }
    const v6 = await t.pool.query<{ ip: string }>(`SELECT DISTINCT ip::text FROM sign_in_failures WHERE username = $1 AND family(ip) = 6 ORDER BY 1`, [username]);
    expect(v6.rows.map((r) => r.ip)).toContain('2001:db8:1:2::/64');
  });
});
