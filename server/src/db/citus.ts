// The last step of the migrations on a Citus coordinator (docs/scale-out.md): every table takes
// the place server/src/db/distribution.ts declares. On a plain PostgreSQL (no citus extension in
// the database) it does nothing. It runs after every migration run and is idempotent: a table
// already in place is left alone, so a new migration's table takes its place at the next start.
import type pg from 'pg';
import { DISTRIBUTION } from './distribution.ts';

export interface DistributionReport {
  /** Tables placed by this run, with their placement kind. */
  placed: string[];
  /**
   * Distributed tables whose distribution column the schema does not have yet. While there is
   * one, every table stays on the coordinator (as a Citus local table).
   */
  waitingForKey: string[];
}

async function isCitus(db: pg.ClientBase | pg.Pool): Promise<boolean> {
  const result = await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`);
  return result.rowCount === 1;
}

/** The co-location group's first table: the one the others are co-located with. */
function groupRoot(name: string): string {
  const placement = DISTRIBUTION[name];
  return placement?.kind === 'distributed' && placement.colocateWith ? groupRoot(placement.colocateWith) : name;
}

export async function distributeOnCitus(client: pg.ClientBase): Promise<DistributionReport> {
  const report: DistributionReport = { placed: [], waitingForKey: [] };
  if (!(await isCitus(client))) return report;
  // Triggers on reference and distributed tables (the figures, the search, the tree's path) are
  // written for Citus: they read their own transition rows first and the tree's act once (0064).
  await client.query('SET citus.enable_unsafe_triggers = on');
  const database = (await client.query<{ name: string }>('SELECT current_database() AS name')).rows[0]!.name;
  await client.query(`ALTER DATABASE ${database} SET citus.enable_unsafe_triggers = on`);

  // Where a table is now: 'reference', 'distributed', 'coordinator' (a Citus local table) or null (a plain table).
  const placeOf = async (name: string) => (await client.query<{ kind: string }>(
    `SELECT CASE WHEN partmethod = 'h' THEN 'distributed' WHEN repmodel = 't' THEN 'reference' ELSE 'coordinator' END AS kind
     FROM pg_dist_partition WHERE logicalrelid = $1::regclass`, [name])).rows[0]?.kind ?? null;
  const columns = new Map<string, Set<string>>();
  for (const row of (await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`,
  )).rows) {
    if (!columns.has(row.table_name)) columns.set(row.table_name, new Set());
    columns.get(row.table_name)!.add(row.column_name);
  }
  // The tables missing their distribution column. Until there are none, nothing is replicated or
  // split: a reference table joined with a Citus local table makes Citus ship the whole reference
  // table through the coordinator for an INSERT … SELECT (docs/scale-out.md), so the tree becomes
  // a reference table in the same step as the roster becomes distributed.
  report.waitingForKey = Object.entries(DISTRIBUTION)
    .filter(([name, placement]) => placement.kind === 'distributed' && !columns.get(name)?.has(placement.column))
    .map(([name]) => name);
  const ready = report.waitingForKey.length === 0;

  if (ready) {
    // The foreign keys of the tables still to be distributed are set aside until they are: a
    // table holding a foreign key to a new reference table would otherwise be made a Citus local
    // table by Citus itself, and Citus cannot then distribute it (nor undo that, with an identity
    // column). They come back once both ends are in place.
    const toDistribute: string[] = [];
    for (const [name, placement] of Object.entries(DISTRIBUTION)) {
      if (placement.kind === 'distributed' && (await placeOf(name)) !== 'distributed') toDistribute.push(name);
    }
    const setAside = (await client.query<{ source: string; name: string; definition: string }>(
      `SELECT conrelid::regclass::text AS source, conname AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY ($1) ORDER BY conrelid::regclass::text, conname`,
      [toDistribute],
    )).rows;
    for (const key of setAside) await client.query(`ALTER TABLE ${key.source} DROP CONSTRAINT ${key.name}`);

    // Reference tables first, those that others reference before them (a foreign key between two
    // reference tables needs its target to be one already).
    const references = Object.entries(DISTRIBUTION).filter(([, p]) => p.kind === 'reference').map(([name]) => name);
    const targets = new Map<string, string[]>();
    for (const row of (await client.query<{ source: string; target: string }>(
      `SELECT conrelid::regclass::text AS source, confrelid::regclass::text AS target FROM pg_constraint WHERE contype = 'f'`,
    )).rows) targets.set(row.source, [...(targets.get(row.source) ?? []), row.target]);
    const ordered: string[] = [];
    const seen = new Set<string>();
    const visit = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const target of targets.get(name) ?? []) if (references.includes(target)) visit(target);
      ordered.push(name);
    };
    references.forEach(visit);
    for (const name of ordered) {
      if ((await placeOf(name)) === 'reference') continue;
      await client.query('SELECT create_reference_table($1)', [name]);
      report.placed.push(`${name}: reference`);
    }

    // Distributed tables, each co-location group's first table before the others.
    const distributed = Object.entries(DISTRIBUTION).filter(([, p]) => p.kind === 'distributed');
    distributed.sort(([a], [b]) => Number(groupRoot(a) !== a) - Number(groupRoot(b) !== b));
    for (const [name, placement] of distributed) {
      if (placement.kind !== 'distributed' || (await placeOf(name)) === 'distributed') continue;
      await client.query('SELECT create_distributed_table($1, $2, colocate_with => $3)', [name, placement.column, placement.colocateWith ?? 'default']);
      report.placed.push(`${name}: distributed by ${placement.column}`);
    }
    for (const key of setAside) await client.query(`ALTER TABLE ${key.source} ADD CONSTRAINT ${key.name} ${key.definition}`);
  }

  // Everything else stays on the coordinator as a Citus local table (Citus may join those with
  // reference tables; a plain table of the coordinator it may not).
  for (const [name, placement] of Object.entries(DISTRIBUTION)) {
    if ((ready && placement.kind !== 'coordinator') || (await placeOf(name)) !== null) continue;
    await client.query('SELECT citus_add_local_table_to_metadata($1, cascade_via_foreign_keys => true)', [name]);
    report.placed.push(`${name}: coordinator`);
  }
  return report;
}
