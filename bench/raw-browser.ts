// Chromium driven over the DevTools protocol without Playwright, for timings a harness would
// distort: Playwright attaches to every service worker as it starts and holds it until its own
// process answers, which adds a round trip to every page load the member app's worker serves.
// Needs Node's WebSocket (node --experimental-websocket on Node 20).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertChromium, FLAGS } from '../e2e/support/browser.ts';
import { freePort } from '../e2e/support/server.ts';

export interface RawTab {
  /** Sends a command to the tab and waits for its answer. */
  send<T = unknown>(method: string, params?: object): Promise<T>;
  /** Evaluates an expression in the page (awaiting a promise it returns). */
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

export interface RawBrowser {
  /** A new tab in a fresh profile of its own (cookies, cache and service workers not shared). */
  newTab(options: { cookies?: Array<{ name: string; value: string; url: string }>; viewport?: { width: number; height: number; mobile: boolean } }): Promise<RawTab>;
  close(): Promise<void>;
}

export async function launchRaw(): Promise<RawBrowser> {
  if (typeof WebSocket === 'undefined') throw new Error('Node has no WebSocket here: run with node --experimental-websocket (Node 20)');
  const port = await freePort();
  const profile = mkdtempSync(path.join(os.tmpdir(), 'wh-raw-browser-'));
  assertChromium();
  // The same browser as the browser tests' (e2e/support/browser.ts), named here for .ci/check-programs.
  const child = spawn(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', [...FLAGS, `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, 'about:blank'], { stdio: 'ignore' });
  let endpoint: string | undefined;
  for (let attempt = 0; attempt < 200 && !endpoint; attempt++) {
    try {
      endpoint = ((await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { webSocketDebuggerUrl: string }).webSocketDebuggerUrl;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  if (!endpoint) { child.kill('SIGKILL'); throw new Error('Chromium did not open its DevTools port'); }
  const socket = new WebSocket(endpoint);
  await new Promise((resolve, reject) => { socket.addEventListener('open', resolve); socket.addEventListener('error', reject); });
  let lastId = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id!);
    if (message.error) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result);
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string) => new Promise<T>((resolve, reject) => {
    const id = ++lastId;
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    socket.send(JSON.stringify({ id, method, params, sessionId }));
  });

  return {
    async newTab({ cookies = [], viewport }) {
      const { browserContextId } = await send<{ browserContextId: string }>('Target.createBrowserContext');
      if (cookies.length) await send('Storage.setCookies', { browserContextId, cookies: cookies.map((c) => ({ name: c.name, value: c.value, domain: new URL(c.url).hostname, path: '/' })) });
      const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url: 'about:blank', browserContextId });
      const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
      const tab: RawTab = {
        send: <T>(method: string, params?: object) => send<T>(method, params, sessionId),
        async evaluate<T>(expression: string) {
          const { result, exceptionDetails } = await send<{ result: { value: T }; exceptionDetails?: { text: string } }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, sessionId);
          if (exceptionDetails) throw new Error(`${exceptionDetails.text} in ${expression}`);
          return result.value;
        },
        async close() { await send('Target.disposeBrowserContext', { browserContextId }); },
      };
      if (viewport) await tab.send('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 2 });
      await tab.send('Page.enable');
      return tab;
    },
    async close() {
      // Closed through the protocol, so Chromium ends its helper processes before it exits.
      const exited = child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));
      void send('Browser.close').catch(() => undefined); // its answer may never come: the browser is gone
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      socket.close();
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch (error) {
        // A helper still writing the profile: a temporary folder left behind is no reason to lose the run.
        process.stderr.write(`raw-browser: could not remove ${profile}: ${String(error)}\n`);
      }
    },
  };
}
