// A real Citus cluster on this machine: a coordinator and workers, each a local PostgreSQL 15
// cluster on a port of its own with `shared_preload_libraries = 'citus'`, joined by
// citus_set_coordinator_host / citus_add_node. Used by the Citus lane (`npm run test:citus`)
// and the scale-out benchmarks; the application itself only ever sees DATABASE_URL.
//
// Citus comes from ../shared/vendor/citus/build.sh (Debian has no package): installCitus()
// runs it, and it does nothing when Citus is already built into Debian's PostgreSQL 15.
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
// Debian's PostgreSQL 15 (installed by the build script), named whole for .ci/check-programs.mjs.
const POSTGRES = '/usr/lib/postgresql/15/bin/postgres';
const INITDB = '/usr/lib/postgresql/15/bin/initdb';
const PG_CTL = '/usr/lib/postgresql/15/bin/pg_ctl';
const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CITUS_BUILD_SCRIPT = path.resolve(REPOSITORY, '..', 'shared', 'vendor', 'citus', 'build.sh');
export const DATABASE = 'workers_home';

export interface CitusCluster {
  /** The coordinator: what the application's DATABASE_URL points at. */
  url: string;
  workerUrls: string[];
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** The coordinator's port; workers take the next ones. */
  port: number;
  workers?: number;
  /** postgresql.conf settings for every node, beyond the ones this module needs. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

/** Builds and installs Citus into Debian's PostgreSQL 15 when it is not there yet (about 5 minutes). */
export function installCitus(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
  if (existsSync(POSTGRES) && existsSync('/usr/lib/postgresql/15/lib/citus.so')) return;
  if (!existsSync(CITUS_BUILD_SCRIPT)) throw new Error(`Citus is not installed and its build script is missing: ${CITUS_BUILD_SCRIPT}`);
  log(`building Citus (${CITUS_BUILD_SCRIPT}; about 5 minutes)…`);
  const result = spawnSync('bash', [CITUS_BUILD_SCRIPT], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`the Citus build failed (exit ${result.status})`);
}

// PostgreSQL refuses to run as root: as root, the clusters belong to Debian's postgres user.
const asRoot = process.getuid?.() === 0;
const postgresId = (flag: '-u' | '-g') => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
/** Hands a path created by this process to the postgres user (as root only). */
const giveToPostgres = (file: string) => { if (asRoot) chownSync(file, postgresId('-u'), postgresId('-g')); };
const pgCommand = (program: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', program, ...args]) : run(program, args));

const nodeUrl = (port: number, database = DATABASE) => `postgres://postgres@127.0.0.1:${port}/${database}`;

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function startNode(dir: string, port: number, settings: Record<string, string>, log: (line: string) => void) {
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    giveToPostgres(dir);
    log(`initdb ${dir}`);
    await pgCommand(INITDB, ['-D', dir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
    const conf = {
      port: String(port),
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: `'${dir}'`,
      shared_preload_libraries: "'citus'",
      max_connections: '300',
      ...settings,
    };
    writeFileSync(path.join(dir, 'postgresql.auto.conf'), Object.entries(conf).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n');
    giveToPostgres(path.join(dir, 'postgresql.auto.conf'));
  }
  // pg_ctl refuses root even for `status`: it runs as postgres like the rest.
  const running = await pgCommand(PG_CTL, ['-D', dir, 'status']).then(() => true, () => false);
  if (!running) await pgCommand(PG_CTL, ['-D', dir, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  await withClient(nodeUrl(port, 'postgres'), async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  });
  await withClient(nodeUrl(port), (client) => client.query('CREATE EXTENSION IF NOT EXISTS citus'));
}

/**
 * Starts (creating on first use) a coordinator and `workers` workers in `dir`, joined into one
 * cluster with the coordinator in the metadata (so reference tables may be joined with its local tables).
 */
export async function startCitusCluster(dir: string, options: ClusterOptions): Promise<CitusCluster> {
  const { port, workers = 2, settings = {}, log = () => undefined } = options;
  installCitus(log);
  mkdirSync(dir, { recursive: true });
  const nodes = [{ dir: path.join(dir, 'coordinator'), port }, ...Array.from({ length: workers }, (_, i) => ({ dir: path.join(dir, `worker${i + 1}`), port: port + 1 + i }))];
  await Promise.all(nodes.map((node) => startNode(node.dir, node.port, settings, log)));
  await withClient(nodeUrl(port), async (client) => {
    await client.query('SELECT citus_set_coordinator_host($1, $2)', ['127.0.0.1', port]);
    const known = await client.query<{ nodeport: number }>('SELECT nodeport FROM pg_dist_node');
    for (const node of nodes.slice(1)) {
      if (!known.rows.some((row) => row.nodeport === node.port)) await client.query('SELECT citus_add_node($1, $2)', ['127.0.0.1', node.port]);
    }
  });
  return {
    url: nodeUrl(port),
    workerUrls: nodes.slice(1).map((node) => nodeUrl(node.port)),
    async stop() {
      await Promise.all(nodes.map((node) => pgCommand(PG_CTL, ['-D', node.dir, '-m', 'fast', '-w', 'stop']).catch(() => undefined)));
    },
  };
}
