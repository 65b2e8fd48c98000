import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const mode = async (run: () => Promise<{ rows: Array<{ plan_cache_mode: string }> }>) => (await run()).rows[0]!.plan_cache_mode;

describe('the pool plans named statements once and everything else for its values', () => {
  it('runs a named statement on a connection that keeps one generic plan', async () => {
    expect(await mode(() => t.pool.query({ name: 'test-plan-mode', text: 'SHOW plan_cache_mode' }))).toBe('force_generic_plan');
  });

  it('plans an unnamed statement, with or without parameters, for its values', async () => {
    expect(await mode(() => t.pool.query('SHOW plan_cache_mode'))).toBe('auto');
    expect(await mode(() => t.pool.query({ text: 'SELECT current_setting($1) AS plan_cache_mode', values: ['plan_cache_mode'] }))).toBe('auto');
  });

  it('plans a transaction\'s statements for their values, and keeps parallel workers off everywhere', async () => {
    const client = await t.pool.connect();
    try {
      expect(await mode(() => client.query('SHOW plan_cache_mode'))).toBe('auto');
    } finally {
      client.release();
    }
    const workers = await t.pool.query<{ n: string }>({ name: 'test-workers', text: 'SELECT current_setting($1) AS n', values: ['max_parallel_workers_per_gather'] });
    expect(workers.rows[0]!.n).toBe('0');
    expect((await t.pool.query<{ n: string }>("SELECT current_setting('max_parallel_workers_per_gather') AS n")).rows[0]!.n).toBe('0');
  });
});
