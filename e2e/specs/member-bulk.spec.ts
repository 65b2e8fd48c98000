import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import ExcelJS from 'exceljs';
import { nationalIdCheckCharacter } from '@workers-home/contract';
import { collectConsoleErrors, launch, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';
import { ZHONGMOU_HOSPITAL_UNION } from '../support/demo.ts';
import { MemberListPage } from '../pages/console.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

const ELSEWHERE = 'America/Los_Angeles';

/** A valid ID number no demo person has: born 1994-09-xx in Zhongmou (410122), serial 7xx (odd: a man). */
const idNumber = (day: number, serial: number) => {
  const first17 = `410122199409${String(day).padStart(2, '0')}${700 + serial * 2 + 1}`;
  return first17 + nationalIdCheckCharacter(first17);
};

describe('the member list as an admin console\'s table', () => {
  for (const { name, options, zh } of [
    { name: 'desktop, zh-CN', options: {}, zh: true },
    { name: 'phone, English', options: { ...PHONE_CONTEXT, locale: 'en-US' }, zh: false },
  ]) {
    it(`${name}: selects members, transfers them together, records one leaving, exports the selected, resets the filters`, async () => {
      const context = await signedInContext(browser, 'zhongmou.admin', { ...options, timezoneId: ELSEWHERE, acceptDownloads: true });
      const page = await context.newPage();
      const errors = collectConsoleErrors(page);
      const unions = ((await (await page.request.get('/api/orgs?level=grassroots&pageSize=50')).json()) as { items: Array<{ id: number; name: string }> }).items;
      const hospital = unions.find((u) => u.name === ZHONGMOU_HOSPITAL_UNION)!;
      const other = unions.find((u) => u.id !== hospital.id)!;
      const tag = `批量${zh ? '甲' : '乙'}${Date.now() % 100000}`;
      const names = [`${tag}一`, `${tag}二`];
      for (const [i, person] of names.entries()) {
        const created = await page.request.post('/api/persons', { data: { name: person, gender: 'male', idNumber: idNumber(10 + i, (zh ? 0 : 40) + (Date.now() % 40)), membership: { orgId: hospital.id, joinedOn: '2020-01-01' } } });
        expect(created.status(), await created.text()).toBe(201);
      }

      await page.goto('/members');
      const list = new MemberListPage(page);
      await list.searchBox.fill(tag);
      await list.searchBox.press('Enter');
      const selectBox = (person: string) => page.getByRole('checkbox', { name: person }).or(page.locator('tr', { hasText: person }).getByRole('checkbox')).first();
      for (const person of names) await selectBox(person).check();
      const bar = page.getByRole('toolbar', { name: zh ? '对所选会员的操作' : 'Actions on the selected members' });
      expect(await bar.innerText()).toContain(zh ? '已选 2 人' : '2 members selected');

      // Export just the two.
      const downloading = page.waitForEvent('download');
      await bar.getByRole('button', { name: zh ? /导出所选/ : /Export the selected/ }).click();
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile((await (await downloading).path()));
      const exported: string[] = [];
      workbook.worksheets[0]!.eachRow((row, n) => { if (n > 1) exported.push(String((row.values as string[])[1])); });
      expect(exported.sort()).toEqual([...names].sort());

      // Transfer both to another union in one go.
      await bar.getByRole('button', { name: zh ? /批量转会/ : /^Transfer$/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(names.join('、')).waitFor();
      const union = dialog.getByLabel(zh ? '转入工会' : 'Into union');
      await union.click();
      await union.fill(other.name.slice(0, 6));
      await page.locator('.ant-select-dropdown:visible').getByTitle(other.name, { exact: true }).click();
      const date = dialog.getByLabel(zh ? '日期' : 'Date', { exact: true });
      await date.click();
      await date.fill('2025-06-01');
      await date.press('Tab');
      await dialog.getByRole('button', { name: zh ? /保\s*存/ : /Save/ }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText(zh ? '已为 2 人办理转会' : '2 members transferred').waitFor();
      // Found again, in the new union.
      await page.getByText(other.name).first().waitFor();
      for (const person of names) await page.getByText(person, { exact: true }).first().waitFor();
      expect(await page.getByText(ZHONGMOU_HOSPITAL_UNION).count()).toBe(0);

      // One of them leaves.
      await selectBox(names[1]!).check();
      await bar.getByRole('button', { name: zh ? /批量退会/ : /Record leaving/ }).click();
      await date.click();
      await date.fill('2025-07-01');
      await date.press('Tab');
      await dialog.getByRole('button', { name: zh ? /保\s*存/ : /Save/ }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText(names[1]!, { exact: true }).waitFor({ state: 'detached' });
      await page.getByText(names[0]!, { exact: true }).first().waitFor();
      await screenshot(page, `member-bulk-${zh ? 'zh' : 'en'}`);

      // Reset the filters: the whole roster again, the search box empty.
      await page.getByRole('button', { name: zh ? /重置筛选/ : /Reset filters/ }).click();
      await page.waitForURL((url) => url.search === '');
      expect(await list.searchBox.inputValue()).toBe('');

      // The member page leads back to the list.
      const found = (await (await page.request.get(`/api/members?q=${encodeURIComponent(names[0]!)}`)).json()) as { items: Array<{ personId: number }> };
      await page.goto(`/members/${found.items[0]!.personId}`);
      await page.getByRole('navigation', { name: zh ? '当前位置' : 'Where you are' }).getByRole('link', { name: zh ? '会员名单' : 'Member roster' }).click();
      await page.waitForURL(/\/members$/);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
