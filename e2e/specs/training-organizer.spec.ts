import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { seriousViolations } from '../support/axe.ts';
import { collectConsoleErrors, launch, newContext, PHONE, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { baseURL, signedInContext } from '../support/context.ts';
import { DEMO_PASSWORD, ZHONGMOU } from '../support/demo.ts';
import { decodeQr } from '../support/qr.ts';
import { fixture, zipEntry } from '../support/fixtures.ts';
import { MemberAppPage } from '../pages/member-app.ts';
import { ClassFormPage, ClassPage, MemberCheckInPage, TrainingListPage } from '../pages/training.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

/** Today's date and a time of day in China, where the timetable is kept. */
function chinaNow(offsetMinutes = 0) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(Date.now() + offsetMinutes * 60_000));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/**
 * The trainees of the committed spreadsheet (e2e/fixtures/trainees.csv, and trainees.xlsx that
 * LibreOffice Calc made of it): the demo member, then three other people of the demo's Zhongmou
 * federation, by name and phone. The demo federation is deterministic; if it changes, this says so.
 */
async function trainees(admin: BrowserContext, member: BrowserContext) {
  const [, ...rows] = (await fixture('trainees.csv')).toString('utf8').trim().split('\n').map((line) => line.split(','));
  const people = rows.map(([name, phone]) => ({ name: name!, phone: phone! }));
  const stale = 'e2e/fixtures/trainees.csv and .xlsx no longer match the demo federation: remake them (e2e/fixtures/README.md)';
  const me = (await (await member.request.get('/api/me/person')).json()) as { name: string; phone: string | null };
  expect({ name: me.name, phone: me.phone }, stale).toEqual(people[0]);
  const orgs = (await (await admin.request.get(`/api/orgs?q=${encodeURIComponent(ZHONGMOU)}`)).json()) as { items: Array<{ id: number; name: string }> };
  const zhongmou = orgs.items.find((o) => o.name === ZHONGMOU)!;
  const others = people.slice(1);
  for (const person of others) {
    const found = (await (await admin.request.get(`/api/members?orgId=${zhongmou.id}&q=${person.phone}`)).json()) as { items: Array<{ name: string; phone: string | null }> };
    expect(found.items.map((m) => ({ name: m.name, phone: m.phone })), stale).toEqual([person]);
  }
  expect(others).toHaveLength(3);
  return { me: people[0]!, others };
}

describe('training: the organizer runs a class, a trainee checks in by QR on a phone', () => {
  it('creates a class, keeps its timetable, enrols from a spreadsheet, shows the QR; the trainee scans it; the report counts them', async () => {
    const admin = await signedInContext(browser, 'admin');
    const page = await admin.newPage();
    const errors = collectConsoleErrors(page);
    const member = await newContext(browser, baseURL(), PHONE_CONTEXT);
    const memberSignIn = await member.request.post('/api/auth/login', { data: { username: 'member', password: DEMO_PASSWORD } });
    expect(memberSignIn.ok()).toBe(true);
    const people = await trainees(admin, member);
    await member.clearCookies(); // the trainee signs in on the phone, after scanning

    // The list, then a new class: the form refuses an empty title on the field itself.
    const list = new TrainingListPage(page);
    await list.open();
    await list.rows.first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'training-classes');
    await list.newClass();
    const form = new ClassFormPage(page);
    await form.save();
    await form.fieldError('培训班名称').waitFor();
    expect(await form.fieldError('培训班名称').innerText()).toMatch(/必填|请/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'training-class-form');

    const today = chinaNow();
    const tomorrow = chinaNow(24 * 60).date;
    const title = `端到端测试培训班 ${Date.now()}`;
    await form.field('培训班名称').fill(title);
    await form.chooseOrg('主办单位', '中牟', ZHONGMOU);
    await form.dates(today.date, tomorrow);
    await form.field('培训地点').fill('中牟县职工服务中心');
    await form.field('线上（直播）名额').fill('10');
    await form.chooseOrg('面向单位', '中牟', ZHONGMOU);
    await page.keyboard.press('Escape');
    await form.save();
    await page.waitForURL(/\/training\/classes\/\d+$/);
    const classId = Number(new URL(page.url()).pathname.split('/').pop());
    const created = (await (await admin.request.get(`/api/training/classes/${classId}`)).json()) as { orgId: number; audienceOrgIds: number[] };
    expect(created.audienceOrgIds).toEqual([created.orgId]);
    const cls = new ClassPage(page);
    await page.getByRole('heading', { level: 1, name: new RegExp(title) }).waitFor();
    // Draft → open for enrolment → running: check-in is open only then.
    await cls.nextStatus();
    await page.getByRole('button', { name: /进入下一阶段：进行中/ }).waitFor();
    await cls.nextStatus();
    await page.getByRole('button', { name: /进入下一阶段：已结束/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'training-class-overview');

    // Timetable: a lecture running now, and a discussion overlapping it (flagged, not refused).
    await cls.openTab('课程表');
    const addSession = async (kind: string | null, topic: string, from: number, to: number, speaker?: string) => {
      await page.getByRole('button', { name: /添加课程/ }).click();
      const dialog = cls.dialog;
      await dialog.getByLabel('课程主题').waitFor();
      if (kind) {
        await dialog.getByLabel('课程类型').click();
        await page.locator('.ant-select-dropdown:visible').getByTitle(kind, { exact: true }).click();
      }
      await dialog.getByLabel('课程主题').fill(topic);
      const start = chinaNow(from);
      const end = chinaNow(to);
      await dialog.getByLabel('开始时间').fill(start.date === today.date ? start.time : '00:00');
      await dialog.getByLabel('结束时间').fill(end.date === today.date ? end.time : '23:59');
      if (speaker) {
        await dialog.getByRole('button', { name: /添加授课人/ }).click();
        await dialog.getByLabel('姓名').fill(speaker);
        await dialog.getByLabel('职务').fill('副主席');
        await dialog.getByLabel('单位').fill(ZHONGMOU);
      }
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await dialog.waitFor({ state: 'detached' });
    };
    await addSession(null, '学习贯彻中国工会十八大精神', -10, 60, '张红军');
    await addSession('交流研讨', '交流研讨：基层工会规范化建设', 30, 90);
    await cls.sessionRows.nth(1).waitFor();
    await page.getByTestId('overlap-warning').first().waitFor();
    expect(await page.getByText('张红军').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'training-timetable');

    // Bulk enrolment: a file with a bad row is refused whole, row by row; the good one goes in.
    await cls.openTab('学员');
    await page.getByRole('button', { name: '批量导入' }).click();
    const dialog = cls.dialog;
    const header = '姓名,手机号,方式';
    const bad = [header, `${people.me.name},${people.me.phone},线下`, '无此人,12345,线下'].join('\n');
    await dialog.locator('input[type=file]').setInputFiles({ name: 'trainees-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await dialog.getByRole('button', { name: '预检查' }).click();
    const rowErrors = dialog.locator('.ant-table tbody tr.ant-table-row');
    await rowErrors.first().waitFor();
    expect(await rowErrors.first().innerText()).toMatch(/3/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'training-import-errors');

    // The good file is an .xlsx as a spreadsheet program writes it, not our own exporter: LibreOffice
    // Calc's, made from trainees.csv (three on site, one live), with the phones typed as numbers.
    const good = await fixture('trainees.xlsx');
    expect(zipEntry(good, 'docProps/app.xml')).toMatch(/<Application>LibreOffice\//);
    expect(zipEntry(good, 'xl/worksheets/sheet1.xml')).toContain(`t="n"><v>${people.me.phone}</v>`);
    await dialog.locator('input[type=file]').setInputFiles({ name: 'trainees.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: good });
    await dialog.getByRole('button', { name: '预检查' }).click();
    await dialog.getByTestId('import-preview').waitFor();
    expect(await dialog.getByTestId('import-preview').innerText()).toMatch(/4 行.*线下 3.*线上 1/);
    await screenshot(page, 'training-import-preview');
    await dialog.getByRole('button', { name: '确认导入' }).click();
    await dialog.waitFor({ state: 'detached' });
    const traineeRows = cls.activePane.locator('tbody tr.ant-table-row');
    await traineeRows.nth(3).waitFor();
    expect(await cls.activePane.innerText()).toContain(people.me.name);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'training-trainees');

    // Check-in: the venue display shows the rotating QR and the typed code.
    await cls.openTab('签到');
    const display = cls.activePane.getByRole('link', { name: /全屏签到码/ });
    const href = await display.getAttribute('href');
    expect(href).toMatch(new RegExp(`/training/classes/${classId}/check-in/\\d+$`));
    const venue = await admin.newPage();
    const venueErrors = collectConsoleErrors(venue);
    await venue.goto(href!);
    const qr = venue.getByTestId('checkin-qr').locator('canvas');
    await qr.waitFor();
    expect(await venue.getByTestId('checkin-code').innerText()).toMatch(/^\d{3} \d{3}$/);
    expect(await seriousViolations(venue)).toEqual([]);
    await screenshot(venue, 'training-checkin-display');

    // The trainee "scans" the screen: the QR read from the display's pixels, opened on a phone.
    const scanned = decodeQr(await venue.getByTestId('checkin-qr').screenshot());
    expect(scanned).toMatch(/\/app\/check-in\?t=/);
    const phone = await member.newPage();
    const phoneErrors = collectConsoleErrors(phone);
    await phone.goto(scanned);
    await new MemberAppPage(phone).signIn('member', DEMO_PASSWORD);
    const checkIn = new MemberCheckInPage(phone);
    await checkIn.result.waitFor();
    expect(await checkIn.result.innerText()).toBe('签到成功');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'training-member-checked-in');
    // Scanning again is not a second attendance.
    await phone.goto(scanned);
    await checkIn.result.waitFor();
    expect(await checkIn.result.innerText()).toBe('您已签到，无需重复签到');
    await venue.getByTestId('display-present').filter({ hasText: /1$/ }).waitFor({ timeout: 15_000 });
    await venue.close();

    // The organizer sees the check-in, and the report counts it.
    await cls.activePane.getByTestId('present-count').filter({ hasText: /已签到 1 \/ 3/ }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'training-checkin');
    await cls.openTab('培训报告');
    const present = cls.activePane.getByTestId('present-onsite');
    await present.first().waitFor();
    expect(await present.first().innerText()).toBe('1 / 3');
    await cls.activePane.locator('[role=img] svg').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'training-report');

    // The refused file's 422 is the one error the browser logs, and it is expected.
    expect([...errors.filter((e) => !/status of 422/.test(e)), ...venueErrors, ...phoneErrors]).toEqual([]);
    await admin.close();
    await member.close();
  });
});
