import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, screenshot } from '../support/browser.ts';
import { signedInContext } from '../support/context.ts';
import { MemberListPage } from '../pages/console.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser.close(); });

describe('loading, empty and error states', () => {
  it('shows a failed request with a retry that recovers, and an empty result as such', async () => {
    const context = await signedInContext(browser, 'admin');
    const page = await context.newPage();
    // The server fails every member list request until told otherwise.
    let failing = true;
    await page.route('**/api/members?**', (route) => (failing
      ? route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'urn:workers-home:problem:internal', title: 'Unavailable', status: 503, detail: 'down', requestId: 'test-request' }) })
      : route.fallback()));
    await page.goto('/members');
    const alert = page.getByRole('alert').filter({ hasText: '操作未能完成' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('test-request'); // the request id, to quote to an administrator
    await screenshot(page, 'states-error');

    failing = false;
    await alert.getByRole('button', { name: /重\s*试/ }).click();
    const list = new MemberListPage(page);
    await list.rows.first().waitFor();

    await list.search('没有这个人');
    await page.getByText('没有符合条件的会员').waitFor();
    expect(await list.rows.count()).toBe(0);
    await context.close();
  });
});
