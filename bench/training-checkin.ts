import { ROLE_PRESETS } from '@workers-home/contract';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_DIR, openBenchDatabase, type BenchDatabase } from './database.ts';

/**
 * The check-in burst (issue 4): `checkins` trainees, each with their own signed-in session,
 * scan the same session's QR code at once from `clients` concurrent HTTP clients, against
 * the real server (bench/servers.ts, its own process) on a real PostgreSQL. The QR token is
 * fetched as the organizer's screen fetches it, and fetched again when it rotates. Afterwards
 * the attendance rows are counted: every acknowledged check-in must be there once.
 *
 * `node --import tsx bench/training-checkin.ts [--checkins 10000] [--clients 100]`, or through
 * `npm run bench` (`--only training`; the smoke run does a tiny burst).
 */
export interface BurstResult {
  checkins: number;
  clients: number;
  seconds: number;
  created: number;
  repeated: number;
  failed: number;
  rows: number;
  lost: number;
  duplicated: number;
  auditRows: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** A class running now in a new organization, one session, `n` trainees enrolled on site, each with a session cookie. */
async function setUp(db: BenchDatabase, n: number) {
  const tag = randomBytes(4).toString('hex');
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    // Under the national federation when the data set has one (a new root would be out of every
    // other benchmark's reach), as a root in an empty database.
    const root = (await client.query<{ id: number }>(`SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1`)).rows[0]?.id ?? null;
    const { id: org, province } = (await client.query<{ id: number; province: number }>(
      `INSERT INTO orgs (parent_id, name, level, kind, region_code) VALUES ($1, $2, $3, 'federation', '110000') RETURNING id, province_of(path) AS province`,
      [root, `check-in bench ${tag}`, root === null ? 'national' : 'provincial'])).rows[0]!;
    const cls = (await client.query<{ id: number }>(
      `INSERT INTO training_classes (org_id, title, starts_on, ends_on, capacity_onsite, status)
       VALUES ($1, $2, (now() AT TIME ZONE 'Asia/Shanghai')::date - 1, (now() AT TIME ZONE 'Asia/Shanghai')::date + 1, $3, 'running') RETURNING id`,
      [org, `签到压测 ${tag}`, n])).rows[0]!.id;
    const session = (await client.query<{ id: number }>(
      `INSERT INTO training_sessions (class_id, kind, topic, starts_at, ends_at, place) VALUES ($1, 'lecture', '专题讲座', now() - interval '5 minutes', now() + interval '2 hours', '报告厅') RETURNING id`,
      [cls])).rows[0]!.id;
    // Trainees: persons (homed in the bench organization's province), enrolments, accounts linked
    // to them (made in bulk; the burst is what is measured).
    await client.query(
      `WITH p AS (
         INSERT INTO persons (province_id, name, gender, id_number_cipher, id_number_hash, id_number_masked)
         SELECT $5, '学员' || i, 'male', '\\x00', sha256(convert_to($1 || ':' || i, 'UTF8')), '0000**********' || lpad(i::text, 4, '0')
         FROM generate_series(1, $2) i RETURNING id, province_id, id_number_hash),
       n AS (INSERT INTO id_numbers (id_number_hash, person_id) SELECT id_number_hash, id FROM p),
       e AS (INSERT INTO training_enrolments (class_id, person_id, province_id, org_id, mode) SELECT $3, id, province_id, $4, 'onsite' FROM p)
       INSERT INTO accounts (username, display_name, password_hash, person_id) SELECT 'bench-' || $1 || '-' || id, '学员', 'x', id FROM p`,
      [tag, n, cls, org, province]);
    const accounts = (await client.query<{ id: number }>(`SELECT id FROM accounts WHERE username LIKE $1 ORDER BY id`, [`bench-${tag}-%`])).rows.map((r) => r.id);
    const tokens = accounts.map(() => randomBytes(32).toString('base64url'));
    await client.query(
      `INSERT INTO sessions (token_hash, account_id, expires_at) SELECT h, a, now() + interval '1 day' FROM unnest($1::bytea[], $2::bigint[]) AS x(h, a)`,
      [tokens.map(sha256), accounts]);
    // The organizer who shows the code.
    const organizer = (await client.query<{ id: number }>(`INSERT INTO accounts (username, display_name, password_hash) VALUES ($1, '组织员', 'x') RETURNING id`, [`bench-${tag}-organizer`])).rows[0]!.id;
    await client.query(`INSERT INTO role_grants (account_id, role, org_id) SELECT $1, unnest($3::text[]), $2`, [organizer, org, ROLE_PRESETS.organizer]);
    const organizerToken = randomBytes(32).toString('base64url');
    await client.query(`INSERT INTO sessions (token_hash, account_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [sha256(organizerToken), organizer]);
    await client.query('COMMIT');
    return { session, cookies: tokens.map((t) => `wh_session=${t}`), organizerCookie: `wh_session=${organizerToken}` };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

function request(agent: http.Agent, port: number, method: string, url: string, cookie: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: url, agent, headers: { cookie, ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs one burst against a server already listening on `port`. */
export async function checkinBurst(db: BenchDatabase, port: number, checkins: number, clients: number): Promise<BurstResult> {
  const { session, cookies, organizerCookie } = await setUp(db, checkins);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  let code = { token: '', expiresAt: 0 };
  const refresh = async () => {
    const answer = await request(agent, port, 'GET', `/api/training/sessions/${session}/checkin-code`, organizerCookie);
    if (answer.status !== 200) throw new Error(`check-in code: ${answer.status} ${answer.body}`);
    const body = JSON.parse(answer.body) as { token: string; expiresAt: string };
    code = { token: body.token, expiresAt: Date.parse(body.expiresAt) };
  };
  await refresh();
  let next = 0;
  let created = 0;
  let repeated = 0;
  const failures: string[] = [];
  const acknowledged: boolean[] = new Array<boolean>(checkins).fill(false);
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= checkins) return;
      // The screen shows a new code every 30 s; the previous one is still accepted meanwhile.
      if (Date.now() >= code.expiresAt) await refresh();
      const answer = await request(agent, port, 'POST', '/api/my/training/check-in', cookies[i]!, JSON.stringify({ token: code.token }));
      if (answer.status === 201) { created++; acknowledged[i] = true; } else if (answer.status === 200) { repeated++; acknowledged[i] = true; } else failures.push(`${answer.status} ${answer.body.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const counted = (await db.pool.query<{ rows: number; distinct: number }>(
    `SELECT count(*)::int AS rows, count(DISTINCT enrolment_id)::int AS distinct FROM training_attendance WHERE session_id = $1`, [session])).rows[0]!;
  const audit = (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'check-in' AND entity_id LIKE $1`, [`${session}:%`])).rows[0]!.n;
  if (failures.length) process.stderr.write(`  ${failures.length} check-ins failed, e.g. ${failures[0]}\n`);
  const acknowledgedCount = acknowledged.filter(Boolean).length;
  return {
    checkins, clients, seconds, created, repeated, failed: failures.length, rows: counted.rows, auditRows: audit,
    lost: Math.max(0, acknowledgedCount - counted.rows),
    duplicated: counted.rows - counted.distinct + repeated,
  };
}

function startApp(port: number, url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'servers.ts'), 'app', String(port), url], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(child); });
    child.on('exit', (status) => reject(new Error(`app server exited with ${status}`)));
  });
}

/**
 * The same clients and trainees asking `GET /api/auth/me` (the signed-in request every page
 * makes: the session lookup and nothing else) — the ceiling a check-in burst is read against,
 * measured in the same run on the same (shared) machine.
 */
export async function authBurst(db: BenchDatabase, port: number, requests: number, clients: number): Promise<number> {
  const { cookies } = await setUp(db, requests);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    for (let i = next++; i < requests; i = next++) {
      const answer = await request(agent, port, 'GET', '/api/auth/me', cookies[i]!);
      if (answer.status !== 200) throw new Error(`auth/me: ${answer.status}`);
    }
  }));
  agent.destroy();
  return (performance.now() - started) / 1000;
}

/** Starts the app server on `port`, runs `runs` bursts, stops it. */
export async function runCheckinBench(db: BenchDatabase, port: number, checkins: number, clients: number, runs: number, log: (line: string) => void): Promise<Array<BurstResult & { authSeconds: number }>> {
  const app = await startApp(port, db.url);
  try {
    // One small burst first, so the measured ones do not pay for the server's first requests.
    await checkinBurst(db, port, Math.min(200, checkins), Math.min(20, clients));
    const results: Array<BurstResult & { authSeconds: number }> = [];
    for (let i = 0; i < runs; i++) {
      const burst = await checkinBurst(db, port, checkins, clients);
      // The ceiling right after, so both see the same machine (it is shared, and its load varies).
      results.push({ ...burst, authSeconds: await authBurst(db, port, checkins, clients) });
      log(`  check-in burst run ${i + 1}/${runs}: ${burst.seconds.toFixed(2)} s (auth/me: ${results.at(-1)!.authSeconds.toFixed(2)} s)`);
    }
    return results;
  } finally {
    app.kill();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { checkins: { type: 'string', default: '10000' }, clients: { type: 'string', default: '100' }, runs: { type: 'string', default: '3' } } });
  const db = await openBenchDatabase('training', Number(process.env.EMBEDDED_PG_PORT ?? 55510));
  try {
    const port = Number(process.env.PORT ?? 18150);
    const load = os.loadavg()[0]!.toFixed(1);
    const results = await runCheckinBench(db, port, Number(values.checkins), Number(values.clients), Number(values.runs), (l) => process.stderr.write(`${l}\n`));
    const pg = (await db.pool.query<{ v: string }>('SELECT current_setting($$server_version$$) AS v')).rows[0]!.v;
    process.stdout.write(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, PostgreSQL ${pg}; load average ${load} before, ${os.loadavg()[0]!.toFixed(1)} after\n`);
    process.stdout.write('| run | check-ins | clients | elapsed | per second | same count of GET /api/auth/me | check-in / auth-me rate | 201 | 200 (repeat) | failed | rows after | lost | duplicated | audit rows |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n');
    results.forEach((r, i) => process.stdout.write(`| ${i + 1} | ${r.checkins} | ${r.clients} | ${r.seconds.toFixed(2)} s | ${Math.round(r.checkins / r.seconds)} | ${r.authSeconds.toFixed(2)} s | ${(r.authSeconds / r.seconds * 100).toFixed(0)} % | ${r.created} | ${r.repeated} | ${r.failed} | ${r.rows} | ${r.lost} | ${r.duplicated} | ${r.auditRows} |\n`));
  } finally {
    await db.stop();
  }
}
