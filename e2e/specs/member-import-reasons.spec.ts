import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import ExcelJS from 'exceljs';
import { nationalIdCheckCharacter } from '@workers-home/contract';
import { collectConsoleErrors, launch, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';
import { ZHONGMOU_HOSPITAL_UNION } from '../support/demo.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

const ELSEWHERE = 'America/Los_Angeles';

/** A valid ID number no demo person has: born 1993-08-xx in Zhongmou (410122), serial 8xx. */
const idNumber = (day: number, serial: number) => {
  const first17 = `410122199308${String(day).padStart(2, '0')}${800 + serial}`;
  return first17 + nationalIdCheckCharacter(first17);
};

describe('an import that explains itself', () => {
  for (const { name, options, locale } of [
    { name: 'desktop, zh-CN', options: {}, locale: 'zh-CN' },
    { name: 'phone, English', options: { ...PHONE_CONTEXT, locale: 'en-US' }, locale: 'en' },
  ]) {
    it(`${name}: downloads the template, fills it in, and sees every reason of every refused row on screen`, async () => {
      const context = await signedInContext(browser, 'zhongmou.admin', { ...options, timezoneId: ELSEWHERE, acceptDownloads: true });
      const page = await context.newPage();
      const errors = collectConsoleErrors(page);
      const union = ((await (await page.request.get(`/api/orgs?q=${encodeURIComponent(ZHONGMOU_HOSPITAL_UNION)}&level=grassroots`)).json()) as { items: Array<{ id: number; name: string }> })
        .items.find((o) => o.name === ZHONGMOU_HOSPITAL_UNION)!;
      await page.goto(`/members/import?orgId=${union.id}`);
      const zh = locale === 'zh-CN';

      // The template: Chinese headers, an example row, the code lists as drop-downs.
      const downloading = page.waitForEvent('download');
      await page.getByRole('link', { name: zh ? /下载导入模板/ : /Download the template/ }).click();
      const download = await downloading;
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile((await download.path()));
      const sheet = workbook.getWorksheet('会员名单')!;
      expect((sheet.getRow(1).values as string[]).slice(1, 4)).toEqual(['姓名*', '性别', '民族']);
      expect(sheet.getCell('C2').dataValidation).toMatchObject({ type: 'list' });
      expect(sheet.getCell('M2').value).toBe(ZHONGMOU_HOSPITAL_UNION);

      // Filled in: the example row replaced by one good person, and twelve with things wrong,
      // one of them with three (a gender that is not one, a phone too short, an education not in the list).
      const serial = (locale === 'en' ? 50 : 0) + (Date.now() % 40);
      const fill = (row: number, values: Record<string, string>) => {
        for (const [cell, value] of Object.entries(values)) sheet.getCell(`${cell}${row}`).value = value;
      };
      fill(2, { A: '模板甲', B: '', D: '', E: idNumber(1, serial), K: '', L: '' });
      fill(3, { A: '模板乙', B: '男的', E: idNumber(2, serial), F: '12345', H: '函授', I: '', M: ZHONGMOU_HOSPITAL_UNION });
      for (let i = 0; i < 11; i++) fill(4 + i, { A: `模板错${i}`, B: '', C: '', D: '', E: idNumber(3 + i, serial), F: '', G: '', H: '', I: '', J: '', K: '2999-01-01', L: '', M: ZHONGMOU_HOSPITAL_UNION });
      const filled = Buffer.from(await workbook.xlsx.writeBuffer());
      await page.locator('input[type=file]').setInputFiles({ name: '医院工会名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: filled });
      await page.getByRole('button', { name: zh ? '开始导入' : 'Start the import' }).click();
      const reasons = page.getByRole('region', { name: zh ? '未通过校验的行及原因' : 'Rejected rows and why' });
      await reasons.waitFor({ timeout: 30_000 });

      // Row 3's three reasons, each with its column, in the page's language.
      const row3 = zh
        ? reasons.locator('tr, li.ant-list-item, .wh-card-list > li').filter({ hasText: '第 3 行' }).first()
        : reasons.locator('.wh-card-list > li').filter({ hasText: 'Row 3' }).first();
      await row3.waitFor();
      const text = await row3.innerText();
      if (zh) {
        expect(text).toContain('性别：应为“男”或“女”');
        expect(text).toMatch(/手机号：/);
        expect(text).toContain('学历：“函授”不在本列的代码表中');
      } else {
        expect(text).toMatch(/Gender: must be 男\/女/);
        expect(text).toMatch(/Mobile: /);
        expect(text).toContain('Education: "函授" is not in this column\'s list');
      }
      // Twelve rows refused: ten a page, the last two on the next.
      expect(await reasons.locator('.ant-pagination-total-text').innerText()).toBe(zh ? '共 12 行未通过' : '12 rows rejected');
      await reasons.locator('.ant-pagination-next').click();
      await reasons.getByText(zh ? '第 14 行' : 'Row 14', { exact: true }).waitFor();
      await reasons.getByText(zh ? /入会时间：/ : /Joined: /).first().waitFor();
      await screenshot(page, `member-import-reasons-${locale}`);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
