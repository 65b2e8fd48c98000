import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { nationalIdCheckCharacter, type ImportJob } from '@workers-home/contract';
import { seriousViolations } from '../support/axe.ts';
import { collectConsoleErrors, launch, PHONE, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';
import { ZHONGMOU, ZHONGMOU_HOSPITAL_UNION } from '../support/demo.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

/** A valid ID number no demo person has: born 1991-07-xx in Zhongmou (410122), serial 9xx. */
const idNumber = (day: number, serial: number) => {
  const first17 = `410122199107${String(day).padStart(2, '0')}${900 + serial}`;
  return first17 + nationalIdCheckCharacter(first17);
};

describe('importing members from the console', () => {
  it('uploads a roster, shows the rows it refused with a report, and imports the valid rows when asked', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin');
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const orgs = (await (await page.request.get(`/api/orgs?q=${encodeURIComponent(ZHONGMOU)}&pageSize=5`)).json()) as { items: Array<{ id: number; name: string }> };
    const county = orgs.items.find((o) => o.name === ZHONGMOU)!;

    // From the member list's button, with the county already chosen.
    await page.goto(`/members?orgId=${county.id}`);
    await page.getByRole('button', { name: '批量导入' }).click();
    await page.waitForURL(`**/members/import?orgId=${county.id}`);
    await page.getByRole('heading', { name: '批量导入会员' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const good = [idNumber(11, 1), idNumber(12, 2)];
    const wrongCheckDigit = idNumber(13, 3).slice(0, 17) + (idNumber(13, 3).endsWith('0') ? '1' : '0');
    const csv = [
      '姓名,身份证号,手机号,所属工会',
      `导入甲,${good[0]},13800001111,${ZHONGMOU_HOSPITAL_UNION}`,
      `导入乙,${wrongCheckDigit},,${ZHONGMOU_HOSPITAL_UNION}`,
      `导入丙,${good[1]},,${ZHONGMOU_HOSPITAL_UNION}`,
    ].join('\r\n');
    const choose = () => page.locator('input[type=file]').setInputFiles({ name: '医院工会名单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

    // Starting without a file says what is missing.
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.getByText('请选择文件').first().waitFor();

    // All or nothing: one bad row, nothing written, and the report names it.
    await choose();
    expect(await page.getByTestId('import-file').innerText()).toContain('医院工会名单.csv');
    await page.getByRole('button', { name: '开始导入' }).click();
    const result = page.getByTestId('import-job').getByRole('alert');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toMatch(/3 行中有 1 行未通过校验，未写入任何数据/);
    const reportLink = result.getByRole('link', { name: '下载未通过的行及原因' });
    const report = await (await page.request.get((await reportLink.getAttribute('href'))!)).text();
    expect(report).toMatch(/^\uFEFF?行号 row/);
    expect(report).toContain('3,id_number');
    expect(report).toContain('导入乙');
    // In the console's language: the reason is the code's Chinese text, not the server's English.
    expect(report).toContain('3,id_number,校验位错误（GB 11643）');
    const found = async (id: string) => ((await (await page.request.get(`/api/members?q=${id}&status=all`)).json()) as { total: number }).total;
    expect(await found(good[0]!)).toBe(0);

    // Asked to import the valid rows: the two good people, the bad row left out.
    await page.getByRole('checkbox', { name: /有错误行时仍导入有效行/ }).check();
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.getByTestId('import-job').getByText(/已导入 2 行：新增 2 人/).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-job').innerText()).toContain('1 行未通过校验，未导入');
    expect(await found(good[0]!)).toBe(1);
    expect(await found(good[1]!)).toBe(1);

    // Both imports are listed, newest first.
    const table = page.getByRole('table');
    await table.getByText('已导入', { exact: true }).waitFor();
    const statuses = await table.locator('tbody tr.ant-table-row td:nth-child(4)').allInnerTexts();
    expect(statuses.slice(0, 2)).toEqual(['已导入', '未通过']);
    const jobs = (await (await page.request.get(`/api/member-imports?orgId=${county.id}`)).json()) as { items: ImportJob[] };
    expect(jobs.items[0]).toMatchObject({ status: 'succeeded', personsCreated: 2, rowsRejected: 1 });
    await screenshot(page, 'member-import');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits a phone-sized screen, in English too', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin', { ...PHONE_CONTEXT, locale: 'en-US' });
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto('/members/import');
    await page.getByRole('heading', { name: 'Import members' }).waitFor();
    await page.getByRole('button', { name: 'Start the import' }).click();
    await page.getByText('Choose the organization to import into').first().waitFor();
    // The page's own content fits (the recent imports show fewer columns on a phone).
    const overflowing = await page.evaluate((width) => [...document.querySelectorAll('.wh-main *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .map((e) => `${e.tagName}.${String(e.className).slice(0, 40)}`), PHONE.width);
    expect(overflowing).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'member-import-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
