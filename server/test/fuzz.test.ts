import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, makeFederation, makePerson, signIn, type Session, type TestApp } from './helpers.ts';

/**
 * Random bodies and query strings, as an admin of the whole tree (so access checks do not
 * stop them early): nothing answers 5xx, every error is problem+json, and a rejected
 * write leaves the row counts as they were.
 */
let t: TestApp;
let admin: Session;
let personId: number;
beforeAll(async () => {
  t = await createTestApp();
  const f = await makeFederation(t.pool);
  personId = (await makePerson(t, f.unionA1)).id;
  admin = await signIn(t, 'admin', f.root);
});
afterAll(async () => { await t.close(); });

const nasty = fc.oneof(
  fc.string(), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.constantFrom('', ' ', '\u0000', '𠮷'.repeat(60), "'; DROP TABLE persons; --", '<script>alert(1)</script>', '%', '\\', '../../etc/passwd', '1e309', '11010519491231002X'),
  fc.integer(), fc.double(), fc.constantFrom(-1, 0, 2 ** 53, Number.MAX_SAFE_INTEGER + 2), fc.boolean(), fc.constant(null),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, nasty, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 5 })),
})).value;
const fieldNames = ['name', 'parentId', 'level', 'kind', 'idNumber', 'gender', 'phone', 'membership', 'orgId', 'toOrgId', 'date', 'joinedOn', 'until', 'username', 'password', 'role', 'accountId', 'page', 'pageSize', 'q', 'status', 'sort'];
const bodyLike = fc.oneof(jsonValue, fc.dictionary(fc.constantFrom(...fieldNames), jsonValue, { maxKeys: 6 }));

const counts = async () => (await t.pool.query<{ c: string }>(`SELECT (SELECT count(*) FROM orgs) || '/' || (SELECT count(*) FROM persons) || '/' || (SELECT count(*) FROM memberships) || '/' || (SELECT count(*) FROM role_grants) AS c`)).rows[0]!.c;

describe('fuzzing every route', () => {
  it('never answers 5xx, and answers errors as problem+json', async () => {
    const routes = t.app.routeTable.filter((r) => r.url.startsWith('/api') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD' && r.url !== '/api/auth/logout');
    for (const route of routes) {
      await fc.assert(fc.asyncProperty(bodyLike, fc.dictionary(fc.constantFrom(...fieldNames), fc.string({ maxLength: 40 }), { maxKeys: 4 }), fc.oneof(fc.constant(String(personId)), fc.string({ maxLength: 30 })), async (body, query, id) => {
        const url = route.url.replace(/:(\w+)/g, encodeURIComponent(id) || '0') + '?' + new URLSearchParams(query).toString();
        const isWrite = route.method !== 'GET' && route.method !== 'DELETE';
        const before = isWrite ? await counts() : '';
        const response = await call(t, admin, { method: route.method, url, ...(isWrite ? { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
        expect(response.statusCode, `${route.method} ${url} ${JSON.stringify(body)}: ${response.body}`).toBeLessThan(500);
        if (response.statusCode >= 400) expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        if (isWrite && response.statusCode >= 400) expect(await counts()).toBe(before);
      }), { numRuns: 40 });
    }
  });
});
