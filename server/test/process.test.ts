import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nationalIdCheckCharacter } from '@workers-home/contract';
import { DEMO_FEDERATION, type DemoOrg } from '../src/demo/federation.ts';
import { freePort, withDatabase } from './global-setup.ts';

/** The server as users run it: its own embedded PostgreSQL in a fresh DATA_DIR. */
let dataDir: string;
let env: NodeJS.ProcessEnv;
let base: string;

/** How many organizations the demo federation has: the named ones and their generated grassroots unions. */
const countOrgs = (org: DemoOrg): number => 1 + (org.grassroots ?? 0) + (org.children ?? []).reduce((n, child) => n + countOrgs(child), 0);
const fullFederation = countOrgs(DEMO_FEDERATION);


interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(script: string, args: string[] = []): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function startServer(): Promise<Running> {
  const server = run('server/src/server.ts');
  const deadline = Date.now() + 90_000;
  while (!server.output().includes('is running at')) {
    if (server.child.exitCode !== null) throw new Error(`server exited: ${server.output()}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${server.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return server;
}

const postmasterPid = async () => {
  const file = path.join(dataDir, 'pg', 'postmaster.pid');
  return existsSync(file) ? Number((await readFile(file, 'utf8')).split('\n')[0]) : null;
};
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const organizations = async () => {
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'WorkersHome2026' }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const root = await fetch(`${base}/api/orgs/roots`, { headers: { cookie } }).then((r) => r.json() as Promise<Array<{ id: number }>>);
  const detail = await fetch(`${base}/api/orgs/${root[0]!.id}`, { headers: { cookie } }).then((r) => r.json() as Promise<{ subtree: { organizations: number } }>);
  return detail.subtree.organizations;
};

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'wh-process-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: 'warn' };
});
afterAll(async () => {
  const pid = await postmasterPid();
  if (pid && alive(pid)) process.kill(pid, 'SIGINT');
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('comes up on a fresh DATA_DIR with the demo federation, prints the logins, and stops cleanly on SIGTERM', async () => {
    const server = await startServer();
    expect(server.output()).toMatch(/Demo federation loaded: \d+ organizations/);
    expect(server.output()).toContain('zhongmou.admin');
    expect(server.output()).toContain('WorkersHome2026');
    expect(await fetch(`${base}/api/health`).then((r) => r.json())).toMatchObject({ status: 'ok', database: 'ok' });
    expect(await organizations()).toBe(fullFederation);
    const pgPid = (await postmasterPid())!;
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(alive(pgPid)).toBe(false);
  });

  it('keeps its data across a restart without loading the demo again', async () => {
    const server = await startServer();
    expect(server.output()).not.toContain('Demo federation loaded');
    expect(await organizations()).toBeGreaterThan(250);
    // The CLI shares the running server's database and leaves it running.
    const cli = run('server/src/cli.ts', ['migrate']);
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain('up to date');
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    // A second server on the same DATA_DIR is refused with a reason.
    const second = run('server/src/server.ts');
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/Another Workers' Home server \(pid \d+\) is using/);
    // Backup beside the running server; restore only once it has stopped.
    const file = path.join(dataDir, 'backup.dump');
    const backup = run('server/src/cli.ts', ['backup', file]);
    expect(await backup.exited, backup.output()).toBe(0);
    const refused = run('server/src/cli.ts', ['restore', file]);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain('stop it before restoring');
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    const restored = run('server/src/cli.ts', ['restore', file]);
    expect(await restored.exited, restored.output()).toBe(0);
  });

  it('comes back after being killed with -9', async () => {
    const server = await startServer();
    const before = await organizations();
    server.child.kill('SIGKILL');
    await server.exited;
    const orphan = (await postmasterPid())!;
    expect(alive(orphan)).toBe(true); // PostgreSQL outlived its parent
    const again = await startServer();
    expect(await organizations()).toBe(before);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    expect(alive(orphan)).toBe(false);
  });

  it('refuses a bad configuration with the variable named', async () => {
    const bad = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], { env: { ...env, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    bad.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    const code = await new Promise((resolve) => bad.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('PORT');
  });

  it('uses the PostgreSQL named by DATABASE_URL instead of the embedded one', async () => {
    const admin = new pg.Client({ connectionString: inject('adminUrl') });
    await admin.connect();
    const name = `wh_external_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    const saved = env;
    const otherDir = await mkdtemp(path.join(tmpdir(), 'wh-external-'));
    env = { ...env, DATABASE_URL: withDatabase(inject('adminUrl'), name), DATA_DIR: otherDir };
    try {
      const server = await startServer();
      expect(server.output()).toContain('Database: DATABASE_URL');
      expect(existsSync(path.join(otherDir, 'pg'))).toBe(false);
      const orgs = new pg.Client({ connectionString: env.DATABASE_URL });
      await orgs.connect();
      // The demo federation went into the external database.
      expect((await orgs.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs')).rows[0]!.n).toBeGreaterThan(250);
      await orgs.end();
      const cli = run('server/src/cli.ts', ['create-admin', '--username', 'second.admin', '--password', 'another-long-password']);
      expect(await cli.exited).toBe(0);
      expect(cli.output()).toContain('Created admin "second.admin" on 中华全国总工会');
      const duplicate = run('server/src/cli.ts', ['create-admin', '--username', 'second.admin', '--password', 'another-long-password']);
      expect(await duplicate.exited).toBe(1);
      expect(duplicate.output()).toContain('--username: "second.admin" is taken');
      const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'second.admin', password: 'another-long-password' }) });
      expect(login.status).toBe(200);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      env = saved;
      await rm(otherDir, { recursive: true, force: true });
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('loads the whole demo federation or none of it when killed with -9 in the middle of loading it', async () => {
    const saved = env;
    const otherDir = await mkdtemp(path.join(tmpdir(), 'wh-crash-'));
    env = { ...env, DATA_DIR: otherDir };
    try {
      const first = run('server/src/server.ts');
      while (!first.output().includes('Loading the demo federation')) {
        if (first.child.exitCode !== null) throw new Error(first.output());
        await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, 50)); // in the middle of the seed's transaction
      first.child.kill('SIGKILL');
      await first.exited;
      const second = await startServer();
      // Nothing of the killed attempt was committed, so the demo loads again, whole.
      expect(second.output()).toContain('Demo federation loaded');
      expect(await organizations()).toBe(fullFederation);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      env = saved;
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('leaves nothing of an import killed with -9 half way, and takes the same file whole afterwards', async () => {
    const saved = env;
    const otherDir = await mkdtemp(path.join(tmpdir(), 'wh-import-crash-'));
    env = { ...env, DATA_DIR: otherDir };
    try {
      const first = await startServer();
      const cookie = await signInCookie();
      const unionId = (await fetch(`${base}/api/orgs?level=grassroots&pageSize=1`, { headers: { cookie } }).then((r) => r.json() as Promise<{ items: Array<{ id: number }> }>)).items[0]!.id;
      const members = async (c: string) => (await fetch(`${base}/api/orgs/${unionId}`, { headers: { cookie: c } }).then((r) => r.json() as Promise<{ subtree: { activeMembers: number } }>)).subtree.activeMembers;
      const before = await members(cookie);
      const rows = 60_000;
      const csv = rosterOf(rows);
      const upload = async (c: string) => {
        const form = new FormData();
        form.append('file', new Blob([csv]), 'roster.csv');
        const response = await fetch(`${base}/api/member-imports?orgId=${unionId}`, { method: 'POST', headers: { cookie: c }, body: form });
        expect(response.status, await response.clone().text()).toBe(202);
        return (await response.json() as { id: number }).id;
      };
      const job = await upload(cookie);
      // Kill the server once the rows are being checked or written: inside the import's transaction.
      for (;;) {
        const state = await fetch(`${base}/api/member-imports/${job}`, { headers: { cookie } }).then((r) => r.json() as Promise<{ status: string; phase: string }>);
        if (state.status !== 'queued' && state.status !== 'running') throw new Error(`the import ended before it could be interrupted: ${JSON.stringify(state)}`);
        if (state.phase === 'checking' || state.phase === 'writing') break;
        await new Promise((r) => setTimeout(r, 5));
      }
      first.child.kill('SIGKILL');
      await first.exited;

      const second = await startServer();
      const again = await signInCookie();
      expect(await members(again)).toBe(before); // nothing partial
      const killed = await fetch(`${base}/api/member-imports/${job}`, { headers: { cookie: again } }).then((r) => r.json() as Promise<{ status: string; error: string }>);
      expect(killed).toMatchObject({ status: 'failed', error: expect.stringContaining('interrupted') as unknown });
      const rerun = await upload(again);
      let finished: { status: string; rowsRead: number; personsCreated: number } | undefined;
      while (!finished) {
        const state = await fetch(`${base}/api/member-imports/${rerun}`, { headers: { cookie: again } }).then((r) => r.json() as Promise<{ status: string; rowsRead: number; personsCreated: number }>);
        if (!['queued', 'running'].includes(state.status)) finished = state;
        else await new Promise((r) => setTimeout(r, 50));
      }
      expect(finished).toMatchObject({ status: 'succeeded', rowsRead: rows, personsCreated: rows });
      expect(await members(again)).toBe(before + rows);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      env = saved;
      await rm(otherDir, { recursive: true, force: true });
    }
  }, 180_000);
});

async function signInCookie(): Promise<string> {
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'WorkersHome2026' }) });
  return login.headers.get('set-cookie')!.split(';')[0]!;
}

/** A roster of `count` new members with valid ID numbers no demo person has (region 659002). */
function rosterOf(count: number): string {
  const lines = ['姓名,性别,身份证号,手机号,入会时间'];
  for (let n = 0; n < count; n++) {
    const day = new Date(Date.UTC(1960, 0, 1) + Math.floor(n / 400) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    const sequence = 100 + (n % 400) * 2 + (n % 2);
    const first17 = `659002${day}${String(sequence).padStart(3, '0')}`;
    lines.push(`会员${n},${sequence % 2 === 1 ? '男' : '女'},${first17 + nationalIdCheckCharacter(first17)},138${String(n).padStart(8, '0')},2020-01-01`);
  }
  return lines.join('\n') + '\n';
}
