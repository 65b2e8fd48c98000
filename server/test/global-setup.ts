import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import { createPool } from '../src/db/pool.ts';
import { installJobSchema } from '../src/jobs/jobs.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A connection URL (to the `postgres` database) of the test PostgreSQL, with rights to create databases. */
    adminUrl: string;
  }
}

export const TEMPLATE_DATABASE = 'wh_test_template';

/** A TCP port free on the loopback address right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * One real PostgreSQL for the whole run: TEST_DATABASE_URL if set (any PostgreSQL 15+,
 * pointing at a database whose user may CREATE DATABASE), otherwise a fresh embedded
 * cluster. A template database is migrated once; each test file clones it.
 */
export default async function setup(project: TestProject) {
  let stop = async () => {};
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dir = path.resolve('.test-data', `pg-${process.pid}`);
    await rm(dir, { recursive: true, force: true });
    // Tests provoke errors on purpose (append-only audit log...): PostgreSQL's log only with TEST_PG_LOG=1.
    const log = process.env.TEST_PG_LOG ? (line: string) => process.stderr.write(`[test-pg] ${line}\n`) : () => undefined;
    const db = await startEmbeddedPostgres(dir, await freePort(), log, { stopAttached: true });
    adminUrl = db.url.replace(/\/workers_home$/, '/postgres');
    stop = async () => {
      await db.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
  await admin.end();
  const pool = createPool(withDatabase(adminUrl, TEMPLATE_DATABASE), 2);
  await migrate(pool);
  await installJobSchema(pool); // pg-boss's schema, made once here instead of by every test app
  await pool.end();
  project.provide('adminUrl', adminUrl);
  return stop;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
