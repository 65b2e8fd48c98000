import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator } from 'playwright-core';
import path from 'node:path';
import { ARTIFACTS, DESKTOP, launch, newContext, PHONE_CONTEXT } from '../support/browser.ts';
import { baseURL, signedInContext } from '../support/context.ts';
import { ClassPage } from '../pages/training.ts';

/**
 * Issue 16, item 14: the report's charts can be read — no label over another, none cut at the
 * chart's edge, the legend clear of the axis — at 390 px and 1440 px, in Chinese and English.
 * The charts are SVG: every text they draw is an element whose box the test measures.
 */
const ACFTU_CLASS = '全国总工会新任省级工会领导班子成员专题培训班';
const LOS_ANGELES = { timezoneId: 'America/Los_Angeles' };

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

interface Box { text: string; x: number; y: number; width: number; height: number }

/** The visible texts a chart draws, with their boxes, and the chart's own box. */
async function textsOf(chart: Locator): Promise<{ chart: Box; texts: Box[] }> {
  return chart.evaluate((element) => {
    const box = (r: DOMRect, text: string) => ({ text, x: r.x, y: r.y, width: r.width, height: r.height });
    const texts = [...element.querySelectorAll('text')]
      .filter((t) => (t.textContent ?? '').trim() !== '' && getComputedStyle(t).visibility !== 'hidden' && t.getAttribute('opacity') !== '0')
      .map((t) => box(t.getBoundingClientRect(), t.textContent ?? ''))
      .filter((b) => b.width > 0 && b.height > 0);
    return { chart: box(element.getBoundingClientRect(), ''), texts };
  });
}

const overlap = (a: Box, b: Box, slack = 1) =>
  a.x + slack < b.x + b.width && b.x + slack < a.x + a.width && a.y + slack < b.y + b.height && b.y + slack < a.y + a.height;

function problems({ chart, texts }: { chart: Box; texts: Box[] }): string[] {
  const found: string[] = [];
  for (const t of texts) {
    if (t.x < chart.x - 1 || t.y < chart.y - 1 || t.x + t.width > chart.x + chart.width + 1 || t.y + t.height > chart.y + chart.height + 1) found.push(`“${t.text}” runs out of the chart`);
  }
  for (const [i, a] of texts.entries()) {
    for (const b of texts.slice(i + 1)) if (overlap(a, b)) found.push(`“${a.text}” overlaps “${b.text}”`);
  }
  return found;
}

describe('the class report\'s charts', () => {
  for (const [language, locale] of [['zh-CN', 'zh-CN'], ['English', 'en']] as const) {
    for (const [size, options] of [['1440', { viewport: DESKTOP }], ['390', PHONE_CONTEXT]] as const) {
      it(`are readable in ${language} at ${size} px`, async () => {
        const admin = await signedInContext(browser, 'admin');
        const classes = (await (await admin.request.get(`/api/training/classes?q=${encodeURIComponent(ACFTU_CLASS)}`)).json()) as { items: Array<{ id: number }> };
        const context = await newContext(browser, baseURL(), { ...options, ...LOS_ANGELES, locale, storageState: await admin.storageState() });
        await context.addInitScript((saved) => localStorage.setItem('wh.locale', saved), locale);
        const page = await context.newPage();
        const cls = new ClassPage(page);
        await cls.open(classes.items[0]!.id, 'report');
        const bySession = page.getByRole('img', { name: language === 'English' ? 'Attendance by session' : '各节课程出勤' });
        const byLevel = page.getByRole('img', { name: language === 'English' ? 'By level' : '按组织层级' });
        for (const chart of [bySession, byLevel]) await chart.locator('svg text').first().waitFor();
        // Every session has its name on the axis; the donut names every level in its legend.
        const sessions = await textsOf(bySession);
        expect(sessions.texts.length).toBeGreaterThan(5);
        expect(problems(sessions)).toEqual([]);
        const levels = await textsOf(byLevel);
        expect(levels.texts.length).toBeGreaterThan(1);
        expect(problems(levels)).toEqual([]);
        // The charts' row as the user looks at it (the whole page is long).
        const charts = page.locator('.ant-row').filter({ has: bySession }).filter({ has: byLevel }).last();
        // Scrolled to the top of the charts, under the console's fixed header.
        await charts.evaluate((element) => window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY - 80));
        await page.screenshot({ path: path.join(ARTIFACTS, `training-report-charts-${locale}-${size}.png`) });
        await context.close();
        await admin.close();
      });
    }
  }
});
