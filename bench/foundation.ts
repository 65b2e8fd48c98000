/**
 * Foundation benchmarks (issue 2): cold start, warm restart, member search p95.
 *
 *   node --import tsx bench/foundation.ts [--runs 3] [--requests 400]
 *
 * Each run starts the real server (`node --import tsx server/src/server.ts`, what
 * `npm start` runs) on a free port with its own DATA_DIR and embedded PostgreSQL.
 * - cold start: empty DATA_DIR -> /api/health answers (initdb, migrations, demo seed);
 * - warm restart: the same DATA_DIR again -> /api/health answers;
 * - member search: signed-in requests to GET /api/members?q=... over HTTP, sequential,
 *   as the Zhongmou county admin and as the national admin, p50/p95/p99 client-side.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, requests: { type: 'string', default: '400' } } });
const runs = Number(values.runs);
const requests = Number(values.requests);

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

async function startServer(env: NodeJS.ProcessEnv, base: string): Promise<{ child: ChildProcess; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], { env, stdio: 'ignore' });
  for (;;) {
    if (child.exitCode !== null) throw new Error('server exited during start-up');
    const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    if (ok) return { child, ms: performance.now() - started };
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stop(child: ChildProcess) {
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function login(base: string, username: string): Promise<string> {
  const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'WorkersHome2026' }) });
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

async function searchLatencies(base: string, cookie: string, queries: string[]): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const q = queries[i % queries.length]!;
    const t0 = performance.now();
    const r = await fetch(`${base}/api/members?q=${encodeURIComponent(q)}&pageSize=20`, { headers: { cookie } });
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`search answered ${r.status}`);
    times.push(performance.now() - t0);
  }
  return times;
}

const cold: number[] = [];
const warm: number[] = [];
let search: Record<string, number[]> = {};
for (let run = 0; run < runs; run++) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'wh-bench-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: 'warn' };
  const first = await startServer(env, base);
  cold.push(first.ms);
  await stop(first.child);
  const second = await startServer(env, base);
  warm.push(second.ms);
  if (run === 0) {
    // Queries a county staff member types: a surname, part of a given name, a phone prefix, a full ID number.
    const county = await login(base, 'zhongmou.admin');
    const national = await login(base, 'admin');
    const sample = await fetch(`${base}/api/members?pageSize=1`, { headers: { cookie: county } }).then((r) => r.json() as Promise<{ items: Array<{ personId: number }> }>);
    const id = await fetch(`${base}/api/persons/${sample.items[0]!.personId}/reveal-id-number`, { method: 'POST', headers: { cookie: county } }).then((r) => r.json() as Promise<{ idNumber: string }>);
    const queries = ['王', '李', '张伟', '秀', '138', '1391', id.idNumber, '刘'];
    await searchLatencies(base, county, queries.slice(0, 4)); // warm the caches and the JIT
    search = {
      'county admin (中牟县总工会)': await searchLatencies(base, county, queries),
      'national admin (whole tree)': await searchLatencies(base, national, queries),
    };
  }
  await stop(second.child);
  await rm(dataDir, { recursive: true, force: true });
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  `Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`,
  `Command: node --import tsx bench/foundation.ts --runs ${runs} --requests ${requests}`,
  '',
  '| measure | goal | measured (median of ' + runs + ') | measured / goal |',
  '|---|---|---|---|',
  `| cold start to serving (empty DATA_DIR: initdb, migrations, demo seed) | ≤ 10 s | ${(median(cold) / 1000).toFixed(2)} s | ${(median(cold) / 10_000).toFixed(2)} |`,
  `| warm restart to serving | ≤ 3 s | ${(median(warm) / 1000).toFixed(2)} s | ${(median(warm) / 3000).toFixed(2)} |`,
  ...Object.entries(search).map(([who, xs]) => `| member search p95, ${who}, ${requests} requests (p50 ${percentile(xs, 50).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms) | ≤ 20 ms | ${percentile(xs, 95).toFixed(1)} ms | ${(percentile(xs, 95) / 20).toFixed(2)} |`),
];
process.stdout.write(lines.join('\n') + '\n');
