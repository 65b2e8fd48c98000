import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISTRIBUTION } from '../src/db/distribution.ts';
import { createTestApp, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

// Every table the migrations create has its place on Citus decided (server/src/db/distribution.ts):
// a new table that is neither distributed, reference nor coordinator-local fails here.
describe('every table is declared for scale-out', () => {
  it('declares each table of the schema, and nothing that is not a table', async () => {
    const tables = (await t.pool.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    )).rows.map((r) => r.name);
    expect(tables.filter((name) => !(name in DISTRIBUTION)), 'tables without a place on Citus').toEqual([]);
    expect(Object.keys(DISTRIBUTION).filter((name) => !tables.includes(name)), 'declared tables that do not exist').toEqual([]);
  });

  it('co-locates only with distributed tables', () => {
    for (const [name, placement] of Object.entries(DISTRIBUTION)) {
      if (placement.kind !== 'distributed' || !placement.colocateWith) continue;
      const target = DISTRIBUTION[placement.colocateWith];
      expect(target?.kind, `${name} co-located with ${placement.colocateWith}`).toBe('distributed');
    }
  });
});
