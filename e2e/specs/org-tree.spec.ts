import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seriousViolations } from '../support/axe.ts';
import { collectConsoleErrors, launch, screenshot } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';
import { ACFTU, HENAN, ZHENGZHOU, ZHONGMOU, ZHONGMOU_HOSPITAL_UNION } from '../support/demo.ts';
import { OrgsPage } from '../pages/console.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

describe('the organization tree', () => {
  it('browses from the national federation down to Zhongmou and opens a grassroots union', async () => {
    const context = await signedInContext(browser, 'admin');
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const orgs = new OrgsPage(page);
    await orgs.open();

    for (const name of [ACFTU, HENAN, ZHENGZHOU, ZHONGMOU]) await orgs.select(name);
    // Zhongmou's grassroots unions loaded into the tree under it.
    await orgs.node(ZHONGMOU_HOSPITAL_UNION).waitFor();
    expect(await orgs.statistic('基层工会').innerText()).toMatch(/^\d+$/);
    expect(await seriousViolations(page)).toEqual([]);

    await orgs.select(ZHONGMOU_HOSPITAL_UNION);
    expect(await orgs.breadcrumbs.innerText()).toMatch(new RegExp(`${ACFTU}.*${HENAN}.*${ZHENGZHOU}.*${ZHONGMOU}.*${ZHONGMOU_HOSPITAL_UNION}`, 's'));
    expect(Number(await orgs.statistic('在会会员').innerText())).toBeGreaterThan(0);
    await orgs.tab('会员').click();
    await page.getByRole('tabpanel').locator('tbody tr.ant-table-row').first().waitFor();
    expect(page.url()).toMatch(/\/orgs\/\d+$/);
    await screenshot(page, 'org-tree');

    // Search finds an organization by part of its name and opens it, the tree expanding to it.
    await orgs.search('人民医院');
    await orgs.searchResult(ZHONGMOU_HOSPITAL_UNION).click();
    await orgs.node(ZHONGMOU_HOSPITAL_UNION).and(page.locator('.ant-tree-treenode-selected')).waitFor();

    // A link straight to an organization (a bookmark, a reload) opens the tree down to it.
    await page.reload();
    await orgs.node(ZHONGMOU_HOSPITAL_UNION).and(page.locator('.ant-tree-treenode-selected')).waitFor();
    expect(await orgs.tree.locator('.ant-tree-treenode-switcher-open .org-name').allInnerTexts()).toEqual([ACFTU, HENAN, ZHENGZHOU, ZHONGMOU]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('adds a sub-organization: a name already used under the parent is refused on its field; a new one is saved', async () => {
    const context = await signedInContext(browser, 'zhongmou.admin');
    const page = await context.newPage();
    const orgs = new OrgsPage(page);
    await page.goto('/orgs');
    await orgs.select(ZHONGMOU);
    await page.getByRole('button', { name: /新增下级组织/ }).click();
    const dialog = page.getByRole('dialog', { name: /下新增组织/ });
    await dialog.getByLabel('名称').fill(ZHONGMOU_HOSPITAL_UNION);
    // 基层工会 is the level offered first under a county.
    expect(await dialog.locator('.ant-form-item').filter({ hasText: '层级' }).locator('.ant-select').innerText()).toContain('基层工会');
    await dialog.getByLabel('类型').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('事业单位工会', { exact: true }).click();
    await page.locator('.ant-select-dropdown:visible').first().waitFor({ state: 'hidden' });
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByRole('button', { name: /确定新建/ }).click();
    await dialog.locator('.ant-form-item').filter({ has: page.getByLabel('名称') }).locator('.ant-form-item-explain-error').filter({ hasText: '同一上级下已有同名组织' }).waitFor();
    await screenshot(page, 'org-create-duplicate-name');

    await dialog.getByLabel('名称').fill('中牟县测试新建工会');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByRole('button', { name: /确定新建/ }).click();
    await dialog.waitFor({ state: 'detached' });
    // The new union opens at once.
    await page.getByRole('heading', { level: 2, name: /^中牟县测试新建工会/ }).waitFor();
    await orgs.search('测试新建');
    await orgs.searchResult('中牟县测试新建工会').click();
    await page.getByRole('heading', { level: 2, name: /^中牟县测试新建工会/ }).waitFor();
    expect(await orgs.breadcrumbs.innerText()).toContain(ZHONGMOU);
    await context.close();
  });
});
