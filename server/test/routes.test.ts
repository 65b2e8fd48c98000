import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import access from '../src/plugins/access.ts';
import { createTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

/** Fills path parameters with an id that exists nowhere. */
const concrete = (url: string) => url.replace(/:(\w+)/g, '999999');

describe('every route declares who may call it', () => {
  it('refuses to start with a route that declares no access policy', async () => {
    const app = Fastify();
    await app.register(access, { pool: t.pool, sessionIdleMinutes: 5 });
    expect(() => app.get('/api/forgotten', () => 'oops')).toThrow(/declares no access policy/);
    await app.close();
  });

  it('lists every API route with a policy, and only health, login, the OpenAPI document, the docs, a trainee\'s calendar feed (its unguessable address is the key) and certificate verification are public', () => {
    const api = t.app.routeTable.filter((r) => r.url.startsWith('/api'));
    expect(api.length).toBeGreaterThan(25);
    const publicRoutes = api.filter((r) => r.access === 'public' && !r.url.startsWith('/api/docs')).map((r) => `${r.method} ${r.url}`).sort();
    expect(publicRoutes).toEqual([
      'GET /api/health', 'GET /api/openapi.json', 'GET /api/training/feeds/:token.ics', 'GET /api/verify/:number',
      'HEAD /api/health', 'HEAD /api/openapi.json', 'HEAD /api/training/feeds/:token.ics', 'HEAD /api/verify/:number', 'POST /api/auth/login',
    ]);
  });

  it('answers 401 problem+json to an anonymous caller on every non-public route', async () => {
    const guarded = t.app.routeTable.filter((r) => r.access !== 'public' && r.method !== 'HEAD');
    for (const route of guarded) {
      const response = await t.app.inject({ method: route.method as 'GET', url: concrete(route.url), ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }) });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ type: 'urn:workers-home:problem:unauthenticated', status: 401 });
    }
  });

  it('serves the OpenAPI document with every route in it, and the interactive docs', async () => {
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/orgs/{id}/move', '/api/members', '/api/audit', '/api/auth/login']));
    // Who may call a route comes from the same module roles the server checks.
    const described = spec.paths as Record<string, Record<string, { description?: string }>>;
    expect(described['/api/training/classes']!.post!.description).toContain('Roles: training.organizer');
    expect(described['/api/members']!.get!.description).toContain('Roles: people.admin, people.reader');
    expect(described['/api/auth/login']!.post!.description).toContain('Anyone');
    const docs = await t.app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('reports the database status on /api/health', async () => {
    const response = await t.app.inject({ url: '/api/health' });
    expect(response.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('answers unknown paths, malformed JSON and oversized bodies with problem+json, never 500', async () => {
    const missing = await t.app.inject({ url: '/api/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
    const malformed = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username": "a",' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ errors: [{ field: 'body' }] });
    const huge = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'a', password: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(huge.statusCode).toBe(413);
    const wrongType = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/xml' }, payload: '<login/>' });
    expect(wrongType.statusCode).toBe(415);
  });
});
