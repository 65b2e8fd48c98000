import type { Locator, Page } from 'playwright-core';

/**
 * The options of the open select list, read once it has finished opening. Right after the first
 * option shows, antd is still animating the list in and its virtual list may render its rows
 * again: a read at that moment found no option at all (CI, twice on 2026-12-06), so the caller
 * gets the options only when no animation runs in any open list.
 */
export async function openOptions(page: Page): Promise<Locator> {
  const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
  await options.first().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('.ant-select-dropdown')].every((list) => list.getAnimations({ subtree: true }).length === 0));
  await options.first().waitFor();
  return options;
}
