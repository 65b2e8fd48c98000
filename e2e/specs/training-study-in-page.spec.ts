import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { collectConsoleErrors, launch, newContext, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { baseURL, signedInContext } from '../support/context.ts';
import { chinaNow, classWithSessions, minutesFromNow, newTraineeAccount, recordedWebm } from '../support/training.ts';
import { MemberAppPage } from '../pages/member-app.ts';

/**
 * Issue 16, item 3: the material or the stream plays inside the page that counts the time
 * (before, 打开资料 / 打开直播 left it for another tab). The addresses are an outside site's,
 * answered here by the browser's request routing.
 */
const LOS_ANGELES = { timezoneId: 'America/Los_Angeles' };
const PASSWORD = 'Trainee-2026-pass';
const VIDEO_URL = 'https://media.example.org/courses/union-law/lecture-1.webm';
const PAGE_URL = 'https://docs.example.org/courses/union-law/handbook';
const STREAM_URL = 'https://live.example.org/player/e2e-session';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

/** The outside sites: a video file, a handbook page, a live player page. */
async function outsideSites(context: BrowserContext, webm: Buffer) {
  await context.route(VIDEO_URL, (route) => route.fulfill({ status: 200, contentType: 'video/webm', body: webm }));
  await context.route(PAGE_URL, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><meta charset="utf-8"><h1>工会法学习手册</h1><p>第一章 总则</p>' }));
  await context.route(STREAM_URL, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><meta charset="utf-8"><body style="background:#111;color:#fff"><h1>直播画面：工会法专题讲座</h1></body>' }));
}

describe('study and live time counted where the material plays', () => {
  it('a trainee on a phone plays a course video and reads a handbook inside the page that counts the time', async () => {
    const admin = await signedInContext(browser, 'admin', LOS_ANGELES);
    const trainee = await newTraineeAccount(admin.request, 'study.in.page', PASSWORD);
    // From yesterday to tomorrow (China dates): the sessions around now stay within the class at any hour, 23:30 included.
    const [yesterday, tomorrow] = [chinaNow(-24 * 60).date, chinaNow(24 * 60).date];
    const { classId } = await classWithSessions(admin.request, {
      title: `工会法学习班 ${Date.now()}`, startsOn: yesterday, endsOn: tomorrow, running: true, personId: trainee.personId,
      sessions: [{ topic: '开班式', startsAt: minutesFromNow(60), endsAt: minutesFromNow(90) }],
    });
    const course = await admin.request.post('/api/training/courses', { data: { classId, title: '工会法解读（在线）' } });
    expect(course.status(), await course.text()).toBe(201);
    const courseId = ((await course.json()) as { id: number }).id;
    for (const material of [
      { kind: 'video', title: '第一讲 工会法总则', url: VIDEO_URL, requiredMinutes: 20 },
      { kind: 'document', title: '学习手册', url: PAGE_URL, requiredMinutes: 10 },
    ]) {
      const created = await admin.request.post(`/api/training/courses/${courseId}/materials`, { data: material });
      expect(created.status(), await created.text()).toBe(201);
    }

    const phone = await newContext(browser, baseURL(), { ...PHONE_CONTEXT, ...LOS_ANGELES });
    const page = await phone.newPage();
    await outsideSites(phone, await recordedWebm(page));
    const errors = collectConsoleErrors(page);
    const app = new MemberAppPage(page);
    await app.open();
    await app.signIn('study.in.page', PASSWORD);
    await app.myUnion.waitFor();
    await page.goto('/app/training');
    await page.getByText('工会法解读（在线）').click();
    await page.getByRole('listitem').filter({ hasText: '第一讲 工会法总则' }).getByRole('button', { name: /学\s*习/ }).click();

    // The video is in the page, and plays there.
    const video = page.locator('video[aria-label="第一讲 工会法总则"]');
    await video.waitFor();
    expect(await video.getAttribute('src')).toBe(VIDEO_URL);
    await video.evaluate(async (v: HTMLVideoElement) => { v.muted = true; await v.play(); });
    await page.waitForFunction(() => (document.querySelector('video')?.currentTime ?? 0) > 0);
    await expect.poll(() => page.getByText('正在计时').count()).toBe(1);
    expect(page.url()).toBe(`${baseURL()}/app/training/courses/${courseId}`);
    expect(phone.pages()).toHaveLength(1);
    expect(await page.getByText('打开资料').count()).toBe(0);
    await screenshot(page, 'training-study-video-in-page-phone');

    // Back to the course, then the handbook: shown in a frame of the same page.
    await page.getByRole('button', { name: /返\s*回/ }).click();
    await page.getByRole('listitem').filter({ hasText: '学习手册' }).getByRole('button', { name: /学\s*习/ }).click();
    const handbook = page.frameLocator('iframe[title="学习手册"]');
    await handbook.getByRole('heading', { name: '工会法学习手册' }).waitFor();
    expect(phone.pages()).toHaveLength(1);
    // No Content-Security-Policy refusal, nothing else broken.
    expect(errors.filter((e) => /Content Security Policy|Refused/i.test(e))).toEqual([]);
    await screenshot(page, 'training-study-document-in-page-phone');
    await phone.close();
    await admin.close();
  });

  it('a live trainee on a phone watches the stream in the page that records attendance', async () => {
    const admin = await signedInContext(browser, 'admin', LOS_ANGELES);
    const trainee = await newTraineeAccount(admin.request, 'live.in.page', PASSWORD);
    // From yesterday to tomorrow (China dates): the sessions around now stay within the class at any hour, 23:30 included.
    const [yesterday, tomorrow] = [chinaNow(-24 * 60).date, chinaNow(24 * 60).date];
    const topic = `工会法专题讲座 ${Date.now()}`;
    const { classId } = await classWithSessions(admin.request, {
      title: `直播培训班 ${Date.now()}`, startsOn: yesterday, endsOn: tomorrow, running: true, personId: trainee.personId, mode: 'live',
      sessions: [{ topic, startsAt: minutesFromNow(-10), endsAt: minutesFromNow(80), streamUrl: STREAM_URL }],
    });

    const phone = await newContext(browser, baseURL(), { ...PHONE_CONTEXT, ...LOS_ANGELES });
    const page = await phone.newPage();
    await outsideSites(phone, Buffer.alloc(0));
    const errors = collectConsoleErrors(page);
    const app = new MemberAppPage(page);
    await app.open();
    await app.signIn('live.in.page', PASSWORD);
    await app.myUnion.waitFor();
    await page.goto(`/app/training/classes/${classId}`);
    await page.getByRole('button', { name: '进入直播' }).click();
    const player = page.frameLocator(`iframe[title="${topic}"]`);
    await player.getByRole('heading', { name: '直播画面：工会法专题讲座' }).waitFor();
    expect(await page.getByText('打开直播').count()).toBe(0);
    expect(phone.pages()).toHaveLength(1);
    await expect.poll(() => page.getByText('正在计时').count()).toBe(1);
    expect(errors.filter((e) => /Content Security Policy|Refused/i.test(e))).toEqual([]);
    await screenshot(page, 'training-live-stream-in-page-phone');
    await phone.close();
    await admin.close();
  });
});
