import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { assertChromium, launch } from './browser.ts';
import { DEMO_PASSWORD } from './demo.ts';
import { REPOSITORY, startServer } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    /** Stored sign-ins (Playwright storage state files), by demo username. */
    storageStates: Record<string, string>;
  }
}

/**
 * Once per run: checks Chromium, builds the web app, starts the real
 * server on a fresh data folder, and signs in the demo admins once (stored logins).
 */
export default async function setup(project: TestProject) {
  assertChromium();
  // Test what the sources say now, not an older build (2-6 s); E2E_SKIP_BUILD=1 reuses web/dist.
  if (process.env.E2E_SKIP_BUILD !== '1' || !existsSync(path.join(REPOSITORY, 'web/dist/index.html'))) {
    // vitest sets NODE_ENV=test, which would make Vite bundle React's and antd's development builds.
    execFileSync('npm', ['run', 'build', '-w', 'web'], { cwd: REPOSITORY, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  }
  const server = await startServer();
  const stateDir = await mkdtemp(path.join(tmpdir(), 'wh-e2e-auth-'));
  const storageStates: Record<string, string> = {};
  const browser = await launch();
  try {
    for (const username of ['admin', 'zhongmou.admin']) {
      const context = await browser.newContext({ baseURL: server.baseURL });
      const response = await context.request.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
      if (!response.ok()) throw new Error(`Signing in ${username} failed: ${response.status()} ${await response.text()}`);
      storageStates[username] = path.join(stateDir, `${username}.json`);
      await context.storageState({ path: storageStates[username] });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  project.provide('baseURL', server.baseURL);
  project.provide('storageStates', storageStates);
  return async () => {
    await server.stop();
  };
}
