import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { LocalFileStore } from './files/file-store.ts';
import { loadConfig } from './config.ts';
import { isEmpty, seedDemo, type DemoSummary } from './demo/seed.ts';
import { prepare } from './startup.ts';

const log = (line: string) => process.stderr.write(`[workers-home] ${line}\n`);

async function main() {
  const started = performance.now();
  const config = loadConfig();
  const { db, secrets, applied } = await prepare(config, 'server', log);
  if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
  let demo: DemoSummary | null = null;
  if (config.seedDemo && (await isEmpty(db.pool))) {
    log('Loading the demo federation (first start)...');
    demo = await seedDemo(db.pool, secrets, new LocalFileStore(config.filesDir));
  }

  const app = await buildApp({
    pool: db.pool, secrets,
    sessionIdleMinutes: config.sessionIdleMinutes, sessionMaxHours: config.sessionMaxHours, trustProxy: config.trustProxy,
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    webRoot: fileURLToPath(new URL('../../web/dist', import.meta.url)),
    files: new LocalFileStore(config.filesDir),
    // A job held by a server that died (on any database) is retried or failed by the live ones (server/src/jobs).
    jobs: { heartbeatSeconds: config.jobHeartbeatSeconds, staleSeconds: config.jobStaleSeconds, soleServer: db.embedded },
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: closing`);
    await app.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    process.exit(0);
  };
  // HTTP closes first, then the pool, then PostgreSQL (see db/embedded.ts for why we own these signals).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void stop(signal));

  await app.listen({ port: config.port, host: config.host });
  const shownHost = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  const address = `http://${shownHost}:${config.port}`;
  const lines = [
    '',
    `Workers' Home is running at ${address}  (${Math.round(performance.now() - started)} ms)`,
    `  API docs: ${address}/api/docs`,
    `  Database: ${db.embedded ? `embedded PostgreSQL in ${config.dataDir}` : 'DATABASE_URL'}`,
  ];
  if (demo) {
    lines.push(
      `  Demo federation loaded: ${demo.organizations} organizations (${demo.grassrootsUnions} grassroots unions), ${demo.persons} members, ${demo.cadrePositions} cadre positions`,
      '  Sign in with (change these passwords before real use):',
      ...demo.accounts.map((a) => `    ${a.username.padEnd(18)} ${a.password}   ${a.role} of ${a.org}`),
    );
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
