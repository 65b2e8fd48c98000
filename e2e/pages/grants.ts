import type { Page } from 'playwright-core';

/** Role grants: the list, "new account" and "grant a role" dialogs. */
export class GrantsPage {
  constructor(readonly page: Page) {}
  async open() {
    await this.page.goto('/grants');
    await this.page.locator('tbody tr.ant-table-row').first().waitFor();
  }
  get dialog() { return this.page.getByRole('dialog'); }
  /**
   * Chooses an option of the open drop-down and waits until the drop-down has closed: a click
   * landing while the list still slides open does not choose, and the open list would then
   * cover the next field.
   */
  private async pick(title: string) {
    const option = this.page.locator('.ant-select-dropdown:visible').getByTitle(title, { exact: true });
    for (let attempt = 0; ; attempt++) {
      await option.click();
      try {
        await option.waitFor({ state: 'hidden', timeout: 2000 });
        return;
      } catch (error) {
        if (attempt === 2) throw error;
      }
    }
  }
  /** Picks an option of an antd Select inside the dialog by typing (server-side search) and choosing. */
  async choose(label: string, typed: string, option: string) {
    const box = this.dialog.getByLabel(label);
    await box.click();
    await box.fill(typed);
    await this.pick(option);
  }
  async createAccount(input: { username: string; displayName: string; password: string; role: string; org: string; orgTyped: string }) {
    await this.page.getByRole('button', { name: /新建账号|New account/ }).click();
    await this.dialog.waitFor();
    await this.dialog.getByLabel('用户名').fill(input.username);
    await this.dialog.getByLabel('显示名称').fill(input.displayName);
    await this.dialog.getByLabel('初始密码').fill(input.password);
    await this.dialog.getByLabel('角色').click();
    await this.pick(input.role);
    await this.choose('组织', input.orgTyped, input.org);
    await this.dialog.getByRole('button', { name: /保\s*存/ }).click();
    await this.dialog.waitFor({ state: 'detached' });
  }
  async grant(input: { account: string; accountTyped: string; role: string; org: string; orgTyped: string }) {
    await this.page.getByRole('button', { name: /授予角色|Grant a role/ }).click();
    await this.dialog.waitFor();
    await this.choose('账号', input.accountTyped, input.account);
    await this.dialog.getByLabel('角色').click();
    await this.pick(input.role);
    await this.choose('组织', input.orgTyped, input.org);
    await this.dialog.getByRole('button', { name: /授\s*予/ }).click();
    await this.dialog.waitFor({ state: 'detached' });
  }
  async revoke(username: string, role: string) {
    await this.row(username, role).getByRole('button', { name: /撤\s*销/ }).click();
    await this.page.locator('.ant-popconfirm:visible').getByRole('button', { name: /撤\s*销/ }).click();
    await this.row(username, role).waitFor({ state: 'detached' });
  }
  row(username: string, role: string) {
    return this.page.locator('tbody tr.ant-table-row').filter({ hasText: username }).filter({ hasText: role });
  }
}
