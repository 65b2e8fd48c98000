import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seriousViolations } from '../support/axe.ts';
import { ARTIFACTS, collectConsoleErrors, DESKTOP, launch, newContext, PHONE, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
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
    expect(await list.column(3).first().innerText()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);

    await shell.language('English');
    await shell.navLink('Members').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Member roster');
    expect(await list.total.innerText()).toMatch(/^[\d,]+ people$/);
    expect(await list.total.innerText()).toContain(','); // thousands separated the English way
    expect(await list.column(3).first().innerText()).toMatch(/^[A-Z][a-z]+ \d{1,2}, \d{4}$/);
    expect(await page.locator('.ant-pagination-options').innerText()).toMatch(/page/); // antd's own texts follow
    await screenshot(page, 'language-english');

    await page.reload();
    await shell.navLink('Organizations').waitFor();
    await shell.language('中文');
    await shell.navLink('会员管理').waitFor();
    await context.close();
  });

  it('folds the console\'s header behind a menu button on a phone and a tablet, in English (its longest labels)', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin', { ...PHONE_CONTEXT, locale: 'en-US' });
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto('/members');
    await page.getByRole('heading', { level: 1, name: 'Member roster' }).waitFor();
    const menu = page.getByRole('button', { name: 'Menu' });
    const main = page.getByRole('navigation', { name: 'Main' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await main.isVisible()).toBe(false);
    // Nothing of the header runs past the screen's edge, nor overlaps: no sideways scrolling.
    const overflowingAt = (screen: number) => page.evaluate((width) => [...document.querySelectorAll('.wh-header *')]
      .filter((e) => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > width + 1)
      .map((e) => `${e.tagName}.${String(e.className).slice(0, 40)}`), screen);
    const overflowing = () => overflowingAt(PHONE.width);
    expect(await overflowing()).toEqual([]);

    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await main.getByRole('link', { name: 'Training' }).waitFor();
    expect(await overflowing()).toEqual([]);
    expect(await page.getByTestId('my-account').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'console-menu-phone');

    // Following a link closes the menu; Escape does too.
    await main.getByRole('link', { name: 'Training' }).click();
    await page.waitForURL('**/training**');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.click();
    await main.getByRole('link', { name: 'Members' }).focus();
    await page.keyboard.press('Escape');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await menu.evaluate((button) => button === document.activeElement)).toBe(true);
    // Escape right after opening, with the focus still on the button, closes it too.
    await menu.click();
    await page.keyboard.press('Escape');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    // Wider screens, tablet to desk: either the whole header fits or it folds; never links over links
    // (whatever the font: the header measures itself; .ci/run runs this with DejaVu Sans, wider than Arial).
    for (const width of [768, 1024, 1100, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      const crowded = await page.evaluate(() => {
        const nav = document.querySelector('.wh-nav')!;
        return nav.getBoundingClientRect().width > 0 && nav.scrollWidth > nav.clientWidth + 1;
      });
      expect({ width, crowded, overflowing: await overflowingAt(width) }).toEqual({ width, crowded: false, overflowing: [] });
      await page.locator('.wh-header').screenshot({ path: join(ARTIFACTS, `console-header-${width}-en.png`) });
    }
    // On a desk the links are on the header's row, not folded away.
    await page.setViewportSize(DESKTOP);
    await main.getByRole('link', { name: 'Training' }).waitFor();
    expect(await menu.isVisible()).toBe(false);
    expect(await overflowingAt(DESKTOP.width)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits every console page to a phone, in English and in Chinese: no sideways scrolling (wide tables scroll inside)', async () => {
    for (const locale of ['en-US', 'zh-CN']) {
      const context = await signedInContext(browser, 'zhongmou.admin', { ...PHONE_CONTEXT, locale });
      const page = await context.newPage();
      const first = async <T>(url: string) => ((await (await page.request.get(url)).json()) as { items: T[] }).items[0]!;
      const person = await first<{ personId: number }>('/api/members?pageSize=1');
      const trainingClass = await first<{ id: number }>('/api/training/classes?pageSize=1');
      const org = await first<{ id: number }>('/api/orgs?pageSize=1');
      const pages = ['/orgs', `/orgs/${org.id}`, '/members', '/members/new', `/members/${person.personId}`, '/members/import',
        '/training', '/training/classes/new', `/training/classes/${trainingClass.id}`, '/grants', '/audit', '/account'];
      const wide: string[] = [];
      const measure = async (what: string) => {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > PHONE.width) wide.push(`${locale} ${what}: ${width} px`);
      };
      for (const path of pages) {
        await page.goto(path);
        await page.locator('h1').first().waitFor();
        await page.locator('.ant-skeleton, .ant-spin-spinning').first().waitFor({ state: 'detached' }).catch(() => undefined);
        await measure(path);
        if (path === `/members/${person.personId}`) await screenshot(page, `member-phone-${locale}`);
        // A class's tabs, each in turn.
        if (path.startsWith('/training/classes/') && path !== '/training/classes/new') {
          for (const tab of await page.getByRole('tab').all()) {
            await tab.click();
            await measure(`${path} tab "${await tab.innerText()}"`);
          }
        }
      }
      expect(wide).toEqual([]);
      await context.close();
    }
  });
});

