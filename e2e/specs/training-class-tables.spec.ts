// Neither this process nor the browser is on China time: what they show and download must be.
process.env.TZ = 'America/New_York';

import '../../server/src/spreadsheets/exceljs-utf8.ts';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Download, Page } from 'playwright-core';
import { collectConsoleErrors, launch, newContext, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { baseURL, signedInContext } from '../support/context.ts';
import { ZHONGMOU_HOSPITAL_UNION } from '../support/demo.ts';
import { chinaNow, classWithSessions, minutesFromNow, orgId } from '../support/training.ts';
import { ClassPage, TrainingListPage } from '../pages/training.ts';

/**
 * Issue 16, item 13 (training): enrolled / places in the class list, reset filters, a back
 * link, row selection with bulk withdraw and check-in, the progress and check-in lists as .xlsx.
 */
const LOS_ANGELES = { timezoneId: 'America/Los_Angeles' };

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

async function sheetRows(download: Download): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const rows: string[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as Array<string | number | null | undefined>).slice(1).map((v) => (v === undefined || v === null ? '' : String(v)))));
  return rows;
}

async function downloadFrom(page: Page, button: string) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return download;
}

describe('class list and trainee tables', () => {
  it('an organizer finds a class by its seats, resets the filters, withdraws two trainees and checks one in, and downloads the lists', async () => {
    const admin = await signedInContext(browser, 'admin', LOS_ANGELES);
    const union = await orgId(admin.request, ZHONGMOU_HOSPITAL_UNION);
    const members = ((await (await admin.request.get(`/api/members?orgId=${union}&pageSize=40&sort=name&order=desc`)).json()) as { items: Array<{ personId: number; name: string }> }).items;
    const distinct = members.filter((m) => members.filter((x) => x.name === m.name).length === 1);
    const [first, second, third, fourth] = distinct;
    const title = `表格培训班 ${Date.now()}`;
    const topic = `专题讲座 ${Date.now()}`;
    // A 07:44 China-time session: its check-in time reads 07:44 in the download whatever the zones.
    const { classId, sessionIds: [sessionId] } = await classWithSessions(admin.request, {
      title, startsOn: chinaNow(-24 * 60).date, endsOn: chinaNow(24 * 60).date, running: true, personId: first!.personId,
      sessions: [{ topic, startsAt: minutesFromNow(-60), endsAt: minutesFromNow(30) }],
    });
    for (const person of [second!, third!, fourth!]) {
      const enrolled = await admin.request.post(`/api/training/classes/${classId}/enrolments`, { data: { personId: person.personId, mode: 'onsite' } });
      expect(enrolled.status(), await enrolled.text()).toBe(201);
    }

    const page = await admin.newPage();
    const errors = collectConsoleErrors(page);
    const list = new TrainingListPage(page);
    await list.open();
    // Filters, then reset: everything is back.
    await page.getByLabel('状态').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('已结束', { exact: true }).click();
    await page.getByRole('searchbox', { name: '搜索培训班' }).fill(title);
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    await page.getByText('没有符合条件的培训班').waitFor();
    await page.getByRole('button', { name: '重置筛选' }).click();
    await page.waitForURL((url) => !url.search.includes('status'));
    expect(await page.getByRole('searchbox', { name: '搜索培训班' }).inputValue()).toBe('');
    // Found again by its title: 4 of its 20 places taken.
    await page.getByRole('searchbox', { name: '搜索培训班' }).fill(title);
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    const row = list.rows.filter({ hasText: title });
    await row.waitFor();
    expect(await row.getByTestId('class-seats').innerText()).toBe('线下 4 / 20');
    expect(await page.getByRole('columnheader', { name: '已报名 / 名额' }).count()).toBe(1);
    await screenshot(page, 'training-class-list-seats');

    // The class, its trainees: select two, withdraw them together.
    await row.getByRole('link', { name: title }).click();
    const cls = new ClassPage(page);
    await page.getByRole('heading', { level: 1, name: new RegExp(title) }).waitFor();
    await cls.openTab('学员');
    const trainees = cls.activePane.locator('tbody tr.ant-table-row');
    await trainees.nth(3).waitFor();
    for (const person of [third!, fourth!]) await cls.activePane.getByRole('checkbox', { name: person.name }).check();
    await cls.activePane.getByRole('button', { name: '所选学员退出' }).click();
    await page.getByRole('button', { name: /确\s*定|OK/ }).click();
    await page.getByText('已有 2 名学员退出').waitFor();
    // Withdrawn trainees leave the list of those enrolled.
    for (const person of [third!, fourth!]) await trainees.filter({ hasText: person.name }).waitFor({ state: 'detached' });
    expect(await trainees.count()).toBe(2);
    // The other two: checked in to the session together.
    for (const person of [first!, second!]) await cls.activePane.getByRole('checkbox', { name: person.name }).check();
    await cls.activePane.getByLabel('选择课程').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: topic }).click();
    await cls.activePane.getByRole('button', { name: '为所选学员签到' }).click();
    await page.getByText('已为 2 人记录出勤，0 人此前已签到').waitFor();
    await screenshot(page, 'training-trainees-bulk');

    // The check-in list, downloaded: the two present with the time of China, the withdrawn not listed.
    await cls.openTab('签到');
    await cls.activePane.getByTestId('present-count').filter({ hasText: '已签到 2 / 2' }).waitFor();
    const checkin = await sheetRows(await downloadFrom(page, '导出签到表'));
    const checkedAt = (await (await admin.request.get(`/api/training/sessions/${sessionId}/attendance`)).json()) as { items: Array<{ name: string; checkedInAt: string }> };
    const china = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    expect(checkin.find((r) => r[0] === first!.name)).toEqual([first!.name, ZHONGMOU_HOSPITAL_UNION, '线下', '已签到', '补签', china.format(new Date(checkedAt.items.find((a) => a.name === first!.name)!.checkedInAt))]);
    expect(checkin.map((r) => r[0])).not.toContain(third!.name);

    // The progress list, downloaded.
    await cls.openTab('学习进度');
    const progress = await sheetRows(await downloadFrom(page, '导出进度表'));
    expect(progress[0]![0]).toBe('姓名 name');
    expect(progress.slice(1).map((r) => r[0]).sort()).toEqual([first!.name, second!.name].sort());

    // Back to the list by the class page's link.
    await page.getByRole('link', { name: '返回培训班列表' }).click();
    await page.getByRole('heading', { level: 1, name: '培训班' }).waitFor();
    expect(errors).toEqual([]);

    // On a phone: the class list with its seats, the filters and the reset button fit.
    const phone = await newContext(browser, baseURL(), { ...PHONE_CONTEXT, ...LOS_ANGELES, storageState: await admin.storageState() });
    const small = await phone.newPage();
    await small.goto(`/training?q=${encodeURIComponent(title)}`);
    await small.getByTestId('class-seats').first().waitFor();
    expect(await small.getByRole('button', { name: '重置筛选' }).isEnabled()).toBe(true);
    await screenshot(small, 'training-class-list-phone');
    await phone.close();
    await admin.close();
  });
});
