// The web console's weight and speed, in headless Chromium against the real server and demo data:
// - JavaScript loaded before a page is usable (gzip -9, as the server sends it pre-compressed),
//   for the sign-in page, the home page (the first page after signing in), the organization tree, the member list
//   and the member app's first page;
// - time from navigation to the member list's first rows being visible, cold (empty cache) and warm;
// - the member app's first page on a phone, navigation start to its heading (the goal: ≤ 300 ms),
//   for a first visit and for a returning member, in a browser driven without Playwright (raw-browser.ts).
// Run: npm run bench:web   (starts its own server on free ports with a fresh data folder)
//      BASELINE=../other-checkout npm run bench:web   (also that built checkout's member app, same run)
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { launch, newContext } from '../e2e/support/browser.ts';
import { DEMO_PASSWORD } from '../e2e/support/demo.ts';
import { startServer } from '../e2e/support/server.ts';
import { launchRaw, type RawBrowser } from './raw-browser.ts';

const RUNS = 5;
/** Loads of the member app's first page after the first visit, per run. */
const RETURNING = 5;
const GOAL_KB = 350;

interface Load {
  scripts: number;
  gzipBytes: number;
  /** Cumulative layout shift up to a second after the page became usable. */
  layoutShift: number;
}

/** Sums the page's layout shifts (the Layout Instability API, as Core Web Vitals' CLS counts them). */
async function layoutShift(page: Page): Promise<number> {
  await page.waitForTimeout(1000);
  return page.evaluate(() => new Promise<number>((resolve) => {
    new PerformanceObserver((list) => {
      const entries = list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>;
      resolve(entries.filter((e) => !e.hadRecentInput).reduce((sum, e) => sum + e.value, 0));
    }).observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(0), 500); // no entry at all: nothing shifted
  }));
}

/** Navigates and waits until `ready` resolves, counting every script the page loaded. */
async function measureScripts(page: Page, url: string, ready: () => Promise<unknown>): Promise<Load> {
  const bodies: Array<Promise<Buffer>> = [];
  const urls: string[] = [];
  const onResponse = (response: Response) => {
    if (response.request().resourceType() === 'script') {
      bodies.push(response.body());
      urls.push(response.url());
    }
  };
  page.on('response', onResponse);
  await page.goto(url);
  await ready();
  page.off('response', onResponse);
  const loaded = await Promise.all(bodies);
  const shift = await layoutShift(page);
  if (process.env.VERBOSE) {
    const sizes = urls.map((u, i) => `${u.split('/').pop()} ${kb(gzipSync(loaded[i]!, { level: 9 }).length)}`);
    process.stdout.write(`${url}: ${sizes.join(', ')}\n`);
  }
  return { scripts: loaded.length, gzipBytes: loaded.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0), layoutShift: shift };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.9) - 1]!;

// Records when the heading of the member's union is first in the page (performance.now(), from the navigation's start).
const HEADING_PROBE = `localStorage.setItem('wh.locale', 'zh-CN');
new MutationObserver(() => {
  if (window.__headingAt === undefined && [...document.querySelectorAll('h2')].some((h) => h.textContent.includes('我的工会'))) window.__headingAt = performance.now();
}).observe(document, { childList: true, subtree: true });`;

/**
 * One member's phone in a fresh profile: the first visit (empty cache, no service worker yet),
 * then, once the service worker has installed and the browser has idled, RETURNING more loads.
 */
async function memberAppLoads(raw: RawBrowser, baseURL: string, into: { first: number[]; returning: number[] }) {
  const signIn = await fetch(`${baseURL}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'member', password: DEMO_PASSWORD }) });
  if (!signIn.ok) throw new Error(`member sign-in failed: ${signIn.status}`);
  const cookies = signIn.headers.getSetCookie().map((header) => {
    const [name, ...value] = header.split(';')[0]!.split('=');
    return { name: name!, value: value.join('='), url: baseURL };
  });
  const tab = await raw.newTab({ cookies, viewport: { width: 390, height: 844, mobile: true } });
  try {
    await tab.send('Page.addScriptToEvaluateOnNewDocument', { source: HEADING_PROBE });
    let origin = 0;
    const load = async () => {
      await tab.send('Page.navigate', { url: `${baseURL}/app/` });
      for (let waited = 0; waited < 15_000; waited += 25) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        // The new document's, not the old one's (it answers until the new one commits).
        const [timeOrigin, at] = await tab.evaluate<[number, number | null]>('[performance.timeOrigin, window.__headingAt ?? null]').catch(() => [origin, null] as [number, null]);
        if (timeOrigin !== origin && at !== null) { origin = timeOrigin; return at; }
      }
      throw new Error(`the member app did not show 我的工会 at ${baseURL}`);
    };
    into.first.push(await load());
    await tab.evaluate('navigator.serviceWorker.ready.then(() => new Promise((resolve) => setTimeout(resolve, 1000)))');
    await load(); // the first load the worker controls
    for (let i = 0; i < RETURNING; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      into.returning.push(await load());
    }
  } finally {
    await tab.close();
  }
}
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

async function signedInContext(browser: Browser, baseURL: string) {
  const context = await newContext(browser, baseURL);
  const response = await context.request.post('/api/auth/login', { data: { username: 'admin', password: DEMO_PASSWORD } });
  if (!response.ok()) throw new Error(`sign-in failed: ${response.status()}`);
  return context;
}

const server = await startServer();
// BASELINE=<a built checkout> measures its member app in the same run (npm ci && npm run build there first).
const baseline = process.env.BASELINE ? await startServer(path.resolve(process.env.BASELINE)) : undefined;
const browser = await launch();
try {
  const results: Array<[string, Load]> = [];
  {
    const context = await newContext(browser, server.baseURL);
    const page = await context.newPage();
    results.push(['sign-in page (/login)', await measureScripts(page, '/login', () => page.getByRole('button', { name: /登\s*录/ }).waitFor())]);
    await context.close();
  }
  for (const [name, url, ready] of [
    ['home page (/, first page after sign-in; its chart loads after)', '/', (page: Page) => page.locator('.wh-home-tile-value').first().waitFor()],
    ['organization tree (/orgs)', '/orgs', (page: Page) => page.getByRole('tree').getByText('中华全国总工会', { exact: true }).waitFor()],
    ['member list (/members)', '/members', (page: Page) => page.locator('tbody tr.ant-table-row').first().waitFor()],
    ['organization page (/orgs/1)', '/orgs/1', (page: Page) => page.locator('tbody tr.ant-table-row').first().waitFor()],
  ] as const) {
    const context = await signedInContext(browser, server.baseURL);
    const page = await context.newPage();
    results.push([name, await measureScripts(page, url, () => ready(page))]);
    await context.close();
  }
  {
    const context = await newContext(browser, server.baseURL, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const response = await context.request.post('/api/auth/login', { data: { username: 'member', password: DEMO_PASSWORD } });
    if (!response.ok()) throw new Error(`member sign-in failed: ${response.status()}`);
    const page = await context.newPage();
    results.push(["member app's first page (/app/, a signed-in member on a phone)", await measureScripts(page, '/app/', () => page.getByRole('heading', { name: '我的工会' }).waitFor())]);
    await context.close();
  }

  const cold: number[] = [];
  const warm: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await signedInContext(browser, server.baseURL);
    const page = await context.newPage();
    for (const times of [cold, warm]) {
      const started = performance.now();
      await page.goto('/members');
      await page.locator('tbody tr.ant-table-row').first().waitFor();
      times.push(performance.now() - started);
    }
    await context.close();
  }

  // The member app on a phone, signed in as the demo member: navigation to their union's card,
  // in a browser without the test harness (raw-browser.ts), on this build and on the baseline's.
  const raw = await launchRaw();
  const app = { first: [] as number[], returning: [] as number[] };
  const baselineApp = { first: [] as number[], returning: [] as number[] };
  try {
    for (let run = 0; run < RUNS; run++) {
      await memberAppLoads(raw, server.baseURL, app);
      if (baseline) await memberAppLoads(raw, baseline.baseURL, baselineApp);
    }
  } finally {
    await raw.close();
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, Chromium ${browser.version()}`,
    '',
    '| page | scripts | JS before usable (gzip) | goal | layout shift (CLS) |',
    '|---|---:|---:|---|---:|',
    ...results.map(([name, load]) => `| ${name} | ${load.scripts} | ${kb(load.gzipBytes)} KB | ≤ ${GOAL_KB} KB ${load.gzipBytes <= GOAL_KB * 1024 ? '✓' : '✗'} | ${load.layoutShift.toFixed(3)} |`),
    '',
    `Member list visible (navigation to first rows, demo data, median of ${RUNS}): cold cache ${median(cold).toFixed(0)} ms, warm ${median(warm).toFixed(0)} ms`,
    `  cold runs: ${cold.map((t) => t.toFixed(0)).join(', ')} ms; warm runs: ${warm.map((t) => t.toFixed(0)).join(', ')} ms`,
    `Member app's first page on a phone (navigation start to the heading 我的工会, demo member, ${RUNS} runs of 1 + ${RETURNING} loads; goal ≤ 300 ms):`,
    `  a returning member (service worker and code cache in place): median ${median(app.returning).toFixed(0)} ms ${median(app.returning) <= 300 ? '✓' : '✗'} (p90 ${p90(app.returning).toFixed(0)} ms)` + (baseline ? `; baseline ${median(baselineApp.returning).toFixed(0)} ms, ratio ${(median(app.returning) / median(baselineApp.returning)).toFixed(2)}` : ''),
    `  first visit (empty cache, no service worker): median ${median(app.first).toFixed(0)} ms (${app.first.map((t) => t.toFixed(0)).join(', ')} ms)` + (baseline ? `; baseline ${median(baselineApp.first).toFixed(0)} ms (${baselineApp.first.map((t) => t.toFixed(0)).join(', ')} ms), ratio ${(median(app.first) / median(baselineApp.first)).toFixed(2)}` : ''),
    ...(baseline ? [`  baseline: the build in ${process.env.BASELINE}`] : []),
  ];
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  await browser.close();
  await server.stop();
  await baseline?.stop();
}
