import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/test/**/*.test.ts', 'contract/src/**/*.test.ts', 'web/src/**/*.test.ts'],
    // One real PostgreSQL for the whole run; every test file gets its own database cloned from a migrated template.
    globalSetup: ['server/test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
