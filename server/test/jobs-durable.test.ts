import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { nationalIdCheckCharacter, ROLE_PRESETS } from '@workers-home/contract';
import { hashPassword } from '../src/modules/auth/service.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { freePort, TEMPLATE_DATABASE, withDatabase } from './global-setup.ts';
import { multipart } from './import-helpers.ts';

/**
 * Background jobs survive their server: real servers (npm start) killed with -9 in the
 * middle of a certificate batch or an import, on the embedded PostgreSQL and on an
 * external one, alone and beside a second server on the same database.
 */

const SECRET_KEY = 'jobs-durable-test-key-jobs-durable-test-key';
const PASSWORD = 'correct-horse-battery';
// Short liveness for the test: a dead server's jobs are swept after 3 s instead of 30 s.
const JOB_ENV = { JOB_HEARTBEAT_SECONDS: '0.5', JOB_STALE_SECONDS: '3' };

interface Running {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

const started: Running[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const server of started) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function startServer(env: NodeJS.ProcessEnv): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    env: { ...process.env, ...JOB_ENV, SEED_DEMO: '0', LOG_LEVEL: 'warn', SECRET_KEY, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const server = { child, base: `http://127.0.0.1:${port}`, output: () => output, exited };
  started.push(server);
  const deadline = Date.now() + 90_000;
  while (!output.includes('is running at')) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`);
    await sleep(100);
  }
  return server;
}

async function kill9(server: Running) {
  server.child.kill('SIGKILL');
  await server.exited;
}

async function stop(server: Running) {
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
}

/** A database of its own on the test cluster, cloned from the migrated template (external PostgreSQL). */
async function externalDatabase(): Promise<string> {
  const adminUrl = inject('adminUrl');
  const name = `wh_jobs_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  return withDatabase(adminUrl, name);
}

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wh-jobs-'));
  cleanups.push(async () => {
    const pidFile = path.join(dir, 'pg', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
      try { process.kill(pid, 'SIGINT'); } catch { /* gone */ }
      await sleep(500);
    }
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

interface Federation {
  rootId: number;
  unionId: number;
  username: string;
}

/** A root federation and a grassroots union, and an admin of the root (who may issue certificates and import). */
async function federation(pool: Pool): Promise<Federation> {
  const root = await pool.query<{ id: number; path: string }>(`INSERT INTO orgs (name, level, kind, region_code) VALUES ('全国总工会', 'national', 'federation', '410122') RETURNING id, path::text`);
  const union = await pool.query<{ id: number }>(`INSERT INTO orgs (parent_id, name, level, kind, region_code) VALUES ($1, '郑州工会', 'grassroots', 'enterprise_union', '410122') RETURNING id`, [root.rows[0]!.id]);
  const username = `admin-${randomBytes(3).toString('hex')}`;
  const account = await pool.query<{ id: number }>(`INSERT INTO accounts (username, display_name, password_hash) VALUES ($1, $1, $2) RETURNING id`, [username, await hashPassword(PASSWORD)]);
  await pool.query(`INSERT INTO role_grants (account_id, role, org_id) SELECT $1, unnest($3::text[]), $2`, [account.rows[0]!.id, root.rows[0]!.id, ROLE_PRESETS.admin]);
  return { rootId: root.rows[0]!.id, unionId: union.rows[0]!.id, username };
}

/** A closed class of the root with `trainees` people who attended its one session: all completed. */
async function classWithTrainees(pool: Pool, f: Federation, trainees: number): Promise<number> {
  const cls = await pool.query<{ id: number }>(
    `INSERT INTO training_classes (org_id, title, venue, starts_on, ends_on, capacity_onsite, capacity_live, status, min_attendance_share, class_hours)
     VALUES ($1, '职工代表大会专题培训班', '北京', '2024-05-20', '2024-05-24', 10000, 0, 'closed', 1, 32) RETURNING id`, [f.rootId]);
  const classId = cls.rows[0]!.id;
  const session = await pool.query<{ id: number }>(
    `INSERT INTO training_sessions (class_id, kind, topic, starts_at, ends_at, place) VALUES ($1, 'lecture', '专题讲座', '2024-05-20 09:00+08', '2024-05-20 10:00+08', '报告厅') RETURNING id`, [classId]);
  await pool.query(
    `WITH p AS (
       INSERT INTO persons (province_id, name, gender, birth_date, id_number_cipher, id_number_hash, id_number_masked)
       SELECT $6, '学员' || g, 'male', '1985-06-15', decode(md5($3 || g), 'hex'), decode(md5($3 || g), 'hex'), '4101**********0000' FROM generate_series(1, $2::int) g RETURNING id),
     e AS (INSERT INTO training_enrolments (province_id, class_id, person_id, org_id, mode) SELECT $6, $1, p.id, $4, 'onsite' FROM p RETURNING id)
     INSERT INTO training_attendance (province_id, session_id, enrolment_id, method) SELECT $6, $5, e.id, 'manual' FROM e`,
    // The union sits right under the root: it is its own province (province_of).
    [classId, trainees, `class-${classId}-`, f.unionId, session.rows[0]!.id, f.unionId]);
  return classId;
}

async function login(base: string, username: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  expect(response.status).toBe(200);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

interface CertificateJob { id: number; status: string; total: number; done: number; issued: number; error: string | null }
interface ImportJob { id: number; status: string; phase: string; error: string | null }

const getJson = async <T>(base: string, cookie: string, url: string) => (await fetch(`${base}${url}`, { headers: { cookie } })).json() as Promise<T>;

async function startBatch(base: string, cookie: string, classId: number) {
  const response = await fetch(`${base}/api/training/classes/${classId}/certificates`, { method: 'POST', headers: { cookie } });
  return { status: response.status, job: await response.json() as CertificateJob };
}

/** Polls a job until `until` holds (or fails after the timeout, saying what it last was). */
async function waitFor<T>(read: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!until(last)) {
    if (Date.now() > deadline) throw new Error(`gave up waiting; last seen: ${JSON.stringify(last)}`);
    await sleep(100);
    last = await read();
  }
  return last;
}

const TRAINEES = 300;

/** Kills the server in the middle of a batch, starts it again, and sees the batch finish and a new one start. */
async function certificateBatchSurvivesKill(env: NodeJS.ProcessEnv, databaseUrl: () => Promise<string>) {
  const first = await startServer(env);
  const pool = createPool(await databaseUrl(), 2);
  try {
    const f = await federation(pool);
    const classId = await classWithTrainees(pool, f, TRAINEES);
    const cookie = await login(first.base, f.username);
    const { status, job } = await startBatch(first.base, cookie, classId);
    expect(status).toBe(202);
    const midway = await waitFor(() => getJson<CertificateJob>(first.base, cookie, `/api/training/certificate-jobs/${job.id}`), (j) => j.done > 0);
    expect(midway.status).toBe('running');
    await kill9(first);

    const second = await startServer(env);
    const again = await login(second.base, f.username);
    const finished = await waitFor(() => getJson<CertificateJob>(second.base, again, `/api/training/certificate-jobs/${job.id}`), (j) => j.status !== 'running' && j.status !== 'queued');
    expect(finished).toMatchObject({ status: 'succeeded', total: TRAINEES, done: TRAINEES, issued: TRAINEES, error: null });
    const certificates = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM training_certificates c JOIN training_enrolments e ON e.id = c.enrolment_id WHERE e.class_id = $1', [classId]);
    expect(certificates.rows[0]!.n).toBe(TRAINEES);
    // No 409 forever: the next batch starts, and has nothing left to issue.
    const next = await startBatch(second.base, again, classId);
    expect(next.status).toBe(202);
    expect(await waitFor(() => getJson<CertificateJob>(second.base, again, `/api/training/certificate-jobs/${next.job.id}`), (j) => j.status === 'succeeded'))
      .toMatchObject({ total: 0, issued: 0 });
    await stop(second);
  } finally {
    await pool.end();
  }
}

describe('a certificate batch whose server is killed with -9', () => {
  it('is resumed when the server starts again on its embedded PostgreSQL', async () => {
    const dir = await dataDir();
    const pgPort = await freePort();
    const env = { DATA_DIR: dir, EMBEDDED_PG_PORT: String(pgPort), DATABASE_URL: '' };
    await certificateBatchSurvivesKill(env, async () => {
      const password = (await readFile(path.join(dir, 'pg-password'), 'utf8')).trim();
      return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/workers_home`;
    });
  }, 240_000);

  it('is resumed when the server starts again on an external PostgreSQL (DATABASE_URL)', async () => {
    const url = await externalDatabase();
    await certificateBatchSurvivesKill({ DATABASE_URL: url, DATA_DIR: await dataDir() }, () => Promise.resolve(url));
  }, 240_000);
});

describe('two servers on one database', () => {
  it('finish a batch taken by one of them that is killed with -9', async () => {
    const url = await externalDatabase();
    const env = { DATABASE_URL: url, DATA_DIR: await dataDir() };
    const pool = createPool(url, 2);
    try {
      const servers = [await startServer(env), await startServer(env)];
      const f = await federation(pool);
      const classId = await classWithTrainees(pool, f, TRAINEES);
      const cookie = await login(servers[0]!.base, f.username);
      const { job } = await startBatch(servers[0]!.base, cookie, classId);
      await waitFor(() => getJson<CertificateJob>(servers[0]!.base, cookie, `/api/training/certificate-jobs/${job.id}`), (j) => j.done > 0);
      // Whichever server took the batch is killed; the other one finishes it.
      const holder = await pool.query<{ pid: number }>(`SELECT w.pid FROM job_runs r JOIN job_workers w ON w.id = r.worker_id WHERE r.kind = 'certificate-batch'`);
      expect(holder.rows).toHaveLength(1);
      const taker = servers.find((s) => s.child.pid === holder.rows[0]!.pid)!;
      const other = servers.find((s) => s !== taker)!;
      await kill9(taker);
      const finished = await waitFor(() => getJson<CertificateJob>(other.base, cookie, `/api/training/certificate-jobs/${job.id}`), (j) => j.status !== 'running' && j.status !== 'queued');
      expect(finished).toMatchObject({ status: 'succeeded', total: TRAINEES, issued: TRAINEES });
      await stop(other);
    } finally {
      await pool.end();
    }
  }, 240_000);
});

describe('an import whose server is killed with -9 on an external PostgreSQL', () => {
  it('ends failed with a message saying so, having written nothing', async () => {
    const url = await externalDatabase();
    const env = { DATABASE_URL: url, DATA_DIR: await dataDir() };
    const pool = createPool(url, 2);
    try {
      const first = await startServer(env);
      const f = await federation(pool);
      const cookie = await login(first.base, f.username);
      // Distinct ID numbers by birth date and sequence: enough rows that the import takes seconds.
      const rows = Array.from({ length: 60_000 }, (_, n) => {
        const first17 = String(410101 + (n % 99)) + `19${String(50 + (n % 40))}0${1 + (n % 9)}1${n % 10}` + String(Math.floor(n / 99) % 1000).padStart(3, '0');
        return `职工${n},${first17 + nationalIdCheckCharacter(first17)}`;
      });
      const csv = ['姓名,身份证号', ...rows].join('\n') + '\n';
      const form = multipart('big.csv', csv);
      const response = await fetch(`${first.base}/api/member-imports?orgId=${f.unionId}`, { method: 'POST', headers: { ...form.headers, cookie }, body: form.payload });
      expect(response.status).toBe(202);
      const { id } = await response.json() as ImportJob;
      await waitFor(() => getJson<ImportJob>(first.base, cookie, `/api/member-imports/${id}`), (j) => j.status === 'running');
      await kill9(first);

      const second = await startServer(env);
      const again = await login(second.base, f.username);
      const ended = await waitFor(() => getJson<ImportJob>(second.base, again, `/api/member-imports/${id}`), (j) => j.status !== 'running' && j.status !== 'queued');
      expect(ended).toMatchObject({ status: 'failed', phase: 'done', error: 'interrupted: the server stopped while importing; nothing was written — import the file again' });
      expect((await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM persons')).rows[0]!.n).toBe(0);
      await stop(second);
    } finally {
      await pool.end();
    }
  }, 240_000);
});
