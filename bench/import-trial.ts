import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, CLI_NODE_FLAGS, openBenchDatabase } from './database.ts';
import { writeImportCsv, writeImportXlsx } from './import-files.ts';

/** One import of N rows into the province data set, with its phase timings: for tuning the import. */
const [format = 'csv', rowsText = '1000000'] = process.argv.slice(2);
const rows = Number(rowsText);
const db = await openBenchDatabase('province', 54401);
try {
  const unions = (await db.pool.query<{ id: number }>(`SELECT id FROM orgs WHERE level = 'grassroots' ORDER BY id`)).rows.map((r) => r.id);
  const file = `/tmp/wh-trial-${rows}.${format}`;
  if (!existsSync(file)) await (format === 'csv' ? writeImportCsv : writeImportXlsx)(file, rows, unions);
  // Undone afterwards: every membership and person added after these ids (a membership may
  // also be added to a person already there, when the file's ID numbers are found).
  const max = (await db.pool.query<{ m: number }>('SELECT max(id) AS m FROM persons')).rows[0]!.m;
  const maxMembership = (await db.pool.query<{ m: number }>('SELECT max(id) AS m FROM memberships')).rows[0]!.m;
  // The WAL the import writes (PostgreSQL 14+): records, full-page images and bytes.
  const walNow = async () => (await db.pool.query<{ records: number; fpi: number; bytes: number }>(
    'SELECT wal_records::float8 AS records, wal_fpi::float8 AS fpi, wal_bytes::float8 AS bytes FROM pg_stat_wal')).rows[0]!;
  const wal0 = await walNow();
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [...(process.env.TRIAL_NODE_FLAGS?.split(' ').filter(Boolean) ?? CLI_NODE_FLAGS), '--import', 'tsx', path.join(BENCH_DIR, 'import-child.ts'), file, '1', db.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => { text += d.toString(); });
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(String(code)))));
  });
  process.stdout.write(out);
  await new Promise((r) => setTimeout(r, 1500)); // the child's statistics reach pg_stat_wal when it ends
  const wal1 = await walNow();
  process.stderr.write(`WAL: ${wal1.records - wal0.records} records, ${wal1.fpi - wal0.fpi} full-page images, ${Math.round((wal1.bytes - wal0.bytes) / 1e6)} MB\n`);
  const undo = performance.now();
  await db.pool.query('DELETE FROM memberships WHERE id > $1', [maxMembership]);
  await db.pool.query('DELETE FROM id_numbers WHERE person_id > $1', [max]);
  await db.pool.query('DELETE FROM persons WHERE id > $1', [max]);
  await db.pool.query('SELECT compact_subtree_figures(NULL)');
  await db.pool.query('VACUUM ANALYZE persons, memberships');
  process.stderr.write(`undo ${((performance.now() - undo) / 1000).toFixed(1)} s\n`);
} finally {
  await db.stop();
}
