import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectConsoleErrors, launch, PHONE, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';
import { ACFTU, HENAN, ZHENGZHOU, ZHONGMOU, ZHONGMOU_HOSPITAL_UNION } from '../support/demo.ts';
import { OrgsPage } from '../pages/console.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

const ELSEWHERE = 'America/Los_Angeles';

/**
 * What a reader would call a broken layout: a word split over two lines ("Federati/on"), Chinese laid out
 * one character a line, or text sticking out past the right edge of the screen (outside a scrolling box).
 */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} px`);
    const scrolls = (el: Element | null): boolean => {
      for (let e = el; e && e !== document.body; e = e.parentElement) {
        const overflow = getComputedStyle(e).overflowX;
        if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden' || overflow === 'clip') return true;
      }
      return false;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      const el = node.parentElement;
      if (!el || !text.trim() || el.closest('[aria-hidden="true"], .ant-select-dropdown, .ant-tooltip, script, style')) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (box.right > width + 1 && !scrolls(el.parentElement)) problems.push(`wider than the screen: "${text.trim().slice(0, 30)}" ends at ${Math.round(box.right)} px`);
      for (const match of text.matchAll(/[A-Za-z\u00C0-\u024F]{2,}|[\u4E00-\u9FFF]{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
        const chinese = /[\u4E00-\u9FFF]/.test(match[0]);
        if (!chinese && lines > 1) problems.push(`word broken over ${lines} lines: "${match[0]}"`);
        if (chinese && lines > 1 && lines >= match[0].length) problems.push(`one character a line: "${match[0]}"`);
      }
    }
    return problems;
  });
}

async function settled(page: Page) {
  await page.locator('.ant-skeleton, .ant-spin-spinning').first().waitFor({ state: 'detached' }).catch(() => undefined);
}

describe('the organization page on a phone (390 × 844)', () => {
  for (const { locale, hint, children, members, level, memberTotal } of [
    { locale: 'zh-CN', hint: '在上方组织树中选择一个组织', children: '下级组织', members: '会员', level: '层级', memberTotal: /共 \d+ 人|\d+ 人/ },
    { locale: 'en-US', hint: 'Choose an organization in the tree above', children: 'Sub-organizations', members: 'Members', level: 'Level', memberTotal: /\d+ (person|people)/ },
  ]) {
    it(`${locale}: the hint points at the tree above; sub-organizations and members are cards, nothing is squeezed or too wide`, async () => {
      const context = await signedInContext(browser, 'admin', { ...PHONE_CONTEXT, locale, timezoneId: ELSEWHERE });
      const page = await context.newPage();
      const errors = collectConsoleErrors(page);
      const orgs = new OrgsPage(page);
      await orgs.open();
      // The tree is on top on a phone: the hint says so.
      await page.getByText(hint, { exact: true }).waitFor();
      expect(await layoutProblems(page)).toEqual([]);

      for (const name of [ACFTU, HENAN, ZHENGZHOU, ZHONGMOU]) await orgs.select(name);
      // Zhongmou's grassroots unions: cards, each titled with the union's name, its level as "label: value".
      const cards = orgs.childCards;
      await cards.first().waitFor();
      await settled(page);
      expect(await page.locator('.ant-table').count()).toBe(0);
      expect(await cards.count()).toBeLessThanOrEqual(10);
      const first = cards.first();
      expect(await first.locator('dt').first().innerText()).toBe(level);
      await orgs.childCard(ZHONGMOU_HOSPITAL_UNION).or(page.getByRole('button', { name: /next|下一页/i })).first().waitFor();
      expect(await layoutProblems(page)).toEqual([]);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(height).toBeLessThan(5 * PHONE.height);
      await screenshot(page, `org-phone-children-${locale}`);

      // The members of the county's subtree, as cards too.
      await orgs.tab(members).click();
      const memberCards = page.getByRole('tabpanel').getByRole('list', { name: /会员名单|Member roster/ }).locator(':scope > li');
      await memberCards.first().waitFor();
      await settled(page);
      expect(await page.getByRole('tabpanel').locator('.ant-pagination-total-text').innerText()).toMatch(memberTotal);
      expect(await layoutProblems(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(5 * PHONE.height);
      await screenshot(page, `org-phone-members-${locale}`);

      // Paging through the cards works as the table's paging does.
      await orgs.tab(children).click();
      await cards.first().waitFor();
      const firstName = await cards.first().locator('.ant-card-head-title').innerText();
      await page.locator('.wh-card-list-pagination .ant-pagination-next').click();
      await page.waitForFunction((name) => document.querySelector('.wh-card-list .ant-card-head-title')?.textContent !== name, firstName);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('on a desktop in English, table headers never break inside a word', async () => {
    const context = await signedInContext(browser, 'admin', { locale: 'en-US', timezoneId: ELSEWHERE });
    const page = await context.newPage();
    const orgs = new OrgsPage(page);
    await orgs.open();
    await page.getByText('Choose an organization in the tree on the left', { exact: true }).waitFor();
    for (const name of [ACFTU, HENAN, ZHENGZHOU, ZHONGMOU]) await orgs.select(name);
    await page.locator('.ant-table-thead').first().waitFor();
    await settled(page);
    expect(await page.locator('.ant-table-thead th').allInnerTexts()).toEqual(expect.arrayContaining(['Name', 'Level', 'Sub-organizations']));
    expect(await layoutProblems(page)).toEqual([]);
    await screenshot(page, 'org-desktop-en');
    await context.close();
  });
});
