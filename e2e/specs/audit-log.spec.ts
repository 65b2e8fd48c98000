import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { PersonDetail } from '@workers-home/contract';
import { collectConsoleErrors, launch, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** A Zhongmou member whose phone the staff member changes, as the member form sends it; their name and the old and new numbers. */
async function changePhone(page: Page) {
  const members = (await (await page.request.get('/api/members?pageSize=1')).json()) as { items: Array<{ personId: number }> };
  const personId = members.items[0]!.personId;
  const before = (await (await page.request.get(`/api/persons/${personId}`)).json()) as PersonDetail;
  const phone = `139${String(Date.now()).slice(-8)}`;
  expect((await page.request.patch(`/api/persons/${personId}`, { data: { phone } })).status()).toBe(200);
  return { personId, name: before.name, oldPhone: before.phone, phone };
}

describe('the audit log, as staff read it', () => {
  it('says in Chinese who changed which member\'s phone from what to what, in China time, and opens the member', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin', { timezoneId: 'America/Los_Angeles' });
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const change = await changePhone(page);

    await page.goto('/audit?entity=person');
    const entry = page.locator('.wh-audit-entry').filter({ hasText: change.phone }).first();
    await entry.waitFor();
    const text = await entry.innerText();
    expect(text).toContain('修改');
    expect(text).toContain('会员');
    expect(text).toContain(change.name);
    expect(text).toMatch(new RegExp(`手机号：\\s*${change.oldPhone ?? '—'}\\s*→\\s*${change.phone}`));
    expect(text).toContain('中牟县总工会管理员');
    // The time is China's: this browser's clock is in Los Angeles.
    const shown = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(new Date());
    expect(text).toContain(shown.slice(0, shown.indexOf(' ')));
    // No raw record names: not "person", not the field's code.
    expect(text).not.toMatch(/\bperson\b|\bphone\b/);
    await screenshot(page, 'audit-zh-desktop');

    await entry.getByRole('link', { name: change.name }).click();
    await page.waitForURL(new RegExp(`/members/${change.personId}$`));
    await page.getByText(change.phone).first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reads in English on a phone, nothing wider than the screen', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin', { ...PHONE_CONTEXT, locale: 'en', timezoneId: 'Europe/Berlin' });
    await context.addInitScript(() => localStorage.setItem('wh.locale', 'en'));
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const change = await changePhone(page);
    await page.goto('/audit');
    const entry = page.locator('.wh-audit-entry').filter({ hasText: change.phone }).first();
    await entry.waitFor();
    const text = await entry.innerText();
    expect(text).toContain('Changed');
    expect(text).toContain('Member');
    expect(text).toMatch(new RegExp(`Phone:\\s*${change.oldPhone ?? '—'}\\s*→\\s*${change.phone}`));
    expect(await noSidewaysScroll(page)).toBe(true);
    // Every entry on the page is in English: no raw actions such as "update" or "reset-password".
    const actions = await page.locator('.wh-audit-what .ant-tag').allInnerTexts();
    for (const action of actions) expect(action).toMatch(/^[A-Z]/);
    await screenshot(page, 'audit-en-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
