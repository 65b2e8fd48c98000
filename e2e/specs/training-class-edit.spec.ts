import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seriousViolations } from '../support/axe.ts';
import { collectConsoleErrors, launch, screenshot } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';
import { ZHONGMOU } from '../support/demo.ts';
import { chinaNow } from '../support/training.ts';
import { ClassFormPage, ClassPage, TrainingListPage } from '../pages/training.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

describe('a training class: create, edit, find it again', () => {
  it('Enter in a date field submits nothing; the class is created, edited (venue, on-site places) and found in the list', async () => {
    const admin = await signedInContext(browser, 'admin', { timezoneId: 'America/Los_Angeles' });
    const page = await admin.newPage();
    const errors = collectConsoleErrors(page);
    const classesTitled = async (title: string) =>
      ((await (await admin.request.get(`/api/training/classes?q=${encodeURIComponent(title)}`)).json()) as { items: Array<{ id: number }> }).items;

    const list = new TrainingListPage(page);
    await list.open();
    await list.newClass();
    const form = new ClassFormPage(page);
    const title = `编辑测试培训班 ${Date.now()}`;
    await form.field('培训班名称').fill(title);
    await form.chooseOrg('主办单位', '中牟', ZHONGMOU);
    const from = chinaNow(7 * 24 * 60).date;
    const to = chinaNow(9 * 24 * 60).date;

    // Enter in a date field: the date is taken, the form is not sent (no half-filled draft).
    await form.dateInput(0).click();
    await form.dateInput(0).fill(from);
    await form.dateInput(0).press('Enter');
    await form.dateInput(1).fill(to);
    await form.dateInput(1).press('Enter');
    await page.waitForTimeout(1000);
    expect(new URL(page.url()).pathname).toBe('/training/classes/new');
    expect(await classesTitled(title)).toEqual([]);
    expect(await form.dateInput(0).inputValue()).toBe(from);
    expect(await form.dateInput(1).inputValue()).toBe(to);

    await page.keyboard.press('Escape');
    await form.field('培训地点').fill('中牟县职工服务中心');
    await form.field('线下名额').fill('40');
    await form.save();
    await page.waitForURL(/\/training\/classes\/\d+$/);
    const classId = Number(new URL(page.url()).pathname.split('/').pop());
    expect((await classesTitled(title)).map((c) => c.id)).toEqual([classId]);

    // Edit: the organizer organization is shown, not changed; venue and on-site places change.
    await page.getByRole('button', { name: /编\s*辑/ }).click();
    await page.getByRole('heading', { level: 1, name: '编辑培训班' }).waitFor();
    await expect.poll(() => form.field('培训地点').inputValue()).toBe('中牟县职工服务中心');
    expect(await page.getByLabel('主办单位').inputValue()).toBe(ZHONGMOU);
    expect(await page.getByLabel('主办单位').isDisabled()).toBe(true);
    // Enter in the date field of the edit form does not save it either.
    await form.dateInput(1).click();
    await form.dateInput(1).press('Enter');
    await page.waitForTimeout(500);
    expect(new URL(page.url()).pathname).toBe(`/training/classes/${classId}/edit`);
    await page.keyboard.press('Escape');
    await form.field('培训地点').fill('郑州市工人文化宫');
    await form.field('线下名额').fill('60');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'training-class-edit-form');
    await form.save();
    await page.waitForURL(new RegExp(`/training/classes/${classId}$`));

    // The class page shows the new values.
    const cls = new ClassPage(page);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByText('郑州市工人文化宫').first().waitFor();
    const overview = cls.activePane;
    expect(await overview.innerText()).toContain('郑州市工人文化宫');
    expect(await overview.innerText()).toMatch(/线下\s*0\s*\/\s*名额 60/);
    expect(await page.locator('.ant-form-item-explain-error').count()).toBe(0);
    await screenshot(page, 'training-class-edited');

    // And the class list finds it by its title.
    await list.open();
    await page.getByPlaceholder('搜索培训班名称或主题').fill(title);
    await page.getByPlaceholder('搜索培训班名称或主题').press('Enter');
    await expect.poll(() => list.rows.count()).toBe(1);
    const row = list.rows.filter({ hasText: title });
    await row.waitFor();
    expect(await row.innerText()).toContain(ZHONGMOU);
    await screenshot(page, 'training-class-found');
    expect(errors).toEqual([]);
    await admin.close();
  });
});
