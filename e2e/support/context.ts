import { inject } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { newContext } from './browser.ts';

export const baseURL = () => inject('baseURL');

/** A browser context already signed in as a demo account (the stored login of global setup). */
export function signedInContext(browser: Browser, username: 'admin' | 'zhongmou.admin', options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return newContext(browser, baseURL(), { storageState: inject('storageStates')[username], ...options });
}
