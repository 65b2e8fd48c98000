// Which column should the roster be distributed by on Citus? Measured, not argued (issue #20).
//
// One data set (provinces → 14 cities → 9 counties → unions; persons with one membership each)
// is loaded four times into a real Citus cluster on this machine (citus/cluster.ts: a coordinator
// and two workers), once per layout:
//   single    — plain PostgreSQL tables on the coordinator (the one-node baseline, same engine, same run);
//   province  — persons and memberships distributed by province_id, co-located;
//   person    — distributed by person id (memberships by person_id), co-located;
//   union     — memberships distributed by their union (org_id), persons by id (not co-located).
// The organization tree is a reference table in every layout. National ID uniqueness, which no
// layout but a lookup table keyed by the ID's hash can hold, is measured as its own lookup.
// For each layout and hot path: statements/s with 16 concurrent clients, p95 of one client, and
// the shards each statement touches (EXPLAIN's task count).
//
// Run: node --import tsx bench/citus-keys.ts [--provinces 10] [--per-province 100000] [--seconds 5]
//      (builds Citus first if needed; the cluster lives in bench/.data/citus-keys, kept between runs)
import os from 'node:os';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { once } from 'node:events';
import { startCitusCluster } from '../citus/cluster.ts';
import { createRandom, makeName, makePhone } from '../server/src/demo/generate.ts';
import { BENCH_DIR } from './database.ts';

const { values } = parseArgs({ options: {
  provinces: { type: 'string', default: '10' },
  'per-province': { type: 'string', default: '100000' },
  seconds: { type: 'string', default: '5' },
  clients: { type: 'string', default: '16' },
  reload: { type: 'boolean', default: false },
} });
const PROVINCES = Number(values.provinces);
const PER_PROVINCE = Number(values['per-province']);
const SECONDS = Number(values.seconds);
const CLIENTS = Number(values.clients);
const CITIES = 14;
const COUNTIES = 9;
const UNIONS_PER_COUNTY = 40;
const LAYOUTS = ['single', 'province', 'person', 'union'] as const;
type Layout = (typeof LAYOUTS)[number];
/** Each layout's tables live in a schema of its own ('union' is a reserved word). */
const schema = (layout: Layout) => `keys_${layout}`;

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const cluster = await startCitusCluster(path.join(BENCH_DIR, '.data', 'citus-keys'), {
  port: 54510, log,
  settings: { shared_buffers: "'2GB'", max_wal_size: "'4GB'", work_mem: "'16MB'", max_parallel_workers_per_gather: '0' },
});
// Joins of tables not co-located (the union layout) run as Citus's repartition joins.
const pool = new pg.Pool({ connectionString: cluster.url, max: CLIENTS + 2, options: '-c citus.enable_repartition_joins=on' });

interface Org { id: number; path: string; province: number; level: string }

/** The organization tree, as arithmetic: ids in order of level, paths of ids. */
function orgs(): { all: Org[]; unions: Org[]; counties: Org[]; provinces: Org[] } {
  const all: Org[] = [{ id: 1, path: '1', province: 1, level: 'national' }];
  let next = 2;
  const provinces: Org[] = [];
  const counties: Org[] = [];
  const unions: Org[] = [];
  for (let p = 0; p < PROVINCES; p++) {
    const province = { id: next++, path: '', province: 0, level: 'provincial' };
    province.path = `1.${province.id}`; province.province = province.id;
    all.push(province); provinces.push(province);
    for (let c = 0; c < CITIES; c++) {
      const city = { id: next++, path: '', province: province.id, level: 'city' };
      city.path = `${province.path}.${city.id}`; all.push(city);
      for (let k = 0; k < COUNTIES; k++) {
        const county = { id: next++, path: '', province: province.id, level: 'county' };
        county.path = `${city.path}.${county.id}`; all.push(county); counties.push(county);
        for (let u = 0; u < UNIONS_PER_COUNTY; u++) {
          const union = { id: next++, path: '', province: province.id, level: 'grassroots' };
          union.path = `${county.path}.${union.id}`; all.push(union); unions.push(union);
        }
      }
    }
  }
  return { all, unions, counties, provinces };
}

async function copyRows(sql: string, rows: Iterable<string>) {
  const client = await pool.connect();
  try {
    const stream = client.query(copyFrom(sql));
    let buffer = '';
    for (const row of rows) {
      buffer += row;
      if (buffer.length > 1 << 20) { if (!stream.write(buffer)) await once(stream, 'drain'); buffer = ''; }
    }
    stream.end(buffer);
    await once(stream, 'finish');
  } finally {
    client.release();
  }
}

const TABLES = (schema: string) => `
  CREATE SCHEMA ${schema};
  CREATE TABLE ${schema}.persons (
    province_id bigint NOT NULL, id bigint NOT NULL, name text NOT NULL, gender text NOT NULL, birth_date date,
    id_number_hash bytea NOT NULL, phone text, name_grams text[] NOT NULL);
  CREATE TABLE ${schema}.memberships (
    province_id bigint NOT NULL, id bigint NOT NULL, person_id bigint NOT NULL, org_id bigint NOT NULL,
    org_path text COLLATE "C" NOT NULL, status text NOT NULL, joined_on date NOT NULL);
  CREATE TABLE ${schema}.id_numbers (id_number_hash bytea PRIMARY KEY, province_id bigint NOT NULL, person_id bigint NOT NULL);`;

// Keys and indexes per layout: every unique key holds the distribution column (Citus's rule).
const KEYS: Record<Layout, string> = {
  single: `ALTER TABLE $.persons ADD PRIMARY KEY (id); ALTER TABLE $.memberships ADD PRIMARY KEY (id);
           CREATE UNIQUE INDEX ON $.persons (id_number_hash);`,
  province: `ALTER TABLE $.persons ADD PRIMARY KEY (province_id, id); ALTER TABLE $.memberships ADD PRIMARY KEY (province_id, id);`,
  person: `ALTER TABLE $.persons ADD PRIMARY KEY (id); ALTER TABLE $.memberships ADD PRIMARY KEY (person_id, id);`,
  union: `ALTER TABLE $.persons ADD PRIMARY KEY (id); ALTER TABLE $.memberships ADD PRIMARY KEY (org_id, id);`,
};
const DISTRIBUTE: Record<Layout, string> = {
  single: '',
  province: `SELECT create_distributed_table('$.persons', 'province_id');
             SELECT create_distributed_table('$.memberships', 'province_id', colocate_with => '$.persons');
             SELECT create_distributed_table('$.id_numbers', 'id_number_hash');`,
  person: `SELECT create_distributed_table('$.persons', 'id');
           SELECT create_distributed_table('$.memberships', 'person_id', colocate_with => '$.persons');
           SELECT create_distributed_table('$.id_numbers', 'id_number_hash');`,
  union: `SELECT create_distributed_table('$.persons', 'id');
          SELECT create_distributed_table('$.memberships', 'org_id', colocate_with => 'none');
          SELECT create_distributed_table('$.id_numbers', 'id_number_hash');`,
};
const INDEXES = `
  CREATE INDEX ON $.persons USING gin (name_grams);
  CREATE INDEX ON $.persons (phone text_pattern_ops);
  CREATE INDEX ON $.memberships (org_path, id);
  CREATE INDEX ON $.memberships (person_id);`;

async function load(tree: ReturnType<typeof orgs>) {
  log(`loading ${PROVINCES} provinces × ${PER_PROVINCE} persons (${tree.all.length} organizations)`);
  await pool.query(`DROP SCHEMA IF EXISTS stage, ${LAYOUTS.map(schema).join(', ')} CASCADE; DROP TABLE IF EXISTS public.orgs`);
  await pool.query(`CREATE TABLE public.orgs (id bigint PRIMARY KEY, path text COLLATE "C" NOT NULL, province_id bigint NOT NULL, level text NOT NULL)`);
  await copyRows('COPY public.orgs FROM STDIN', tree.all.map((o) => `${o.id}\t${o.path}\t${o.province}\t${o.level}\n`));
  await pool.query(`SELECT create_reference_table('public.orgs')`);
  await pool.query(TABLES('stage'));
  const random = createRandom(20261205);
  function* people() {
    let id = 0;
    for (let p = 0; p < PROVINCES; p++) {
      const unions = tree.unions.filter((u) => u.province === tree.provinces[p]!.id);
      for (let i = 0; i < PER_PROVINCE; i++) {
        id++;
        const gender = random.chance(0.5) ? 'male' : 'female';
        const name = makeName(random, gender, false);
        const union = unions[random.int(0, unions.length - 1)]!;
        yield { id, gender, name, union, phone: makePhone(random), birth: `19${random.int(60, 99)}-0${random.int(1, 9)}-1${random.int(0, 9)}` };
      }
    }
  }
  const persons: string[] = [];
  const memberships: string[] = [];
  for (const person of people()) {
    const grams = new Set<string>();
    for (let i = 0; i < person.name.length; i++) { grams.add(person.name[i]!); if (i + 1 < person.name.length) grams.add(person.name.slice(i, i + 2)); }
    const hash = `\\\\x${(person.id * 2654435761 % 2 ** 32).toString(16).padStart(8, '0')}${person.id.toString(16).padStart(12, '0')}`;
    persons.push(`${person.union.province}\t${person.id}\t${person.name}\t${person.gender}\t${person.birth}\t${hash}\t${person.phone}\t{${[...grams].join(',')}}\n`);
    memberships.push(`${person.union.province}\t${person.id}\t${person.id}\t${person.union.id}\t${person.union.path}\tactive\t2020-01-01\n`);
  }
  await copyRows('COPY stage.persons FROM STDIN', persons);
  await copyRows('COPY stage.memberships FROM STDIN', memberships);
  await pool.query(`INSERT INTO stage.id_numbers SELECT id_number_hash, province_id, id FROM stage.persons`);
  for (const layout of LAYOUTS) {
    const started = performance.now();
    const sql = (text: string) => text.replaceAll('$.', `${schema(layout)}.`);
    await pool.query(TABLES(schema(layout)));
    // One statement at a time: Citus sends each DDL statement to the shards on its own.
    for (const statement of [KEYS[layout], DISTRIBUTE[layout], INDEXES].flatMap((text) => sql(text).split(';')).map((text) => text.trim()).filter(Boolean)) {
      await pool.query(statement);
    }
    for (const table of ['persons', 'memberships', 'id_numbers']) await pool.query(`INSERT INTO ${schema(layout)}.${table} SELECT * FROM stage.${table}`);
    await pool.query(`ANALYZE ${schema(layout)}.persons; ANALYZE ${schema(layout)}.memberships; ANALYZE ${schema(layout)}.id_numbers`);
    log(`${layout}: loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

interface Path { name: string; sql: (layout: Layout) => string; params: () => unknown[] }

/** The parameters a statement uses: the province's filter exists only in the province layout. */
const bind = (sql: string, params: unknown[]) => params.slice(0, Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]))));
const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
const upper = (prefix: string) => `${prefix}/`; // '/' sorts right after '.', so [path., path/) is the subtree below path

function paths(tree: ReturnType<typeof orgs>): Path[] {
  // The province's filter is what the application can always add: the province is the second
  // element of every organization's path.
  const provinceFilter = (layout: Layout, alias: string, index: number) => (layout === 'province' ? ` AND ${alias}.province_id = $${index}` : '');
  const join = (layout: Layout) => (layout === 'province' ? 'p.province_id = m.province_id AND p.id = m.person_id' : 'p.id = m.person_id');
  return [
    {
      name: 'county member list page (50 rows)',
      sql: (layout) => `SELECT p.id, p.name, p.phone, m.org_id FROM ${schema(layout)}.memberships m JOIN ${schema(layout)}.persons p ON ${join(layout)}
        WHERE m.org_path >= $1 AND m.org_path < $2 AND m.status = 'active'${provinceFilter(layout, 'm', 3)} ORDER BY m.org_path, m.id LIMIT 50`,
      params: () => { const county = pick(tree.counties); return [`${county.path}.`, upper(county.path), county.province]; },
    },
    {
      name: 'province member list page (50 rows)',
      sql: (layout) => `SELECT p.id, p.name, p.phone, m.org_id FROM ${schema(layout)}.memberships m JOIN ${schema(layout)}.persons p ON ${join(layout)}
        WHERE m.org_path >= $1 AND m.org_path < $2 AND m.status = 'active'${provinceFilter(layout, 'm', 3)} ORDER BY m.org_path, m.id LIMIT 50`,
      params: () => { const province = pick(tree.provinces); return [`${province.path}.`, upper(province.path), province.province]; },
    },
    {
      name: 'name search in a province (two characters)',
      sql: (layout) => `SELECT p.id, p.name, m.org_id FROM ${schema(layout)}.persons p JOIN ${schema(layout)}.memberships m ON ${join(layout)}
        WHERE p.name_grams @> ARRAY[$1]::text[] AND m.org_path >= $2 AND m.org_path < $3 AND m.status = 'active'${provinceFilter(layout, 'p', 4)} ORDER BY p.name, p.id LIMIT 50`,
      params: () => { const province = pick(tree.provinces); return [pick(['张伟', '王芳', '李娜', '刘洋', '陈静']), `${province.path}.`, upper(province.path), province.province]; },
    },
    {
      name: 'phone prefix search in a county',
      sql: (layout) => `SELECT p.id, p.name, m.org_id FROM ${schema(layout)}.persons p JOIN ${schema(layout)}.memberships m ON ${join(layout)}
        WHERE p.phone LIKE $1 AND m.org_path >= $2 AND m.org_path < $3 AND m.status = 'active'${provinceFilter(layout, 'p', 4)} ORDER BY p.name, p.id LIMIT 50`,
      params: () => { const county = pick(tree.counties); return [`13${Math.floor(Math.random() * 100).toString().padStart(2, '0')}%`, `${county.path}.`, upper(county.path), county.province]; },
    },
    {
      name: 'national active count (the root\'s figure, not precomputed)',
      sql: (layout) => `SELECT count(*) FROM ${schema(layout)}.memberships WHERE status = 'active'`,
      params: () => [],
    },
    {
      name: 'ID number lookup (is this person known anywhere?)',
      sql: (layout) => `SELECT person_id, province_id FROM ${schema(layout)}.id_numbers WHERE id_number_hash = $1`,
      params: () => { const id = 1 + Math.floor(Math.random() * PROVINCES * PER_PROVINCE); return [Buffer.from(`${(id * 2654435761 % 2 ** 32).toString(16).padStart(8, '0')}${id.toString(16).padStart(12, '0')}`, 'hex')]; },
    },
  ];
}

async function tasks(layout: Layout, p: Path): Promise<string> {
  if (layout === 'single') return '1 node';
  const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${p.sql(layout)}`, bind(p.sql(layout), p.params()));
  const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
  const count = /Task Count: (\d+)/.exec(text)?.[1];
  return count ? `${count} shard${count === '1' ? '' : 's'}` : /Router/.test(text) ? '1 shard' : 'coordinator';
}

async function throughput(layout: Layout, p: Path): Promise<number> {
  const sql = p.sql(layout);
  let done = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const client = await pool.connect();
    try {
      while (performance.now() < until) { await client.query(sql, bind(sql, p.params())); done++; }
    } finally { client.release(); }
  }));
  return done / SECONDS;
}

async function latency(layout: Layout, p: Path): Promise<number> {
  const sql = p.sql(layout);
  const times: number[] = [];
  const until = performance.now() + 10_000;
  for (let i = 0; i < 100 && performance.now() < until; i++) { const t = performance.now(); await pool.query(sql, bind(sql, p.params())); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length * 0.95)]!;
}

/** A union's import: 20,000 new persons with their memberships, in one transaction (COPY). */
async function importRate(layout: Layout, tree: ReturnType<typeof orgs>, round: number): Promise<number> {
  const rows = 20_000;
  const union = tree.unions[round * 7 + 3]!;
  const base = 100_000_000 + round * rows + LAYOUTS.indexOf(layout) * 10_000_000;
  const client = await pool.connect();
  const started = performance.now();
  try {
    await client.query('BEGIN');
    for (const [table, row] of [
      ['persons', (id: number) => `${union.province}\t${id}\t新会员\tfemale\t1990-01-01\t\\\\x${id.toString(16).padStart(20, '0')}\t13900000000\t{新,新会,会,会员,员}\n`],
      ['memberships', (id: number) => `${union.province}\t${id}\t${id}\t${union.id}\t${union.path}\tactive\t2026-12-05\n`],
    ] as const) {
      const stream = client.query(copyFrom(`COPY ${schema(layout)}.${table} FROM STDIN`));
      let buffer = '';
      for (let i = 0; i < rows; i++) buffer += row(base + i);
      stream.end(buffer);
      await once(stream, 'finish');
    }
    await client.query('ROLLBACK');
  } finally { client.release(); }
  return rows / ((performance.now() - started) / 1000);
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

try {
  const tree = orgs();
  const loaded = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'keys_union' AND tablename = 'id_numbers'`);
  const rowsThere = loaded.rows[0]!.n ? (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM keys_single.persons')).rows[0]!.n : 0;
  if (values.reload || rowsThere !== PROVINCES * PER_PROVINCE) await load(tree);
  const shards = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_dist_shard WHERE logicalrelid = 'keys_province.persons'::regclass`)).rows[0]!.n;
  const rows: string[] = [];
  for (const p of paths(tree)) {
    const cells: string[] = [];
    for (const layout of LAYOUTS) {
      try {
        const rate = await throughput(layout, p);
        const p95 = await latency(layout, p);
        cells.push(`${rate.toFixed(rate < 10 ? 1 : 0)}/s · p95 ${p95.toFixed(1)} ms · ${await tasks(layout, p)}`);
      } catch (error) {
        cells.push(`refused: ${(error as Error).message.slice(0, 80)}`);
      }
      log(`${p.name} / ${layout}: ${cells.at(-1)}`);
    }
    rows.push(`| ${p.name} | ${cells.join(' | ')} |`);
  }
  const imports: string[] = [];
  for (const layout of LAYOUTS) {
    const rates: number[] = [];
    for (let round = 0; round < 3; round++) rates.push(await importRate(layout, tree, round));
    imports.push(`${median(rates).toFixed(0)} rows/s`);
  }
  rows.push(`| a union's import (20,000 persons + memberships, COPY in one transaction, median of 3) | ${imports.join(' | ')} |`);
  const version = (await pool.query<{ v: string }>(`SELECT extversion AS v FROM pg_extension WHERE extname = 'citus'`)).rows[0]!.v;
  const report = [
    `## Distribution keys compared (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    '',
    `- machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB; Citus ${version} on PostgreSQL 15, a coordinator and two workers on this one machine, ${shards} shards per distributed table`,
    `- data: ${PROVINCES} provinces × ${PER_PROVINCE.toLocaleString('en')} persons (${(PROVINCES * PER_PROVINCE).toLocaleString('en')}), ${tree.all.length.toLocaleString('en')} organizations (a reference table)`,
    `- command: \`node --import tsx bench/citus-keys.ts --provinces ${PROVINCES} --per-province ${PER_PROVINCE}\`; throughput with ${CLIENTS} concurrent clients for ${SECONDS} s; p95 of 100 sequential statements; shards from EXPLAIN`,
    '',
    '| hot path | one node (plain tables) | by province | by person | by union |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  writeFileSync(path.join(BENCH_DIR, 'results', 'citus-keys.md'), report + '\n');
  process.stdout.write(report + '\n');
} finally {
  await pool.end();
  await cluster.stop();
}
