import { ROLE_PRESETS } from '@workers-home/contract';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { BENCH_DIR, openBenchDatabase } from './database.ts';

/**
 * What would the member list page reach if its rows came from one index range? The real page
 * against the same page served from `bench_wide` (the list's columns copied onto each
 * membership, under one covering index; made here and dropped afterwards), and the parts of a
 * page, each as a share of `SELECT 1` measured in the same run (100 connections, 10 s, median
 * of 3 rounds taken in turn). On the province data set:
 *
 *   node --import tsx bench/list-ceiling.ts
 */
const rounds = Number(process.env.ROUNDS ?? 3);
const db = await openBenchDatabase('province', 54401);
const children: ChildProcess[] = [];
const start = async (args: string[]) => {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); }));
};
try {
  const t = performance.now();
  await db.pool.query('DROP TABLE IF EXISTS bench_wide');
  await db.pool.query(`CREATE TABLE bench_wide AS
    SELECT m.id AS membership_id, m.org_path, m.status, p.id AS person_id, p.name, p.gender, p.birth_date, p.id_number_masked,
      p.phone, p.employer, o.id AS org_id, o.name AS org_name, m.joined_on
    FROM memberships m JOIN persons p ON p.province_id = m.province_id AND p.id = m.person_id JOIN orgs o ON o.id = m.org_id ORDER BY m.org_path, p.name, m.id`);
  await db.pool.query(`CREATE INDEX bench_wide_page ON bench_wide (org_path, name, membership_id)
    INCLUDE (status, person_id, gender, birth_date, id_number_masked, phone, employer, org_id, org_name, joined_on)`);
  await db.pool.query('VACUUM ANALYZE bench_wide'); // all-visible: index-only scans
  process.stderr.write(`bench_wide made in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);

  const county = (await db.pool.query<{ id: number }>(`SELECT id FROM orgs WHERE level = 'county' ORDER BY id LIMIT 1`)).rows[0]!.id;
  const province = (await db.pool.query<{ id: number }>(`SELECT id FROM orgs WHERE level = 'provincial' ORDER BY id LIMIT 1`)).rows[0]!.id;
  const token = randomBytes(32).toString('base64url');
  const account = await db.pool.query<{ id: number }>(`INSERT INTO accounts (username, display_name, password_hash) VALUES ($1, $1, 'x') RETURNING id`, [`bench-${randomBytes(4).toString('hex')}`]);
  await db.pool.query(`INSERT INTO role_grants (account_id, role, org_id) SELECT $1, unnest($3::text[]), $2`, [account.rows[0]!.id, province, ROLE_PRESETS.admin]);
  await db.pool.query(`INSERT INTO sessions (token_hash, account_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [createHash('sha256').update(token).digest(), account.rows[0]!.id]);
  await start([path.join(BENCH_DIR, 'servers.ts'), 'baseline', '18093', db.url]);
  await start([path.join(BENCH_DIR, 'list-ceiling-server.ts'), '18094', db.url]);

  const app = 'http://127.0.0.1:18094';
  const targets: Record<string, string> = {
    'Fastify + SELECT 1 (the baseline)': 'http://127.0.0.1:18093/select1',
    'the member list page, a county (as built)': `${app}/api/members?orgId=${county}&pageSize=50`,
    'the page from bench_wide, zod serializer': `${app}/x/wide-zod?orgId=${county}`,
    'the page from bench_wide, compiled serializer': `${app}/x/wide-compiled?orgId=${county}`,
    'part: signed in, SELECT 1': `${app}/x/signed-in-select1?orgId=${county}`,
    'part: signed in, the same 12.7 KB, no query': `${app}/x/same-bytes?orgId=${county}`,
    'part: signed in, the bench_wide query, tiny answer': `${app}/x/query-only?orgId=${county}`,
  };
  const headers = { cookie: `wh_session=${token}` };
  // Every variant must answer the same page as the real list.
  const pages = await Promise.all(Object.values(targets).slice(1, 4).map(async (url) => (await fetch(url, { headers })).text()));
  if (new Set(pages).size !== 1) throw new Error('bench_wide does not give the real page');
  const results: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [label, url] of Object.entries(targets)) {
      await autocannon({ url, connections: 100, duration: 2, headers });
      const r = await autocannon({ url, connections: 100, duration: 10, headers });
      if (r.non2xx > 0) throw new Error(`${label}: ${r.non2xx} answers were not 2xx`);
      (results[label] ??= []).push(r['2xx'] / 10);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(Object.values(results)[0]!);
  console.log('| route | req/s (median) | share of SELECT 1 |\n|---|---:|---:|');
  for (const [label, xs] of Object.entries(results)) {
    console.log(`| ${label} | ${Math.round(median(xs)).toLocaleString('en')} | ${(100 * median(xs) / base).toFixed(1)} % |`);
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  await db.pool.query('DROP TABLE IF EXISTS bench_wide').catch(() => undefined);
  await db.stop();
}
