import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { call, createTestApp, expectProblem, makeFederation, signIn, TEST_PASSWORD, validIdNumber, type TestApp } from './helpers.ts';
import { SIGN_IN } from '../src/modules/auth/policy.ts';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('hardening', () => {
  it('refuses cookie-authenticated writes coming from another site, and non-JSON bodies', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    const payload = { shortName: '甲' };
    const url = `/api/orgs/${f.unionA1.id}`;
    expectProblem(await call(t, admin, { method: 'PATCH', url, payload, headers: { origin: 'https://evil.example' } }), 403, 'headers.origin');
    expectProblem(await call(t, admin, { method: 'PATCH', url, payload, headers: { 'sec-fetch-site': 'cross-site' } }), 403, 'headers.origin');
    expectProblem(await call(t, admin, { method: 'PATCH', url, payload, headers: { origin: 'null' } }), 403, 'headers.origin');
    expect((await call(t, admin, { method: 'PATCH', url, payload, headers: { origin: 'http://localhost:80', host: 'localhost:80', 'sec-fetch-site': 'same-origin' } })).statusCode).toBe(200);
    const form = await call(t, admin, { method: 'POST', url: '/api/auth/logout', headers: { 'content-type': 'text/plain' }, payload: 'x' });
    expect(form.statusCode).toBe(415);
    // Reads are not affected: a link from another site still opens a page.
    expect((await call(t, admin, { url, headers: { 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(200);
  });

  it('refuses a NUL character in any text on its field, and writes nothing', async () => {
    const f = await makeFederation(t.pool);
    const admin = await signIn(t, 'admin', f.countyA1);
    const url = `/api/orgs/${f.unionA1.id}`;
    const before = (await call(t, admin, { url })).json<{ shortName: string | null }>().shortName;
    expectProblem(await call(t, admin, { method: 'PATCH', url, payload: { shortName: '甲\u0000乙' } }), 400, 'body.shortName');
    expect((await call(t, admin, { url })).json<{ shortName: string | null }>().shortName).toBe(before);
    expectProblem(await call(t, admin, { url: `/api/members?orgId=${f.countyA1.id}&q=${encodeURIComponent('张\u0000')}` }), 400, 'query.q');
  });

  it('sends security headers with a Content-Security-Policy', async () => {
    const response = await t.app.inject({ url: '/api/health' });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('sends the same security headers on every kind of answer: JSON, a problem, a 404, a portal page', async () => {
    const HELMET = ['content-security-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster', 'strict-transport-security',
      'x-content-type-options', 'x-dns-prefetch-control', 'x-download-options', 'x-frame-options', 'x-permitted-cross-domain-policies', 'x-xss-protection'];
    const first = await t.app.inject({ url: '/api/health' });
    for (const url of ['/api/orgs/abc', '/api/no-such-route', '/news/']) {
      const response = await t.app.inject({ url });
      for (const name of HELMET) expect(response.headers[name], `${name} on ${url}`).toBe(first.headers[name]);
    }
    expect(first.headers['x-xss-protection']).toBe('0');
    expect(first.headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  it('throttles failed sign-ins per address with a clear 429', async () => {
    let last = 0;
    for (let i = 0; i <= SIGN_IN.ADDRESS_LIMIT; i++) {
      const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '203.0.113.9', payload: { username: `nobody${i}`, password: 'whatever' } });
      last = response.statusCode;
      if (i === SIGN_IN.ADDRESS_LIMIT) expect(response.json()).toMatchObject({ type: 'urn:workers-home:problem:rate-limited', status: 429 });
    }
    expect(last).toBe(429);
    const other = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '203.0.113.10', payload: { username: 'nobody', password: 'whatever' } });
    expect(other.statusCode).toBe(401);
  });

  it('never writes a national ID number to the logs', async () => {
    let logs = '';
    const sink = new Writable({ write(chunk: Buffer, _encoding, done) { logs += chunk.toString(); done(); } });
    const app = await buildApp({ pool: t.pool, secrets: t.secrets, sessionIdleMinutes: 60, sessionMaxHours: 12, logger: { level: 'trace', stream: sink } });
    try {
      const f = await makeFederation(t.pool);
      const admin = await signIn(t, 'admin', f.countyA1);
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: admin.username, password: TEST_PASSWORD } });
      const cookie = `wh_session=${login.cookies.find((c) => c.name === 'wh_session')!.value}`;
      const idNumber = validIdNumber('1991-04-05', 'female');
      const created = await app.inject({ method: 'POST', url: '/api/persons', headers: { cookie }, payload: { name: '周日志', gender: 'female', idNumber, membership: { orgId: f.unionA1.id, joinedOn: '2015-01-01' } } });
      expect(created.statusCode).toBe(201);
      const personId = created.json<{ id: number }>().id;
      await app.inject({ url: `/api/members?q=${idNumber}`, headers: { cookie } });
      await app.inject({ method: 'POST', url: `/api/persons/${personId}/reveal-id-number`, headers: { cookie } });
      await app.inject({ method: 'POST', url: '/api/persons', headers: { cookie }, payload: { name: '周日志', gender: 'female', idNumber, membership: { orgId: f.unionA1.id, joinedOn: '2015-01-01' } } });
      await app.inject({ method: 'POST', url: '/api/persons', headers: { cookie }, payload: { name: 'x', gender: 'female', idNumber: idNumber.slice(0, 17) + 'Z', membership: { orgId: f.unionA1.id, joinedOn: '2015-01-01' } } });
      expect(logs.length).toBeGreaterThan(1000); // the requests were logged...
      expect(logs).toContain('/api/members?q=');
      expect(logs).not.toContain(idNumber); // ...without the number
      expect(logs).not.toContain(idNumber.slice(0, 17));
    } finally {
      await app.close();
    }
  });
});
