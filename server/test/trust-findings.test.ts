import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskNationalId } from '@workers-home/contract';
import { call, createTestApp, expectProblem, json, makeFederation, makePerson, signIn, TEST_PASSWORD, unique, validIdNumber, type Session, type TestApp } from './helpers.ts';
import { hashPassword } from '../src/modules/auth/service.ts';
import { SIGN_IN } from '../src/modules/auth/policy.ts';
import { importFile, rosterCsv } from './import-helpers.ts';
import { insertClass, insertEnrolment, insertSession, makeTrainee } from './training-helpers.ts';

/**
 * One test per finding of the trust review: each states the behaviour the server is to have
 * (they fail on the code of the review). "Answered as nonexistent" is checked by comparing the
 * two answers whole — status, type, title, detail, errors — with the probed id replaced by a
 * placeholder and instance/requestId dropped.
 */
let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let root: Session;
const NOWHERE = 1_987_654_321;

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  root = await signIn(t, 'admin', f.root);
});
afterAll(async () => { await t.close(); });

/** An answer with the given ids (numbers, ID numbers and their masked forms) replaced by <id>, without instance and requestId. */
function normalized(r: LightMyRequestResponse, ...ids: Array<string | number>): string {
  const type = String(r.headers['content-type'] ?? '').split(';')[0] ?? '';
  let body = r.body;
  if (type.includes('json')) {
    const parsed = r.json<Record<string, unknown>>();
    delete parsed.instance;
    delete parsed.requestId;
    body = JSON.stringify(type === 'application/problem+json' ? { type: parsed.type, title: parsed.title, detail: parsed.detail, errors: parsed.errors ?? null } : parsed);
  }
  for (const id of ids) {
    body = body.replace(new RegExp(`(?<![\\w.-])${String(id)}(?![\\w.-])`, 'g'), '<id>');
    if (/^\d{17}[\dX]$/.test(String(id))) body = body.replaceAll(maskNationalId(String(id)), '<id>');
  }
  return `${r.statusCode} ${type} ${body}`;
}

/** The answer about `id` equals the answer about `other` (a nonexistent id, or the other side of an oracle). */
function expectSameAnswer(a: LightMyRequestResponse, id: string | number, b: LightMyRequestResponse, other: string | number) {
  expect(normalized(a, id, other)).toBe(normalized(b, other, id));
}

const get = (s: Session, url: string) => call(t, s, { method: 'GET', url });
const post = (s: Session, url: string, payload: Record<string, unknown> = {}) => call(t, s, { method: 'POST', url, payload });

async function leave(personId: number) {
  await t.pool.query(`UPDATE memberships SET status = 'left', ended_on = '2020-01-01' WHERE person_id = $1`, [personId]);
}

/** The reason column (the last one) of each rejected row of an import. */
async function rejectReasons(s: Session, jobId: number): Promise<string[]> {
  const csv = (await get(s, `/api/member-imports/${jobId}/rejects.csv`)).body.replace(/^\uFEFF/, '');
  return csv.split(/\r?\n/).slice(1).filter(Boolean).map((line) => line.split(',').at(-1)!.replace(/^"|"$/g, ''));
}

describe('finding 1: member import and people of other subtrees', () => {
  it('refuses a row whose person is a member elsewhere, alike for a sibling county and another province, changing nothing', async () => {
    const adminA1 = await signIn(t, 'admin', f.countyA1);
    const far = await makePerson(t, f.unionB, { name: '远方甲', phone: '13700000001' });
    const near = await makePerson(t, f.unionA2, { name: '邻县乙', phone: '13700000002' });
    const before = (await t.pool.query('SELECT name, phone, employer FROM persons WHERE id = $1', [far.id])).rows[0] as unknown;
    const job = await importFile(t, adminA1, f.unionA1.id, 'roster.csv', rosterCsv([
      { name: '新名甲', idNumber: far.idNumber, phone: '13900000001', employer: '新单位' },
      { name: '新名乙', idNumber: near.idNumber, phone: '13900000002', employer: '新单位' },
    ], false), true);
    expect(job.rowsRejected, JSON.stringify(job)).toBe(2);
    const [farReason, nearReason] = await rejectReasons(adminA1, job.id);
    expect(farReason).toBe(nearReason);
    expect(farReason).not.toContain(f.unionB.name);
    expect(farReason).not.toContain(f.unionA2.name);
    expect((await t.pool.query('SELECT name, phone, employer FROM persons WHERE id = $1', [far.id])).rows[0]).toEqual(before);
    const memberships = await t.pool.query('SELECT org_id FROM memberships WHERE person_id = $1', [far.id]);
    expect(memberships.rows.map((r: { org_id: string }) => Number(r.org_id))).toEqual([f.unionB.id]);
    expectProblem(await get(adminA1, `/api/persons/${far.id}`), 404);
  });

  it('lets a person who left a union of another province join by import; their old membership shows without its organization', async () => {
    const adminA1 = await signIn(t, 'admin', f.countyA1);
    const q = await makePerson(t, f.unionB, { name: '离会丙' });
    await leave(q.id);
    const job = await importFile(t, adminA1, f.unionA1.id, 'roster.csv', rosterCsv([{ name: '离会丙', idNumber: q.idNumber, joinedOn: '2024-01-01' }], false));
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    const person = json<{ memberships: Array<Record<string, unknown>> }>(await get(adminA1, `/api/persons/${q.id}`));
    expect(person.memberships.find((m) => m.status === 'active')).toMatchObject({ orgId: f.unionA1.id });
    expect(person.memberships.find((m) => m.status === 'left')).toMatchObject({ orgId: null, orgName: null, joinedOn: '2015-03-01', endedOn: '2020-01-01', cardNumber: null, note: null });
  });
});

describe('finding 2: accounts of people transferred away', () => {
  it('answers a personId transferred out of the caller\'s subtree as a nonexistent one, and ends their account\'s grants there', async () => {
    const adminA1 = await signIn(t, 'admin', f.countyA1);
    const p = await makePerson(t, f.unionA1);
    const withAccount = await makePerson(t, f.unionA1);
    const created = await post(adminA1, '/api/accounts', { username: unique('acct.').toLowerCase(), displayName: '会员', password: 'a-long-password', personId: withAccount.id, grant: { role: 'member', orgId: f.unionA1.id } });
    expect(created.statusCode, created.body).toBe(201);
    const accountId = json<{ id: number }>(created).id;
    for (const person of [p, withAccount]) {
      expect((await post(root, `/api/persons/${person.id}/transfer`, { toOrgId: f.unionB.id, date: '2025-01-01' })).statusCode).toBe(200);
    }
    const body = (personId: number) => ({ username: unique('acct.').toLowerCase(), displayName: '会员', password: 'a-long-password', personId, grant: { role: 'member', orgId: f.unionA1.id } });
    const transferred = await post(adminA1, '/api/accounts', body(p.id));
    expectProblem(transferred, 400, 'body.personId');
    expectSameAnswer(transferred, p.id, await post(adminA1, '/api/accounts', body(NOWHERE)), NOWHERE);
    // The account of the person who left: no member grant on A1 any more, homed in B, not in A1's list.
    const grants = await t.pool.query<{ org_id: string }>('SELECT org_id FROM role_grants WHERE account_id = $1', [accountId]);
    expect(grants.rows.map((g) => Number(g.org_id))).not.toContain(f.unionA1.id);
    const listRoot = json<{ items: Array<{ id: number; homeOrgId?: number }> }>(await get(root, '/api/accounts?pageSize=200'));
    expect(listRoot.items.find((a) => a.id === accountId)?.homeOrgId).toBe(f.unionB.id);
    const listA1 = json<{ items: Array<{ id: number }> }>(await get(adminA1, '/api/accounts?pageSize=200'));
    expect(listA1.items.map((a) => a.id)).not.toContain(accountId);
  });
});

describe('finding 3: grants to accounts of other subtrees', () => {
  it('answers an account homed elsewhere (or the root admin\'s own) as a nonexistent one, and lists only accounts homed within', async () => {
    const adminA1 = await signIn(t, 'admin', f.countyA1);
    const adminB = await signIn(t, 'admin', f.provinceB);
    const grant = (accountId: number) => post(adminA1, '/api/grants', { accountId, orgId: f.unionA1.id, role: 'training.organizer' });
    const none = await grant(NOWHERE);
    expectProblem(none, 404, 'body.accountId');
    expect(none.json<{ type: string }>().type).toBe('urn:workers-home:problem:not-found');
    for (const other of [adminB.accountId, root.accountId]) expectSameAnswer(await grant(other), other, none, NOWHERE);
    expect((await t.pool.query('SELECT 1 FROM role_grants WHERE account_id = ANY($1) AND org_id = $2', [[adminB.accountId, root.accountId], f.unionA1.id])).rowCount).toBe(0);
    const list = json<{ items: Array<{ id: number; homeOrgId: number; homeOrgName: string; status: string }> }>(await get(adminA1, '/api/accounts?pageSize=200'));
    expect(list.items.length).toBeGreaterThan(0);
    for (const a of list.items) {
      expect([f.countyA1.id, f.unionA1.id, f.unionA1b.id], JSON.stringify(a)).toContain(a.homeOrgId);
      expect(typeof a.homeOrgName).toBe('string');
      expect(['active', 'disabled']).toContain(a.status);
    }
    expect(list.items.map((a) => a.id)).not.toContain(adminB.accountId);
  });
});

describe('finding 4: the record of a former member', () => {
  it('shows the new union\'s membership without its organization, hides current-union fields and positions elsewhere', async () => {
    const adminA1 = await signIn(t, 'admin', f.countyA1);
    const p = await makePerson(t, f.unionA1, { phone: '13811112222' });
    await t.pool.query(`UPDATE persons SET employer = '甲单位', employment_form = '全日制' WHERE id = $1`, [p.id]);
    expect((await post(root, `/api/persons/${p.id}/transfer`, { toOrgId: f.unionB.id, date: '2025-01-01', note: '调动', cardNumber: 'B-001' })).statusCode).toBe(200);
    await t.pool.query(`INSERT INTO cadre_positions (province_id, person_id, org_id, title, since) SELECT province_id, id, $2, '委员', '2025-02-01' FROM persons WHERE id = $1`, [p.id, f.provinceB.id]);
    const r = await get(adminA1, `/api/persons/${p.id}`);
    expect(r.statusCode, r.body).toBe(200);
    const person = json<{ phone: unknown; employer: unknown; employmentForm: unknown; memberships: Array<Record<string, unknown>>; cadrePositions: Array<{ orgId: number }> }>(r);
    expect(person.memberships.find((m) => m.status === 'active')).toMatchObject({ orgId: null, orgName: null, cardNumber: null, note: null, joinedOn: '2025-01-01', endedOn: null });
    expect(person.memberships.find((m) => m.status === 'transferred_out')).toMatchObject({ orgId: f.unionA1.id, endedOn: '2025-01-01' });
    expect({ phone: person.phone, employer: person.employer, employmentForm: person.employmentForm }).toEqual({ phone: null, employer: null, employmentForm: null });
    expect(person.cadrePositions.map((c) => c.orgId)).not.toContain(f.provinceB.id);
    // The member list, its .xlsx and the full roster export do not carry the new union's contact fields either.
    const rows = json<{ items: Array<{ personId: number; status: string; phone: unknown; employer: unknown }> }>(await get(adminA1, '/api/members?status=all&pageSize=200'));
    expect(rows.items.find((m) => m.personId === p.id)).toMatchObject({ status: 'transferred_out', phone: null, employer: null });
    const roster = await get(adminA1, `/api/member-exports?orgId=${f.countyA1.id}&format=csv&status=all`);
    const line = roster.body.split(/\r?\n/).find((l) => l.includes(p.idNumber))!;
    expect(line).toBeDefined();
    expect(line).not.toContain('13811112222');
    expect(line).not.toContain('甲单位');
  });
});

describe('finding 5: ID numbers as oracles', () => {
  it('answers an ID number held in a sibling county and in another province alike, audits each, and limits them to 20 a day', async () => {
    const adminA1 = await signIn(t, 'admin', f.countyA1);
    const near = await makePerson(t, f.unionA2);
    const far = await makePerson(t, f.unionB);
    const create = (idNumber: string) => post(adminA1, '/api/persons', { name: '新人', gender: 'male', idNumber, membership: { orgId: f.unionA1.id, joinedOn: '2024-01-01' } });
    const a = await create(near.idNumber);
    const b = await create(far.idNumber);
    expectProblem(a, 409, 'body.idNumber');
    expectSameAnswer(a, near.idNumber, b, far.idNumber);
    const own = await makePerson(t, f.unionA1);
    const patch = (idNumber: string) => call(t, adminA1, { method: 'PATCH', url: `/api/persons/${own.id}`, payload: { idNumber } });
    const pa = await patch(near.idNumber);
    expectProblem(pa, 409, 'body.idNumber');
    expectSameAnswer(pa, near.idNumber, await patch(far.idNumber), far.idNumber);
    const audited = await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'id-number-held-elsewhere' AND actor_id = $1`, [adminA1.accountId]);
    expect(audited.rows[0]!.n).toBe(4);
    for (let i = 4; i < 20; i++) expectProblem(await create(i % 2 ? near.idNumber : far.idNumber), 409, 'body.idNumber');
    const limited = await create(far.idNumber);
    expect(limited.statusCode, limited.body).toBe(429);
    expect(limited.json<{ type: string }>().type).toBe('urn:workers-home:problem:rate-limited');
  });

  it('lets a person with no current membership join by their ID number (201, the same person)', async () => {
    const adminA1 = await signIn(t, 'admin', f.countyA1);
    const gone = await makePerson(t, f.unionB);
    await leave(gone.id);
    const r = await post(adminA1, '/api/persons', { name: '回来', gender: 'male', idNumber: gone.idNumber, membership: { orgId: f.unionA1.id, joinedOn: '2024-01-01' } });
    expect(r.statusCode, r.body).toBe(201);
    expect(json<{ id: number }>(r).id).toBe(gone.id);
  });

  it('answers a training enrolment by the ID number of someone out of reach as one by an unused number', async () => {
    const organizer = await signIn(t, 'organizer', f.countyA1);
    const cls = await insertClass(t, f.countyA1);
    const far = await makePerson(t, f.unionB);
    const unused = validIdNumber();
    const enrol = (idNumber: string) => post(organizer, `/api/training/classes/${cls.id}/enrolments`, { idNumber, mode: 'onsite' });
    expectSameAnswer(await enrol(far.idNumber), far.idNumber, await enrol(unused), unused);
  });
});

describe('finding 6: assessment and revocation of another subtree\'s trainee', () => {
  it('answers 404 as for a nonexistent enrolment or certificate, for an organizer who sees the class through its audience', async () => {
    const cls = await insertClass(t, f.provinceA, { audienceOrgIds: [f.countyA1.id, f.countyA2.id] });
    const countyOrganizer = await signIn(t, 'organizer', f.countyA1);
    const other = await makePerson(t, f.unionA2);
    const enrolment = await insertEnrolment(t, cls.id, other.id, f.unionA2);
    const cert = await t.pool.query<{ id: number }>(
      `INSERT INTO training_certificates (number, enrolment_id, province_id, person_name, class_title, org_name, starts_on, ends_on, hours, pdf)
       SELECT $1, id, province_id, '张三', '培训班', '省总', '2024-05-20', '2024-05-24', 32, '\\x255044462d' FROM training_enrolments WHERE id = $2 RETURNING id`, [`WH2024${String(enrolment).padStart(10, '0')}X`, enrolment]);
    const certificateId = cert.rows[0]!.id;
    const assess = (id: number) => call(t, countyOrganizer, { method: 'PUT', url: `/api/training/enrolments/${id}/assessment`, payload: { score: 80 } });
    const a = await assess(enrolment);
    expectProblem(a, 404);
    expectSameAnswer(a, enrolment, await assess(NOWHERE), NOWHERE);
    const revoke = (id: number) => post(countyOrganizer, `/api/training/certificates/${id}/revoke`, { reason: '误发' });
    const r = await revoke(certificateId);
    expectProblem(r, 404);
    expectSameAnswer(r, certificateId, await revoke(NOWHERE), NOWHERE);
  });
});

describe('finding 7: check-in at a class one is not enrolled in', () => {
  it('answers as for a nonexistent session', async () => {
    const trainee = await makeTrainee(t, f.unionA1);
    const cls = await insertClass(t, f.unionA1);
    const session = await insertSession(t, cls.id);
    const checkIn = (sessionId: number) => post(trainee.session, '/api/my/training/check-in', { sessionId, code: '000000' });
    expectSameAnswer(await checkIn(session), session, await checkIn(NOWHERE), NOWHERE);
  });
});

describe('finding 8: sign-in throttling', () => {
  const login = (username: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password } });
  async function account(): Promise<string> {
    const username = unique('signin.').toLowerCase();
    await t.pool.query(`INSERT INTO accounts (username, display_name, password_hash) VALUES ($1, $1, $2)`, [username, await hashPassword(TEST_PASSWORD)]);
    return username;
  }

  it('after 5 wrong passwords from one address, that address gets the unknown-user answer; another address still signs in', async () => {
    const username = await account();
    for (let i = 0; i < 5; i++) expect((await login(username, 'wrong-password', '10.8.0.1')).statusCode).toBe(401);
    const blocked = await login(username, TEST_PASSWORD, '10.8.0.1');
    const unknown = await login(unique('nobody.').toLowerCase(), 'wrong-password', '10.8.0.3');
    expect(normalized(blocked)).toBe(normalized(unknown));
    expect((await login(username, TEST_PASSWORD, '10.8.0.2')).statusCode).toBe(200);
  });

  it('lets 200 accounts sign in from one address in a burst', async () => {
    const usernames: string[] = [];
    const hash = await hashPassword(TEST_PASSWORD);
    for (let i = 0; i < 200; i++) {
      const username = unique('office.').toLowerCase();
      await t.pool.query(`INSERT INTO accounts (username, display_name, password_hash) VALUES ($1, $1, $2)`, [username, hash]);
      usernames.push(username);
    }
    const statuses: number[] = [];
    for (const username of usernames) statuses.push((await login(username, TEST_PASSWORD, '10.9.0.1')).statusCode);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  }, 120_000);

  it('answers 429 to an address after SIGN_IN.ADDRESS_LIMIT failed sign-ins in 15 minutes, alike for known and unknown usernames', async () => {
    const known = await account();
    for (let i = 0; i < SIGN_IN.ADDRESS_LIMIT; i++) await login(unique('nobody.').toLowerCase(), 'wrong-password', '10.10.0.1');
    const a = await login(known, 'wrong-password', '10.10.0.1');
    const b = await login(unique('nobody.').toLowerCase(), 'wrong-password', '10.10.0.1');
    expect(a.statusCode).toBe(429);
    expect(normalized(a)).toBe(normalized(b));
    expect((await login(known, TEST_PASSWORD, '10.10.0.2')).statusCode).toBe(200);
  });
});

describe('more from the review', () => {
  it('answers GET /api/orgs/% with a 400 problem', async () => {
    const r = await get(root, '/api/orgs/%');
    expect(r.statusCode, r.body).toBe(400);
    expect(String(r.headers['content-type'])).toMatch(/^application\/problem\+json/);
  });

  it('disables and enables an account of the admin\'s subtree; one homed outside is answered as nonexistent', async () => {
    const adminA1 = await signIn(t, 'admin', f.countyA1);
    const adminB = await signIn(t, 'admin', f.provinceB);
    const username = unique('staff.').toLowerCase();
    const created = await post(adminA1, '/api/accounts', { username, displayName: '职员', password: 'a-long-password', grant: { role: 'people.reader', orgId: f.unionA1.id } });
    expect(created.statusCode, created.body).toBe(201);
    const id = json<{ id: number }>(created).id;
    const signin = (password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.11.0.1', payload: { username, password } });
    const first = await signin('a-long-password');
    expect(first.statusCode).toBe(200);
    const cookie = `wh_session=${first.cookies.find((c) => c.name === 'wh_session')!.value}`;
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    const disabled = await post(adminA1, `/api/accounts/${id}/disable`);
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(json<{ status: string }>(disabled).status).toBe('disabled');
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    expect(normalized(await signin('a-long-password'))).toBe(normalized(await signin('wrong-password-x')));
    expect((await post(adminA1, `/api/accounts/${id}/enable`)).statusCode).toBe(200);
    expect((await signin('a-long-password')).statusCode).toBe(200);
    // An account homed in province B, as A1's admin: as a nonexistent one.
    const outside = await post(adminB, '/api/accounts', { username: unique('staffb.').toLowerCase(), displayName: 'B', password: 'a-long-password', grant: { role: 'people.reader', orgId: f.unionB.id } });
    const outsideId = json<{ id: number }>(outside).id;
    const d = await post(adminA1, `/api/accounts/${outsideId}/disable`);
    expectProblem(d, 404);
    expectSameAnswer(d, outsideId, await post(adminA1, `/api/accounts/${NOWHERE}/disable`), NOWHERE);
  });
});

describe('membership transfer requests (会员关系转接)', () => {
  it('are asked by the receiving union, approved or declined by the current one, and hidden from everyone else', async () => {
    const receiving = await signIn(t, 'admin', f.unionA1);
    const current = await signIn(t, 'admin', f.provinceB);
    const stranger = await signIn(t, 'admin', f.countyA2);
    const p = await makePerson(t, f.unionB, { name: '张三丰' });
    const asked = await post(receiving, '/api/transfer-requests', { idNumber: p.idNumber, toOrgId: f.unionA1.id, date: '2025-03-01', note: '工作调动' });
    expect(asked.statusCode, asked.body).toBe(201);
    const request = json<{ id: number; status: string; personName: string; idNumberMasked: string; toOrgId: number; toOrgName: string; date: string }>(asked);
    expect(request).toMatchObject({ status: 'pending', personName: '张**', idNumberMasked: maskNationalId(p.idNumber), toOrgId: f.unionA1.id, toOrgName: f.unionA1.name, date: '2025-03-01' });
    const incoming = json<{ items: Array<{ id: number }> }>(await get(current, '/api/transfer-requests?direction=incoming&status=pending'));
    const outgoing = json<{ items: Array<{ id: number }> }>(await get(receiving, '/api/transfer-requests?direction=outgoing&status=pending'));
    // Incoming to the union that must approve, outgoing from the one that asked (whichever the contract names them, each side lists it once).
    expect([...incoming.items, ...json<{ items: Array<{ id: number }> }>(await get(current, '/api/transfer-requests?direction=outgoing&status=pending')).items].map((r) => r.id)).toContain(request.id);
    expect([...outgoing.items, ...json<{ items: Array<{ id: number }> }>(await get(receiving, '/api/transfer-requests?direction=incoming&status=pending')).items].map((r) => r.id)).toContain(request.id);
    // A stranger: as nonexistent.
    expectSameAnswer(await post(stranger, `/api/transfer-requests/${request.id}/approve`, {}), request.id, await post(stranger, `/api/transfer-requests/${NOWHERE}/approve`, {}), NOWHERE);
    expectProblem(await post(stranger, `/api/transfer-requests/${request.id}/approve`, {}), 404);
    expect((await get(receiving, `/api/persons/${p.id}`)).statusCode).toBe(404);
    const approved = await post(current, `/api/transfer-requests/${request.id}/approve`, { reason: '同意' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(json<{ status: string }>(approved).status).toBe('approved');
    const memberships = await t.pool.query<{ org_id: string; status: string; ended_on: string | null }>('SELECT org_id, status, ended_on::text FROM memberships WHERE person_id = $1 ORDER BY id', [p.id]);
    expect(memberships.rows.map((m) => [Number(m.org_id), m.status])).toEqual([[f.unionB.id, 'transferred_out'], [f.unionA1.id, 'active']]);
    expect((await get(receiving, `/api/persons/${p.id}`)).statusCode).toBe(200);
    expectProblem(await post(current, `/api/transfer-requests/${request.id}/approve`, {}), 409);
  });

  it('are declined with a reason (nothing moves) and cancelled by the asking side', async () => {
    const receiving = await signIn(t, 'admin', f.unionA1);
    const current = await signIn(t, 'admin', f.provinceB);
    const p = await makePerson(t, f.unionB, { name: '李四' });
    const ask = async () => json<{ id: number }>(await post(receiving, '/api/transfer-requests', { idNumber: p.idNumber, toOrgId: f.unionA1.id, date: '2025-03-01' })).id;
    const first = await ask();
    expectProblem(await post(current, `/api/transfer-requests/${first}/decline`, {}), 400, 'body.reason');
    const declined = await post(current, `/api/transfer-requests/${first}/decline`, { reason: '手续不全' });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(json<{ status: string }>(declined).status).toBe('declined');
    const memberships = await t.pool.query<{ org_id: string; status: string }>('SELECT org_id, status FROM memberships WHERE person_id = $1', [p.id]);
    expect(memberships.rows.map((m) => [Number(m.org_id), m.status])).toEqual([[f.unionB.id, 'active']]);
    const second = await ask();
    const cancelled = await post(receiving, `/api/transfer-requests/${second}/cancel`, {});
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(json<{ status: string }>(cancelled).status).toBe('cancelled');
  });
});
