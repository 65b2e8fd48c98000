import type { Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase, type OpenDatabase } from './db/open.ts';
import type { Pool } from './db/pool.ts';
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { inTransaction } from './db/pool.ts';
import { keyFile, loadSecrets, nextKeyFile, readKeyFile, secretsFromMasterKey, type Secrets } from './plugins/secrets.ts';

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
    const secrets = await loadSecrets(config.secretKey, config.dataDir).then((s) => finishKeyRotation(db.pool, s, config));
    await checkKeyFingerprint(db.pool, secrets);
    return { db, secrets, applied };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

async function storedFingerprint(pool: Pool): Promise<string | undefined> {
  const row = await pool.query<{ value: string }>(`SELECT value #>> '{}' AS value FROM settings WHERE key = 'secret_key_fingerprint'`);
  return row.rows[0]?.value;
}

/**
 * A rotation that stopped after the database moved to the new key but before the key file
 * was replaced is finished here: the new key waits in secret.key.next.
 */
async function finishKeyRotation(pool: Pool, current: Secrets, config: Config): Promise<Secrets> {
  if (config.secretKey) return current;
  const next = await readKeyFile(nextKeyFile(config.dataDir));
  if (!next) return current;
  if ((await storedFingerprint(pool)) === next.fingerprint) {
    await rename(nextKeyFile(config.dataDir), keyFile(config.dataDir));
    return next;
  }
  await rm(nextKeyFile(config.dataDir)); // the rotation never reached the database
  return current;
}

/**
 * Re-encrypts every national ID number (and its lookup hash) under a new key, in one
 * transaction. With a key file, the new key is written to secret.key.next first and moved
 * over secret.key after the commit, so no crash can leave data under a key that is lost.
 * With SECRET_KEY, the new key comes from NEW_SECRET_KEY and must replace SECRET_KEY before
 * the next start. All servers must be stopped first.
 */
export async function rotateKey(pool: Pool, current: Secrets, config: Config, newSecretKey: string | undefined, log: (line: string) => void): Promise<void> {
  let next: Secrets;
  if (config.secretKey) {
    if (!newSecretKey || newSecretKey.length < 32) throw new Error('With SECRET_KEY set, give the new key (at least 32 characters) in NEW_SECRET_KEY');
    next = secretsFromMasterKey(Buffer.from(newSecretKey, 'utf8'));
  } else {
    const material = newSecretKey ?? randomBytes(32).toString('base64');
    await writeFile(nextKeyFile(config.dataDir), material + '\n', { mode: 0o600 });
    next = secretsFromMasterKey(Buffer.from(material, 'utf8'));
  }
  if (next.fingerprint === current.fingerprint) throw new Error('The new key is the current key');
  const count = await inTransaction(pool, async (db) => {
    // No one may write persons meanwhile; batches of 1,000 keep memory flat however many there are.
    await db.query('LOCK TABLE persons IN SHARE ROW EXCLUSIVE MODE');
    let done = 0;
    for (let last = 0; ;) {
      const batch = await db.query<{ id: number; cipher: Buffer }>('SELECT id, id_number_cipher AS cipher FROM persons WHERE id > $1 ORDER BY id LIMIT 1000', [last]);
      if (batch.rows.length === 0) break;
      const ids = batch.rows.map((r) => current.decrypt(r.cipher));
      await db.query(
        `UPDATE persons p SET id_number_cipher = n.cipher, id_number_hash = n.hash
         FROM unnest($1::bigint[], $2::bytea[], $3::bytea[]) AS n(id, cipher, hash) WHERE p.id = n.id`,
        [batch.rows.map((r) => r.id), ids.map((id) => next.encrypt(id)), ids.map((id) => next.lookupHash(id))],
      );
      // The lookup hashes across provinces (0066) follow; a distribution column is replaced, not updated.
      await db.query('DELETE FROM id_numbers WHERE person_id = ANY ($1::bigint[])', [batch.rows.map((r) => r.id)]);
      await db.query('INSERT INTO id_numbers (id_number_hash, person_id) SELECT * FROM unnest($1::bytea[], $2::bigint[])',
        [ids.map((id) => next.lookupHash(id)), batch.rows.map((r) => r.id)]);
      done += batch.rows.length;
      last = batch.rows.at(-1)!.id;
    }
    await db.query(`UPDATE settings SET value = to_jsonb($1::text) WHERE key = 'secret_key_fingerprint'`, [next.fingerprint]);
    return done;
  });
  if (!config.secretKey) await rename(nextKeyFile(config.dataDir), keyFile(config.dataDir));
  log(`Re-encrypted ${count} national ID numbers under the new key.`);
  log(config.secretKey ? 'Now set SECRET_KEY to the value of NEW_SECRET_KEY before starting the server.' : `The new key is in ${keyFile(config.dataDir)}; back it up with your next database backup.`);
}
