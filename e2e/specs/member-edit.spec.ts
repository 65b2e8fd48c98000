import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { nationalIdCheckCharacter, type PersonDetail } from '@workers-home/contract';
import { seriousViolations } from '../support/axe.ts';
import { collectConsoleErrors, launch, screenshot } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';
import { MemberCreatePage, MemberPage } from '../pages/console.ts';
import { ZHONGMOU, ZHONGMOU_HOSPITAL_UNION } from '../support/demo.ts';

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
    // Typing a valid number fills in its gender: put the member's own gender back, as a user contradicting it would.
    await member.field('身份证号').fill(validIdOfOtherGender(before.gender));
    await member.editDialog.getByRole('radio', { name: before.gender === 'male' ? '男' : '女' }).check();
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

  it('appoints a member to a union position and ends it; the county\'s leading group follows', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin');
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const personId = ((await (await page.request.get('/api/members?pageSize=1&page=3')).json()) as { items: Array<{ personId: number }> }).items[0]!.personId;
    const member = new MemberPage(page);
    await member.open(personId);
    const before = await member.positions.count();

    await page.getByRole('button', { name: /^任\s*职$/ }).click();
    await member.editDialog.waitFor();
    await member.save(); // nothing filled in: each required field says so, nothing is sent
    await member.fieldError('职务').filter({ hasText: /必填|请填写/ }).waitFor();
    await member.chooseOrg('中牟县', ZHONGMOU);
    await member.field('职务').fill('经费审查委员会主任');
    await member.pickDate('任职时间', '2024-03-01');
    expect(await seriousViolations(page)).toEqual([]);
    await member.save();
    await member.editDialog.waitFor({ state: 'detached' });
    const row = member.positions.filter({ hasText: '经费审查委员会主任' });
    await row.waitFor();
    expect(await member.positions.count()).toBe(before + 1);
    await screenshot(page, 'member-position-appointed');

    // The county's cadre list shows the new position while it runs …
    const county = ((await (await page.request.get(`/api/orgs?q=${encodeURIComponent(ZHONGMOU)}&pageSize=5`)).json()) as { items: Array<{ id: number; name: string }> }).items.find((o) => o.name === ZHONGMOU)!;
    const current = async () => ((await (await page.request.get(`/api/cadre-positions?orgId=${county.id}&pageSize=200`)).json()) as { items: Array<{ personId: number; title: string }> }).items
      .filter((c) => c.personId === personId && c.title === '经费审查委员会主任');
    expect(await current()).toHaveLength(1);

    // … and not after it is ended; the person's page keeps it with its end date.
    await row.getByRole('button', { name: /^免\s*职$/ }).click();
    await member.editDialog.waitFor();
    await member.pickDate('离任时间', '2024-02-01'); // before the appointment: the server refuses it on the field
    await member.save();
    await member.fieldError('离任时间').waitFor();
    await member.pickDate('离任时间', '2025-12-31');
    await member.save();
    await member.editDialog.waitFor({ state: 'detached' });
    await row.filter({ hasText: '2025' }).waitFor();
    expect(await current()).toEqual([]);
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
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
    await form.fieldError('身份证号').filter({ hasText: '此人已是本级及下属工会的会员' }).waitFor();
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
