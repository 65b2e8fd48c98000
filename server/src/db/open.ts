import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import { isAlive, startEmbeddedPostgres } from './embedded.ts';
import { createPool, type Pool } from './pool.ts';

export interface OpenDatabase {
  pool: Pool;
  /** The connection URL (with its password). */
  url: string;
  embedded: boolean;
  /** A server process holds DATA_DIR (known only for the embedded database). */
  serverRunning: boolean;
  close(): Promise<void>;
}

/**
 * The database the configuration names: DATABASE_URL if set, otherwise the embedded
 * PostgreSQL in DATA_DIR. The server takes DATA_DIR for itself (server.pid); the CLI
 * may share a running server's database.
 */
export async function openDatabase(config: Config, as: 'server' | 'cli', log: (line: string) => void): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    const pool = createPool(config.databaseUrl);
    return { pool, url: config.databaseUrl, embedded: false, serverRunning: false, close: () => pool.end() };
  }
  const lockFile = path.join(config.dataDir, 'server.pid');
  const serverPid = existsSync(lockFile) ? Number((await readFile(lockFile, 'utf8')).trim()) : 0;
  const serverRunning = serverPid > 0 && serverPid !== process.pid && isAlive(serverPid);
  if (as === 'server' && serverRunning) {
    throw new Error(`Another Workers' Home server (pid ${serverPid}) is using ${config.dataDir}; stop it first or set DATA_DIR`);
  }
  const db = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, log, { stopAttached: !serverRunning });
  if (as === 'server') await writeFile(lockFile, String(process.pid));
  const pool = createPool(db.url);
  return {
    pool,
    url: db.url,
    embedded: true,
    serverRunning,
    async close() {
      await pool.end();
      await db.stop();
      if (as === 'server') await rm(lockFile, { force: true });
    },
  };
}
