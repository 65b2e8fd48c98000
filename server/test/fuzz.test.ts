import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, makeFederation, makePerson, signIn, type Session, type TestApp } from './helpers.ts';

/**
 * For every route, 200 inputs generated from its own schema (the OpenAPI document the app
 * serves): its body fields and query parameters filled with hostile values (wrong types,
 * huge and odd unicode strings, deep nesting, SQL and script fragments, boundary numbers
 * and dates), mixed with valid ones so some get past the first check. Sent by an admin of
 * the whole tree, so access checks do not stop them early. Nothing may answer 5xx, every
 * error must be problem+json, and a refused write must leave the tables as they were.
 */
let t: TestApp;
let admin: Session;
let ids: number[];
let spec: { paths: Record<string, Record<string, Operation>> };
interface Operation {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
}
interface JsonSchema {
  properties?: Record<string, JsonSchema>;
}

beforeAll(async () => {
  t = await createTestApp();
  const f = await makeFederation(t.pool);
  const person = await makePerson(t, f.unionA1);
  admin = await signIn(t, 'admin', f.root);
  ids = [f.root.id, f.countyA1.id, f.unionA1.id, person.id];
  spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
});
afterAll(async () => { await t.close(); });

const hostile = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', ' ', '\u0000', '\uFEFF', '\u202E', '𠮷'.repeat(300), 'x'.repeat(100_000), "'; DROP TABLE persons; --", "' OR '1'='1", '<script>alert(1)</script>',
    '%', '_', '\\', '../../etc/passwd', '1e309', 'NaN', '-0', '0x10', '11010519491231002X', '11010519491231002', '2024-02-30', '9999-12-31', '0000-00-00', 'null', 'true', '[]', '{}'),
  fc.integer(), fc.double(), fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_VALUE), fc.boolean(), fc.constant(null),
  fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 3 }),
  fc.constant(JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)) as unknown),
);
const plausible = (name: string) => fc.constantFrom<unknown>(...({
  parentId: ids, orgId: ids, toOrgId: ids, personId: ids, accountId: ids, name: ['中牟县新工会', '张三'], level: ['county', 'grassroots'], kind: ['federation', 'enterprise_union'],
  gender: ['male', 'female'], idNumber: ['11010519491231002X'], date: ['2025-01-01'], joinedOn: ['2025-01-01'], since: ['2025-01-01'], until: ['2025-01-01'],
  role: ['organizer'], username: ['someone.new'], password: ['a-long-password'], title: ['主席'],
} as Record<string, unknown[]>)[name] ?? ['x']);

const counts = async () => (await t.pool.query<{ c: string }>(
  `SELECT concat_ws('/', (SELECT count(*) FROM orgs), (SELECT count(*) FROM persons), (SELECT count(*) FROM memberships),
     (SELECT count(*) FROM cadre_positions), (SELECT count(*) FROM accounts), (SELECT count(*) FROM role_grants)) AS c`,
)).rows[0]!.c;

describe('fuzzing every route from its schema', () => {
  it('never answers 5xx, always problem+json, and a refused write writes nothing', async () => {
    const routes = t.app.routeTable.filter((r) => r.url.startsWith('/api') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD' && r.url !== '/api/auth/logout');
    let sent = 0;
    for (const route of routes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = spec.paths[path]?.[route.method.toLowerCase()] ?? {};
      const bodyFields = Object.keys(operation.requestBody?.content['application/json'].schema.properties ?? {});
      const queryFields = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const value = (field: string) => fc.oneof({ weight: 3, arbitrary: hostile }, { weight: 1, arbitrary: plausible(field) });
      const body = fc.oneof(
        { weight: 4, arbitrary: fc.record(Object.fromEntries([...bodyFields, 'unexpected'].map((k) => [k, value(k)])), { requiredKeys: [] }) },
        { weight: 1, arbitrary: hostile },
      );
      const query = fc.record(Object.fromEntries(queryFields.map((k) => [k, fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('-1', '0', '1e9', '99999999999999999999', 'true', '%00', ...ids.map(String)))])), { requiredKeys: [] });
      const id = fc.oneof(fc.constantFrom(...ids.map(String)), fc.string({ maxLength: 30 }), fc.constantFrom('0', '-1', '1.5', '99999999999999999999', '%2e%2e'));
      await fc.assert(fc.asyncProperty(body, query, id, async (payload, params, idValue) => {
        sent++;
        const url = route.url.replace(/:(\w+)/g, encodeURIComponent(idValue) || '0') + '?' + new URLSearchParams(params as Record<string, string>).toString();
        const isWrite = route.method !== 'GET' && route.method !== 'DELETE';
        const before = isWrite ? await counts() : '';
        const response = await call(t, admin, { method: route.method, url, ...(isWrite ? { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } } : {}) });
        expect(response.statusCode, `${route.method} ${url} ${JSON.stringify(payload)?.slice(0, 300)}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
        if (response.statusCode >= 400) expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        if (isWrite && response.statusCode >= 400) expect(await counts()).toBe(before);
      }), { numRuns: 200 });
    }
    expect(sent).toBeGreaterThanOrEqual(200 * routes.length);
  }, 300_000);
});
