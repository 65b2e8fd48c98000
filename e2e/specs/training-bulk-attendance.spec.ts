// Neither this process nor the browser is on China time: what they show must be.
process.env.TZ = 'America/New_York';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectConsoleErrors, launch, newContext, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { baseURL, signedInContext } from '../support/context.ts';
import { ZHONGMOU_HOSPITAL_UNION } from '../support/demo.ts';
import { chinaNow, classWithSessions, minutesFromNow, orgId } from '../support/training.ts';
import { ClassPage } from '../pages/training.ts';

/**
 * Issue 16, item 12: trainees found by name; attendance after a session for many at once (a
 * selection, or a live platform's viewing export); a speaker who presides (主持).
 */
const LOS_ANGELES = { timezoneId: 'America/Los_Angeles' };

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

describe('trainees found by name, attendance in bulk', () => {
  it('an organizer enrols two people found by name, marks them present together, uploads a viewing export and names who presides', async () => {
    const admin = await signedInContext(browser, 'admin', LOS_ANGELES);
    const union = await orgId(admin.request, ZHONGMOU_HOSPITAL_UNION);
    const members = ((await (await admin.request.get(`/api/members?orgId=${union}&pageSize=60&sort=name`)).json()) as { items: Array<{ personId: number; name: string }> }).items;
    // Three people with distinct names: one enrolled beforehand, two to find by name.
    const unique = members.filter((m) => members.filter((x) => x.name === m.name).length === 1 && [...m.name].length >= 2);
    const [first, second, third] = unique.slice(-3);
    const topic = `开班式 ${Date.now()}`;
    const { classId } = await classWithSessions(admin.request, {
      title: `工会干部培训班 ${Date.now()}`, startsOn: chinaNow(-24 * 60).date, endsOn: chinaNow(24 * 60).date, running: true, personId: third!.personId,
      sessions: [{ topic, kind: 'opening', startsAt: minutesFromNow(-90), endsAt: minutesFromNow(-30) }],
    });

    const page = await admin.newPage();
    const errors = collectConsoleErrors(page);
    const cls = new ClassPage(page);
    await cls.open(classId);
    await cls.openTab('学员');

    // Enrol by name: type part of it, choose the person (their union shows beside them).
    for (const person of [first!, second!]) {
      const search = cls.activePane.getByLabel('输入姓名查找花名册');
      await search.click();
      await search.fill([...person.name].length > 2 ? [...person.name].slice(1).join('') : person.name);
      const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: `${person.name} · ${ZHONGMOU_HOSPITAL_UNION}` });
      await option.click();
      await cls.activePane.getByRole('button', { name: '添加学员' }).click();
      await cls.activePane.locator('tbody tr.ant-table-row').filter({ hasText: person.name }).waitFor();
    }
    expect(await cls.activePane.locator('tbody tr.ant-table-row').count()).toBe(3);

    // After the session: select the two and mark them present in one go.
    await cls.openTab('签到');
    const rows = cls.activePane.locator('tbody tr.ant-table-row');
    await rows.filter({ hasText: first!.name }).waitFor();
    for (const person of [first!, second!]) await cls.activePane.getByRole('checkbox', { name: person.name }).check();
    await cls.activePane.getByRole('button', { name: /标记选中学员出勤（2 人）/ }).click();
    await page.getByText('已为 2 人记录出勤，0 人此前已签到').waitFor();
    await cls.activePane.getByTestId('present-count').filter({ hasText: '已签到 2 / 3' }).waitFor();

    // The third watched the stream: the platform's export (nicknames, minutes) is uploaded, checked, recorded.
    await cls.activePane.getByRole('button', { name: '上传出勤表' }).click();
    const dialog = cls.dialog;
    const csv = `姓名,观看时长（分钟）\n${third!.name},41\n${first!.name},12\n`;
    await dialog.locator('input[type=file]').setInputFiles({ name: '观看记录.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await dialog.getByRole('button', { name: '预检查' }).click();
    await dialog.getByTestId('attendance-preview').waitFor();
    expect(await dialog.getByTestId('attendance-preview').innerText()).toContain('检查通过：1 人将记为出勤，1 人此前已签到，0 人时长不足。');
    expect(await dialog.getByRole('row').filter({ hasText: third!.name }).innerText()).toContain('记为出勤');
    await screenshot(page, 'training-attendance-import-preview');
    await dialog.getByRole('button', { name: '确认记录出勤' }).click();
    await dialog.waitFor({ state: 'detached' });
    await cls.activePane.getByTestId('present-count').filter({ hasText: '已签到 3 / 3' }).waitFor();
    expect(await rows.filter({ hasText: third!.name }).innerText()).toContain('直播在线');
    await screenshot(page, 'training-bulk-attendance');

    // The opening ceremony: who presides.
    await cls.openTab('课程表');
    await cls.activePane.getByRole('button', { name: `编辑课程 ${topic}` }).click();
    await cls.dialog.getByRole('button', { name: /添加授课人/ }).click();
    await cls.dialog.getByLabel('姓名').fill('王建国');
    await cls.dialog.getByLabel('职务').fill('县总工会副主席');
    await cls.dialog.getByRole('checkbox', { name: '主持' }).check();
    await cls.dialog.getByRole('button', { name: /保\s*存/ }).click();
    await cls.dialog.waitFor({ state: 'detached' });
    const row = cls.sessionRows.filter({ hasText: topic });
    await row.getByText('王建国').waitFor();
    expect(await row.innerText()).toMatch(/主持\s*王建国（县总工会副主席）/);
    await screenshot(page, 'training-presiding');
    expect(errors).toEqual([]);

    // The same class on a phone: the check-in list with everyone present.
    const phone = await newContext(browser, baseURL(), { ...PHONE_CONTEXT, ...LOS_ANGELES, storageState: await admin.storageState() });
    const small = await phone.newPage();
    const onPhone = new ClassPage(small);
    await onPhone.open(classId, 'checkin');
    await small.getByTestId('present-count').filter({ hasText: '已签到 3 / 3' }).waitFor();
    await screenshot(small, 'training-bulk-attendance-phone');
    await phone.close();
    await admin.close();
  });
});
