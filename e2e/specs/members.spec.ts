import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seriousViolations } from '../support/axe.ts';
import { collectConsoleErrors, launch, screenshot } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';
import { MemberListPage } from '../pages/console.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

describe('the member list', () => {
  it('finds members by part of a Chinese name, and exports the filtered list to .xlsx', async () => {
    const context = await signedInContext(browser, 'admin');
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const list = new MemberListPage(page);
    await list.open();
    expect(await seriousViolations(page)).toEqual([]);

    // Part of a real name: the given name of the first member listed (names are 2-3 characters).
    const [firstName] = await list.names();
    const part = [...firstName!].slice(1).join('');
    await list.search(part);
    const names = await list.names();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toContain(part);
    expect(new URL(page.url()).searchParams.get('q')).toBe(part);
    await screenshot(page, 'member-search');

    // The export holds exactly the filtered members.
    const total = Number((await list.total.innerText()).replace(/\D/g, ''));
    const [download] = await Promise.all([page.waitForEvent('download'), list.exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/^会员名单-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const file = await readFile(await download.path());
    expect(file.subarray(0, 2).toString()).toBe('PK'); // a zip container, as .xlsx is
    const response = await page.request.get(`/api/members?q=${encodeURIComponent(part)}&pageSize=1`);
    expect(((await response.json()) as { total: number }).total).toBe(total);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('filters by gender and age band, and sorts on the server', async () => {
    const context = await signedInContext(browser, 'admin');
    const page = await context.newPage();
    const list = new MemberListPage(page);
    await list.open('?gender=female&age=31-40&sort=birthDate&order=desc');
    const rows = await list.column(2).allInnerTexts();
    expect(new Set(rows)).toEqual(new Set(['女']));
    const api = (await (await page.request.get('/api/members?gender=female&ageMin=31&ageMax=40&sort=birthDate&order=desc&pageSize=20')).json()) as { items: Array<{ name: string }> };
    expect(await list.names()).toEqual(api.items.map((m) => m.name));
    await context.close();
  });
});
