import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from '../support/axe.ts';
import { collectConsoleErrors, launch, newContext, PHONE, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { baseURL } from '../support/context.ts';
import { DEMO_PASSWORD, ZHONGMOU_HOSPITAL_UNION } from '../support/demo.ts';
import { MemberAppPage } from '../pages/member-app.ts';

/** Whether the page holds antd's stylesheet (its button rules). */
const antdStylesheetLoaded = (page: Page) => page.evaluate(() => [...document.styleSheets].some((sheet) => {
  try { return [...sheet.cssRules].some((rule) => rule.cssText.startsWith('.ant-btn')); } catch { return false; }
}));

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

describe('the member app at 390 × 844', () => {
  it('signs a member in and shows their union, profile and membership history; installable; the shell works offline', async () => {
    const context = await newContext(browser, baseURL(), PHONE_CONTEXT);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const app = new MemberAppPage(page);
    await app.open();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'member-app-sign-in');

    await app.signIn('member', DEMO_PASSWORD);
    await app.myUnion.waitFor();
    expect(await app.myUnion.innerText()).toBe(ZHONGMOU_HOSPITAL_UNION);
    expect(await app.history.count()).toBeGreaterThan(0);
    // Nothing wider than the phone: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'member-app');

    // Installable: a manifest with icons, and a service worker controlling /app/.
    const manifestHref = await page.locator('link[rel=manifest]').getAttribute('href');
    const manifest = (await (await page.request.get(manifestHref!)).json()) as { start_url: string; display: string; icons: Array<{ src: string; sizes: string }> };
    expect(manifest).toMatchObject({ start_url: '/app/', display: 'standalone' });
    for (const icon of manifest.icons) expect((await page.request.get(icon.src)).ok()).toBe(true);
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await app.myUnion.waitFor();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // The first page is plain HTML: antd's 1 MB stylesheet loads with the other sections, not with it.
    expect(await antdStylesheetLoaded(page)).toBe(false);
    await page.getByRole('link', { name: '证书' }).click();
    await page.getByRole('heading', { name: /证书/ }).first().waitFor();
    expect(await antdStylesheetLoaded(page)).toBe(true);
    await page.getByRole('link', { name: '我的会籍' }).click();
    await app.myUnion.waitFor();

    // Offline: the shell still opens from the cache and says why no data shows.
    await context.setOffline(true);
    await page.reload();
    await page.getByText('当前离线').waitFor();
    await page.getByRole('heading', { level: 1, name: '职工之家' }).waitFor();
    await screenshot(page, 'member-app-offline');
    await context.setOffline(false);

    await page.reload();
    await app.signOutButton.click();
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(e))).toEqual([]);
    await context.close();
  });

  it('signs in from another section and then shows the member\'s record: nothing asked before signing in is reused', async () => {
    // The page asks for the member and their record with the document (link preload): signed
    // out, both answer 401; signed in on another section, the record is asked for again.
    const context = await newContext(browser, baseURL(), PHONE_CONTEXT);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const app = new MemberAppPage(page);
    await page.goto('/app/certificates');
    await app.signIn('member', DEMO_PASSWORD);
    await page.getByRole('link', { name: '我的会籍' }).click();
    await app.myUnion.waitFor();
    expect(await app.myUnion.innerText()).toBe(ZHONGMOU_HOSPITAL_UNION);
    expect(errors).toEqual([]);
    await context.close();
  });
});
