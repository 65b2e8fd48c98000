import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIRequestContext, Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { collectConsoleErrors, launch, newContext, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { baseURL } from '../support/context.ts';
import { DEMO_PASSWORD } from '../support/demo.ts';

/**
 * Huigong Bao's console lists as staff use them: the county reviewer pages through the claims of
 * the county (read by keyset: previous / next, the cursor in the address) on a desktop and on a
 * phone, in Chinese and in English. The demo has a few dozen claims in 中牟县总工会's subtree:
 * three pages of 20.
 */
let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

function keepLocale(locale: string) { localStorage.setItem('wh.locale', locale); }

async function signedIn(username: string, options: BrowserContextOptions, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<BrowserContext> {
  const context = await newContext(browser, baseURL(), { ...options, locale });
  await context.addInitScript(keepLocale, locale);
  const response = await context.request.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(response.ok(), await response.text()).toBe(true);
  return context;
}

interface ClaimPage { items: Array<{ id: number; name: string }>; total: number; next: string | null }

/** The pages of a claim list as the API answers them, 20 to a page, following `next`. */
async function apiPages(request: APIRequestContext, filter: string): Promise<ClaimPage[]> {
  const pages: ClaimPage[] = [];
  let after: string | null = null;
  do {
    const response = await request.get(`/api/services/claims?${filter}pageSize=20${after ? `&after=${after}` : ''}`);
    expect(response.ok(), await response.text()).toBe(true);
    pages.push((await response.json()) as ClaimPage);
    after = pages.at(-1)!.next;
  } while (after);
  return pages;
}

const claimLinks = (page: Page) => page.getByRole('link', { name: /· (理赔申请|Claim) \d+$/ });
/** The claims shown, by id, once the page shows `first` first. */
async function shownIds(page: Page, first: ClaimPage) {
  const expected = first.items.map((c) => c.id);
  await expect.poll(async () => (await claimLinks(page).allInnerTexts()).map((text) => Number(/(\d+)$/.exec(text)![1]))).toEqual(expected);
}

async function fitsPhone(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

describe('Huigong Bao console: the claims by keyset', () => {
  for (const { name, options, locale } of [
    { name: 'desktop, zh-CN', options: {}, locale: 'zh-CN' as const },
    { name: 'phone, English', options: PHONE_CONTEXT, locale: 'en' as const },
  ]) {
    it(`${name}: the county reviewer pages forward and back, keeps the page on reload, and a filter starts again`, async () => {
      const zh = locale === 'zh-CN';
      const context = await signedIn('zhongmou.reviewer', options, locale);
      const page = await context.newPage();
      const errors = collectConsoleErrors(page);
      const pages = await apiPages(context.request, '');
      expect(pages.length).toBeGreaterThanOrEqual(2);
      const total = pages[0]!.total;
      const next = page.getByRole('button', { name: zh ? /下一页/ : /Next/ });
      const previous = page.getByRole('button', { name: zh ? /上一页/ : /Previous/ });

      await page.goto('/services/claims');
      await shownIds(page, pages[0]!);
      expect(await page.getByTestId('pager-total').innerText()).toBe(zh ? `共 ${total.toLocaleString('en')} 件` : `${total.toLocaleString('en')} in all`);
      expect(await previous.isDisabled()).toBe(true);
      if (!zh) await fitsPhone(page);
      await screenshot(page, `services-claims-first-${zh ? 'zh-desktop' : 'en-phone'}`);

      // Forward to the last page.
      for (const [i, shown] of pages.slice(1).entries()) {
        await next.click();
        await page.waitForURL(`**/services/claims?after=${pages[i]!.next}`);
        await shownIds(page, shown);
      }
      expect(await next.isDisabled()).toBe(true);
      expect(await previous.isDisabled()).toBe(false);
      await screenshot(page, `services-claims-last-${zh ? 'zh-desktop' : 'en-phone'}`);

      // A reload keeps the page, and the way back.
      await page.reload();
      await shownIds(page, pages.at(-1)!);
      for (const shown of pages.slice(0, -1).reverse()) {
        await previous.click();
        await shownIds(page, shown);
      }
      expect(new URL(page.url()).searchParams.has('after')).toBe(false);
      expect(await previous.isDisabled()).toBe(true);

      // A filter chosen on the second page starts from the first page of its claims.
      await next.click();
      await shownIds(page, pages[1]!);
      const approved = await apiPages(context.request, 'status=approved&');
      const status = page.getByLabel(zh ? '状态' : 'Status', { exact: true });
      await status.click();
      await page.locator('.ant-select-dropdown:visible').getByTitle(zh ? '已核准' : 'Approved', { exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get('status') === 'approved' && !url.searchParams.has('after'));
      await shownIds(page, approved[0]!);
      expect(await page.getByTestId('pager-total').innerText()).toBe(zh ? `共 ${approved[0]!.total} 件` : `${approved[0]!.total} in all`);

      // The queue of the county: its own total, one page.
      const queue = await apiPages(context.request, 'waitingForMe=true&status=in_review&');
      await page.goto('/services/claims?waitingForMe=true&status=in_review');
      await shownIds(page, queue[0]!);
      expect(await next.isDisabled()).toBe(queue.length === 1);
      if (!zh) await fitsPhone(page);
      await screenshot(page, `services-claims-queue-${zh ? 'zh-desktop' : 'en-phone'}`);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
