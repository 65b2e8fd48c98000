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
// The single and province layouts also get the figures (a precomputed contributions table, one
// row per province, ancestor, status and gender) and an attendance table for a check-in burst.
// For every path the CPU time each node spends per statement is read from /proc
// (bench/citus-node-cpu.ts): what a statement costs on the coordinator and on the workers, the
// input for sizing a cluster (issue #20, part 4).
//
// Run: node --import tsx bench/citus-keys.ts [--provinces 10] [--per-province 100000] [--seconds 5]
//        [--layouts single,province,person,union] [--out citus-keys.md] [--reload]
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
import { machineBusyMs, nodeCpuMs } from './citus-node-cpu.ts';

const { values } = parseArgs({ options: {
  provinces: { type: 'string', default: '10' },
  'per-province': { type: 'string', default: '100000' },
  seconds: { type: 'string', default: '5' },
  clients: { type: 'string', default: '16' },
  reload: { type: 'boolean', default: false },
  layouts: { type: 'string', default: 'single,province,person,union' },
  out: { type: 'string', default: 'citus-keys.md' },
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
const isLayout = (name: string): name is Layout => (LAYOUTS as readonly string[]).includes(name);
const CHOSEN: Layout[] = values.layouts.split(',').map((name) => name.trim()).map((name) => {
  if (!isLayout(name)) throw new Error(`--layouts: unknown layout ${name} (known: ${LAYOUTS.join(', ')})`);
  return name;
});
/** The layouts that carry the figures and attendance tables (the application's own: one node and by province). */
const WITH_TRAINING: Layout[] = ['single', 'province'];
const OUT = path.basename(values.out);
/** Each layout's tables live in a schema of its own ('union' is a reserved word). */
const schema = (layout: Layout) => `keys_${layout}`;

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const CLUSTER_DIR = path.join(BENCH_DIR, '.data', 'citus-keys');
const NODE_DIRS = ['coordinator', 'worker1', 'worker2'].map((node) => path.join(CLUSTER_DIR, node));
const startedAt = new Date();
const loadBefore = os.loadavg();
const cluster = await startCitusCluster(CLUSTER_DIR, {
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
// Like the application's subtree_member_figures with province_id: each province contributes one
// row per ancestor, status and gender. Attendance as the training module writes it.
const TRAINING_TABLES = `
  CREATE TABLE $.figures (province_id bigint NOT NULL, org_id bigint NOT NULL, status text NOT NULL, gender text NOT NULL, n bigint NOT NULL);
  CREATE TABLE $.attendance (province_id bigint NOT NULL, id bigint GENERATED ALWAYS AS IDENTITY, enrolment_id bigint NOT NULL,
    session_id bigint NOT NULL, checked_in_at timestamptz NOT NULL);`;

// Keys and indexes per layout: every unique key holds the distribution column (Citus's rule).
const KEYS: Record<Layout, string> = {
  single: `ALTER TABLE $.persons ADD PRIMARY KEY (id); ALTER TABLE $.memberships ADD PRIMARY KEY (id);
           CREATE UNIQUE INDEX ON $.persons (id_number_hash);
           ALTER TABLE $.figures ADD PRIMARY KEY (province_id, org_id, status, gender); CREATE INDEX ON $.figures (org_id);
           ALTER TABLE $.attendance ADD PRIMARY KEY (id); CREATE UNIQUE INDEX ON $.attendance (session_id, enrolment_id);`,
  province: `ALTER TABLE $.persons ADD PRIMARY KEY (province_id, id); ALTER TABLE $.memberships ADD PRIMARY KEY (province_id, id);
             ALTER TABLE $.figures ADD PRIMARY KEY (province_id, org_id, status, gender); CREATE INDEX ON $.figures (org_id);
             ALTER TABLE $.attendance ADD PRIMARY KEY (province_id, id); CREATE UNIQUE INDEX ON $.attendance (province_id, session_id, enrolment_id);`,
  person: `ALTER TABLE $.persons ADD PRIMARY KEY (id); ALTER TABLE $.memberships ADD PRIMARY KEY (person_id, id);`,
  union: `ALTER TABLE $.persons ADD PRIMARY KEY (id); ALTER TABLE $.memberships ADD PRIMARY KEY (org_id, id);`,
};
const DISTRIBUTE: Record<Layout, string> = {
  single: '',
  province: `SELECT create_distributed_table('$.persons', 'province_id');
             SELECT create_distributed_table('$.memberships', 'province_id', colocate_with => '$.persons');
             SELECT create_distributed_table('$.id_numbers', 'id_number_hash');
             SELECT create_distributed_table('$.figures', 'province_id', colocate_with => '$.persons');
             SELECT create_distributed_table('$.attendance', 'province_id', colocate_with => '$.persons');`,
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
  // The figures as the application keeps them: every membership counted at each of its ancestors.
  await pool.query(`CREATE TABLE stage.figures AS
    SELECT m.province_id, ancestor::bigint AS org_id, m.status, p.gender, count(*) AS n
    FROM stage.memberships m JOIN stage.persons p ON p.id = m.person_id, unnest(string_to_array(m.org_path, '.')) AS ancestor
    GROUP BY 1, 2, 3, 4`);
  for (const layout of CHOSEN) {
    const started = performance.now();
    const sql = (text: string) => text.replaceAll('$.', `${schema(layout)}.`);
    const training = WITH_TRAINING.includes(layout);
    await pool.query(TABLES(schema(layout)));
    if (training) await pool.query(sql(TRAINING_TABLES));
    // One statement at a time: Citus sends each DDL statement to the shards on its own.
    for (const statement of [KEYS[layout], DISTRIBUTE[layout], INDEXES].flatMap((text) => sql(text).split(';')).map((text) => text.trim()).filter(Boolean)) {
      await pool.query(statement);
    }
    const tables = ['persons', 'memberships', 'id_numbers', ...(training ? ['figures', 'attendance'] : [])];
    for (const table of tables.slice(0, training ? 4 : 3)) await pool.query(`INSERT INTO ${schema(layout)}.${table} SELECT * FROM stage.${table}`);
    // One earlier check-in per membership, so the burst writes into a table of the roster's size.
    if (training) {
      await pool.query(sql(`INSERT INTO $.attendance (province_id, enrolment_id, session_id, checked_in_at)
        SELECT province_id, person_id, 1 + id % 50, timestamptz '2026-11-01' + (id % 1000) * interval '1 minute' FROM $.memberships`));
    }
    // VACUUM too: the visibility map a settled table has, and no autovacuum during the measurements.
    for (const table of tables) await pool.query(`VACUUM ANALYZE ${schema(layout)}.${table}`);
    log(`${layout}: loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await pool.query('DROP SCHEMA stage CASCADE');
  for (const url of [cluster.url, ...cluster.workerUrls]) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try { await client.query('CHECKPOINT'); } finally { await client.end(); }
  }
}

interface Path {
  name: string;
  sql: (layout: Layout) => string;
  params: () => unknown[];
  /** The layouts that have the path's tables (all when absent). */
  layouts?: Layout[];
}

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
    ...([['root', () => [1, 1]], ['province', () => { const province = pick(tree.provinces); return [province.id, province.province]; }],
      ['county', () => { const county = pick(tree.counties); return [county.id, county.province]; }]] as const).map(([level, params]) => ({
      name: `${level}'s figure (precomputed, ${level === 'root' ? 'sum of every province\'s row' : 'its province\'s row'})`,
      // The root's figure sums one row per province and key; below the root one province holds it all.
      sql: (layout: Layout) => `SELECT status, gender, sum(n)::bigint AS n FROM ${schema(layout)}.figures
        WHERE org_id = $1${level === 'root' ? '' : provinceFilter(layout, 'figures', 2)} GROUP BY status, gender`,
      params,
      layouts: WITH_TRAINING,
    })),
  ];
}

async function tasks(layout: Layout, p: Path): Promise<string> {
  if (layout === 'single') return '1 node';
  const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${p.sql(layout)}`, bind(p.sql(layout), p.params()));
  const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
  const count = /Task Count: (\d+)/.exec(text)?.[1];
  return count ? `${count} shard${count === '1' ? '' : 's'}` : /Router/.test(text) ? '1 shard' : 'coordinator';
}

interface Cost {
  /** Statements (or rows) the CPU was spent on. */
  units: number;
  /** CPU ms per unit: coordinator, then each worker. */
  nodes: number[];
  /** CPU ms per unit of this benchmark's own process (the clients). */
  client: number;
  /** The share of the machine's CPU that other processes used meanwhile (0–1). */
  others: number;
}

/** Runs `work`, which returns how many units it did, and measures each node's CPU time over it. */
async function measured<T extends { units: number }>(work: () => Promise<T>): Promise<T & { cost: Cost }> {
  const nodesBefore = nodeCpuMs(NODE_DIRS);
  const clientBefore = process.cpuUsage();
  const busyBefore = machineBusyMs();
  const started = performance.now();
  const result = await work();
  const wall = performance.now() - started;
  const busy = machineBusyMs() - busyBefore;
  const clientUsage = process.cpuUsage(clientBefore);
  const client = (clientUsage.user + clientUsage.system) / 1000;
  const nodesMs = nodeCpuMs(NODE_DIRS).map((ms, i) => ms - nodesBefore[i]!);
  const others = Math.max(0, busy - client - nodesMs.reduce((a, b) => a + b, 0)) / (wall * os.cpus().length);
  return { ...result, cost: { units: result.units, nodes: nodesMs.map((ms) => ms / result.units), client: client / result.units, others } };
}

async function throughput(layout: Layout, p: Path) {
  const sql = p.sql(layout);
  return measured(async () => {
    let done = 0;
    const started = performance.now();
    const until = started + SECONDS * 1000;
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      const client = await pool.connect();
      try {
        while (performance.now() < until) { await client.query(sql, bind(sql, p.params())); done++; }
      } finally { client.release(); }
    }));
    return { units: done, rate: done / ((performance.now() - started) / 1000) };
  });
}

/**
 * Where one statement's time goes: EXPLAIN ANALYZE's execution time on the coordinator and, for a
 * statement Citus routes to one shard, on the worker (its task's own Execution Time); median of
 * 20 (or of those that fit in 5 s).
 */
async function wallSplit(layout: Layout, p: Path): Promise<string> {
  const sql = p.sql(layout);
  const total: number[] = [];
  const worker: number[] = [];
  const until = performance.now() + 5000;
  for (let i = 0; i < 20 && performance.now() < until; i++) {
    const plan = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE) ${sql}`, bind(sql, p.params()));
    const times = plan.rows.map((r) => /Execution Time: ([\d.]+) ms/.exec(r['QUERY PLAN'])?.[1]).filter((t) => t !== undefined).map(Number);
    total.push(times.at(-1)!);
    if (times.length === 2) worker.push(times[0]!);
  }
  return `${median(total).toFixed(2)}${worker.length ? ` / ${median(worker).toFixed(2)}` : ''}`;
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
const IMPORT_ROWS = 20_000;
async function importRate(layout: Layout, tree: ReturnType<typeof orgs>, round: number): Promise<number> {
  const rows = IMPORT_ROWS;
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

const BURST = 300;
const burstSession = (round: number) => 1_000_000 + round;

/**
 * A county's class of 300 checks in at once: 300 single-row INSERTs fired together, each its own
 * statement (autocommit), through the pool's connections. Returns the burst's wall time and the
 * time of each INSERT on its connection (without the wait for a connection).
 */
async function checkInBurst(layout: Layout, tree: ReturnType<typeof orgs>, round: number): Promise<{ seconds: number; times: number[] }> {
  const county = tree.counties[(round * 11 + 5) % tree.counties.length]!;
  const trainees = await pool.query<{ person_id: string }>(`SELECT person_id FROM ${schema(layout)}.memberships
    WHERE org_path >= $1 AND org_path < $2 AND province_id = $3 ORDER BY org_path, id LIMIT ${BURST}`, [`${county.path}.`, upper(county.path), county.province]);
  const insert = `INSERT INTO ${schema(layout)}.attendance (province_id, enrolment_id, session_id, checked_in_at) VALUES ($1, $2, $3, now())`;
  const times: number[] = [];
  const started = performance.now();
  await Promise.all(trainees.rows.map(async (trainee) => {
    const client = await pool.connect();
    try {
      const t = performance.now();
      await client.query(insert, [county.province, trainee.person_id, burstSession(round)]);
      times.push(performance.now() - t);
    } finally { client.release(); }
  }));
  return { seconds: (performance.now() - started) / 1000, times };
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const percentile95 = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length * 0.95)]!;
const formatRate = (rate: number) => rate.toFixed(rate < 10 ? 1 : 0);
const TITLES: Record<Layout, string> = { single: 'one node (plain tables)', province: 'by province', person: 'by person', union: 'by union' };
const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);
/** A row of the cost table: CPU ms per statement (or per unit) on each node. */
function costRow(name: string, layout: Layout, shards: string, rate: string, cost: Cost, split: string, scale = 1): string {
  const [coordinator, ...workers] = cost.nodes.map((value) => value * scale);
  const workerSum = workers.reduce((a, b) => a + b, 0);
  return `| ${name} | ${TITLES[layout]} | ${shards} | ${rate} | ${ms(coordinator!)} | ${ms(workerSum)} (${workers.map(ms).join(' + ')}) | ${ms(coordinator! + workerSum)} | ${ms(cost.client * scale)} | ${(cost.others * 100).toFixed(0)} % | ${split} |`;
}

try {
  const tree = orgs();
  const total = PROVINCES * PER_PROVINCE;
  /** Persons in a layout's schema, or -1 when its tables are not (all) there. */
  const rowsIn = async (layout: Layout) => {
    const last = `${schema(layout)}.${WITH_TRAINING.includes(layout) ? 'attendance' : 'id_numbers'}`;
    if (!(await pool.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [last])).rows[0]!.t) return -1;
    return (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema(layout)}.persons`)).rows[0]!.n;
  };
  let reload = values.reload;
  for (const layout of CHOSEN) if ((await rowsIn(layout)) !== total) reload = true;
  if (reload) await load(tree);
  const distributed = CHOSEN.find((layout) => layout !== 'single');
  const shards = distributed
    ? (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_dist_shard WHERE logicalrelid = $1::regclass', [`${schema(distributed)}.persons`])).rows[0]!.n
    : 0;
  // Which worker holds each province (its shard of persons): a province is one shard, on one worker.
  const placement = CHOSEN.includes('province')
    ? (await pool.query<{ port: number; provinces: number; shards: number }>(`
        SELECT n.nodeport AS port, count(*)::int AS provinces, count(DISTINCT s.shardid)::int AS shards
        FROM unnest($1::bigint[]) AS province(id)
        CROSS JOIN LATERAL (SELECT get_shard_id_for_distribution_column('keys_province.persons', province.id) AS shardid) s
        JOIN pg_dist_placement pl ON pl.shardid = s.shardid JOIN pg_dist_node n ON n.groupid = pl.groupid
        GROUP BY n.nodeport ORDER BY n.nodeport`, [tree.provinces.map((p) => p.id)])).rows
    : [];
  // Bytes per member on disk, tables with their indexes: what a worker must hold per member.
  const sizes = await Promise.all(CHOSEN.map(async (layout) => {
    const tables = ['persons', 'memberships', 'id_numbers', ...(WITH_TRAINING.includes(layout) ? ['figures', 'attendance'] : [])];
    const size = layout === 'single' ? 'pg_total_relation_size' : 'citus_total_relation_size';
    const bytes = await pool.query<{ table: string; bytes: string }>(
      `SELECT t AS table, ${size}(format('%I.%I', $1::text, t)::regclass)::text AS bytes FROM unnest($2::text[]) AS t`, [schema(layout), tables]);
    const sum = bytes.rows.reduce((n, row) => n + Number(row.bytes), 0);
    return `${TITLES[layout]}: ${(sum / 2 ** 30).toFixed(2)} GB, ${Math.round(sum / total)} bytes per member (${bytes.rows.map((row) => `${row.table} ${Math.round(Number(row.bytes) / total)}`).join(', ')})`;
  }));
  const others = CHOSEN.filter((layout) => layout !== 'single');
  const ratios = CHOSEN.includes('single') ? others : [];
  const ratio = (rates: Map<Layout, number>) => ratios.map((layout) => {
    const base = rates.get('single');
    const rate = rates.get(layout);
    return base && rate ? ` ${(rate / base).toFixed(2)} |` : ' — |';
  }).join('');
  const rows: string[] = [];
  const costs: string[] = [];
  for (const p of paths(tree)) {
    const cells: string[] = [];
    const rates = new Map<Layout, number>();
    for (const layout of CHOSEN) {
      if (p.layouts && !p.layouts.includes(layout)) { cells.push('—'); continue; }
      try {
        const run = await throughput(layout, p);
        const p95 = await latency(layout, p);
        const touched = await tasks(layout, p);
        const split = layout === 'single' || touched === '1 shard' ? await wallSplit(layout, p) : '—';
        rates.set(layout, run.rate);
        cells.push(`${formatRate(run.rate)}/s · p95 ${p95.toFixed(1)} ms · ${touched}`);
        costs.push(costRow(p.name, layout, touched, `${formatRate(run.rate)}/s`, run.cost, split));
      } catch (error) {
        cells.push(`refused: ${(error as Error).message.slice(0, 80)}`);
      }
      log(`${p.name} / ${layout}: ${cells.at(-1)}`);
    }
    rows.push(`| ${p.name} | ${cells.join(' | ')} |${ratio(rates)}`);
  }
  {
    const cells: string[] = [];
    const rates = new Map<Layout, number>();
    for (const layout of CHOSEN) {
      const run = await measured(async () => {
        const each: number[] = [];
        for (let round = 0; round < 3; round++) each.push(await importRate(layout, tree, round));
        return { units: 3 * IMPORT_ROWS, rate: median(each) };
      });
      rates.set(layout, run.rate);
      cells.push(`${run.rate.toFixed(0)} rows/s`);
      costs.push(costRow('a union\'s import, per 1,000 persons + memberships', layout, layout === 'single' ? '1 node' : '—', `${run.rate.toFixed(0)} rows/s`, run.cost, '—', 1000));
      log(`import / ${layout}: ${cells.at(-1)}`);
    }
    rows.push(`| a union's import (${IMPORT_ROWS.toLocaleString('en')} persons + memberships, COPY in one transaction, median of 3) | ${cells.join(' | ')} |${ratio(rates)}`);
  }
  {
    const cells: string[] = [];
    const rates = new Map<Layout, number>();
    for (const layout of CHOSEN) {
      if (!WITH_TRAINING.includes(layout)) { cells.push('—'); continue; }
      const clear = () => pool.query(`DELETE FROM ${schema(layout)}.attendance WHERE session_id = ANY($1)`, [[0, 1, 2].map(burstSession)]);
      await clear();
      const run = await measured(async () => {
        const bursts: { seconds: number; times: number[] }[] = [];
        for (let round = 0; round < 3; round++) bursts.push(await checkInBurst(layout, tree, round));
        return { units: bursts.reduce((n, b) => n + b.times.length, 0), bursts };
      });
      await clear();
      const rate = median(run.bursts.map((b) => b.times.length / b.seconds));
      const p95 = percentile95(run.bursts.flatMap((b) => b.times));
      rates.set(layout, rate);
      const touched = layout === 'single' ? '1 node' : '1 shard';
      cells.push(`${rate.toFixed(0)} rows/s · p95 ${p95.toFixed(1)} ms · ${touched}`);
      costs.push(costRow('check-in burst, per INSERT', layout, touched, `${rate.toFixed(0)} rows/s`, run.cost, '—'));
      log(`check-in burst / ${layout}: ${cells.at(-1)}`);
    }
    rows.push(`| check-in burst (a county's class: ${BURST} single-row INSERTs at once over ${CLIENTS + 2} connections, median of 3 bursts; p95 of one INSERT) | ${cells.join(' | ')} |${ratio(rates)}`);
  }
  const version = (await pool.query<{ v: string }>(`SELECT extversion AS v FROM pg_extension WHERE extname = 'citus'`)).rows[0]!.v;
  const stamp = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');
  const loadAfter = os.loadavg();
  const report = [
    `## Citus: ${CHOSEN.map((layout) => TITLES[layout]).join(', ')} (${stamp(startedAt)}–${stamp(new Date()).slice(11)} UTC)`,
    '',
    `- machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB; Citus ${version} on PostgreSQL 15, a coordinator and two workers on this one machine${shards ? `, ${shards} shards per distributed table` : ''}; load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} at the start, ${loadAfter.map((l) => l.toFixed(1)).join(' ')} at the end`,
    `- data: ${PROVINCES} provinces × ${PER_PROVINCE.toLocaleString('en')} persons (${total.toLocaleString('en')}), ${tree.all.length.toLocaleString('en')} organizations (a reference table)` +
      (placement.length ? `; provinces by worker (port: provinces in shards): ${placement.map((p) => `${p.port}: ${p.provinces} in ${p.shards}`).join(', ')}` : ''),
    `- size on disk with indexes (attendance holds one earlier check-in per member): ${sizes.join('; ')}`,
    `- command: \`node --import tsx bench/citus-keys.ts ${process.argv.slice(2).join(' ')}\`; throughput with ${CLIENTS} concurrent clients for ${SECONDS} s; p95 of 100 sequential statements; shards from EXPLAIN`,
    '',
    `| hot path | ${CHOSEN.map((layout) => TITLES[layout]).join(' | ')} |${ratios.map((layout) => ` ${TITLES[layout]} / one node |`).join('')}`,
    `|---|${CHOSEN.map(() => '---|').join('')}${ratios.map(() => '---|').join('')}`,
    ...rows,
    '',
    '### CPU per statement, by node',
    '',
    'CPU time of every process of each node (its postmaster, live children, and the children it reaped: `/proc`, utime + stime',
    '+ the postmaster\'s cutime + cstime), read before and after the throughput run, divided by the statements run. "client" is',
    'this benchmark\'s own process on the same cores. "others" is the share of the machine\'s CPU that other processes used',
    'during that run (what this run competed with). "execution" is EXPLAIN ANALYZE\'s median Execution Time on the coordinator',
    '/ on the worker for a one-shard statement (the rest of the coordinator\'s time is planning, routing and the round trip).',
    '',
    '| hot path | layout | shards | rate | coordinator CPU ms | workers CPU ms (w1 + w2) | all nodes CPU ms | client CPU ms | others | execution ms (coordinator / worker) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...costs,
  ].join('\n');
  writeFileSync(path.join(BENCH_DIR, 'results', OUT), report + '\n');
  process.stdout.write(report + '\n');
} finally {
  await pool.end();
  await cluster.stop();
}
