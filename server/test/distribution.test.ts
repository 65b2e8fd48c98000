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

  it('gives every distributed table its distribution column (else the placement step would place nothing)', async () => {
    const missing: string[] = [];
    for (const [name, placement] of Object.entries(DISTRIBUTION)) {
      if (placement.kind !== 'distributed') continue;
      const found = await t.pool.query('SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2', [name, placement.column]);
      if (found.rowCount !== 1) missing.push(`${name}.${placement.column}`);
    }
    expect(missing).toEqual([]);
  });

  it('co-locates only with distributed tables', () => {
    for (const [name, placement] of Object.entries(DISTRIBUTION)) {
      if (placement.kind !== 'distributed' || !placement.colocateWith) continue;
      const target = DISTRIBUTION[placement.colocateWith];
      expect(target?.kind, `${name} co-located with ${placement.colocateWith}`).toBe('distributed');
    }
  });

  // What Citus refuses when it distributes a table, checked on one PostgreSQL, so a module's
  // tables are born distributable: a unique constraint is enforced per shard (it must hold the
  // key), and a foreign key may point only to a reference table or, holding the key on both
  // sides, to a table of the same co-location group.
  it('keeps every unique constraint and foreign key of a distributed table on one shard', async () => {
    const distributed = Object.entries(DISTRIBUTION).flatMap(([name, p]) => (p.kind === 'distributed' ? [{ name, column: p.column }] : []));
    const uniqueWithoutKey = (await t.pool.query<{ index: string }>(
      `SELECT c.relname AS index FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       JOIN unnest($1::text[], $2::text[]) AS d(name, column_name) ON i.indrelid = d.name::regclass
       WHERE i.indisunique AND NOT EXISTS (
         SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attname = d.column_name AND a.attnum = ANY (i.indkey))
       ORDER BY 1`,
      [distributed.map((d) => d.name), distributed.map((d) => d.column)],
    )).rows.map((r) => r.index);
    expect(uniqueWithoutKey, 'unique indexes without the distribution column').toEqual([]);

    const keys = (await t.pool.query<{ source: string; target: string; columns: string[]; referenced: string[] }>(
      `SELECT conrelid::regclass::text AS source, confrelid::regclass::text AS target,
              (SELECT array_agg(attname::text ORDER BY k.n) FROM unnest(conkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k.attnum) AS columns,
              (SELECT array_agg(attname::text ORDER BY k.n) FROM unnest(confkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = confrelid AND a.attnum = k.attnum) AS referenced
       FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    )).rows;
    const group = (name: string): string => {
      const p = DISTRIBUTION[name];
      return p?.kind === 'distributed' && p.colocateWith ? group(p.colocateWith) : name;
    };
    const refused = keys.filter(({ source, target, columns, referenced }) => {
      const from = DISTRIBUTION[source];
      const to = DISTRIBUTION[target];
      if (!from || !to) return true;
      if (to.kind === 'reference') return false;
      if (from.kind !== 'distributed') return to.kind === 'distributed';
      if (to.kind !== 'distributed') return true;
      const at = columns.indexOf(from.column);
      return group(source) !== group(target) || at < 0 || referenced[at] !== to.column;
    }).map(({ source, target, columns }) => `${source} (${columns.join(', ')}) → ${target}`);
    expect(refused, 'foreign keys Citus cannot keep').toEqual([]);
  });
});
