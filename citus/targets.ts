// The databases the Citus lane runs its flows against, behind one small interface: the same
// migrations, demo federation and app on each, so their answers can be compared.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/src/app.ts';
import { startEmbeddedPostgres } from '../server/src/db/embedded.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { createPool, type Pool } from '../server/src/db/pool.ts';
import { seedDemo } from '../server/src/demo/seed.ts';
import { LocalFileStore } from '../server/src/files/file-store.ts';
import { installJobSchema } from '../server/src/jobs/jobs.ts';
import { secretsFromMasterKey } from '../server/src/plugins/secrets.ts';
import { checkKeyFingerprint } from '../server/src/startup.ts';
import { freePort } from '../server/test/global-setup.ts';
import { startCitusCluster } from './cluster.ts';

/** A database for the lane: where it is and how to stop it. */
export interface Target {
  name: string;
  /** The application's DATABASE_URL. */
  url: string;
  /** Each node's data folder (the coordinator's first), to read its CPU time (bench/citus-node-cpu.ts). */
  dataDirs: string[];
  stop(): Promise<void>;
}

/** The key every target is seeded with, so encrypted ID numbers and lookup hashes are alike everywhere. */
export const laneSecrets = () => secretsFromMasterKey(Buffer.from('citus-lane-key-citus-lane-key-citus-lane'));

/** One embedded PostgreSQL in a temporary folder, as every other test and a fresh installation use. */
export async function oneNode(name = 'one node'): Promise<Target> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wh-citus-lane-'));
  const db = await startEmbeddedPostgres(dir, await freePort(), () => undefined, { stopAttached: true });
  return {
    name,
    url: db.url,
    dataDirs: [path.join(dir, 'pg')],
    async stop() {
      await db.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A Citus coordinator and two workers (citus/cluster.ts) in a temporary folder, Citus built first
 * if this machine has not got it. The migrations themselves place every table (server/src/db/citus.ts).
 */
export async function citusCluster(name = 'Citus, coordinator and two workers'): Promise<Target> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wh-citus-cluster-'));
  await chmod(dir, 0o755); // as root, the nodes run as the postgres user (cluster.ts), who must reach their folders
  const cluster = await startCitusCluster(path.join(dir, 'cluster'), { port: await freePorts(3), log: (line) => process.stderr.write(`[citus] ${line}\n`) });
  return {
    name,
    url: cluster.url,
    dataDirs: ['coordinator', 'worker1', 'worker2'].map((node) => path.join(dir, 'cluster', node)),
    async stop() {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The first of `count` consecutive TCP ports free on the loopback address right now. */
async function freePorts(count: number): Promise<number> {
  for (;;) {
    const first = await freePort();
    if (first + count > 65_535) continue;
    const rest = await Promise.all(Array.from({ length: count - 1 }, (_, i) => portIsFree(first + 1 + i)));
    if (rest.every(Boolean)) return first;
  }
}

const portIsFree = (port: number) => new Promise<boolean>((resolve) => {
  const server = createServer();
  server.once('error', () => resolve(false));
  server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
});

/** A target made ready and serving: the app on a free port, its job workers running. */
export interface RunningApp {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Migrates the target (on Citus the migrations also place every table), seeds the demo
 * federation and starts the app in-process as server/src/server.ts does. Every target gets the same key, so the seed's
 * encrypted ID numbers and lookup hashes are the same everywhere.
 */
export async function startApp(target: Target, log: (line: string) => void): Promise<RunningApp> {
  const pool: Pool = createPool(target.url);
  const filesDir = path.join(tmpdir(), `wh-citus-lane-files-${process.pid}-${Date.now()}`);
  let app: FastifyInstance | undefined;
  try {
    const applied = await migrate(pool);
    const placed = applied.filter((line) => line.startsWith('Citus: '));
    log(`${target.name}: ${applied.length - placed.length} migrations applied${placed.length ? `; ${placed.length} tables placed on Citus` : ''}`);
    await installJobSchema(pool);
    const secrets = laneSecrets();
    await checkKeyFingerprint(pool, secrets);
    const files = new LocalFileStore(filesDir);
    const demo = await seedDemo(pool, secrets, files);
    log(`${target.name}: demo federation seeded (${demo.organizations} organizations, ${demo.persons} members)`);
    // Errors only: a 500 in the flows shows its cause here.
    app = await buildApp({ pool, secrets, sessionIdleMinutes: 60, sessionMaxHours: 12, files, jobs: { soleServer: true }, logger: { level: 'error' } });
    const baseUrl = await app.listen({ port: await freePort(), host: '127.0.0.1' });
    const running = app;
    return {
      baseUrl,
      async close() {
        await running.close();
        await pool.end();
        await rm(filesDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw error;
  }
}
