import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPOSITORY = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface RunningServer {
  baseURL: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `npm start`'s server as users run it (built web app, embedded PostgreSQL, demo
 * federation) on free ports with a fresh data folder, and waits until it answers. A benchmark
 * may start another checkout's (built) server beside it, to compare in the same run.
 */
export async function startServer(repository = REPOSITORY): Promise<RunningServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'wh-e2e-'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    cwd: repository,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), SEED_DEMO: '1', LOG_LEVEL: 'warn', SECRET_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });

  let stopping = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => {
    // Dying in the middle of the run would fail every spec after with "connection refused": say why.
    if (!stopping) process.stderr.write(`\n[e2e] the server exited unexpectedly (code ${code}, signal ${signal}):\n${output}\n`);
    resolve(code);
  }));
  const ready = (async () => {
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      if (/is running at/.test(output)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`The server did not start:\n${output}`);
  })();
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    baseURL: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
