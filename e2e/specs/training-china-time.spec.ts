// This process and the browser are not on China time (issue #16, item 2): what they show must be.
process.env.TZ = 'America/New_York';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectConsoleErrors, launch, newContext, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { baseURL, signedInContext } from '../support/context.ts';
import { chinaNow, classWithSessions, minutesFromNow, newTraineeAccount } from '../support/training.ts';
import { MemberAppPage } from '../pages/member-app.ts';
import { ClassPage, MemberCheckInPage } from '../pages/training.ts';

const LOS_ANGELES = { timezoneId: 'America/Los_Angeles' };
const PASSWORD = 'Trainee-2026-pass';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

describe('China time, in a browser and a test process that are not in China', () => {
  it('a 07:44 session on 12-05 shows on 12月5日 in the member app (next session, check-in picker) and the console\'s check-in picker', async () => {
    expect(new Date(2030, 11, 5).getTimezoneOffset()).toBe(300); // this process runs on New York time
    const admin = await signedInContext(browser, 'admin', LOS_ANGELES);
    const trainee = await newTraineeAccount(admin.request, 'tz.trainee.early', PASSWORD);
    const topic = `晨读 ${Date.now()}`;
    const { classId } = await classWithSessions(admin.request, {
      title: `早班培训班 ${Date.now()}`, startsOn: '2030-12-04', endsOn: '2030-12-06', personId: trainee.personId,
      sessions: [{ topic, startsAt: '2030-12-05T07:44:00+08:00', endsAt: '2030-12-05T08:30:00+08:00' }],
    });

    // The trainee's phone, set to Los Angeles.
    const phone = await newContext(browser, baseURL(), { ...PHONE_CONTEXT, ...LOS_ANGELES });
    const page = await phone.newPage();
    const errors = collectConsoleErrors(page);
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/Los_Angeles');
    const app = new MemberAppPage(page);
    await app.open();
    await app.signIn('tz.trainee.early', PASSWORD);
    await app.myUnion.waitFor();
    await page.goto('/app/training');
    const next = page.getByText(`下一节：${topic}`);
    await next.waitFor();
    expect(await next.innerText()).toContain('2030年12月5日 07:44');
    await screenshot(page, 'china-time-member-next-session');

    const checkIn = new MemberCheckInPage(page);
    await checkIn.open();
    const offered = (await checkIn.sessionOptions()).filter({ hasText: topic });
    expect(await offered.innerText()).toBe(`2030年12月5日 07:44–08:30 ${topic}`);
    await offered.click();
    expect(await checkIn.chosenSession.innerText()).toContain(`2030年12月5日 07:44–08:30 ${topic}`);
    await screenshot(page, 'china-time-member-check-in');

    // The organizer's console, also in Los Angeles: the check-in tab's session picker.
    const console_ = await admin.newPage();
    const cls = new ClassPage(console_);
    await cls.open(classId);
    await cls.openTab('签到');
    const picker = console_.locator('.ant-select').filter({ has: console_.getByLabel('选择课程') });
    await picker.waitFor();
    expect(await picker.innerText()).toContain(`2030年12月5日 07:44 · 专题讲座 · ${topic}`);
    // The timetable puts it under 12月5日 too, at 07:44–08:30.
    await cls.openTab('课程表');
    const day = console_.getByRole('region', { name: '2030年12月5日' });
    await day.getByText(topic).waitFor();
    expect(await day.innerText()).toContain('07:44–08:30');
    await screenshot(console_, 'china-time-console-timetable');
    expect(errors).toEqual([]);
    await phone.close();
    await admin.close();
  });
});

describe('typed-code check-in with two overlapping sessions', () => {
  it('offers the running session that started later, and its code checks the trainee in', async () => {
    const admin = await signedInContext(browser, 'admin', LOS_ANGELES);
    const trainee = await newTraineeAccount(admin.request, 'tz.trainee.overlap', PASSWORD);
    const stamp = Date.now();
    const visit = `现场教学 ${stamp}`;
    const lecture = `专题讲座 ${stamp}`;
    const { sessionIds: [, lectureId] } = await classWithSessions(admin.request, {
      title: `重叠课程培训班 ${stamp}`, startsOn: chinaNow(-24 * 60).date, endsOn: chinaNow(24 * 60).date, running: true, personId: trainee.personId,
      sessions: [
        // An all-morning visit that began an hour ago, and a lecture inside it that began ten minutes ago.
        { topic: visit, kind: 'onsite_teaching', startsAt: minutesFromNow(-60), endsAt: minutesFromNow(180) },
        { topic: lecture, startsAt: minutesFromNow(-10), endsAt: minutesFromNow(50) },
      ],
    });

    const phone = await newContext(browser, baseURL(), { ...PHONE_CONTEXT, ...LOS_ANGELES });
    const page = await phone.newPage();
    const errors = collectConsoleErrors(page);
    const app = new MemberAppPage(page);
    await app.open();
    await app.signIn('tz.trainee.overlap', PASSWORD);
    await app.myUnion.waitFor();
    const checkIn = new MemberCheckInPage(page);
    await checkIn.open();
    const options = await checkIn.sessionOptions();
    const texts = await options.allInnerTexts();
    expect(texts.filter((text) => text.includes(String(stamp)))).toEqual([expect.stringContaining(visit), expect.stringContaining(lecture)]);
    await options.filter({ hasText: lecture }).click();
    expect(await checkIn.chosenSession.innerText()).toContain(lecture);

    const code = ((await (await admin.request.get(`/api/training/sessions/${lectureId}/checkin-code`)).json()) as { code: string }).code;
    await page.getByLabel('输入签到码').fill(code);
    await page.getByRole('button', { name: /^签\s*到$/ }).click();
    await checkIn.result.waitFor();
    expect(await checkIn.result.innerText()).toBe('签到成功');
    await page.getByText(lecture).waitFor();
    await screenshot(page, 'check-in-overlapping-session');
    expect(errors).toEqual([]);
    await phone.close();
    await admin.close();
  });
});
