import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorText, isErrorCode } from '@workers-home/contract';
import { call, createTestApp, makeFederation, makePerson, signIn, type Session, type TestApp } from './helpers.ts';

/**
 * Every error answer carries a stable code of the catalogue (contract/src/messages), and so
 * does each of its field errors, whose English message is the code's text. Walks every
 * route with bad inputs of several kinds (nothing, wrong types, too long, unknown fields,
 * bad ids and query parameters), signed in as an admin of the whole tree and signed out.
 */
let t: TestApp;
let admin: Session;
let spec: { paths: Record<string, Record<string, Operation>> };
interface Operation {
  parameters?: Array<{ in: string; name: string }>;
  responses?: Record<string, { content: { 'application/json': { schema: ProblemSchemaDoc } } }>;
  requestBody?: { content: { 'application/json'?: { schema: { properties?: Record<string, { type?: string }> } } } };
}
interface ProblemSchemaDoc {
  required: string[];
  properties: { code: { description?: string }; errors: { items: { properties: Record<string, unknown> } } };
}
interface Answer {
  code?: unknown;
  errors?: Array<{ field: string; code?: unknown; params?: Record<string, string | number>; message: string }>;
  rows?: Array<{ code?: unknown }>;
}

beforeAll(async () => {
  t = await createTestApp();
  const f = await makeFederation(t.pool);
  await makePerson(t, f.unionA1);
  admin = await signIn(t, 'admin', f.root);
  spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
});
afterAll(async () => { await t.close(); });

/** Bad bodies for a route's fields: each kind of mistake a client makes. */
function badBodies(fields: Record<string, { type?: string }>): unknown[] {
  const names = Object.keys(fields);
  const wrongType = (type?: string) => (type === 'string' ? 12345 : type === 'array' ? 'x' : 'not-a-number');
  return [
    {},
    Object.fromEntries(names.map((n) => [n, wrongType(fields[n]!.type)])),
    Object.fromEntries(names.map((n) => [n, 'x'.repeat(3000)])),
    Object.fromEntries(names.map((n) => [n, ''])),
    Object.fromEntries(names.map((n) => [n, null])),
    { ...Object.fromEntries(names.map((n) => [n, '2024-02-30'])), unexpected: 1 },
    Object.fromEntries(names.map((n) => [n, '11010519491231002'])),
    Object.fromEntries(names.map((n) => [n, -1])),
    'not an object',
  ];
}

describe('error codes on every route', () => {
  it('answers every error with a known code, and every field error with a known code and its text', async () => {
    const routes = t.app.routeTable.filter((r) => r.url.startsWith('/api') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD' && r.url !== '/api/auth/logout');
    const problems: string[] = [];
    const codesSeen = new Set<string>();
    let errorsChecked = 0;
    for (const route of routes) {
      const operation = spec.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()] ?? {};
      const fields = operation.requestBody?.content['application/json']?.schema.properties ?? {};
      const queryFields = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const isWrite = route.method !== 'GET' && route.method !== 'DELETE';
      const urls = [
        route.url.replace(/:(\w+)/g, '1'),
        route.url.replace(/:(\w+)/g, 'abc'),
        route.url.replace(/:(\w+)/g, '999999'),
        route.url.replace(/:(\w+)/g, '1') + '?' + new URLSearchParams([...queryFields.map((q) => [q, 'abc']), ['unknown', '1']]).toString(),
      ];
      const requests = urls.flatMap((url) => (isWrite ? badBodies(fields).map((payload) => ({ url, payload })) : [{ url, payload: undefined }]));
      for (const { url, payload } of requests) {
        for (const session of [admin, null]) {
          if (!session && url !== urls[0]) continue;
          const response = await call(t, session, {
            method: route.method, url,
            ...(payload !== undefined ? { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } } : {}),
          });
          if (response.statusCode < 400) continue;
          const where = `${route.method} ${url} ${JSON.stringify(payload)?.slice(0, 120)} → ${response.statusCode}`;
          if (!/^application\/problem\+json/.test(String(response.headers['content-type']))) { problems.push(`${where}: not problem+json`); continue; }
          const answer = response.json<Answer>();
          errorsChecked++;
          if (!isErrorCode(answer.code)) problems.push(`${where}: problem code ${String(answer.code)}`);
          else codesSeen.add(answer.code);
          for (const e of answer.errors ?? []) {
            if (!isErrorCode(e.code)) { problems.push(`${where}: ${e.field} has code ${String(e.code)} (${e.message})`); continue; }
            codesSeen.add(e.code);
            if (e.message !== errorText(e.code, e.params)) problems.push(`${where}: ${e.field} says "${e.message}", its code ${e.code} "${errorText(e.code, e.params)}"`);
          }
          for (const row of answer.rows ?? []) if (!isErrorCode(row.code)) problems.push(`${where}: a row has code ${String(row.code)}`);
        }
      }
    }
    expect([...new Set(problems)].slice(0, 30)).toEqual([]);
    expect(errorsChecked).toBeGreaterThan(routes.length * 3);
    // The walk reaches the kinds of code, not one catch-all.
    for (const code of ['auth.unauthenticated', 'validation.required', 'validation.type', 'validation.max_length', 'validation.unknown_field', 'request.not_found']) {
      expect(codesSeen).toContain(code);
    }
  }, 300_000);

  it('documents the code in the OpenAPI problem schema', () => {
    const problem = spec.paths['/api/orgs']!.post!.responses!['400']!.content['application/json'].schema;
    expect(problem.required).toContain('code');
    expect(problem.properties.code.description).toMatch(/Stable error code/);
    expect(Object.keys(problem.properties.errors.items.properties)).toEqual(['field', 'code', 'params', 'message']);
  });

  it('answers framework errors with codes too', async () => {
    const cases = [
      await call(t, admin, { method: 'GET', url: '/api/no-such-route' }),
      await call(t, admin, { method: 'GET', url: '/api/orgs/%' }),
      await call(t, admin, { method: 'POST', url: '/api/orgs', payload: '{"name":', headers: { 'content-type': 'application/json' } }),
      await call(t, admin, { method: 'POST', url: '/api/orgs', payload: 'name=x', headers: { 'content-type': 'text/plain' } }),
      await call(t, admin, { method: 'POST', url: '/api/orgs', payload: { name: 'a\u0000b' } }),
    ];
    expect(cases.map((r) => [r.statusCode, r.json<Answer>().code])).toEqual([
      [404, 'request.route_not_found'], [400, 'request.bad_url'], [400, 'validation.json'], [415, 'request.unsupported_media_type'], [400, 'validation.nul_character'],
    ]);
  });
});
