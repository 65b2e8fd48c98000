import type { Locator, Page } from 'playwright-core';
import { openOptions } from './select.ts';

/** The training classes list and the class form. */
export class TrainingListPage {
  constructor(readonly page: Page) {}
  async open() {
    await this.page.goto('/training');
    await this.page.getByRole('heading', { level: 1, name: /培训班|Training classes/ }).waitFor();
  }
  get rows() { return this.page.locator('.ant-table').first().locator('tbody tr.ant-table-row'); }
  async newClass() {
    await this.page.getByRole('button', { name: /新建培训班|New class/ }).first().click();
    await this.page.getByRole('heading', { level: 1, name: /新建培训班|New class/ }).waitFor();
  }
}

/** The class form (create or edit). */
export class ClassFormPage {
  constructor(readonly page: Page) {}
  field(label: string | RegExp) { return this.page.getByRole('main').getByLabel(label); }
  fieldError(label: string | RegExp) {
    return this.page.locator('.ant-form-item').filter({ has: this.page.getByLabel(label) }).locator('.ant-form-item-explain-error');
  }
  async chooseOrg(label: string, typed: string, name: string) {
    const box = this.field(label);
    await box.click();
    await box.fill(typed);
    await this.page.locator('.ant-select-dropdown:visible').getByTitle(name, { exact: true }).click();
  }
  async dates(from: string, to: string) {
    const inputs = this.page.locator('.ant-picker-range input');
    await inputs.nth(0).click();
    await inputs.nth(0).fill(from);
    await inputs.nth(0).press('Tab');
    await inputs.nth(1).fill(to);
    // Tab, not Enter: Enter in the field would submit the whole form.
    await inputs.nth(1).press('Tab');
  }
  async save() { await this.page.getByRole('button', { name: /保\s*存|Save/ }).click(); }
  /** The range picker's first or second input. */
  dateInput(index: 0 | 1) { return this.page.locator('.ant-picker-range input').nth(index); }
}

/** One class with its tabs. */
export class ClassPage {
  constructor(readonly page: Page) {}
  async open(id: number, tab?: string) {
    await this.page.goto(`/training/classes/${id}${tab ? `?tab=${tab}` : ''}`);
    await this.page.getByRole('heading', { level: 1 }).waitFor();
  }
  tab(name: string | RegExp) { return this.page.getByRole('tab', { name }); }
  async openTab(name: string | RegExp) {
    await this.tab(name).click();
    await this.page.getByRole('tab', { name, selected: true }).waitFor();
  }
  /** The open tab's panel (hidden panels are not rendered). */
  get activePane(): Locator { return this.page.getByRole('tabpanel'); }
  get dialog() { return this.page.getByRole('dialog'); }
  async nextStatus() {
    await this.page.getByRole('button', { name: /进入下一阶段|Move on/ }).click();
  }
  get sessionRows() { return this.page.getByTestId('session-row'); }
}

/** The phone-sized member app's check-in page. */
export class MemberCheckInPage {
  constructor(readonly page: Page) {}
  async open() {
    await this.page.goto('/app/check-in');
    await this.page.getByLabel(/签到课程|Session/).waitFor();
  }
  /** The typed-code form's session picker, and what it shows chosen. */
  get sessionPicker() { return this.page.getByLabel(/签到课程|Session/); }
  get chosenSession() { return this.page.locator('.ant-select').filter({ has: this.sessionPicker }); }
  async sessionOptions() {
    await this.sessionPicker.click();
    return openOptions(this.page);
  }
  get result() { return this.page.getByTestId('check-in-result'); }
  get error() { return this.page.getByTestId('check-in-error'); }
}
