import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { nationalIdCheckCharacter, type PersonDetail } from '@workers-home/contract';
import { seriousViolations } from '../support/axe.ts';
import { collectConsoleErrors, launch, screenshot } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';
import { MemberCreatePage, MemberPage } from '../pages/console.ts';
import { ZHONGMOU_HOSPITAL_UNION } from '../support/demo.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

/** A valid ID number (right check digit) of the other gender than `gender`. */
function validIdOfOtherGender(gender: 'male' | 'female') {
  const first17 = `41012219850612${gender === 'male' ? '002' : '001'}`;
  return first17 + nationalIdCheckCharacter(first17);
}

describe('editing a member', () => {
  it('shows an invalid ID number on its field, and a refusal by the server there too; nothing is saved', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin');
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const members = (await (await page.request.get('/api/members?pageSize=1')).json()) as { items: Array<{ personId: number }> };
    const personId = members.items[0]!.personId;
    const before = (await (await page.request.get(`/api/persons/${personId}`)).json()) as PersonDetail;
    const writes: string[] = [];
    page.on('request', (request) => { if (request.method() === 'PATCH') writes.push(request.url()); });

    const member = new MemberPage(page);
    await member.open(personId);
    await member.startEditing();

    // A wrong check digit: the form refuses it with the contract's own rule, before sending.
    const last = before.idNumberMasked.slice(-1);
    await member.field('身份证号').fill(`11010519491231002${last === '1' ? '2' : '1'}`);
    await member.save();
    await member.fieldError('身份证号').filter({ hasText: '校验位错误' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'member-edit-invalid-id');
    expect(writes).toEqual([]);

    // A well-formed number the server refuses (gender does not match): its error lands on the same field.
    await member.field('身份证号').fill(validIdOfOtherGender(before.gender));
    await member.save();
    await member.fieldError('身份证号').filter({ hasText: '性别与身份证号不符' }).waitFor();
    expect(writes).toHaveLength(1);

    const after = (await (await page.request.get(`/api/persons/${personId}`)).json()) as PersonDetail;
    expect(after).toEqual(before);
    const audit = (await (await page.request.get(`/api/audit?personId=${personId}&entity=person`)).json()) as { items: Array<{ action: string }> };
    expect(audit.items.filter((e) => e.action === 'update')).toEqual([]);
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    await context.close();
  });

  it('saves a valid change and shows it, with the membership history on the page', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin');
    const page = await context.newPage();
    const members = (await (await page.request.get('/api/members?pageSize=1&page=2')).json()) as { items: Array<{ personId: number }> };
    const personId = members.items[0]!.personId;
    const member = new MemberPage(page);
    await member.open(personId);
    expect(await member.history.count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await member.startEditing();
    await member.field('工作单位').fill('中牟县测试单位');
    await member.save();
    await member.editDialog.waitFor({ state: 'detached' });
    await page.getByText('中牟县测试单位', { exact: true }).waitFor();
    await context.close();
  });

  it('adds a member: a duplicate ID number is refused by the server on its field, a new one is saved', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin');
    const page = await context.newPage();
    const someone = ((await (await page.request.get('/api/members?pageSize=1')).json()) as { items: Array<{ personId: number }> }).items[0]!.personId;
    const taken = ((await (await page.request.post(`/api/persons/${someone}/reveal-id-number`)).json()) as { idNumber: string }).idNumber;
    const takenGender = Number(taken[16]) % 2 === 1 ? '男' : '女';

    const form = new MemberCreatePage(page);
    await form.open();
    await form.field('姓名').fill('测试新会员');
    await page.getByRole('radio', { name: takenGender }).check();
    await form.field('身份证号').fill(taken);
    await form.chooseUnion('中牟县人民医院', ZHONGMOU_HOSPITAL_UNION);
    await form.pickDate('入会时间', '2024-05-01');
    await form.save();
    await form.fieldError('身份证号').filter({ hasText: '已有人员使用此身份证号' }).waitFor();
    expect(page.url()).toMatch(/\/members\/new$/);
    await screenshot(page, 'member-create-duplicate-id');

    const fresh = validIdOfOtherGender(takenGender === '男' ? 'female' : 'male'); // same gender as chosen
    await form.field('身份证号').fill(fresh);
    await form.save();
    await page.waitForURL(/\/members\/\d+$/);
    await page.getByRole('heading', { level: 1, name: /测试新会员/ }).waitFor();
    await new MemberPage(page).history.filter({ hasText: ZHONGMOU_HOSPITAL_UNION }).waitFor();
    await context.close();
  });
});
