import { defineConfig } from 'vitest/config';

// The Citus lane (`npm run test:citus`, issue #20): the API's flows on one node and on a Citus
// cluster, answers compared. One fork, one file: it starts its own databases and servers.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['lane.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 3 * 3600_000,
    hookTimeout: 600_000,
  },
});
