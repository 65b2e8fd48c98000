import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import type { FastifyInstance } from 'fastify';

let t: TestApp;
let app: FastifyInstance;
let root: string;
beforeAll(async () => {
  t = await createTestApp();
  // A stand-in for web/dist: the console, the member app, a hashed asset.
  root = await mkdtemp(path.join(tmpdir(), 'wh-web-'));
  await mkdir(path.join(root, 'app'), { recursive: true });
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(path.join(root, 'app/index.html'), '<!doctype html><title>member app</title>');
  await writeFile(path.join(root, 'app/sw.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(path.join(root, 'assets/main-abc123.js'), 'console.log("hi")');
  app = await buildApp({ pool: t.pool, secrets: t.secrets, sessionIdleMinutes: 60, sessionMaxHours: 12, webRoot: root });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await t.close();
  await rm(root, { recursive: true, force: true });
});

describe('serving the built web app', () => {
  it('serves the console at / and for any page of it, never cached', async () => {
    for (const url of ['/', '/orgs/12', '/members?q=x']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain('<title>console</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it('serves the member app at /app and its pages, and its service worker', async () => {
    for (const url of ['/app/', '/app/history']) expect((await app.inject({ url })).body, url).toContain('<title>member app</title>');
    const bare = await app.inject({ url: '/app?lang=en' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/app/?lang=en');
    const worker = await app.inject({ url: '/app/sw.js' });
    expect(worker.headers['content-type']).toMatch(/javascript/);
    expect(worker.headers['cache-control']).toBe('no-cache');
  });

  it('caches hashed assets for good, and answers a missing one with 404', async () => {
    const asset = await app.inject({ url: '/assets/main-abc123.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/assets/gone-000.js' })).statusCode).toBe(404);
  });

  it('keeps unknown API paths a 404 problem, not a page', async () => {
    for (const url of ['/api/nope', '/api', '/api/orgs/1/nope']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await app.inject({ method: 'POST', url: '/api/nope' })).statusCode).toBe(404);
  });

  it('never serves files outside the web root', async () => {
    for (const url of ['/../package.json', '/%2e%2e/package.json', '/app/..%2f..%2fpackage.json']) {
      const response = await app.inject({ url });
      expect(response.body, url).not.toContain('"workspaces"');
    }
  });

  it('declares every web route public', () => {
    // The news portal's server-rendered pages (/news/…, /robots.txt) are public too, and registered before the app's catch-all.
    const pages = app.routeTable.filter((r) => !r.url.startsWith('/api'));
    const webRoutes = pages.filter((r) => !r.url.startsWith('/news') && r.url !== '/robots.txt');
    expect(webRoutes.map((r) => `${r.method} ${r.url}`).sort()).toEqual(['GET /', 'GET /*', 'HEAD /', 'HEAD /*']);
    expect(pages.every((r) => r.access === 'public')).toBe(true);
  });
});
