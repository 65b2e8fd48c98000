import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Browser, BrowserContext } from 'playwright-core';
import { collectConsoleErrors, launch, newContext, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { baseURL } from '../support/context.ts';
import { DEMO_PASSWORD, ZHONGMOU } from '../support/demo.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

/** A context signed in as one of the demo's news accounts (server/src/demo/news.ts). */
async function signedIn(username: 'zhongmou.editor' | 'zhongmou.chief'): Promise<BrowserContext> {
  const context = await newContext(browser, baseURL());
  const response = await context.request.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(response.ok(), await response.text()).toBe(true);
  return context;
}

const TITLE = `县总工会为快递小哥送清凉（${Date.now() % 100000}）`;

describe('news: an editor writes, the chief editor publishes, a reader on a phone reads and reports, the newsroom answers', () => {
  it('goes from the newsroom to the portal, its feed, a report and the answer', async () => {
    // The editor writes an article with bylines and a photo with its caption and credit.
    const editor = await signedIn('zhongmou.editor');
    const page = await editor.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto('/newsroom/articles/new');
    await page.getByLabel('所属组织').click();
    await page.keyboard.type('中牟县总');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: ZHONGMOU }).first().click();
    await page.getByLabel('引题', { exact: true }).fill('关爱新就业形态劳动者');
    await page.getByLabel('标题', { exact: true }).fill(TITLE);
    await page.getByLabel('副题', { exact: true }).fill('百余份防暑用品送到一线');
    await page.getByLabel('来源', { exact: true }).fill('中牟县总工会');
    await page.getByLabel('责任编辑', { exact: true }).fill('王敏');
    for (const [label, name] of [['记者', '张磊'], ['通讯员', '刘洋'], ['摄影', '李娜']] as const) {
      await page.getByLabel(label, { exact: true }).click();
      await page.keyboard.type(name);
      await page.keyboard.press('Enter');
    }
    await page.getByRole('textbox', { name: '正文' }).click();
    await page.keyboard.type('县总工会走访快递网点，为一线快递员送去防暑用品。');
    const photo = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: { r: 200, g: 60, b: 40 } } }).jpeg().toBuffer();
    await page.getByTestId('news-image-input').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('图片说明').fill('工会干部为快递员送上防暑用品。');
    await dialog.getByLabel('摄影者').fill('李娜 摄');
    await dialog.getByRole('button', { name: '插入图片' }).click();
    await expect.poll(() => page.locator('.news-body-editor img').count()).toBe(1);
    await page.getByRole('button', { name: /^保\s?存$/ }).click();
    await page.waitForURL(/\/newsroom\/articles\/\d+$/);
    const articleId = Number(/(\d+)$/.exec(page.url())![1]);
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.getByText('待签发').first().waitFor();
    await screenshot(page, 'news-editor');

    // The chief editor publishes it.
    const chief = await signedIn('zhongmou.chief');
    const chiefPage = await chief.newPage();
    await chiefPage.goto(`/newsroom/articles/${articleId}`);
    await chiefPage.getByRole('button', { name: /^签\s?发$/ }).click();
    await chiefPage.getByText('已发布').first().waitFor();
    const url = await chiefPage.getByRole('link', { name: '查看页面' }).getAttribute('href');
    expect(url).toBe(`/news/zhongmou/articles/${articleId}`);

    // It is on the organization's portal page and in its feed.
    const reader = await newContext(browser, baseURL(), PHONE_CONTEXT);
    const phone = await reader.newPage();
    const readerErrors = collectConsoleErrors(phone);
    await phone.goto('/news/zhongmou/');
    await phone.getByRole('link', { name: TITLE }).waitFor();
    const feed = await reader.request.get('/news/zhongmou/feed.rss');
    expect(await feed.text()).toContain(TITLE);
    expect(await phone.locator('link[rel="alternate"][type="application/atom+xml"]').count()).toBeGreaterThan(0);

    // A reader on a phone reads it and reports it.
    await phone.getByRole('link', { name: TITLE }).click();
    await phone.waitForURL(`**${url}`);
    await expect.poll(() => phone.locator('.byline').innerText()).toContain('记者：张磊');
    expect(await phone.locator('figcaption').innerText()).toContain('工会干部为快递员送上防暑用品。');
    expect(await phone.locator('.body img').getAttribute('srcset')).toMatch(/480w/);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await phone.getByText('举报有害信息').click();
    await phone.getByLabel('举报类型').selectOption('false');
    await phone.getByLabel('举报内容').fill('文中送出的防暑用品数量与实际不符。');
    await screenshot(phone, 'news-article-phone');
    await phone.getByRole('button', { name: '提交举报' }).click();
    await phone.getByText('举报已收到').waitFor();

    // The newsroom answers the report.
    await page.goto('/newsroom/reports');
    const item = page.locator('.ant-list-item').filter({ hasText: '文中送出的防暑用品数量与实际不符。' });
    await item.getByLabel('答复').fill('已核实，数量已更正。感谢监督。');
    await item.getByRole('button', { name: '答复并办结' }).click();
    await expect.poll(async () => {
      const reports = await (await editor.request.get('/api/news/reports?status=closed')).json() as { items: Array<{ articleId: number; answer: string | null }> };
      return reports.items.find((r) => r.articleId === articleId)?.answer;
    }).toBe('已核实，数量已更正。感谢监督。');
    await screenshot(page, 'news-reports');
    expect(errors).toEqual([]);
    expect(readerErrors).toEqual([]);

    // The newsroom on a phone: the list and the editor fit 390 px.
    const phoneEditor = await newContext(browser, baseURL(), PHONE_CONTEXT);
    await phoneEditor.request.post('/api/auth/login', { data: { username: 'zhongmou.editor', password: DEMO_PASSWORD } });
    const small = await phoneEditor.newPage();
    for (const path of ['/newsroom', `/newsroom/articles/${articleId}`]) {
      await small.goto(path);
      await small.getByText(TITLE).first().waitFor();
      expect(await small.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    }
    await screenshot(small, 'news-editor-phone');
    await Promise.all([editor.close(), chief.close(), reader.close(), phoneEditor.close()]);
  });
});
