import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seriousViolations } from '../support/axe.ts';
import { collectConsoleErrors, launch, newContext, PHONE, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { baseURL, signedInContext } from '../support/context.ts';
import { certificateCheckCharacter } from '@workers-home/contract';
import { ClassPage } from '../pages/training.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

const ACFTU_CLASS = '全国总工会新任省级工会领导班子成员专题培训班';

describe('training: certificates and their public verification', () => {
  it('issues certificates as a job with progress; a real number verifies without sign-in, a made-up one is rejected', async () => {
    // The organizer issues the demo ACFTU class's certificates from its certificates tab.
    const admin = await signedInContext(browser, 'admin');
    const page = await admin.newPage();
    const errors = collectConsoleErrors(page);
    const classes = (await (await admin.request.get(`/api/training/classes?q=${encodeURIComponent('新任省级工会领导班子')}`)).json()) as { items: Array<{ id: number; title: string }> };
    const acftu = classes.items[0];
    expect(acftu?.title).toContain('新任');
    const cls = new ClassPage(page);
    await cls.open(acftu!.id, 'certificates');
    await page.getByRole('button', { name: /为已结业学员生成证书/ }).click();
    await page.getByTestId('certificate-job').getByText(/生成完成/).waitFor({ timeout: 45_000 });
    const rows = cls.activePane.locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    const number = (await rows.first().locator('td').first().innerText()).trim();
    expect(number).toMatch(/^WH\d{14}[\dX]$/);
    await cls.activePane.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'training-certificates');

    // Anyone, signed in or not, on a phone: the number printed on the certificate verifies.
    const visitor = await newContext(browser, baseURL(), PHONE_CONTEXT);
    const phone = await visitor.newPage();
    const phoneErrors = collectConsoleErrors(phone);
    await phone.goto(`/verify/${number}`);
    const result = phone.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.innerText()).toContain('证书真实有效');
    expect(await result.innerText()).toContain(ACFTU_CLASS.slice(0, 6));
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'training-verify-valid-phone');

    // The form at /verify: a made-up number (well formed, right check character) is rejected…
    const madeUp = `WH2024${'9'.repeat(10)}${certificateCheckCharacter(`2024${'9'.repeat(10)}`)}`;
    await phone.goto('/verify');
    await phone.getByLabel('证书编号').fill(madeUp);
    await phone.getByRole('button', { name: /查\s*验/ }).click();
    await phone.waitForURL(new RegExp(`/verify/${madeUp}$`));
    await result.waitFor();
    expect(await result.innerText()).toContain('未查到此编号的证书');
    // …and so is the real one with a character mistyped.
    const typo = number.slice(0, 8) + (number[8] === '1' ? '2' : '1') + number.slice(9);
    await phone.goto(`/verify/${typo}`);
    await phone.getByTestId('verify-result').getByText(/有错字|未查到/).waitFor();
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'training-verify-rejected-phone');

    // And at desktop size, in English.
    const desktop = await newContext(browser, baseURL(), { locale: 'en-US' });
    const wide = await desktop.newPage();
    await wide.goto(`/verify/${number}`);
    await wide.getByTestId('verify-result').getByText('This certificate is genuine').waitFor();
    expect(await seriousViolations(wide)).toEqual([]);
    await screenshot(wide, 'training-verify-valid-desktop-en');

    expect([...errors, ...phoneErrors.filter((e) => !/status of (404|400)/.test(e))]).toEqual([]);
    await admin.close();
    await visitor.close();
    await desktop.close();
  });
});
