import type { Page } from 'playwright-core';

/** The phone-sized member app at /app. */
export class MemberAppPage {
  constructor(readonly page: Page) {}
  async open() {
    await this.page.goto('/app/');
    await this.page.getByRole('heading', { level: 1 }).waitFor();
  }
  async signIn(username: string, password: string) {
    await this.page.getByLabel(/用户名|Username/).fill(username);
    await this.page.getByLabel(/^(密码|Password)$/).fill(password);
    await this.page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
  }
  get myUnion() { return this.page.getByTestId('my-union'); }
  get history() { return this.page.getByRole('region', { name: /会籍记录|Membership history/ }).getByRole('listitem'); }
  get signOutButton() { return this.page.getByRole('button', { name: /退出登录|Sign out/ }); }
}
