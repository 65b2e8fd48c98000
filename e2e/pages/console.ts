import type { Locator, Page } from 'playwright-core';

/** The console's sign-in page. */
export class LoginPage {
  constructor(readonly page: Page) {}
  async open() {
    await this.page.goto('/login');
    await this.submitButton.waitFor();
  }
  get username() { return this.page.getByLabel(/用户名|Username/); }
  get password() { return this.page.getByLabel(/^(密码|Password)$/); }
  get submitButton() { return this.page.getByRole('button', { name: /登\s*录|Sign in/ }); }
  get error() { return this.page.getByRole('alert'); }
  async signIn(username: string, password: string) {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submitButton.click();
  }
}

/** The signed-in console's frame: menu, language switch, account menu. */
export class ConsoleShell {
  constructor(readonly page: Page) {}
  get nav() { return this.page.getByRole('navigation', { name: /主导航|Main/ }); }
  navLink(name: RegExp | string) { return this.nav.getByRole('link', { name }); }
  async language(label: '中文' | 'English') {
    await this.page.getByText(label, { exact: true }).first().click();
  }
  async signOut() {
    await this.page.getByRole('button', { name: /退出登录|Sign out/ }).click();
  }
}

/** The organization tree beside the opened organization. */
export class OrgsPage {
  constructor(readonly page: Page) {}
  get tree() { return this.page.getByRole('tree'); }
  node(name: string): Locator {
    return this.tree.locator('.ant-tree-treenode').filter({ has: this.page.getByText(name, { exact: true }) });
  }
  async open() {
    await this.page.goto('/orgs');
    await this.node('中华全国总工会').waitFor();
  }
  /** Clicks an organization in the tree: it opens beside the tree and its children load. */
  async select(name: string) {
    await this.node(name).locator('.org-name').click();
    await this.page.getByRole('heading', { level: 2, name: new RegExp(`^${name}`) }).waitFor();
  }
  async search(text: string) {
    const box = this.page.getByLabel(/按名称搜索组织|Search organizations/);
    await box.fill(text);
    await box.press('Enter');
  }
  searchResult(name: string) { return this.page.getByRole('list', { name: /组织搜索结果|Organizations found/ }).getByRole('link', { name, exact: true }); }
  get breadcrumbs() { return this.page.getByRole('navigation', { name: /组织层级|Where it sits/ }); }
  statistic(title: string | RegExp) {
    return this.page.locator('.ant-statistic').filter({ hasText: title }).locator('.ant-statistic-content');
  }
  tab(name: string | RegExp) { return this.page.getByRole('tab', { name }); }
  /** On a phone the sub-organizations are a list of cards, not a table. */
  get childCards() { return this.page.getByRole('list', { name: /^(下级组织|Sub-organizations)$/ }).locator(':scope > li'); }
  childCard(name: string) { return this.childCards.filter({ has: this.page.locator('.ant-card-head-title', { hasText: name }) }); }
}

/** The member roster with its filters. */
export class MemberListPage {
  constructor(readonly page: Page) {}
  async open(query = '') {
    await this.page.goto(`/members${query}`);
    await this.rows.first().waitFor();
  }
  get table() { return this.page.locator('.ant-table').first(); }
  get rows() { return this.table.locator('tbody tr.ant-table-row'); }
  get searchBox() { return this.page.getByLabel(/搜索会员|Search members/); }
  async search(text: string) {
    await this.searchBox.fill(text);
    const answered = this.page.waitForResponse((r) => r.url().includes('/api/members?') && new URL(r.url()).searchParams.get('q') === text);
    await this.searchBox.press('Enter');
    const response = await answered;
    // Rows from the previous answer may still be on screen: wait until the table shows this one.
    const { items } = (await response.json()) as { items: Array<{ name: string }> };
    const first = items[0]?.name;
    if (first) await this.rows.first().locator(this.nameCell, { hasText: first }).waitFor();
    await this.table.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  }
  async names(): Promise<string[]> {
    return this.rows.locator(this.nameCell).allInnerTexts();
  }
  /** The name's cell: the first after the row's selection box. */
  readonly nameCell = 'td.ant-table-selection-column + td';
  /** The n-th data column of the rows (1 = name), after the selection box. */
  column(n: number) { return this.rows.locator(`td:nth-child(${n + 1})`); }
  get exportButton() { return this.page.getByRole('button', { name: /导出 Excel|Export to Excel/ }); }
  get total() { return this.page.locator('.ant-pagination-total-text'); }
}

/** One member: roster fields, membership history, the edit form. */
export class MemberPage {
  constructor(readonly page: Page) {}
  async open(personId: number) {
    await this.page.goto(`/members/${personId}`);
    await this.page.getByRole('heading', { level: 1 }).waitFor();
  }
  get idNumber() { return this.page.getByTestId('id-number'); }
  get editDialog() { return this.page.getByRole('dialog'); }
  async startEditing() {
    await this.page.getByRole('button', { name: /编\s*辑|Edit/ }).click();
    await this.editDialog.waitFor();
  }
  field(label: string | RegExp) { return this.editDialog.getByLabel(label); }
  /** The error shown under a form field (antd puts it in the field's explain area). */
  fieldError(label: string | RegExp) {
    return this.editDialog.locator('.ant-form-item').filter({ has: this.page.getByLabel(label) }).locator('.ant-form-item-explain-error');
  }
  async save() {
    await this.editDialog.getByRole('button', { name: /保\s*存|Save/ }).click();
  }
  get history() { return this.page.locator('.ant-card').filter({ hasText: /会籍变动记录|Membership history/ }).locator('tbody tr.ant-table-row'); }
  get positions() { return this.page.locator('.ant-card').filter({ hasText: /工会职务|Union positions/ }).locator('tbody tr.ant-table-row'); }
  async chooseOrg(typed: string, name: string) {
    const box = this.field('组织');
    await box.click();
    await box.fill(typed);
    await this.page.locator('.ant-select-dropdown:visible').getByTitle(name, { exact: true }).click();
  }
  async pickDate(label: string, isoDate: string) {
    const box = this.field(label);
    await box.click();
    await box.fill(isoDate);
    await box.press('Tab'); // Enter would also submit the dialog's form
  }
  /** Chooses from a code-list field of the edit form by typing part of a name. */
  async choose(label: string | RegExp, typed: string, option: string) {
    const box = this.field(label);
    await box.click();
    await box.fill(typed);
    await pickOpenOption(this.page, option);
  }
  /** The value shown beside a label in the person's details. */
  detail(label: string | RegExp) {
    return this.page.locator('.ant-descriptions-item-label').filter({ hasText: label }).locator('xpath=following-sibling::*[1]');
  }
}

/** Adding a member: the roster form with the first membership. */
export class MemberCreatePage {
  constructor(readonly page: Page) {}
  async open() {
    await this.page.goto('/members/new');
    await this.page.getByLabel('姓名').waitFor();
  }
  field(label: string | RegExp) { return this.page.getByRole('main').getByLabel(label); }
  fieldError(label: string | RegExp) {
    return this.page.locator('.ant-form-item').filter({ has: this.page.getByLabel(label) }).locator('.ant-form-item-explain-error');
  }
  async chooseUnion(typed: string, name: string) {
    const box = this.field('所在工会');
    await box.click();
    await box.fill(typed);
    await this.page.locator('.ant-select-dropdown:visible').getByTitle(name, { exact: true }).click();
  }
  async pickDate(label: string, isoDate: string) {
    const box = this.field(label);
    await box.click();
    await box.fill(isoDate);
    await box.press('Enter');
  }
  async save() {
    await this.page.getByRole('button', { name: /保\s*存|Save/ }).click();
  }
  /** Chooses from a code-list field (民族, 政治面貌, 学历, 就业形态) by typing part of a name. */
  async choose(label: string | RegExp, typed: string, option: string) {
    const box = this.field(label);
    await box.click();
    await box.fill(typed);
    await pickOpenOption(this.page, option);
  }
}

/**
 * Clicks an option of the open select list and waits for the list to close. A click that lands
 * while a filtered list re-renders can leave it open with nothing chosen (seen once on CI, on a
 * phone), so the option is clicked again while the list stays open.
 */
async function pickOpenOption(page: Page, option: string) {
  const dropdown = page.locator('.ant-select-dropdown:visible');
  for (let attempt = 1; ; attempt++) {
    await dropdown.getByTitle(option, { exact: true }).click();
    try {
      await dropdown.first().waitFor({ state: 'hidden', timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
