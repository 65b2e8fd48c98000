import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { SubtreeFigures, Workbench } from '@workers-home/contract';
import { collectConsoleErrors, launch, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';
import { ZHONGMOU } from '../support/demo.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

/** The China calendar day `days` from now, whatever this process's zone. */
const chinaDay = (days = 0) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86_400_000));
const workbench = async (page: Page) => (await (await page.request.get('/api/workbench')).json()) as Workbench;
const card = (bench: Workbench, id: string) => bench.cards.find((c) => c.id === id);
const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('the home page (工作台)', () => {
  it('a county\'s staff member lands on their figures and what waits for them; a class they add shows as starting, moving it later takes it off', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin', { timezoneId: 'America/Los_Angeles' });
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const before = await workbench(page);
    const county = before.roots[0]!;
    expect(county.name).toBe(ZHONGMOU);
    const figures = (await (await page.request.get(`/api/orgs/${county.id}/figures`)).json()) as SubtreeFigures;

    // A class of the county starting in three days (China dates), as an organizer would add it.
    const created = await page.request.post('/api/training/classes', { data: { orgId: county.id, title: `工作台演示班 ${Date.now()}`, startsOn: chinaDay(3), endsOn: chinaDay(4) } });
    expect(created.status()).toBe(201);
    const klass = (await created.json()) as { id: number };
    const starting = card(await workbench(page), 'training.classesStarting')!.count;
    expect(starting).toBe((card(before, 'training.classesStarting')?.count ?? 0) + 1);

    await page.goto('/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('工作台');
    await page.getByText(ZHONGMOU, { exact: true }).waitFor();
    // The tiles say what the figures say, as the reader writes numbers.
    const tiles = page.getByRole('region', { name: '本级及下属组织的统计' });
    await tiles.getByText('在册会员').waitFor();
    expect(await tiles.textContent()).toContain(new Intl.NumberFormat('zh-CN').format(figures.members.active));
    expect(await tiles.textContent()).toContain(`其中基层工会 ${figures.unionsByLevel.grassroots} 个`);
    // The trend is drawn.
    await page.getByRole('img', { name: /近 12 个月各月末在册会员数/ }).locator('canvas').waitFor();

    // What waits: the starting classes, with their count; following the card opens them.
    const startingCard = page.getByRole('link', { name: /7 天内开班的培训班/ });
    expect(await startingCard.textContent()).toContain(String(starting));
    await startingCard.click();
    await page.waitForURL(starting === 1 ? new RegExp(`/training/classes/${klass.id}$`) : /\/training$/);

    // Moved three weeks later, the class no longer starts this week: back home, one fewer.
    const moved = await page.request.patch(`/api/training/classes/${klass.id}`, { data: { startsOn: chinaDay(21), endsOn: chinaDay(22) } });
    expect(moved.status()).toBe(200);
    await page.goto('/');
    await page.getByText('待办事项').waitFor();
    if (starting - 1 === 0) {
      await expect.poll(() => page.getByRole('link', { name: /7 天内开班的培训班/ }).count()).toBe(0);
    } else {
      await expect.poll(() => page.getByRole('link', { name: /7 天内开班的培训班/ }).textContent()).toContain(String(starting - 1));
    }
    await page.getByRole('img', { name: /近 12 个月各月末在册会员数/ }).locator('canvas').waitFor();
    await screenshot(page, 'home-zh-desktop');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reads in English on a phone: counts with their plural, what waits above the chart, nothing wider than the screen', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin', { ...PHONE_CONTEXT, locale: 'en', timezoneId: 'Europe/London' });
    await context.addInitScript(() => localStorage.setItem('wh.locale', 'en'));
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const bench = await workbench(page);
    await page.goto('/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Home');
    const figures = (await (await page.request.get(`/api/orgs/${bench.roots[0]!.id}/figures`)).json()) as SubtreeFigures;
    const grassroots = figures.unionsByLevel.grassroots;
    await page.getByText(grassroots === 1 ? '1 grassroots union' : `${grassroots} grassroots unions`, { exact: true }).waitFor();

    const waiting = bench.cards.filter((c) => c.count > 0);
    const waitingPanel = page.getByText('Waiting for you', { exact: true });
    const chart = page.getByRole('img', { name: /Active members at the end of each/ });
    await chart.waitFor();
    expect((await waitingPanel.boundingBox())!.y).toBeLessThan((await chart.boundingBox())!.y);
    for (const c of waiting.filter((w) => w.id === 'people.transfersWaiting')) {
      await page.getByRole('link', { name: c.count === 1 ? /transfer request waits for your decision/ : /transfer requests wait for your decision/ }).waitFor();
    }
    if (waiting.length === 0) await page.getByText('Nothing is waiting for you.').waitFor();
    expect(await noSidewaysScroll(page)).toBe(true);
    // No Chinese words in the English page but the organization's name.
    const text = (await page.locator('main').innerText()).replaceAll(ZHONGMOU, '');
    expect(text).not.toMatch(/[\u4e00-\u9fff]/u);
    await screenshot(page, 'home-en-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
