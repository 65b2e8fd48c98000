import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleSummary, Workbench } from '@workers-home/contract';
import { seedDemo } from '../src/demo/seed.ts';
import { DEMO_PASSWORD } from '../src/demo/federation.ts';
import { LocalFileStore } from '../src/files/file-store.ts';
import { call, createTestApp, json, type Session, type TestApp } from './helpers.ts';

/** The demo's newsrooms: their articles in every state, photos, and the report waiting. */
let t: TestApp;
let folder: string;

async function login(username: string, n: number): Promise<Session> {
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `127.8.0.${n}`, payload: { username, password: DEMO_PASSWORD } });
  expect(response.statusCode, response.body).toBe(200);
  return { accountId: 0, username, cookie: `wh_session=${response.cookies.find((c) => c.name === 'wh_session')!.value}` };
}

beforeAll(async () => {
  t = await createTestApp();
  folder = await mkdtemp(path.join(tmpdir(), 'wh-news-demo-'));
  await seedDemo(t.pool, t.secrets, new LocalFileStore(folder));
});
afterAll(async () => { await t.close(); await rm(folder, { recursive: true, force: true }); });

describe('demo news', () => {
  it('has a newsroom for 全总, 内蒙古, 上海 and 中牟, with articles in every state', async () => {
    const rooms = await t.pool.query<{ slug: string; name: string }>('SELECT n.slug, o.name FROM news_newsrooms n JOIN orgs o ON o.id = n.org_id ORDER BY o.id');
    expect(rooms.rows.map((r) => r.name)).toEqual(['中华全国总工会', '内蒙古自治区总工会', '上海市总工会', '中牟县总工会']);
    const states = await t.pool.query<{ status: string }>('SELECT DISTINCT status FROM news_articles ORDER BY status');
    expect(states.rows.map((r) => r.status)).toEqual(['draft', 'published', 'returned', 'submitted', 'withdrawn']);
  });

  it('shows Zhongmou\'s published articles with their photos on its portal page', async () => {
    const home = await t.app.inject({ url: '/news/zhongmou/' });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('中牟县总工会召开专题学习会');
    expect(home.body).not.toContain('临时调整开放时间');
    const link = /href="(\/news\/zhongmou\/articles\/\d+)"/.exec(home.body)![1]!;
    const article = await t.app.inject({ url: link });
    expect(article.body).toMatch(/<figure><img [^>]*srcset="[^"]+ 480w, [^"]+ 960w/);
    expect(article.body).toContain('演示图片（程序绘制）');
  });

  it('gives the Zhongmou chief editor the newsroom, and Inner Mongolia\'s report waits on the home page', async () => {
    const chief = await login('zhongmou.chief', 1);
    const list = json<{ items: ArticleSummary[] }>(await call(t, chief, { url: '/api/news/articles' }));
    expect(new Set(list.items.map((a) => a.orgName))).toEqual(new Set(['中牟县总工会']));
    const waiting = await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM news_reports WHERE status = 'open' AND created_at < now() - interval '24 hours'`);
    expect(waiting.rows[0]!.n).toBe(1);
    const cards = json<Workbench>(await call(t, chief, { url: '/api/workbench' })).cards;
    expect(cards.find((c) => c.id === 'news.reportsUnanswered')!.count).toBe(0);
  });
});
