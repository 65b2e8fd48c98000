import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../server/src/db/embedded.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { createPool, type Pool } from '../server/src/db/pool.ts';
import { secretsFromMasterKey } from '../server/src/plugins/secrets.ts';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
/** The flags `workers-home` runs the CLI with (bin/workers-home.js): imports are measured as users run them. */
export const CLI_NODE_FLAGS = JSON.parse(readFileSync(path.join(BENCH_DIR, '..', 'bin', 'cli-node-flags.json'), 'utf8')) as string[];
/** One key for every bench run, so a generated data set stays readable between runs. */
export const benchSecrets = secretsFromMasterKey(Buffer.from('workers-home-bench-key-not-for-production'));

/**
 * Sizes the bench's embedded cluster like a database server of this machine rather than
 * PostgreSQL's defaults (128 MB of shared buffers, 1 GB of WAL between checkpoints).
 * Returns true when a restart is needed for the settings to apply.
 */
async function tune(url: string): Promise<boolean> {
  const pool = createPool(url, 1);
  try {
    const settings = { shared_buffers: '4GB', max_wal_size: '8GB', maintenance_work_mem: '1GB', effective_cache_size: '16GB', checkpoint_timeout: '30min' };
    for (const [name, value] of Object.entries(settings)) await pool.query(`ALTER SYSTEM SET ${name} = '${value}'`);
    await pool.query('SELECT pg_reload_conf()');
    const pending = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_settings WHERE pending_restart`);
    return pending.rows[0]!.n > 0;
  } finally {
    await pool.end();
  }
}

export interface BenchDatabase {
  url: string;
  pool: Pool;
  stop(): Promise<void>;
}

/**
 * The bench's own embedded PostgreSQL (bench/.data/<scale>, kept between runs so a big
 * data set is generated once), or BENCH_DATABASE_URL.
 */
export async function openBenchDatabase(scale: string, port: number): Promise<BenchDatabase> {
  let url = process.env.BENCH_DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const start = () => startEmbeddedPostgres(path.join(BENCH_DIR, '.data', scale), port, (line) => process.stderr.write(`[bench-pg] ${line}\n`), { stopAttached: true });
    let db = await start();
    // Smoke runs (CI) keep PostgreSQL's small defaults: they must start on any machine.
    if (scale !== 'smoke' && (await tune(db.url))) {
      await db.stop();
      db = await start();
    }
    url = db.url;
    const running = db;
    stop = () => running.stop();
  }
  const pool = createPool(url, 30);
  await migrate(pool);
  return { url, pool, async stop() { await pool.end(); await stop(); } };
}
