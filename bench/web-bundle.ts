// The web console's weight and speed, in headless Chromium against the real server and demo data:
// - JavaScript loaded before a page is usable (gzip -9, as the server sends it pre-compressed),
//   for the sign-in page, the home page (the first page after signing in), the organization tree and the member list;
// - time from navigation to the member list's first rows being visible, cold (empty cache) and warm;
// - the same for the member app's first page on a phone (the goal: ≤ 300 ms).
// Run: npm run bench:web   (starts its own server on free ports with a fresh data folder)
import { readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { launch, newContext } from '../e2e/support/browser.ts';
import { DEMO_PASSWORD } from '../e2e/support/demo.ts';
import { startServer } from '../e2e/support/server.ts';

const RUNS = 5;
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

const TRACE = path.join(os.tmpdir(), `wh-bench-web-${process.pid}.json`);

/** CPU time of the renderer's main thread in a trace: its top-level tasks' thread durations. */
function mainThreadCpu(file: string): number {
  const { traceEvents } = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: Array<{ name: string; ph: string; pid: number; tid: number; tdur?: number; args?: { name?: string } }> };
  const mains = new Set(traceEvents.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  return traceEvents.filter((e) => e.name === 'RunTask' && e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`)).reduce((sum, e) => sum + (e.tdur ?? 0) / 1000, 0);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

async function signedInContext(browser: Browser, baseURL: string) {
  const context = await newContext(browser, baseURL);
  const response = await context.request.post('/api/auth/login', { data: { username: 'admin', password: DEMO_PASSWORD } });
  if (!response.ok()) throw new Error(`sign-in failed: ${response.status()}`);
  return context;
}

const server = await startServer();
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

  // The member app on a phone, signed in as the demo member: navigation to their union's card.
  const appCold: number[] = [];
  const appWarm: number[] = [];
  const appCpu: number[] = [];
  // Inside the page: from the navigation's start to the heading's insertion (what the browser
  // does, without the test harness's round trips), on the warm load and on a repeat visit
  // (scripts then come with V8's code cache).
  const appInPage: number[] = [];
  const appRepeat: number[] = [];
  const headingAt = () => (window as unknown as { __headingAt?: number }).__headingAt ?? Number.NaN;
  for (let run = 0; run < RUNS; run++) {
    const context = await newContext(browser, server.baseURL, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const response = await context.request.post('/api/auth/login', { data: { username: 'member', password: DEMO_PASSWORD } });
    if (!response.ok()) throw new Error(`member sign-in failed: ${response.status()}`);
    await context.addInitScript(() => {
      const w = window as unknown as { __headingAt?: number };
      new MutationObserver(() => {
        if (w.__headingAt === undefined && [...document.querySelectorAll('h2')].some((h) => h.textContent?.includes('我的工会'))) w.__headingAt = performance.now();
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();
    for (const times of [appCold, appWarm]) {
      const started = performance.now();
      await page.goto('/app/');
      await page.getByRole('heading', { name: '我的工会' }).waitFor();
      times.push(performance.now() - started);
    }
    appInPage.push(await page.evaluate(headingAt));
    await page.goto('/app/');
    await page.getByRole('heading', { name: '我的工会' }).waitFor();
    appRepeat.push(await page.evaluate(headingAt));
    // The same warm load once more, traced: the renderer's main-thread CPU time does not grow
    // with other work on the machine the way the wall-clock time does.
    await browser.startTracing(page, { path: TRACE, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    await page.goto('/app/');
    await page.getByRole('heading', { name: '我的工会' }).waitFor();
    await browser.stopTracing();
    appCpu.push(mainThreadCpu(TRACE));
    await context.close();
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
    `Member app's first page on a phone (navigation to the member's union, demo member, median of ${RUNS}; goal ≤ 300 ms): cold cache ${median(appCold).toFixed(0)} ms, warm ${median(appWarm).toFixed(0)} ms ${median(appWarm) <= 300 ? '✓' : '✗'}`,
    `  cold runs: ${appCold.map((t) => t.toFixed(0)).join(', ')} ms; warm runs: ${appWarm.map((t) => t.toFixed(0)).join(', ')} ms`,
    `  the warm load's main-thread CPU time in the browser (traced, so a little above untraced): median ${median(appCpu).toFixed(0)} ms (${appCpu.map((t) => t.toFixed(0)).join(', ')} ms)`,
    `  inside the page, navigation start to the heading: warm load median ${median(appInPage).toFixed(0)} ms (${appInPage.map((t) => t.toFixed(0)).join(', ')} ms); repeat visit (code cache) median ${median(appRepeat).toFixed(0)} ms (${appRepeat.map((t) => t.toFixed(0)).join(', ')} ms) ${median(appRepeat) <= 300 ? '✓' : '✗'}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  rmSync(TRACE, { force: true });
  await browser.close();
  await server.stop();
}
