import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectConsoleErrors, launch, newContext, PHONE_CONTEXT } from '../support/browser.ts';
import { baseURL, signedInContext } from '../support/context.ts';
import { DEMO_PASSWORD, ZHONGMOU } from '../support/demo.ts';

/**
 * Every page of the console and the member app, as a county's staff member and as a member, in
 * both languages at desktop and phone size (the browser's clock in another zone than China's).
 * Fails on any answer 5xx, on interface text not in the page's language (English words in the
 * Chinese page's labels, Chinese in the English page's, catalogue keys shown as text), on an
 * element narrower than a word (a name one character a line, a header broken inside a word), on a
 * button's words cut at its edge, and on a page wider than the screen.
 */
/** Sets the page's language before it loads; a frame without storage (a claim's PDF shown in the page) is left alone. */
function keepLocale(locale: string) {
  try {
    localStorage.setItem('wh.locale', locale);
  } catch {
    // The PDF viewer's frame has no localStorage.
  }
}

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

type Locale = 'zh-CN' | 'en';
const SIZES = { desktop: {}, phone: PHONE_CONTEXT } as const;

// Where the interface speaks (not the data: names, titles and organizations are the users' words).
const CHROME = [
  'th', 'label', 'button', '.ant-tabs-tab', '.ant-descriptions-item-label', '.ant-statistic-title',
  '.ant-empty-description', '.wh-nav-link', '.wh-panel-title', '.ant-form-item-explain', '.ant-pagination-total-text', 'dt',
].join(', ');

interface Finding { page: string; problem: string }

async function walk(page: Page, path: string, locale: Locale, ready: () => Promise<unknown>): Promise<Finding[]> {
  const findings: Finding[] = [];
  const failed: string[] = [];
  const onResponse = (response: { status(): number; url(): string }) => { if (response.status() >= 500) failed.push(`${response.status()} ${response.url()}`); };
  page.on('response', onResponse);
  await page.goto(path);
  await ready();
  await page.waitForLoadState('networkidle');
  page.off('response', onResponse);
  for (const f of failed) findings.push({ page: path, problem: `answered ${f}` });

  const report = await page.evaluate(({ chrome, locale }) => {
    const problems: string[] = [];
    const visible = (e: Element) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
    // Lines of text an element's words take (icons and controls left out): a new line where a piece of text starts below the last one's bottom.
    const lines = (e: Element) => {
      const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
      const rects: DOMRect[] = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        rects.push(...[...range.getClientRects()].filter((r) => r.width > 0));
      }
      rects.sort((a, b) => a.top - b.top);
      let count = 0;
      let bottom = -Infinity;
      for (const r of rects) {
        if (r.top >= bottom - 2) { count++; bottom = r.bottom; } else bottom = Math.max(bottom, r.bottom);
      }
      return count;
    };
    // Text in another language than the page's on purpose (the language switch says each language in itself).
    const otherLanguage = (e: Element) => { const lang = e.closest('[lang]')?.getAttribute('lang'); return !!lang && lang !== locale; };
    for (const e of document.querySelectorAll(chrome)) {
      if (!visible(e) || otherLanguage(e) || e.querySelector('[lang]')) continue;
      const text = (e as HTMLElement).innerText.trim();
      if (!text) continue;
      if (/\b[a-z]+(\.[a-zA-Z-]+){1,}\b/.test(text) && !/\.(pdf|xlsx|csv|ics)\b|@|\//.test(text)) problems.push(`catalogue key shown: "${text}"`);
      if (locale === 'en' && /[\u4e00-\u9fff]/u.test(text)) problems.push(`Chinese in the English page: "${text}"`);
      if (locale === 'zh-CN' && /[A-Za-z]{3,}/.test(text.replace(/\b(PDF|Excel|CSV|xlsx|QR|ID|iCal|ics|URL|OK)\b/gi, ''))) problems.push(`English in the Chinese page: "${text}"`);
      // A header or label broken inside a word: more lines than words.
      // (Chinese has no spaces: a run of up to six characters counts as a word, so a short header must not wrap, a sentence may.)
      const words = text.split(/\s+/).reduce((n, word) => n + (/[\u4e00-\u9fff]/u.test(word) ? Math.ceil(word.length / 6) : 1), 0);
      if (e.matches('th, .ant-tabs-tab, .ant-descriptions-item-label, dt, button, label') && lines(e) > words) problems.push(`"${text}" broken inside a word (${lines(e)} lines)`);
    }
    // A button whose words are cut at its edge.
    for (const e of document.querySelectorAll('button, .ant-btn')) {
      if (visible(e) && e.scrollWidth > e.clientWidth + 1) problems.push(`"${(e as HTMLElement).innerText.trim()}" cut at the button's edge`);
    }
    // A cell narrower than a word: one character a line.
    for (const e of document.querySelectorAll('td, .ant-descriptions-item-content, dd')) {
      if (!visible(e)) continue;
      const text = (e as HTMLElement).innerText.trim();
      if (text.length >= 3 && lines(e) >= text.replace(/\s/g, '').length) problems.push(`"${text}" one character a line`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push(`page ${document.documentElement.scrollWidth}px wide on a ${window.innerWidth}px screen`);
    return problems;
  }, { chrome: CHROME, locale });
  for (const problem of report) findings.push({ page: path, problem });
  return findings;
}

async function asMember(locale: Locale, size: keyof typeof SIZES, username = 'member'): Promise<BrowserContext> {
  const context = await newContext(browser, baseURL(), { ...SIZES[size], locale, timezoneId: 'America/New_York' });
  const response = await context.request.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(response.status()).toBe(200);
  return context;
}

/** The demo's records each page needs: Zhongmou, one of its members, a class (with a session and a course), the member's class. */
async function records(context: BrowserContext) {
  const get = async <T,>(url: string) => (await (await context.request.get(url)).json()) as T;
  const org = (await get<{ items: Array<{ id: number }> }>(`/api/orgs?q=${encodeURIComponent(ZHONGMOU)}`)).items[0]!.id;
  const person = (await get<{ items: Array<{ personId: number }> }>(`/api/members?orgId=${org}&pageSize=1`)).items[0]!.personId;
  const klass = (await get<{ items: Array<{ id: number }> }>('/api/training/classes?pageSize=1')).items[0]!.id;
  return { org, person, klass };
}

describe('every page, in both languages, at both sizes', () => {
  it.each([['zh-CN', 'desktop'], ['zh-CN', 'phone'], ['en', 'desktop'], ['en', 'phone']] as const)('console as a county\'s staff member: %s, %s', async (locale, size) => {
    const context = await signedInContext(browser, 'zhongmou.admin', { ...SIZES[size], locale, timezoneId: 'America/New_York' });
    await context.addInitScript(keepLocale, locale);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const { org, person, klass } = await records(context);
    const main = () => page.locator('main').first().waitFor();
    const settled = () => page.locator('main .ant-skeleton').first().waitFor({ state: 'detached' }).catch(() => undefined);
    const ready = async () => { await main(); await settled(); };
    const pages = [
      '/', '/orgs', `/orgs/${org}`, '/members', '/members/new', '/members/import', '/members/transfers', `/members/${person}`,
      '/training', '/training?tab=plans', '/training/classes/new', `/training/classes/${klass}`, `/training/classes/${klass}/edit`,
      ...['timetable', 'trainees', 'checkin', 'courses', 'progress', 'certificates', 'report'].map((tab) => `/training/classes/${klass}?tab=${tab}`),
      '/grants', '/account', '/audit',
    ];
    const findings: Finding[] = [];
    for (const path of pages) findings.push(...await walk(page, path, locale, ready));
    expect(findings).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it.each([['zh-CN', 'desktop'], ['zh-CN', 'phone'], ['en', 'desktop'], ['en', 'phone']] as const)('Huigong Bao in the console as its manager, reviewer and payer: %s, %s', async (locale, size) => {
    const findings: Finding[] = [];
    const walkAs = async (username: string, pages: (request: BrowserContext['request']) => Promise<string[]>) => {
      const context = await asMember(locale, size, username);
      await context.addInitScript(keepLocale, locale);
      const page = await context.newPage();
      const errors = collectConsoleErrors(page);
      const ready = async () => {
        await page.locator('main').first().waitFor();
        await page.locator('main .ant-skeleton').first().waitFor({ state: 'detached' }).catch(() => undefined);
      };
      for (const path of await pages(context.request)) findings.push(...await walk(page, path, locale, ready));
      expect(errors, username).toEqual([]);
      await context.close();
    };
    await walkAs('zhongmou.services', async (request) => {
      const plan = ((await (await request.get('/api/services/plans?pageSize=1')).json()) as { items: Array<{ id: number }> }).items[0]!.id;
      const claim = ((await (await request.get('/api/services/claims?pageSize=1')).json()) as { items: Array<{ id: number }> }).items[0]?.id;
      return [
        '/services', '/services/plans/new', `/services/plans/${plan}`, `/services/plans/${plan}?tab=enrolment`, `/services/plans/${plan}?tab=statements`,
        `/services/plans/${plan}/edit`, '/services/claims', '/services/claims/new', ...(claim ? [`/services/claims/${claim}`] : []),
      ];
    });
    await walkAs('zhongmou.reviewer', () => Promise.resolve(['/', '/services/claims?waitingForMe=true&status=in_review']));
    await walkAs('zhongmou.payer', () => Promise.resolve(['/services/batches']));
    expect(findings).toEqual([]);
  });

  it.each([['zh-CN', 'phone'], ['en', 'phone'], ['zh-CN', 'desktop'], ['en', 'desktop']] as const)('member app and public pages as a member: %s, %s', async (locale, size) => {
    const context = await asMember(locale, size);
    await context.addInitScript(keepLocale, locale);
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const mine = ((await (await context.request.get('/api/my/training/classes')).json()) as Array<{ classId: number }>)[0];
    const ready = () => page.locator('body').waitFor();
    const claim = ((await (await context.request.get('/api/my/services/claims')).json()) as Array<{ id: number }>)[0];
    const pages = [
      '/app/', '/app/training', ...(mine ? [`/app/training/classes/${mine.classId}`] : []), '/app/check-in', '/app/certificates',
      '/app/services', '/app/services/claims/new', ...(claim ? [`/app/services/claims/${claim.id}`] : []), '/verify', '/news/', '/news/zhongmou/',
    ];
    const findings: Finding[] = [];
    for (const path of pages) findings.push(...await walk(page, path, locale, ready));
    expect(findings).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
