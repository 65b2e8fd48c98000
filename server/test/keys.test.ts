import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nationalIdProblem } from '@workers-home/contract';
import { secretsFromMasterKey } from '../src/plugins/secrets.ts';
import { withDatabase } from './global-setup.ts';
import { cli } from './helpers.ts';


let admin: pg.Client;
const databases: string[] = [];
const dirs: string[] = [];
async function freshDatabase() {
  const name = `wh_keys_${databases.length}_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  databases.push(name);
  const dir = await mkdtemp(path.join(tmpdir(), 'wh-keys-'));
  dirs.push(dir);
  return { url: withDatabase(inject('adminUrl'), name), dir };
}
/** Every stored ID number decrypts with the key and is found by its lookup hash. */
async function readableWith(url: string, key: string) {
  const secrets = secretsFromMasterKey(Buffer.from(key, 'utf8'));
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const rows = await db.query<{ c: Buffer; h: Buffer }>('SELECT id_number_cipher AS c, id_number_hash AS h FROM persons');
    expect(rows.rows.length).toBeGreaterThan(1000);
    for (const row of rows.rows) {
      const id = secrets.decrypt(row.c);
      expect(nationalIdProblem(id)).toBeNull();
      expect(secrets.lookupHash(id).equals(row.h)).toBe(true);
    }
  } finally {
    await db.end();
  }
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: inject('adminUrl') });
  await admin.connect();
});
afterAll(async () => {
  for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('rotating the ID-number key', () => {
  it('with SECRET_KEY: re-encrypts everything under NEW_SECRET_KEY; the old key is refused afterwards', async () => {
    const { url, dir } = await freshDatabase();
    const oldKey = 'old-key-old-key-old-key-old-key-old-key';
    const newKey = 'new-key-new-key-new-key-new-key-new-key';
    const env = { ...process.env, DATABASE_URL: url, DATA_DIR: dir, SECRET_KEY: oldKey };
    expect((await cli(['seed-demo'], env)).code).toBe(0);
    expect((await cli(['rotate-key'], env)).output).toContain('give the new key');
    const rotated = await cli(['rotate-key'], { ...env, NEW_SECRET_KEY: newKey });
    expect(rotated.code, rotated.output).toBe(0);
    expect(rotated.output).toMatch(/Re-encrypted \d+ national ID numbers/);
    await readableWith(url, newKey);
    expect((await cli(['migrate'], env)).output).toContain('not the key this database was encrypted with');
    expect((await cli(['migrate'], { ...env, SECRET_KEY: newKey })).code).toBe(0);
  });

  it('with a key file: replaces secret.key only after the data moved, and finishes or forgets a rotation cut short', async () => {
    const { url, dir } = await freshDatabase();
    const env = { ...process.env, DATABASE_URL: url, DATA_DIR: dir, SECRET_KEY: '' };
    expect((await cli(['seed-demo'], env)).code).toBe(0);
    const keyPath = path.join(dir, 'secret.key');
    const oldKey = (await readFile(keyPath, 'utf8')).trim();
    const rotated = await cli(['rotate-key'], env);
    expect(rotated.code, rotated.output).toBe(0);
    const newKey = (await readFile(keyPath, 'utf8')).trim();
    expect(newKey).not.toBe(oldKey);
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(dir, 'secret.key.next'))).toBe(false);
    await readableWith(url, newKey);

    // A crash after the commit, before the rename: the data is under the key in secret.key.next.
    await rename(keyPath, path.join(dir, 'secret.key.next'));
    await writeFile(keyPath, oldKey + '\n', { mode: 0o600 });
    expect((await cli(['migrate'], env)).code).toBe(0);
    expect((await readFile(keyPath, 'utf8')).trim()).toBe(newKey);
    expect(existsSync(path.join(dir, 'secret.key.next'))).toBe(false);

    // A crash before the commit: secret.key.next never reached the data and is dropped.
    await writeFile(path.join(dir, 'secret.key.next'), 'a-key-that-never-encrypted-anything-at-all\n', { mode: 0o600 });
    expect((await cli(['migrate'], env)).code).toBe(0);
    expect((await readFile(keyPath, 'utf8')).trim()).toBe(newKey);
    expect(existsSync(path.join(dir, 'secret.key.next'))).toBe(false);
    await readableWith(url, newKey);
  });
});

describe('encrypting ID numbers', () => {
  it('gives every encryption its own IV, across refills of the IV block, and decrypts each', () => {
    const secrets = secretsFromMasterKey(Buffer.from('test-key-test-key-test-key-test-key'));
    const id = '410122199001011234';
    // 10,000 encryptions use the 4,096-IV block more than twice.
    const ciphers = Array.from({ length: 10_000 }, () => secrets.encrypt(id));
    expect(new Set(ciphers.map((c) => c.subarray(1, 13).toString('hex'))).size).toBe(ciphers.length);
    expect(ciphers.every((c) => secrets.decrypt(c) === id)).toBe(true);
    // A cipher keeps its own IV after later encryptions refill the block.
    const first = Buffer.from(ciphers[0]!);
    for (let i = 0; i < 5000; i++) secrets.encrypt(id);
    expect(ciphers[0]!.equals(first)).toBe(true);
  });
});
