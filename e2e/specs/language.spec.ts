import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, newContext, screenshot } from '../support/browser.ts';
import { baseURL, signedInContext } from '../support/context.ts';
import { ConsoleShell, MemberListPage } from '../pages/console.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

describe('languages', () => {
  it('starts in the browser\'s language', async () => {
    const context = await newContext(browser, baseURL(), { locale: 'en-US' });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await context.close();
  });

  it('switches the console between Chinese and English: labels, dates and numbers, and keeps the choice', async () => {
    const context = await signedInContext(browser, 'admin');
    const page = await context.newPage();
    const list = new MemberListPage(page);
    await list.open();
    const shell = new ConsoleShell(page);
    expect(await list.total.innerText()).toMatch(/^共 [\d,]+ 人$/);
    expect(await list.rows.first().locator('td:nth-child(3)').innerText()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);

    await shell.language('English');
    await shell.navLink('Members').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Member roster');
    expect(await list.total.innerText()).toMatch(/^[\d,]+ people$/);
    expect(await list.total.innerText()).toContain(','); // thousands separated the English way
    expect(await list.rows.first().locator('td:nth-child(3)').innerText()).toMatch(/^[A-Z][a-z]+ \d{1,2}, \d{4}$/);
    expect(await page.locator('.ant-pagination-options').innerText()).toMatch(/page/); // antd's own texts follow
    await screenshot(page, 'language-english');

    await page.reload();
    await shell.navLink('Organizations').waitFor();
    await shell.language('中文');
    await shell.navLink('会员管理').waitFor();
    await context.close();
  });
});
