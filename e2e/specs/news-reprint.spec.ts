import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import path from 'node:path';
import { ARTIFACTS, collectConsoleErrors, DESKTOP, launch, newContext, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { baseURL, signedInContext } from '../support/context.ts';
import { ACFTU, DEMO_PASSWORD, ZHENGZHOU, ZHONGMOU } from '../support/demo.ts';

/**
 * Issue #18, reprints (转载): the county's editor proposes a published article to a newsroom
 * above (the demo's 中牟县总工会; above it 郑州市总工会, whose chief editor opens a newsroom
 * here, and 全总's), and that newsroom's chief editor finds the copy with its source and bylines.
 */
let browser: Browser;
const CITY_CHIEF = { username: 'zhengzhou.chief', password: 'Zhengzhou-2026-pass' };
const TITLE = `县总工会为环卫工人送清凉（${Date.now() % 100000}）`;
let articleId: number;

async function signedIn(username: string, password = DEMO_PASSWORD, options: Parameters<typeof newContext>[2] = {}): Promise<BrowserContext> {
  const context = await newContext(browser, baseURL(), options);
  const response = await context.request.post('/api/auth/login', { data: { username, password } });
  expect(response.ok(), await response.text()).toBe(true);
  return context;
}

async function orgId(context: BrowserContext, name: string): Promise<number> {
  const found = await (await context.request.get(`/api/orgs?q=${encodeURIComponent(name)}`)).json() as { items: Array<{ id: number; name: string }> };
  return found.items.find((o) => o.name === name)!.id;
}

beforeAll(async () => {
  browser = await launch();
  // 郑州市总工会 gets a chief editor (the admin above grants it), who names the city's newsroom.
  const admin = await signedInContext(browser, 'admin');
  const zhengzhou = await orgId(admin, ZHENGZHOU);
  const created = await admin.request.post('/api/accounts', {
    data: { username: CITY_CHIEF.username, displayName: '郑州市总工会责任编辑', password: CITY_CHIEF.password, grant: { role: 'news.chief-editor', orgId: zhengzhou } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id: accountId } = await created.json() as { id: number };
  expect((await admin.request.post('/api/grants', { data: { accountId, role: 'orgs.reader', orgId: zhengzhou } })).status()).toBe(201);
  const cityChief = await signedIn(CITY_CHIEF.username, CITY_CHIEF.password);
  const newsroom = await cityChief.request.put(`/api/news/newsrooms/${zhengzhou}`, { data: { slug: 'zhengzhou', hotline: null, email: null } });
  expect(newsroom.status(), await newsroom.text()).toBe(200);

  // The county's editor writes an article with bylines; its chief editor publishes it.
  const editor = await signedIn('zhongmou.editor');
  const written = await editor.request.post('/api/news/articles', {
    data: { orgId: await orgId(editor, ZHONGMOU), title: TITLE, channel: 'grassroots', source: ZHONGMOU, reporters: ['张磊'], photographers: ['李娜'], editorInCharge: '王敏', bodyHtml: '<p>县总工会走访环卫站点，为一线环卫工人送去防暑用品。</p>' },
  });
  expect(written.status(), await written.text()).toBe(201);
  const article = await written.json() as { id: number; version: number };
  articleId = article.id;
  const submitted = await (await editor.request.post(`/api/news/articles/${articleId}/actions`, { data: { action: 'submit', version: article.version } })).json() as { version: number };
  const chief = await signedIn('zhongmou.chief');
  const published = await chief.request.post(`/api/news/articles/${articleId}/actions`, { data: { action: 'publish', version: submitted.version } });
  expect(published.status(), await published.text()).toBe(200);
  await Promise.all([admin.close(), cityChief.close(), editor.close(), chief.close()]);
});
afterAll(async () => { await browser.close(); });

const dialogOf = (page: Page) => page.getByRole('dialog');

/**
 * The console's list of articles (/newsroom; /news is the public portal), reached as a user
 * does, through the menu (folded behind a button on a phone).
 */
async function openArticleList(page: Page, language: 'zh' | 'en' = 'zh') {
  await page.goto('/');
  const menu = page.getByRole('button', { name: language === 'zh' ? '菜单' : 'Menu' });
  const main = page.getByRole('navigation', { name: language === 'zh' ? '主导航' : 'Main' });
  await main.or(menu).first().waitFor();
  if (await menu.isVisible()) await menu.click();
  await main.getByRole('link', { name: language === 'zh' ? '新闻编辑' : 'News' }).click();
  await page.waitForURL(/\/newsroom$/);
}
const targetRow = (page: Page, name: string) => dialogOf(page).locator('.ant-list-item').filter({ hasText: name });

describe('news reprints: the county\'s editor proposes an article to a newsroom above, whose chief editor finds it', () => {
  it('lists the newsrooms above nearest first, proposes once, and the city\'s chief editor finds the copy with its source and bylines', async () => {
    const editor = await signedIn('zhongmou.editor');
    const page = await editor.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(`/newsroom/articles/${articleId}`);
    await page.getByText('已发布').first().waitFor();
    await page.getByRole('button', { name: '推荐转载' }).click();
    await targetRow(page, ZHENGZHOU).waitFor();
    expect(await dialogOf(page).locator('.ant-list-item-meta-title').allInnerTexts()).toEqual([ZHENGZHOU, ACFTU]);
    expect(await targetRow(page, ZHENGZHOU).innerText()).toContain('/news/zhengzhou/');

    await page.getByRole('button', { name: `推荐给${ZHENGZHOU}` }).click();
    await dialogOf(page).getByText(`已推荐给${ZHENGZHOU}，等待该编辑部的责任编辑审核。`).waitFor();
    await targetRow(page, ZHENGZHOU).getByText('已推荐').waitFor();
    expect(await targetRow(page, ACFTU).getByRole('button', { name: `推荐给${ACFTU}` }).isEnabled()).toBe(true);
    // Opened again later, the dialog still says so (the server's word, not the page's memory).
    await dialogOf(page).getByRole('button', { name: /^关\s闭$/ }).click();
    await dialogOf(page).waitFor({ state: 'detached' }).catch(() => undefined);
    await page.reload();
    await page.getByRole('button', { name: '推荐转载' }).click();
    await targetRow(page, ZHENGZHOU).getByText('已推荐').waitFor();
    expect(await targetRow(page, ZHENGZHOU).getByRole('button').count()).toBe(0);

    // The city's chief editor finds it in the newsroom's list, waiting, with where it comes from.
    const cityChief = await signedIn(CITY_CHIEF.username, CITY_CHIEF.password);
    const chiefPage = await cityChief.newPage();
    const chiefErrors = collectConsoleErrors(chiefPage);
    await openArticleList(chiefPage);
    const row = chiefPage.locator('.ant-table-row').filter({ hasText: TITLE }).filter({ hasText: ZHENGZHOU });
    await row.waitFor();
    expect(await row.innerText()).toContain(`转载自${ZHONGMOU}`);
    expect(await row.innerText()).toContain('待签发');
    await row.getByRole('link', { name: TITLE }).click();
    await chiefPage.waitForURL(/\/newsroom\/articles\/\d+$/);
    expect(Number(/(\d+)$/.exec(chiefPage.url())![1])).not.toBe(articleId);
    await chiefPage.getByText(`转载自${ZHONGMOU}`).waitFor();
    for (const name of ['张磊', '李娜']) await chiefPage.locator('.ant-select-selection-item').filter({ hasText: name }).first().waitFor();
    expect(await chiefPage.getByLabel('来源', { exact: true }).inputValue()).toBe(ZHONGMOU);
    // They publish it in the city's newsroom.
    await chiefPage.getByRole('button', { name: /^签\s?发$/ }).click();
    await chiefPage.getByText('已发布').first().waitFor();
    expect(await chiefPage.getByRole('link', { name: '查看页面' }).getAttribute('href')).toMatch(/^\/news\/zhengzhou\/articles\/\d+$/);

    expect(errors).toEqual([]);
    expect(chiefErrors).toEqual([]);
    await Promise.all([editor.close(), cityChief.close()]);
  });

  it('fits a 390 px phone and a desktop, in Chinese and in English (screenshots in e2e/artifacts)', async () => {
    const words = {
      zh: { propose: '推荐转载', proposed: '已推荐', from: `转载自${ZHONGMOU}`, none: '上级组织还没有开设编辑部，暂时无处推荐。' },
      en: { propose: 'Propose for reprint', proposed: 'Proposed', from: `Reprinted from ${ZHONGMOU}`, none: 'No organization above this one has a newsroom yet, so there is nowhere to propose it.' },
    } as const;
    for (const language of ['zh', 'en'] as const) {
      for (const [device, options] of [['phone', PHONE_CONTEXT], ['desktop', { viewport: DESKTOP }]] as const) {
        const w = words[language];
        const locale = language === 'zh' ? {} : { locale: 'en-US' };
        const editor = await signedIn('zhongmou.editor', DEMO_PASSWORD, { ...options, ...locale });
        const cityChief = await signedIn(CITY_CHIEF.username, CITY_CHIEF.password, { ...options, ...locale });
        if (language === 'en') for (const context of [editor, cityChief]) await context.addInitScript(() => localStorage.setItem('wh.locale', 'en'));
        const page = await editor.newPage();
        const errors = collectConsoleErrors(page);
        await page.goto(`/newsroom/articles/${articleId}`);
        await page.getByRole('button', { name: w.propose }).click();
        await targetRow(page, ZHENGZHOU).getByText(w.proposed).waitFor();
        await page.waitForTimeout(400); // the dialog's opening animation
        await fits(page, `${device} ${language} dialog`);
        await page.screenshot({ path: path.join(ARTIFACTS, `news-reprint-dialog-${language}-${device}.png`) });

        // With no newsroom above (answered as the server would for a newsroom-less tree), the dialog says so.
        await page.route('**/api/news/articles/*/reprint-targets', (route) => route.fulfill({ json: [] }));
        await page.reload();
        await page.getByRole('button', { name: w.propose }).click();
        await dialogOf(page).getByText(w.none).waitFor();
        await page.waitForTimeout(400);
        await fits(page, `${device} ${language} empty dialog`);
        await page.screenshot({ path: path.join(ARTIFACTS, `news-reprint-empty-${language}-${device}.png`) });

        const list = await cityChief.newPage();
        const listErrors = collectConsoleErrors(list);
        await openArticleList(list, language);
        await list.locator('.ant-table-row').filter({ hasText: TITLE }).filter({ hasText: w.from }).first().waitFor();
        await list.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
        await fits(list, `${device} ${language} list`);
        await screenshot(list, `news-reprint-list-${language}-${device}`);
        await list.locator('.ant-table-row').filter({ hasText: TITLE }).filter({ hasText: ZHENGZHOU }).getByRole('link', { name: TITLE }).click();
        await list.waitForURL(/\/newsroom\/articles\/\d+$/);
        await list.locator('.ant-alert').filter({ hasText: w.from }).waitFor();
        await fits(list, `${device} ${language} copy`);
        await screenshot(list, `news-reprint-copy-${language}-${device}`);
        expect([...errors, ...listErrors]).toEqual([]);
        await Promise.all([editor.close(), cityChief.close()]);
      }
    }
  });
});

/** Nothing wider than the screen (the page does not scroll sideways). */
async function fits(page: Page, label: string) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll, label).toBeLessThanOrEqual(width);
}
