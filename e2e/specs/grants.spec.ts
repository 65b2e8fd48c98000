import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { MemberRow } from '@workers-home/contract';
import { collectConsoleErrors, launch, newContext, screenshot } from '../support/browser.ts';
import { baseURL, signedInContext } from '../support/context.ts';
import { HENAN, SHANGHAI, ZHONGMOU, ZHONGMOU_HOSPITAL_UNION } from '../support/demo.ts';
import { ConsoleShell, LoginPage, MemberListPage, OrgsPage } from '../pages/console.ts';
import { GrantsPage } from '../pages/grants.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

describe('role grants', () => {
  it('an admin grants training and member reading on Zhongmou; that user then sees Zhongmou\'s subtree and nothing of Shanghai', async () => {
    const admin = await signedInContext(browser, 'admin');
    const page = await admin.newPage();
    const errors = collectConsoleErrors(page);
    const grants = new GrantsPage(page);
    await grants.open();
    // A new account, first given a small role, then the roles of a county's training officer on Zhongmou.
    await grants.createAccount({ username: 'zm.trainer', displayName: '中牟培训专员', password: 'Trainer-2026-pass', role: '组织查看', org: ZHONGMOU_HOSPITAL_UNION, orgTyped: '中牟县人民医院' });
    await grants.row('zm.trainer', '组织查看').waitFor();
    await grants.grant({ account: '中牟培训专员 (zm.trainer)', accountTyped: 'zm.trainer', role: '培训组织', org: ZHONGMOU, orgTyped: '中牟县总' });
    await grants.row('zm.trainer', '培训组织').waitFor();
    await grants.grant({ account: '中牟培训专员 (zm.trainer)', accountTyped: 'zm.trainer', role: '会员查看', org: ZHONGMOU, orgTyped: '中牟县总' });
    await grants.row('zm.trainer', '会员查看').waitFor();
    // The account's grants alone, under its display name (the audit log links here with the account).
    const accounts = (await (await page.request.get('/api/accounts?q=zm.trainer')).json()) as { items: Array<{ id: number }> };
    await page.goto(`/grants?accountId=${accounts.items[0]!.id}`);
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(3);
    for (const row of await page.locator('tbody tr.ant-table-row').allInnerTexts()) expect(row).toContain('中牟培训专员');
    await screenshot(page, 'grants');
    expect(errors).toEqual([]);
    await admin.close();

    const context = await newContext(browser, baseURL());
    const userPage = await context.newPage();
    const login = new LoginPage(userPage);
    await login.open();
    await login.signIn('zm.trainer', 'Trainer-2026-pass');
    const shell = new ConsoleShell(userPage);
    await shell.nav.waitFor();
    // They read organizations and members and run training; roles and the audit log are not theirs.
    expect(await shell.nav.getByRole('link').allInnerTexts()).toEqual(['首页', '组织机构', '会员管理', '培训管理']);

    const orgs = new OrgsPage(userPage);
    await userPage.goto('/orgs');
    await orgs.node(ZHONGMOU).waitFor();
    const treeRoots = await orgs.tree.locator('.ant-tree-treenode .org-name').allInnerTexts();
    expect(treeRoots[0]).toBe(ZHONGMOU);
    expect(treeRoots).not.toContain(HENAN);
    await orgs.select(ZHONGMOU);
    await orgs.node(ZHONGMOU_HOSPITAL_UNION).waitFor();

    await orgs.search('上海');
    await userPage.getByText('没有匹配的组织').waitFor();
    expect(await userPage.getByText(SHANGHAI).count()).toBe(0);
    await screenshot(userPage, 'grants-organizer-view');

    // The member list holds only Zhongmou's members, and a Shanghai organization is "not found".
    const list = new MemberListPage(userPage);
    await list.open();
    const shown = (await userPage.request.get('/api/members?pageSize=200').then((r) => r.json())) as { items: MemberRow[] };
    expect(shown.items.every((m) => m.orgName.startsWith('中牟'))).toBe(true);
    const shanghai = await userPage.request.get(`/api/orgs?q=${encodeURIComponent('上海')}`).then((r) => r.json()) as { total: number };
    expect(shanghai.total).toBe(0);

    // Revoked, the roles are gone at once: members are no longer theirs to read, Zhongmou no longer theirs to see.
    const adminAgain = await signedInContext(browser, 'admin');
    const adminPage = await adminAgain.newPage();
    const grantsAgain = new GrantsPage(adminPage);
    await grantsAgain.open();
    await grantsAgain.revoke('zm.trainer', '会员查看');
    await grantsAgain.revoke('zm.trainer', '培训组织');
    await adminAgain.close();
    expect((await userPage.request.get('/api/members')).status()).toBe(403);
    const roots = (await userPage.request.get('/api/orgs/roots').then((r) => r.json())) as Array<{ name: string }>;
    expect(roots.map((o) => o.name)).toEqual([ZHONGMOU_HOSPITAL_UNION]);
    await context.close();
  });
});
