import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.ts';
import type { Pool } from '../src/db/pool.ts';
import { cli, createTestApp, makePerson, type TestApp } from './helpers.ts';

/** What "the whole database" is: every table's row count and a checksum of its content. */
export async function checksums(pool: Pool): Promise<Record<string, string>> {
  // job_workers holds the running servers' heartbeats, which change by themselves every few seconds.
  const tables = await pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'job_workers' ORDER BY 1`);
  const result: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const row = await pool.query<{ n: string; sum: string | null }>(`SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS sum FROM ${name} t`);
    result[name] = `${row.rows[0]!.n}:${row.rows[0]!.sum}`;
  }
  return result;
}


let t: TestApp;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.pool, t.secrets);
  dir = await mkdtemp(path.join(tmpdir(), 'wh-backup-'));
  env = { ...process.env, DATABASE_URL: t.databaseUrl, SECRET_KEY: 'test-key-test-key-test-key-test-key', DATA_DIR: dir };
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('backup and restore on an external PostgreSQL (DATABASE_URL)', () => {
  it('round-trips the whole database: every table\'s rows and content come back equal', async () => {
    const file = path.join(dir, 'federation.dump');
    const backup = await cli(['backup', file], env);
    expect(backup.code, backup.output).toBe(0);
    expect(backup.output).toContain('Backup written');
    const before = await checksums(t.pool);
    // Life goes on after the backup: a rename, a new member, more audit entries.
    await t.pool.query(`UPDATE orgs SET name = name || '（改）' WHERE id = 2`);
    const unions = await t.pool.query<{ id: number; path: string; name: string }>(`SELECT id, path::text, name FROM orgs WHERE level = 'grassroots' LIMIT 1`);
    await makePerson(t, unions.rows[0]!);
    expect(await checksums(t.pool)).not.toEqual(before);
    const restored = await cli(['restore', file], env);
    expect(restored.code, restored.output).toBe(0);
    expect(await checksums(t.pool)).toEqual(before);
    const decrypted = await t.pool.query<{ c: Buffer }>('SELECT id_number_cipher AS c FROM persons LIMIT 1');
    expect(t.secrets.decrypt(decrypted.rows[0]!.c)).toMatch(/^\d{17}[\dX]$/);
  });

  it('changes nothing when the file is not a backup or is cut short', async () => {
    const file = path.join(dir, 'full.dump');
    expect((await cli(['backup', file], env)).code).toBe(0);
    const before = await checksums(t.pool);
    const notABackup = path.join(dir, 'members.csv');
    await writeFile(notABackup, '姓名,身份证号\n张三,11010519491231002X\n');
    const refused = await cli(['restore', notABackup], env);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('is not a Workers\' Home backup');
    const whole = await readFile(file);
    const truncated = path.join(dir, 'truncated.dump');
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const cut = await cli(['restore', truncated], env);
    expect(cut.code).toBe(1);
    expect(cut.output).toContain('could not be read to the end'); // past the table of contents: rolled back
    expect(cut.output).toContain('nothing was changed');
    expect(await checksums(t.pool)).toEqual(before);
    expect((await cli(['restore', path.join(dir, 'missing.dump')], env)).output).toContain('does not exist');
    expect((await cli(['backup'], env)).output).toContain('usage: workers-home backup FILE');
  });

  it('warns that a backup needs its own ID-number key', async () => {
    const file = path.join(dir, 'keyed.dump');
    expect((await cli(['backup', file], env)).code).toBe(0);
    const otherKey = { ...env, SECRET_KEY: 'another-key-another-key-another-key!' };
    // With another key the CLI refuses to even open the database...
    const refused = await cli(['restore', file], otherKey);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('not the key this database was encrypted with');
  });
});
