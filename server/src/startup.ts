import type { Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase, type OpenDatabase } from './db/open.ts';
import type { Pool } from './db/pool.ts';
import { loadSecrets, type Secrets } from './plugins/secrets.ts';

/**
 * The ID-number key must be the one the data was encrypted with. Its fingerprint is
 * recorded on first start; a different key later stops start-up instead of silently
 * making every ID number unreadable.
 */
export async function checkKeyFingerprint(pool: Pool, secrets: Secrets): Promise<void> {
  await pool.query(`INSERT INTO settings (key, value) VALUES ('secret_key_fingerprint', to_jsonb($1::text)) ON CONFLICT (key) DO NOTHING`, [secrets.fingerprint]);
  const stored = await pool.query<{ value: string }>(`SELECT value #>> '{}' AS value FROM settings WHERE key = 'secret_key_fingerprint'`);
  if (stored.rows[0]?.value !== secrets.fingerprint) {
    throw new Error('SECRET_KEY (or DATA_DIR/secret.key) is not the key this database was encrypted with; restore the right key');
  }
}

export interface Ready {
  db: OpenDatabase;
  secrets: Secrets;
  applied: string[];
}

/** Opens the database, applies migrations and loads the key: what both the server and the CLI need. */
export async function prepare(config: Config, as: 'server' | 'cli', log: (line: string) => void): Promise<Ready> {
  const db = await openDatabase(config, as, log);
  try {
    const applied = await migrate(db.pool);
    const secrets = await loadSecrets(config.secretKey, config.dataDir);
    await checkKeyFingerprint(db.pool, secrets);
    return { db, secrets, applied };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
