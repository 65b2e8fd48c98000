import Fastify from 'fastify';
import { buildApp } from '../server/src/app.ts';
import { createPool } from '../server/src/db/pool.ts';
import { benchSecrets } from './database.ts';

/**
 * A server for the HTTP benchmarks, in its own process so the load generator does not
 * share its event loop: `baseline` (bare Fastify: /hello and /select1, the ceilings) or
 * `app` (the real Workers' Home API). Prints "ready" when listening.
 */
const [mode, port, databaseUrl] = process.argv.slice(2);
if (mode === 'baseline') {
  const pool = createPool(databaseUrl!, 20);
  const app = Fastify();
  app.get('/hello', () => ({ hello: 'world' }));
  app.get('/select1', async () => (await pool.query('SELECT 1 AS one')).rows[0]);
  await app.listen({ port: Number(port), host: '127.0.0.1' });
} else {
  const pool = createPool(databaseUrl!, 20);
  const app = await buildApp({ pool, secrets: benchSecrets, sessionIdleMinutes: 600, sessionMaxHours: 24 });
  await app.listen({ port: Number(port), host: '127.0.0.1' });
}
process.stdout.write('ready\n');
// A clean exit on a signal, so `node --cpu-prof` can write its profile.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
