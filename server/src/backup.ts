import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import type { Pool } from './db/pool.ts';

/**
 * Backup and restore of the whole database with PostgreSQL's own tools (Debian's
 * postgresql-client: pg_dump, pg_restore, psql). PG_DUMP, PG_RESTORE and PSQL may name
 * other builds, e.g. newer ones for a newer external server.
 */
const TOOL_VARIABLES = { pg_dump: 'PG_DUMP', pg_restore: 'PG_RESTORE', psql: 'PSQL' } as const;
const tool = (name: keyof typeof TOOL_VARIABLES) => process.env[TOOL_VARIABLES[name]] ?? name;

/** The connection URL split into a password (passed by environment, not on the command line) and the rest. */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, PGPASSWORD: password } };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, input?: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout!.resume();
    if (input) input.pipe(child.stdin!);
    child.on('error', (error) => reject(new Error(`${command} could not be started (${error.message}); install Debian's postgresql-client or set ${command.toUpperCase()}`)));
    child.on('exit', (code) => (code === 0 ? resolve(stderr) : reject(new Error(`${command} failed (exit ${code}): ${stderr.trim().split('\n').slice(-5).join('\n')}`))));
  });
}

async function checkToolVersion(pool: Pool, command: string) {
  const server = Math.floor(Number((await pool.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0]!.v) / 10_000);
  const version = await new Promise<number>((resolve, reject) => {
    const child = spawn(command, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('error', () => reject(new Error(`${command} is not installed: install Debian's postgresql-client (apt-get install -y postgresql-client) or set ${command === 'pg_dump' ? 'PG_DUMP' : 'PSQL'}`)));
    child.on('exit', () => resolve(Number(/(\d+)\.\d+/.exec(out)?.[1] ?? 0)));
  });
  if (version < server) throw new Error(`${command} ${version} cannot dump a PostgreSQL ${server} server; set PG_DUMP to a pg_dump ${server} or newer`);
}

/** Writes a custom-format dump (compressed, restorable table by table) of the whole database. */
export async function backup(pool: Pool, url: string, file: string, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  await checkToolVersion(pool, tool('pg_dump'));
  const { dbname, env } = connection(url);
  log(`Backing up to ${file} ...`);
  await run(tool('pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${dbname}`], env);
  const size = (await stat(file)).size;
  log(`Backup written: ${file} (${(size / 1024 / 1024).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  log('Keep the ID-number key (SECRET_KEY or DATA_DIR/secret.key) safe beside it: the backup holds ID numbers only encrypted.');
}

/**
 * Replaces the whole database with a backup, in ONE transaction: BEGIN, drop the schema,
 * the backup as SQL (pg_restore), and COMMIT only once pg_restore has finished without
 * error. If anything fails (a truncated file, a bad statement), psql ends without COMMIT,
 * the server rolls back, and the database is exactly as it was.
 */
export async function restore(url: string, file: string, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  await stat(file).catch(() => { throw new Error(`${file} does not exist`); });
  const { dbname, env } = connection(url);
  // Reading the table of contents first turns "not a backup at all" into a clear message.
  await run(tool('pg_restore'), ['--list', file], env).catch(() => { throw new Error(`${file} is not a Workers' Home backup (pg_restore cannot read it)`); });
  log(`Restoring ${file} ...`);
  const converter = spawn(tool('pg_restore'), ['--no-owner', '--no-privileges', '--file=-', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let converterErrors = '';
  converter.stderr.on('data', (c: Buffer) => { converterErrors += c.toString(); });
  const script = new PassThrough();
  script.write('BEGIN;\nDROP SCHEMA public CASCADE;\nDROP SCHEMA IF EXISTS pgboss CASCADE;\nCREATE SCHEMA public;\n');
  converter.stdout.pipe(script, { end: false });
  const converted = new Promise<void>((resolve, reject) => {
    converter.on('error', (e) => reject(new Error(`pg_restore could not be started (${e.message})`)));
    converter.on('close', (code) => {
      if (code === 0) {
        script.end('COMMIT;\n');
        resolve();
      } else {
        script.end(); // no COMMIT: psql's transaction is rolled back when it disconnects
        reject(new Error(`the backup could not be read to the end (pg_restore: ${converterErrors.trim().split('\n').slice(-2).join(' ')}); nothing was changed`));
      }
    });
  });
  const applied = run(tool('psql'), ['--set=ON_ERROR_STOP=1', '--quiet', '--no-psqlrc', `--dbname=${dbname}`], env, script);
  const [conversion, application] = await Promise.allSettled([converted, applied]);
  if (conversion.status === 'rejected') throw conversion.reason;
  if (application.status === 'rejected') throw new Error(`${(application.reason as Error).message}; nothing was changed`);
  log(`Restored in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}
