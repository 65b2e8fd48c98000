import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { seriousViolations } from '../support/axe.ts';
import { collectConsoleErrors, launch, newContext, screenshot } from '../support/browser.ts';
import { baseURL } from '../support/context.ts';
import { DEMO_PASSWORD } from '../support/demo.ts';
import { ConsoleShell, LoginPage, OrgsPage } from '../pages/console.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

describe('signing in and out of the console', () => {
  it('refuses a wrong password, signs in, lands on the tree, signs out, and guards pages again', async () => {
    const context = await newContext(browser, baseURL());
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const login = new LoginPage(page);

    // A page that needs a session sends the visitor to sign in, and back there afterwards.
    await page.goto('/members');
    await page.waitForURL(/\/login\?next=%2Fmembers/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'login');

    await login.signIn('admin', 'not-the-password');
    await login.error.filter({ hasText: '用户名或密码错误' }).waitFor();

    await login.signIn('admin', DEMO_PASSWORD);
    await page.waitForURL(/\/members$/);
    const shell = new ConsoleShell(page);
    await shell.navLink('组织机构').click();
    await new OrgsPage(page).node('中华全国总工会').waitFor();
    // An admin at the top sees every module of this release.
    expect(await shell.nav.getByRole('link').allInnerTexts()).toEqual(['首页', '组织机构', '会员管理', '培训管理', '惠工保', '角色授权', '操作日志']);

    await shell.signOut();
    await page.waitForURL(/\/login$/);
    await page.goto('/orgs');
    await page.waitForURL(/\/login\?next=/);
    const me = await page.request.get('/api/auth/me');
    expect(me.status()).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });
});
