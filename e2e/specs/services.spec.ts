import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { APIRequestContext, Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { collectConsoleErrors, launch, newContext, PHONE_CONTEXT, screenshot } from '../support/browser.ts';
import { baseURL } from '../support/context.ts';
import { DEMO_PASSWORD, ZHONGMOU } from '../support/demo.ts';

/**
 * Huigong Bao (惠工保) as its users meet it, in Chinese, with every browser set to Los Angeles
 * time: the demo member files a claim from a 390 px phone with photos of the documents and sees
 * the benefit explained; the grassroots union's reviewer approves it, then the county's
 * reviewer finds it in the queue on a desktop, looks at the document and approves it; the member
 * sees it approved. The demo data is server/src/demo (the `member` of zhongmou-first-grassroots,
 * the plan of 中牟县总工会 with review levels grassroots then county).
 */
const LOS_ANGELES = { timezoneId: 'America/Los_Angeles' };

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

type Username = 'member' | 'grassroots.reviewer' | 'zhongmou.reviewer';

async function signedIn(username: Username, options: BrowserContextOptions, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<BrowserContext> {
  const context = await newContext(browser, baseURL(), { ...options, ...LOS_ANGELES, locale });
  await context.addInitScript(keepLocale, locale);
  const response = await context.request.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(response.ok(), await response.text()).toBe(true);
  return context;
}

// Date-only arithmetic on China calendar days, whatever this process's zone.
const chinaToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
/** '2026-11-20' as the zh-CN pages write it: 2026年11月20日. */
const zhDate = (day: string) => { const [y, m, d] = day.split('-').map(Number); return `${y}年${m}月${d}日`; };
/** Fen as the pages write it: 12345 → ¥123.45 (integer arithmetic). */
const yuan = (fen: number) => `¥${String(Math.floor(fen / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${String(fen % 100).padStart(2, '0')}`;

interface Coverage {
  planId: number; state: string; coveredFrom: string | null; benefitLeftFen: number;
  rules: { dailyAllowanceFen: number; deductibleDays: number; perStayCapFen: number; minStayDays: number; requiredDocuments: string[] };
}

/** A stay of 8 days that ends two days ago or earlier, overlapping none of the member's claims and inside the coverage. */
async function freeStay(request: APIRequestContext, coverage: Coverage) {
  const claims = (await (await request.get('/api/my/services/claims')).json()) as Array<{ admittedOn: string; dischargedOn: string }>;
  let discharged = addDays(chinaToday(), -2);
  for (;;) {
    const admitted = addDays(discharged, -8);
    if (coverage.coveredFrom && admitted < coverage.coveredFrom) throw new Error('no free stay of 8 days within the coverage');
    if (!claims.some((c) => c.admittedOn <= discharged && admitted <= c.dischargedOn)) return { admitted, discharged };
    discharged = addDays(discharged, -9);
  }
}

async function photo(text: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800"><rect width="100%" height="100%" fill="#f4f1ea"/><text x="40" y="120" font-size="48" fill="#333">${text}</text></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

/** Types a day into antd's date picker (the form's own calendar) and takes it with Enter. */
async function pickDate(page: Page, label: string, day: string) {
  const box = page.getByLabel(label, { exact: true });
  await box.click();
  await box.fill(day);
  await box.press('Enter');
  await expect.poll(() => box.inputValue()).toBe(day);
}

async function fitsPhone(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

/** Approves the claim at the reviewer's organization from the console's review queue. */
async function approveFromQueue(page: Page, claimId: number, memberName: string) {
  await page.goto('/services/claims?waitingForMe=true&status=in_review');
  const link = page.getByRole('link', { name: `${memberName} · 理赔申请 ${claimId}` });
  await link.click();
  await page.waitForURL(`**/services/claims/${claimId}`);
  // The document is shown in the page, loaded.
  const image = page.getByTestId('claim-documents').locator('img').first();
  await image.waitFor();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await page.getByRole('button', { name: /^通\s?过$/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: /^通\s?过$/ }).click();
  await page.getByText('已提交审核意见').waitFor();
}

describe('Huigong Bao: a member files a claim from the phone, two levels approve it, the member sees it approved', () => {
  it('files with photos, is explained, approved by the union and the county, and shown approved', async () => {
    // The member, on a phone in Los Angeles, files a claim.
    const member = await signedIn('member', PHONE_CONTEXT);
    const phone = await member.newPage();
    const memberErrors = collectConsoleErrors(phone);
    expect(await phone.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/Los_Angeles');
    const coverage = ((await (await member.request.get('/api/my/services/coverage')).json()) as Coverage[]).find((c) => c.state === 'covered')!;
    expect(coverage).toBeDefined();
    const { admitted, discharged } = await freeStay(member.request, coverage);

    await phone.goto('/app/services');
    const covered = phone.getByTestId('my-coverage').first();
    await covered.getByText('保障中').waitFor();
    expect(await covered.innerText()).toContain(ZHONGMOU);
    expect(await covered.innerText()).toContain(yuan(coverage.benefitLeftFen));
    await fitsPhone(phone);
    await phone.getByRole('link', { name: '申请住院津贴' }).click();
    await phone.waitForURL('**/app/services/claims/new');
    await phone.getByLabel('住院医院').fill('中牟县人民医院');
    await pickDate(phone, '入院日期', admitted);
    await pickDate(phone, '出院日期', discharged);
    await phone.getByLabel('诊断').fill('急性阑尾炎，行腹腔镜阑尾切除术');
    await phone.getByLabel('开户银行').fill('中国农业银行中牟支行');
    await phone.getByLabel('银行账号').fill('6228 4800 1234 5678 901');
    // Required kinds are named as missing until a photo of each is there.
    expect(coverage.rules.requiredDocuments).toEqual(expect.arrayContaining(['discharge_summary', 'invoice']));
    await expect.poll(() => phone.getByTestId('documents-missing').innerText()).toContain('还缺：出院小结、住院费用发票');
    const submit = phone.getByRole('button', { name: '提交申请' });
    expect(await submit.isDisabled()).toBe(true);
    await phone.getByTestId('upload-discharge_summary').setInputFiles({ name: '出院小结.jpg', mimeType: 'image/jpeg', buffer: await photo('Discharge summary') });
    await phone.getByTestId('upload-invoice').setInputFiles({ name: '发票.jpg', mimeType: 'image/jpeg', buffer: await photo('Invoice') });
    await phone.getByTestId('documents-missing').getByText('必交材料已齐全').waitFor();
    expect(await phone.getByTestId('upload-item').count()).toBe(2);
    await fitsPhone(phone);
    await screenshot(phone, 'services-member-claim-form-phone');
    await submit.click();
    await phone.waitForURL(/\/app\/services\/claims\/\d+$/);
    const claimId = Number(/(\d+)$/.exec(phone.url())![1]);

    // The benefit, explained line by line in Chinese with China dates and yuan.
    const days = daysBetween(admitted, discharged);
    const paidDays = Math.max(0, days - coverage.rules.deductibleDays);
    const expected = Math.min(paidDays * coverage.rules.dailyAllowanceFen, coverage.rules.perStayCapFen, coverage.benefitLeftFen);
    const explanation = phone.getByTestId('benefit-explanation');
    await explanation.waitFor();
    const explained = await explanation.innerText();
    expect(explained).toContain(`住院 ${days} 天 × ${yuan(coverage.rules.dailyAllowanceFen)} = ${yuan(days * coverage.rules.dailyAllowanceFen)}`);
    if (coverage.rules.deductibleDays > 0) expect(explained).toContain(`前 ${coverage.rules.deductibleDays} 天不予给付：−${yuan(coverage.rules.deductibleDays * coverage.rules.dailyAllowanceFen)}`);
    expect(explained).toContain(`给付金额：${yuan(expected)}`);
    expect(explained).not.toMatch(/[a-z]{3,}_[a-z]+/); // no raw codes
    const facts = await phone.locator('.services-facts').first().innerText();
    expect(facts).toContain(`${zhDate(admitted)} 至 ${zhDate(discharged)}（${days} 天）`);
    expect(facts).toContain('审核中');
    await fitsPhone(phone);
    await screenshot(phone, 'services-member-claim-explained-phone');
    const name = ((await (await member.request.get(`/api/my/services/claims/${claimId}`)).json()) as { name: string }).name;

    // The grassroots union's reviewer approves it at the union.
    const union = await signedIn('grassroots.reviewer', {});
    const unionPage = await union.newPage();
    const unionErrors = collectConsoleErrors(unionPage);
    await approveFromQueue(unionPage, claimId, name);
    await unionPage.getByText(`待${ZHONGMOU}审核`).first().waitFor();
    await screenshot(unionPage, 'services-grassroots-approved');

    // The county's reviewer, on a desktop, finds it in the county's queue and approves it.
    const county = await signedIn('zhongmou.reviewer', {});
    const countyPage = await county.newPage();
    const countyErrors = collectConsoleErrors(countyPage);
    await countyPage.goto('/');
    await countyPage.getByRole('link', { name: '待我审核的惠工保申请' }).click();
    await countyPage.getByRole('link', { name: `${name} · 理赔申请 ${claimId}` }).waitFor();
    await approveFromQueue(countyPage, claimId, name);
    const chain = countyPage.getByTestId('review-chain');
    await expect.poll(() => chain.innerText()).toMatch(/· 通过[\s\S]*· 通过/);
    expect(await countyPage.getByTestId('approved-amount').innerText()).toBe(yuan(expected));
    expect(await countyPage.getByTestId('claim-documents').locator('img').count()).toBe(2);
    await screenshot(countyPage, 'services-county-approved-desktop');

    // The member sees it approved, with both approvals in the history.
    await phone.reload();
    await phone.getByTestId('claim-note').getByText('申请已核准，将由工会拨付至您的银行账户').waitFor();
    expect(await phone.locator('.services-facts').first().innerText()).toContain('已核准');
    expect(await phone.locator('.ant-timeline').innerText()).toMatch(/提交申请[\s\S]*审核通过[\s\S]*审核通过/);
    await phone.goto('/app/services');
    await phone.getByTestId('my-claim').filter({ hasText: '已核准' }).first().waitFor();
    await fitsPhone(phone);
    await screenshot(phone, 'services-member-approved-phone');

    expect(memberErrors).toEqual([]);
    expect(unionErrors).toEqual([]);
    expect(countyErrors).toEqual([]);
    await Promise.all([member.close(), union.close(), county.close()]);

    // The same pages in English: the member's claim on a phone, the reviewer's on a desktop, and the Chinese reviewer page on a phone.
    const memberEn = await signedIn('member', PHONE_CONTEXT, 'en');
    const phoneEn = await memberEn.newPage();
    await phoneEn.goto(`/app/services/claims/${claimId}`);
    await phoneEn.getByText('How the benefit is computed').waitFor();
    expect(await phoneEn.getByTestId('benefit-explanation').innerText()).toContain(`Benefit: ${yuan(expected)}`);
    await fitsPhone(phoneEn);
    await screenshot(phoneEn, 'services-member-claim-en-phone');
    const countyEn = await signedIn('zhongmou.reviewer', {}, 'en');
    const desktopEn = await countyEn.newPage();
    await desktopEn.goto(`/services/claims/${claimId}`);
    await desktopEn.getByTestId('claim-documents').locator('img').first().waitFor();
    await screenshot(desktopEn, 'services-claim-en-desktop');
    const countyPhone = await signedIn('zhongmou.reviewer', PHONE_CONTEXT);
    const reviewerPhone = await countyPhone.newPage();
    await reviewerPhone.goto(`/services/claims/${claimId}`);
    await reviewerPhone.getByTestId('claim-documents').locator('img').first().waitFor();
    await fitsPhone(reviewerPhone);
    await screenshot(reviewerPhone, 'services-claim-zh-phone');
    await Promise.all([memberEn.close(), countyEn.close(), countyPhone.close()]);
  }, 150_000); // four people's journeys and the same pages again in English, on two shared cores
});
