/**
 * Load without loss (issue 6): 200 concurrent users mixing reads and writes against one
 * server for 60 s; then every acknowledged write is checked against what is stored.
 *
 *   node --import tsx bench/load.ts [--users 200] [--seconds 60]
 *
 * The server is the real one (server/src/server.ts) on a fresh DATA_DIR with the demo
 * federation. Each user is an admin of its own grassroots union, signs in from its own
 * loopback address (127.0.x.y, as 200 people would from 200 machines) and, in a loop:
 * 70 % reads (member list page, member search, the union's page), 20 % edits of a member
 * it created, 10 % new members. Acknowledged = answered 2xx.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { nationalIdCheckCharacter } from '@workers-home/contract';

const { values } = parseArgs({ options: { users: { type: 'string', default: '200' }, seconds: { type: 'string', default: '60' } } });
const USERS = Number(values.users);
const SECONDS = Number(values.seconds);

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

interface Reply { status: number; body: string; cookie?: string }
function request(port: number, agent: http.Agent, method: string, url: string, cookie: string | undefined, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, method, path: url, agent, headers: { ...(cookie ? { cookie } : {}), ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, cookie: res.headers['set-cookie']?.[0]?.split(';')[0] }));
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

let idCounter = 0;
/** A valid ID number no demo person has (region 659002, birth dates counted from 1970). */
function nextIdNumber(): { idNumber: string; gender: 'male' | 'female' } {
  const n = idCounter++;
  const day = new Date(Date.UTC(1970, 0, 1) + Math.floor(n / 400) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const sequence = 100 + (n % 400) * 2 + (n % 2);
  const first17 = `659002${day}${String(sequence).padStart(3, '0')}`;
  return { idNumber: first17 + nationalIdCheckCharacter(first17), gender: sequence % 2 === 1 ? 'male' : 'female' };
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'wh-load-'));
const port = await freePort();
const server = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
  env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'],
});
let started = '';
server.stdout.on('data', (c: Buffer) => { started += c.toString(); });
while (!started.includes('is running at')) await new Promise((r) => setTimeout(r, 100));

try {
  const setupAgent = new http.Agent({ keepAlive: true });
  const root = await request(port, setupAgent, 'POST', '/api/auth/login', undefined, { username: 'admin', password: 'WorkersHome2026' });
  const unions = JSON.parse((await request(port, setupAgent, 'GET', `/api/orgs?level=grassroots&pageSize=200`, root.cookie)).body) as { items: Array<{ id: number }> };
  const users: Array<{ agent: http.Agent; cookie: string; unionId: number; username: string }> = [];
  for (let i = 0; i < USERS; i++) {
    const username = `load.user${i}`;
    const unionId = unions.items[i % unions.items.length]!.id;
    const created = await request(port, setupAgent, 'POST', '/api/accounts', root.cookie, { username, displayName: username, password: 'load-test-password', grant: { role: 'people.admin', orgId: unionId } });
    if (created.status !== 201) throw new Error(`account: ${created.body}`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: `127.0.${1 + (i >> 8)}.${(i & 255) + 1}` });
    const login = await request(port, agent, 'POST', '/api/auth/login', undefined, { username, password: 'load-test-password' });
    if (login.status !== 200) throw new Error(`login: ${login.body}`);
    users.push({ agent, cookie: login.cookie!, unionId, username });
  }

  const latencies: number[] = [];
  const errors: string[] = [];
  const created = new Map<number, string>(); // person id -> last acknowledged employer
  let reads = 0;
  let writes = 0;
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(users.map(async (user, u) => {
    const mine: number[] = [];
    let step = 0;
    while (Date.now() < deadline) {
      const roll = (u * 7919 + step++ * 104_729) % 100;
      const t0 = performance.now();
      let reply: Reply;
      if (roll < 10 || mine.length === 0) {
        const { idNumber, gender } = nextIdNumber();
        reply = await request(port, user.agent, 'POST', '/api/persons', user.cookie, { name: `压测${u}号${step}`, gender, idNumber, phone: '13800000000', membership: { orgId: user.unionId, joinedOn: '2020-01-01' } });
        writes++;
        if (reply.status === 201) {
          const id = (JSON.parse(reply.body) as { id: number }).id;
          mine.push(id);
          created.set(id, '');
        }
      } else if (roll < 30) {
        const id = mine[step % mine.length]!;
        const employer = `单位${u}-${step}`;
        reply = await request(port, user.agent, 'PATCH', `/api/persons/${id}`, user.cookie, { employer });
        writes++;
        if (reply.status === 200) created.set(id, employer);
      } else {
        const url = roll < 55 ? `/api/members?orgId=${user.unionId}&pageSize=50` : roll < 80 ? `/api/members?q=${encodeURIComponent('王')}` : `/api/orgs/${user.unionId}`;
        reply = await request(port, user.agent, 'GET', url, user.cookie);
        reads++;
      }
      latencies.push(performance.now() - t0);
      if (reply.status >= 300) errors.push(`${reply.status} ${reply.body.slice(0, 120)}`);
    }
  }));

  // Every acknowledged write must be stored: each created person, with its last acknowledged edit.
  const pw = (await import('node:fs')).readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
  const port2 = Number((await import('node:fs')).readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3]);
  const db = new pg.Client({ connectionString: `postgres://postgres:${pw}@127.0.0.1:${port2}/workers_home` });
  await db.connect();
  const stored = await db.query<{ id: number; employer: string | null }>('SELECT id::int, employer FROM persons WHERE id = ANY($1::bigint[])', [[...created.keys()]]);
  await db.end();
  const storedMap = new Map(stored.rows.map((r) => [r.id, r.employer ?? '']));
  const lost = [...created].filter(([id, employer]) => storedMap.get(id) !== employer).length;
  const sorted = [...latencies].sort((a, b) => a - b);
  const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  const lines = [
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    `Command: node --import tsx bench/load.ts --users ${USERS} --seconds ${SECONDS}`,
    '',
    '| users | seconds | requests | reads | writes | req/s | errors | acknowledged writes lost | p50 | p95 | p99 |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    `| ${USERS} | ${SECONDS} | ${latencies.length} | ${reads} | ${writes} | ${(latencies.length / SECONDS).toFixed(0)} | ${errors.length} | ${lost} of ${created.size} persons | ${p(0.5)} ms | ${p(0.95)} ms | ${p(0.99)} ms |`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (errors.length) process.stderr.write(`first errors:\n${errors.slice(0, 5).join('\n')}\n`);
  if (errors.length || lost) process.exitCode = 1;
} finally {
  const exited = new Promise((r) => server.on('exit', r));
  server.kill('SIGTERM');
  await exited;
  await rm(dataDir, { recursive: true, force: true });
}
