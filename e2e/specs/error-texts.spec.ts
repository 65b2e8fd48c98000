import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';
import { ZHONGMOU } from '../support/demo.ts';
import { chinaNow, orgId } from '../support/training.ts';
import { MemberCreatePage } from '../pages/console.ts';
import { ClassPage } from '../pages/training.ts';

/**
 * The console speaks Chinese also where the API refuses something: errors are translated by
 * their code (contract/src/messages), not by matching English sentences that drift.
 */
let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

const ENGLISH = /Invalid input|expected string|must be 18 characters|is required/;

describe('error texts in the Chinese console', () => {
  it('the new-member form with empty fields says what is missing in Chinese', async () => {
    const context = await signedInContext(browser, 'admin');
    const page = await context.newPage();
    const form = new MemberCreatePage(page);
    await form.open();
    await page.getByRole('button', { name: /^保\s*存$/ }).click();
    const errors = page.locator('.ant-form-item-explain-error');
    await errors.first().waitFor();
    const texts = await errors.allInnerTexts();
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('\n')).not.toMatch(ENGLISH);
    expect(await form.fieldError('姓名').innerText()).toBe('必填');

    // What the server answers for the same empty form is rendered from its codes too.
    const answer = (await (await context.request.post('/api/persons', { data: {} })).json()) as { code: string; errors: Array<{ field: string; code: string }> };
    expect(answer.errors.find((e) => e.field === 'body.name')?.code).toBe('validation.required');
    await context.close();
  });

  it('the trainee import reports a 17-digit ID number in Chinese, with its length', async () => {
    const context = await signedInContext(browser, 'admin');
    const today = chinaNow().date;
    const created = await context.request.post('/api/training/classes', {
      data: { orgId: await orgId(context.request, ZHONGMOU), title: '错误提示测试班', startsOn: today, endsOn: today, capacityOnsite: 20, capacityLive: 0, venue: '中牟县职工服务中心' },
    });
    expect(created.status(), await created.text()).toBe(201);
    const classId = ((await created.json()) as { id: number }).id;
    expect((await context.request.post(`/api/training/classes/${classId}/status`, { data: { status: 'open' } })).ok()).toBe(true);

    const page = await context.newPage();
    const cls = new ClassPage(page);
    await cls.open(classId);
    await cls.openTab('学员');
    await page.getByRole('button', { name: '批量导入' }).click();
    const file = ['姓名,身份证号', '张三,41010519491231002'].join('\n');
    await cls.dialog.locator('input[type=file]').setInputFiles({ name: 'trainees-17.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await cls.dialog.getByRole('button', { name: '预检查' }).click();
    const row = cls.dialog.locator('.ant-table tbody tr.ant-table-row').first();
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('应为 18 位（现为 17 位）');
    expect(text).not.toMatch(ENGLISH);
    await context.close();
  });
});
