import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { nationalIdCheckCharacter } from '@workers-home/contract';
import { collectConsoleErrors, launch, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';
import { MemberCreatePage, MemberListPage, MemberPage } from '../pages/console.ts';
import { openOptions } from '../pages/select.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

const ELSEWHERE = 'America/Los_Angeles';

/** A valid ID number of a woman born on 1992-03-14 in Zhongmou (410122), with a sequence of its own. */
function womansIdNumber(sequence: number) {
  const first17 = `41012219920314${String(sequence * 2).padStart(3, '0')}`;
  return first17 + nationalIdCheckCharacter(first17);
}

describe('the member form knows the domain', () => {
  it('fills gender and birth date from the ID number; 民族, 政治面貌, 学历, 就业形态 come from the national lists; the union picker lists the caller\'s unions before typing', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin', { timezoneId: ELSEWHERE });
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const name = `领域表单${Date.now() % 100000}`;
    const form = new MemberCreatePage(page);
    await form.open();
    await form.field('姓名').fill(name);
    // The default is 男; a woman's number switches it, and the birth date is written in.
    expect(await page.getByRole('radio', { name: '男' }).isChecked()).toBe(true);
    await form.field('身份证号').pressSequentially(womansIdNumber(100 + (Date.now() % 300)));
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('input[type=radio][value=female]')?.checked === true);
    expect(await form.field('出生日期').inputValue()).toBe('1992-03-14');

    await form.choose('民族', '回', '回族');
    await form.choose('政治面貌', '党员', '中共党员');
    await form.choose('学历', '本科', '本科');
    await form.choose('就业形态', '新就业', '新就业形态');

    // The union picker, opened without typing, already offers the caller's grassroots unions.
    const union = form.field('所在工会');
    await union.click();
    const offered = await openOptions(page);
    expect(await offered.count()).toBeGreaterThan(3);
    const chosenUnion = (await offered.first().getAttribute('title'))!;
    await offered.first().click();
    await form.field('入会时间').click();
    await form.field('入会时间').fill('2024-05-01');
    await form.field('入会时间').press('Tab');
    await form.save();
    await page.waitForURL(/\/members\/\d+$/);
    const member = new MemberPage(page);
    await page.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
    expect(await member.detail('性别').innerText()).toBe('女');
    expect(await member.detail('出生日期').innerText()).toBe('1992年3月14日');
    expect(await member.detail('民族').innerText()).toBe('回族');
    expect(await member.detail('政治面貌').innerText()).toBe('中共党员');
    expect(await member.detail('就业形态').innerText()).toBe('新就业形态');
    await member.history.filter({ hasText: chosenUnion }).waitFor();

    // Edit what was created: another education level, searched by its other name.
    await member.startEditing();
    await member.choose('学历', '硕士', '硕士研究生');
    await member.save();
    await member.editDialog.waitFor({ state: 'detached' });
    await member.detail('学历').filter({ hasText: '硕士研究生' }).waitFor();
    await screenshot(page, 'member-domain-form-zh');

    // Found again in the roster.
    const list = new MemberListPage(page);
    await list.open();
    await list.search(name);
    expect(await list.names()).toEqual([name]);
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);

    await context.close();
  });

  it('in English on a phone: the lists are in English and searchable in either language, stored as the Chinese name', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin', { ...PHONE_CONTEXT, locale: 'en-US', timezoneId: ELSEWHERE });
    const page = await context.newPage();
    // A member no other spec edits (member-edit.spec checks the first one has no edit in its audit log).
    const { items } = (await (await page.request.get('/api/members?pageSize=1&page=2')).json()) as { items: Array<{ personId: number }> };
    const personId = items[0]!.personId;
    const member = new MemberPage(page);
    await member.open(personId);
    await member.startEditing();
    await member.choose('Ethnic group', 'Manchu', 'Manchu');
    await member.choose('Political status', '团员', 'Member of the Communist Youth League');
    await member.choose('Form of employment', 'agency', 'Agency work');
    await screenshot(page, 'member-domain-form-en-phone');
    await member.save();
    await member.editDialog.waitFor({ state: 'detached' });
    await page.getByText('Manchu', { exact: true }).waitFor();
    await page.getByText('Member of the Communist Youth League', { exact: true }).waitFor();
    await page.getByText('Agency work', { exact: true }).waitFor();
    const stored = (await (await page.request.get(`/api/persons/${personId}`)).json()) as { ethnicity: string; politicalStatus: string; employmentForm: string };
    expect(stored).toMatchObject({ ethnicity: '满族', politicalStatus: '共青团员', employmentForm: '劳务派遣' });
    await context.close();
  });

  it('new grassroots union: 基层工会 by default, confirmed on save, then opened', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin', { timezoneId: ELSEWHERE });
    const page = await context.newPage();
    const zhongmou = ((await (await page.request.get(`/api/orgs?q=${encodeURIComponent('中牟县总工会')}`)).json()) as { items: Array<{ id: number }> }).items[0]!.id;
    await page.goto(`/orgs/${zhongmou}`);
    await page.getByRole('button', { name: /新增下级组织/ }).click();
    const dialog = page.getByRole('dialog', { name: /下新增组织/ });
    expect(await dialog.locator('.ant-form-item').filter({ hasText: '层级' }).locator('.ant-select').innerText()).toContain('基层工会');
    expect(await dialog.locator('.ant-form-item').filter({ hasText: '类型' }).locator('.ant-select').innerText()).toContain('企业工会');
    const name = `中牟县确认新建${Date.now() % 100000}工会`;
    await dialog.getByLabel('名称').fill(name);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    const confirm = page.getByRole('dialog').filter({ hasText: '确定在「中牟县总工会」下新建' });
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain(`「${name}」（基层工会）`);
    await confirm.getByRole('button', { name: /确定新建/ }).click();
    await page.getByRole('heading', { level: 2, name: new RegExp(`^${name}`) }).waitFor();
    expect(page.url()).not.toMatch(new RegExp(`/orgs/${zhongmou}$`));
    await screenshot(page, 'org-create-grassroots-opened');
    await context.close();
  });
});
