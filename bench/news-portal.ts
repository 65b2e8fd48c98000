import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import { buildApp } from '../server/src/app.ts';
import { createPool } from '../server/src/db/pool.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { startEmbeddedPostgres } from '../server/src/db/embedded.ts';
import { LocalFileStore } from '../server/src/files/file-store.ts';
import { BENCH_DIR, benchSecrets } from './database.ts';

/**
 * The news portal's speed (issue 18): an article page and a newsroom's RSS feed, served by the
 * real app (published pages come from the portal cache), against @fastify/static serving a
 * file of the same size, in the same run, each with autocannon at 100 connections (in a worker
 * thread of its own). Both servers run on this process's main thread, in turn, on the same cores.
 *
 * `node --import tsx bench/news-portal.ts [--seconds 10] [--out bench/results/news-portal.md]`
 */
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, out: { type: 'string', default: path.join(BENCH_DIR, 'results', 'news-portal.md') }, port: { type: 'string', default: '5497' } } });
const seconds = Number(values.seconds);

const PARAGRAPH = '县总工会组织劳模宣讲团和志愿服务队走进企业，在职工服务大厅设置展板、悬挂横幅、发放资料并开展现场咨询，帮助职工了解“惠工保”住院医疗互助的参保办法。';

async function main() {
  const dataDir = path.join(BENCH_DIR, '.data', 'news-portal');
  const db = await startEmbeddedPostgres(dataDir, Number(values.port), (line) => process.stderr.write(`[bench-pg] ${line}\n`), { stopAttached: true });
  const pool = createPool(db.url, 20);
  const files = await mkdtemp(path.join(os.tmpdir(), 'wh-news-bench-'));
  try {
    await migrate(pool);
    // A newsroom with 40 published articles of about 8 KB of text each (made once per data folder).
    let org = (await pool.query<{ org_id: number }>(`SELECT org_id FROM news_newsrooms WHERE slug = 'bench'`)).rows[0]?.org_id;
    if (org === undefined) {
      org = (await pool.query<{ id: number }>(`INSERT INTO orgs (name, level, kind, region_code) VALUES ('压测总工会', 'national', 'federation', '110000') RETURNING id`)).rows[0]!.id;
      await pool.query(`INSERT INTO news_newsrooms (org_id, slug) VALUES ($1, 'bench')`, [org]);
      const body = Array.from({ length: 30 }, () => `<p>${PARAGRAPH}</p>`).join('');
      for (let i = 0; i < 40; i++) {
        await pool.query(
          `INSERT INTO news_articles (org_id, status, title, intro_title, reporters, photographers, editor_in_charge, channel, summary, body_html, plain_text, published_at)
           VALUES ($1, 'published', $2, '学习宣传', '{张磊}', '{李娜}', '王敏', 'campaigns', $3, $4, $5, now() - make_interval(hours => $6))`,
          [org, `压测稿件第 ${i + 1} 篇`, PARAGRAPH, body, body.replace(/<[^>]+>/g, ''), i]);
      }
    }
    const article = (await pool.query<{ id: number }>(`SELECT id FROM news_articles WHERE org_id = $1 ORDER BY published_at DESC LIMIT 1 OFFSET 5`, [org])).rows[0]!.id;

    const app = await buildApp({ pool, secrets: benchSecrets, sessionIdleMinutes: 60, sessionMaxHours: 12, files: new LocalFileStore(files) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const appUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const pages = { article: `/news/bench/articles/${article}`, feed: '/news/bench/feed.rss' };

    // The same bytes as files, served by @fastify/static.
    const staticRoot = path.join(files, 'static');
    await mkdir(staticRoot);
    const sizes: Record<string, number> = {};
    for (const [name, url] of Object.entries(pages)) {
      const body = Buffer.from(await (await fetch(appUrl + url)).arrayBuffer());
      sizes[name] = body.length;
      await writeFile(path.join(staticRoot, `${name}.html`), body);
    }
    const plain = Fastify();
    await plain.register(fastifyStatic, { root: staticRoot });
    await plain.listen({ port: 0, host: '127.0.0.1' });
    const staticUrl = `http://127.0.0.1:${(plain.server.address() as { port: number }).port}`;

    const run = async (url: string) => {
      await autocannon({ url, connections: 100, duration: 5, workers: 1 });
      const r = await autocannon({ url, connections: 100, duration: seconds, workers: 1 });
      return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
    };
    const rows: string[] = [];
    for (const name of Object.keys(pages) as Array<keyof typeof pages>) {
      const portal = await run(appUrl + pages[name]);
      const baseline = await run(`${staticUrl}/${name}.html`);
      const ratio = portal.rps / baseline.rps;
      rows.push(`| ${name === 'article' ? 'article page' : 'RSS feed'} | ${(sizes[name]! / 1024).toFixed(1)} KB | ${Math.round(portal.rps).toLocaleString('en')} | ${portal.p99} ms | ${Math.round(baseline.rps).toLocaleString('en')} | ${baseline.p99} ms | **${(ratio * 100).toFixed(0)} %** | ${portal.errors} |`);
      process.stderr.write(`${name}: portal ${Math.round(portal.rps)} req/s p99 ${portal.p99} ms; static ${Math.round(baseline.rps)} req/s p99 ${baseline.p99} ms\n`);
    }
    await app.close();
    await plain.close();

    const cpus = os.cpus();
    const load = os.loadavg().map((n) => n.toFixed(1)).join(', ');
    const report = `# News portal vs @fastify/static (issue 18)

Command: \`node --import tsx bench/news-portal.ts --seconds ${seconds}\` — ${new Date().toISOString().slice(0, 16)} UTC.
Machine: ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, embedded PostgreSQL; load average
at the end ${load} (other work shared the cores: compare the ratio, not the absolute rates); the
servers run in turn on this process's main thread, autocannon (100 connections, ${seconds} s after 5 s of warm-up) in a worker thread.

| what | size | portal req/s | portal p99 | static req/s | static p99 | portal / static | errors |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

The portal answers published pages from its cache (rendered once, cleared on publish and withdraw),
with an ETag; @fastify/static serves the same bytes from a file. Target: ≥ 50 % of static, p99 ≤ 20 ms.
`;
    await mkdir(path.dirname(values.out), { recursive: true });
    await writeFile(values.out, report);
    process.stdout.write(report);
  } finally {
    await pool.end();
    await db.stop();
    await rm(files, { recursive: true, force: true });
  }
}

await main();
