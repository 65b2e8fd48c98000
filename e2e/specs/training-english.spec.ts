import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectConsoleErrors, DESKTOP, launch, newContext, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { baseURL, signedInContext } from '../support/context.ts';
import { DEMO_PASSWORD } from '../support/demo.ts';
import { MemberAppPage } from '../pages/member-app.ts';
import { ClassPage } from '../pages/training.ts';

/** Issue 16, item 15 (training): English that reads right — plurals, and 政治力 as "political leadership". */
const ACFTU_CLASS = '全国总工会新任省级工会领导班子成员专题培训班';
const LOS_ANGELES = { timezoneId: 'America/Los_Angeles' };

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

describe('training in English', () => {
  it('a trainee on a phone reads the competency model\'s aspects in English', async () => {
    const phone = await newContext(browser, baseURL(), { ...PHONE_CONTEXT, ...LOS_ANGELES, locale: 'en-US' });
    await phone.addInitScript(() => localStorage.setItem('wh.locale', 'en'));
    const page = await phone.newPage();
    const errors = collectConsoleErrors(page);
    const app = new MemberAppPage(page);
    await app.open();
    await app.signIn('member', DEMO_PASSWORD);
    await app.myUnion.waitFor();
    await page.goto('/app/training');
    await page.getByTestId('my-class').filter({ hasText: ACFTU_CLASS }).click();
    await page.getByText('Competency self-assessment').waitFor();
    for (const aspect of ['Political leadership', 'Leadership', 'Professional expertise', 'Working by the rules', 'Digital skills']) {
      await page.getByText(aspect, { exact: true }).waitFor();
    }
    expect(await page.getByText(/Political power/).count()).toBe(0);
    await page.getByText('Political leadership', { exact: true }).scrollIntoViewIfNeeded();
    await screenshot(page, 'training-competency-english-phone');
    expect(errors).toEqual([]);
    await phone.close();
  });

  it('an organizer reads counts with the right plural: one trainee, two trainees', async () => {
    const admin = await signedInContext(browser, 'admin');
    const classes = (await (await admin.request.get(`/api/training/classes?q=${encodeURIComponent(ACFTU_CLASS)}`)).json()) as { items: Array<{ id: number }> };
    const context = await newContext(browser, baseURL(), { viewport: DESKTOP, ...LOS_ANGELES, locale: 'en-US', storageState: await admin.storageState() });
    await context.addInitScript(() => localStorage.setItem('wh.locale', 'en'));
    const page = await context.newPage();
    const cls = new ClassPage(page);
    await cls.open(classes.items[0]!.id, 'trainees');
    const rows = cls.activePane.locator('tbody tr.ant-table-row');
    await rows.nth(1).waitFor();
    await cls.activePane.getByText('None selected').waitFor();
    await rows.nth(0).getByRole('checkbox').check();
    await cls.activePane.getByText('1 selected', { exact: true }).waitFor();
    await cls.activePane.getByRole('button', { name: 'Withdraw selected' }).click();
    await page.getByText('Withdraw the 1 selected trainee from the class?').waitFor();
    // Not now: the confirmation's cancel button.
    await page.locator('.ant-popconfirm:visible .ant-popconfirm-buttons button').first().click();
    await page.getByText('Withdraw the 1 selected trainee from the class?').waitFor({ state: 'hidden' });
    await rows.nth(1).getByRole('checkbox').check();
    await cls.activePane.getByText('2 selected', { exact: true }).waitFor();
    await cls.activePane.getByRole('button', { name: 'Withdraw selected' }).click();
    await page.getByText('Withdraw the 2 selected trainees from the class?').waitFor();
    expect(await page.locator('.ant-popconfirm:visible .ant-popconfirm-buttons button').first().innerText()).toMatch(/Cancel|No/);
    await screenshot(page, 'training-plural-english');
    // Nothing is withdrawn: the page closes with the confirmation still asking (a full-page
    // screenshot may already have closed it, so it is not clicked).
    await context.close();
    await admin.close();
  });
});
