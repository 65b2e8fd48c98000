import { defineConfig } from 'vitest/config';

// Browser tests: the real server (built web app, embedded PostgreSQL, demo data) driven by
// Debian's Chromium through playwright-core. One spec file at a time: two cores, one browser.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['specs/**/*.spec.ts'],
    globalSetup: ['support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
