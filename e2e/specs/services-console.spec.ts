import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { nationalIdCheckCharacter } from '@workers-home/contract';
import type { APIRequestContext, Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { collectConsoleErrors, launch, newContext, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { baseURL } from '../support/context.ts';
import { DEMO_PASSWORD, ZHONGMOU_HOSPITAL_UNION } from '../support/demo.ts';

/**
 * Huigong Bao's console lists as staff use them: the county reviewer pages through the claims of
 * the county (read by keyset: previous / next, the cursor in the address) on a desktop and on a
 * phone, in Chinese and in English (the demo has a few dozen claims in 中牟县总工会's subtree:
 * three pages of 20); the county's admin enrols a union's members from a spreadsheet, checked first.
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

/** A valid ID number no demo person has: born 1988-03-xx in Zhongmou (410122), serial 5xx (odd: a man). */
function idNumber(day: number, serial: number) {
  const first17 = `410122198803${String(day).padStart(2, '0')}${500 + serial * 2 + 1}`;
  return first17 + nationalIdCheckCharacter(first17);
}

/** The same number with its check character changed: a wrong check digit. */
const wrongCheckDigit = (id: string) => id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');

async function spreadsheet(rows: Array<[string, string]>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('参保名单');
  sheet.addRow(['姓名', '身份证号']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('Huigong Bao console: enrolment from a spreadsheet', () => {
  it('desktop, zh-CN: the check shows each rejected row\'s reason, then the valid rows only are enrolled', async () => {
    const context = await signedIn('zhongmou.admin', {});
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const plan = ((await (await context.request.get('/api/services/plans?pageSize=50')).json()) as { items: Array<{ id: number; status: string; enrolStart: string; enrolEnd: string }> })
      .items.find((p) => p.status !== 'ended')!;
    const unions = ((await (await context.request.get('/api/orgs?level=grassroots&pageSize=50')).json()) as { items: Array<{ id: number; name: string }> }).items;
    const hospital = unions.find((u) => u.name === ZHONGMOU_HOSPITAL_UNION)!;
    const serial = Date.now() % 40;
    const tag = `参保${Date.now() % 100000}`;
    const members = [`${tag}甲`, `${tag}乙`];
    const ids = [idNumber(11, serial), idNumber(12, serial)];
    for (const [i, name] of members.entries()) {
      const created = await context.request.post('/api/persons', { data: { name, gender: 'male', idNumber: ids[i], membership: { orgId: hospital.id, joinedOn: '2020-01-01' } } });
      expect(created.status(), await created.text()).toBe(201);
    }
    const file = await spreadsheet([
      [members[0]!, ids[0]!],
      [members[1]!, ids[1]!],
      [`${tag}丙`, wrongCheckDigit(idNumber(13, serial))],
      [`${tag}丁`, idNumber(14, serial)], // a valid number of nobody in the union
    ]);

    await page.goto(`/services/plans/${plan.id}?tab=enrolment`);
    const union = page.getByLabel('参保工会');
    await union.click();
    await union.fill(ZHONGMOU_HOSPITAL_UNION.slice(0, 5));
    await page.locator('.ant-select-dropdown:visible').getByTitle(ZHONGMOU_HOSPITAL_UNION, { exact: true }).click();
    await page.getByRole('radio', { name: '从表格导入' }).check();
    await page.getByText('表头行须有“姓名”和“身份证号”两列').waitFor();
    await page.locator('input[type=file]').setInputFiles({ name: '参保名单.xlsx', mimeType: XLSX, buffer: file });

    // The check: counts, and every rejected row with its reason in Chinese.
    const check = page.getByTestId('enrol-check');
    await check.waitFor();
    const report = await check.innerText();
    for (const fact of ['文件检查结果：参保名单.xlsx', '共读取 4 行', '可参保 2 人', '已参保 0 人（不重复参保）', '不符合参保条件 1 行', '内容有误 1 行']) expect(report).toContain(fact);
    const rejected = page.getByRole('table', { name: '无法参保的行' });
    expect(await rejected.getByRole('row').filter({ hasText: '第 3 行' }).count()).toBe(0);
    expect(await rejected.getByRole('row').filter({ hasText: '第 4 行' }).innerText()).toContain('身份证号：校验位错误（GB 11643）');
    expect(await rejected.getByRole('row').filter({ hasText: '第 5 行' }).innerText()).toContain('身份证号：不是本工会的在册会员');
    expect(await rejected.innerText()).not.toMatch(/[a-z]{3,}/); // nothing English, no raw codes
    // Nothing is enrolled by the check.
    const enrolled = async (name: string) => ((await (await context.request.get(`/api/services/plans/${plan.id}/enrolments?q=${encodeURIComponent(name)}`)).json()) as { total: number }).total;
    expect(await enrolled(members[0]!)).toBe(0);
    await screenshot(page, 'services-enrol-file-check-zh-desktop');

    await page.getByRole('button', { name: '仅为有效的 2 人参保' }).click();
    const result = page.getByTestId('enrol-file-result');
    await result.waitFor();
    expect(await result.innerText()).toContain('已从文件参保：新参保 2 人，已参保 0 人');
    expect(await result.innerText()).toContain('未参保 2 行');
    expect(await page.getByRole('button', { name: /参保 2 人/ }).count()).toBe(0);
    for (const name of members) expect(await enrolled(name)).toBe(1);
    await page.getByLabel('搜索姓名').fill(tag);
    await page.getByLabel('搜索姓名').press('Enter');
    await page.getByRole('table', { name: '参保名单' }).getByText(members[0]!).waitFor();
    await screenshot(page, 'services-enrol-file-done-zh-desktop');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('phone, English: a file without problems is enrolled whole after the check', async () => {
    const context = await signedIn('zhongmou.admin', PHONE_CONTEXT, 'en');
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    const plan = ((await (await context.request.get('/api/services/plans?pageSize=50')).json()) as { items: Array<{ id: number; status: string }> }).items.find((p) => p.status !== 'ended')!;
    const unions = ((await (await context.request.get('/api/orgs?level=grassroots&pageSize=50')).json()) as { items: Array<{ id: number; name: string }> }).items;
    const hospital = unions.find((u) => u.name === ZHONGMOU_HOSPITAL_UNION)!;
    const name = `参保${Date.now() % 100000}戊`;
    const serialOf = () => 40 + (Date.now() % 40);
    const id = idNumber(15, serialOf());
    const created = await context.request.post('/api/persons', { data: { name, gender: 'male', idNumber: id, membership: { orgId: hospital.id, joinedOn: '2020-01-01' } } });
    expect(created.status(), await created.text()).toBe(201);

    await page.goto(`/services/plans/${plan.id}?tab=enrolment`);
    const union = page.getByLabel('Union', { exact: true });
    await union.click();
    await union.fill(ZHONGMOU_HOSPITAL_UNION.slice(0, 5));
    await page.locator('.ant-select-dropdown:visible').getByTitle(ZHONGMOU_HOSPITAL_UNION, { exact: true }).click();
    await page.getByRole('radio', { name: 'From a spreadsheet' }).check();
    const input = page.locator('input[type=file]');
    // A first file with two rows written wrong: each shown as a card with its reason in English.
    await input.setInputFiles({ name: 'members-draft.xlsx', mimeType: XLSX, buffer: await spreadsheet([[name, id], [name, id], ['', idNumber(16, serialOf())]]) });
    const check = page.getByTestId('enrol-check');
    await check.getByText('Check of members-draft.xlsx').waitFor();
    expect(await check.innerText()).toContain('2 rows with errors');
    const rejected = page.getByRole('list', { name: 'Rows that cannot be enrolled' });
    expect(await rejected.getByRole('listitem').filter({ hasText: 'Row 3' }).innerText()).toContain('ID number (身份证号): repeats row 2');
    expect(await rejected.getByRole('listitem').filter({ hasText: 'Row 4' }).innerText()).toContain('Name (姓名): is required');
    await page.getByRole('button', { name: 'Enrol only the 1 valid row' }).waitFor();
    await fitsPhone(page);
    await screenshot(page, 'services-enrol-file-rejected-en-phone');

    // The corrected file: nothing rejected, enrolled whole.
    await input.setInputFiles({ name: 'members.xlsx', mimeType: XLSX, buffer: await spreadsheet([[name, id]]) });
    await check.getByText('Check of members.xlsx').waitFor();
    expect(await check.innerText()).toContain('1 member to enrol');
    expect(await page.getByRole('list', { name: 'Rows that cannot be enrolled' }).count()).toBe(0);
    await fitsPhone(page);
    await screenshot(page, 'services-enrol-file-check-en-phone');
    await page.getByRole('button', { name: 'Enrol 1 member' }).click();
    const result = page.getByTestId('enrol-file-result');
    await result.waitFor();
    expect(await result.innerText()).toContain('Enrolled from the file: 1 new, 0 already enrolled');
    await fitsPhone(page);
    await screenshot(page, 'services-enrol-file-done-en-phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('Huigong Bao console: the same pages in the other language on each size', () => {
  for (const { name, options, locale } of [
    { name: 'phone, zh-CN', options: PHONE_CONTEXT, locale: 'zh-CN' as const },
    { name: 'desktop, English', options: {}, locale: 'en' as const },
  ]) {
    it(`${name}: the second page of claims and a checked file, in the reader's words`, async () => {
      const zh = locale === 'zh-CN';
      const phone = options === PHONE_CONTEXT;
      const shot = `${zh ? 'zh' : 'en'}-${phone ? 'phone' : 'desktop'}`;
      // Chinese pages with no English in them (a file's extension and the standard's name aside).
      const noEnglish = async (page: Page) => expect((await page.locator('main').innerText()).replace(/\.xlsx|\.csv|GB 11643/g, '').match(/[A-Za-z]{3,}/g)).toBeNull();
      const reviewer = await signedIn('zhongmou.reviewer', options, locale);
      const page = await reviewer.newPage();
      const errors = collectConsoleErrors(page);
      const pages = await apiPages(reviewer.request, '');
      await page.goto(`/services/claims?after=${pages[0]!.next}`);
      await shownIds(page, pages[1]!);
      expect(await page.getByTestId('pager-total').innerText()).toBe(zh ? `共 ${pages[0]!.total} 件` : `${pages[0]!.total} in all`);
      // Opened mid-list (no way back kept): previous goes to the first page.
      await page.getByRole('button', { name: zh ? /上一页/ : /Previous/ }).click();
      await shownIds(page, pages[0]!);
      if (phone) await fitsPhone(page);
      if (zh) await noEnglish(page);
      await screenshot(page, `services-claims-first-${shot}`);
      expect(errors).toEqual([]);
      await reviewer.close();

      const admin = await signedIn('zhongmou.admin', options, locale);
      const adminPage = await admin.newPage();
      const adminErrors = collectConsoleErrors(adminPage);
      const plan = ((await (await admin.request.get('/api/services/plans?pageSize=50')).json()) as { items: Array<{ id: number; status: string }> }).items.find((p) => p.status !== 'ended')!;
      await adminPage.goto(`/services/plans/${plan.id}?tab=enrolment`);
      const union = adminPage.getByLabel(zh ? '参保工会' : 'Union', { exact: true });
      await union.click();
      await union.fill(ZHONGMOU_HOSPITAL_UNION.slice(0, 5));
      await adminPage.locator('.ant-select-dropdown:visible').getByTitle(ZHONGMOU_HOSPITAL_UNION, { exact: true }).click();
      await adminPage.getByRole('radio', { name: zh ? '从表格导入' : 'From a spreadsheet' }).check();
      await adminPage.locator('input[type=file]').setInputFiles({ name: zh ? '名单.xlsx' : 'list.xlsx', mimeType: XLSX, buffer: await spreadsheet([['某某', wrongCheckDigit(idNumber(20, Date.now() % 40))], ['', idNumber(21, Date.now() % 40)]]) });
      const check = adminPage.getByTestId('enrol-check');
      await check.waitFor();
      expect(await check.innerText()).toContain(zh ? '内容有误 2 行' : '2 rows with errors');
      expect(await adminPage.getByText(zh ? '文件中没有可参保的会员' : 'Nobody in the file can be enrolled').count()).toBe(1);
      if (phone) await fitsPhone(adminPage);
      if (zh) await noEnglish(adminPage);
      await screenshot(adminPage, `services-enrol-file-check-${shot}`);
      expect(adminErrors).toEqual([]);
      await admin.close();
    });
  }
});
