// The application's own statements on a distributed roster: the demo federation and a member
// import of --rows members into Henan's unions (through the importer, as `workers-home import`
// runs it), then the member list and search statements exactly as the people module builds
// them (memberPageStatement), on one embedded PostgreSQL and on a Citus coordinator with two
// workers, in the same run. For each: wall time per statement, CPU per statement on each node
// (bench/citus-node-cpu.ts) and the shards Citus runs it on.
//
//   node --import tsx bench/citus-app.ts [--rows 200000] [--repeat 300] [--out citus-app.md]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MemberListQuery } from '@workers-home/contract';
import { citusCluster, laneSecrets, oneNode, startApp, type Target } from '../citus/targets.ts';
import { createPool, type Pool } from '../server/src/db/pool.ts';
import { importMembersCommand } from '../server/src/modules/people/import-cli.ts';
import { memberPageStatement } from '../server/src/modules/people/service.ts';
import { peoplePolicy } from '../server/src/modules/people/policy.ts';
import type { Caller } from '../server/src/plugins/access.ts';
import { nodeCpuMs } from './citus-node-cpu.ts';
import { writeImportCsv } from './import-files.ts';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, repeat: { type: 'string', default: '300' }, out: { type: 'string', default: 'citus-app.md' } } });
const ROWS = Number(args.rows);
const REPEAT = Number(args.repeat);
const log = (line: string) => process.stderr.write(`[citus-app] ${line}\n`);

interface Measured { name: string; wallMs: number; cpuMs: number[]; tasks: string }

const STATEMENTS: Array<[string, (o: Orgs) => Record<string, unknown>]> = [
  ['county member list page', (o) => ({ orgId: o.county })],
  ['province member list page', (o) => ({ orgId: o.province })],
  ['name search in a province (王)', (o) => ({ orgId: o.province, q: '王' })],
  ['phone search in a province (138)', (o) => ({ orgId: o.province, q: '138' })],
  ['national member list page', (o) => ({ orgId: o.root })],
];
interface Orgs { root: number; province: number; county: number; rootPath: string; unions: number[] }

async function orgsOf(pool: Pool): Promise<Orgs> {
  const one = async (sql: string) => (await pool.query<{ id: number; path: string }>(sql)).rows[0]!;
  const root = await one('SELECT id, path::text AS path FROM orgs WHERE parent_id IS NULL');
  const province = await one(`SELECT id, path::text AS path FROM orgs WHERE name = '河南省总工会'`);
  const county = await one(`SELECT id, path::text AS path FROM orgs WHERE name = '中牟县总工会'`);
  const unions = (await pool.query<{ id: number }>(`SELECT id FROM orgs WHERE path <@ $1::ltree AND level = 'grassroots' AND status = 'active' ORDER BY id`, [province.path])).rows.map((r) => r.id);
  return { root: root.id, province: province.id, county: county.id, rootPath: root.path, unions };
}

/** Runs `work`, returning its wall time and each node's CPU time, in ms. */
async function timed(target: Target, work: () => Promise<void>): Promise<{ wallMs: number; cpuMs: number[] }> {
  const before = nodeCpuMs(target.dataDirs);
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  const after = nodeCpuMs(target.dataDirs);
  return { wallMs, cpuMs: after.map((ms, i) => ms - before[i]!) };
}

async function measure(target: Target): Promise<{ importSeconds: number; importCpuMs: number[]; statements: Measured[] }> {
  const app = await startApp(target, log);
  const pool = createPool(target.url, 4);
  const services = { pool, secrets: laneSecrets() };
  try {
    const orgs = await orgsOf(pool);
    const folder = await mkdtemp(path.join(os.tmpdir(), 'wh-citus-app-'));
    const file = path.join(folder, 'members.csv');
    await writeImportCsv(file, ROWS, orgs.unions);
    const imported = await timed(target, async () => {
      const code = await importMembersCommand(services, file, { into: String(orgs.province), acceptValid: true }, log);
      if (code !== 0) throw new Error(`the import ended with ${code}`);
    });
    await rm(folder, { recursive: true, force: true });
    log(`${target.name}: ${ROWS} rows imported in ${(imported.wallMs / 1000).toFixed(1)} s`);
    await pool.query('ANALYZE');
    const caller: Caller = { accountId: 0, username: 'bench', personId: null, sessionTokenHash: Buffer.alloc(0), grants: [{ role: peoplePolicy.read[0], orgId: orgs.root, orgPath: orgs.rootPath }] };
    const statements: Measured[] = [];
    for (const [name, query] of STATEMENTS) {
      const { text, values, name: statement } = await memberPageStatement(services, caller, MemberListQuery.parse(query(orgs)));
      // Named as listMembers names it (one node: one generic plan per connection, see createPool).
      const run1 = () => pool.query(statement ? { name: statement, text, values } : { text, values });
      const plan = (await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values)).rows.map((r) => r['QUERY PLAN']).join('\n');
      const tasks = [...plan.matchAll(/Task Count: (\d+)/g)].map((m) => m[1]).join('+') || '—';
      for (let i = 0; i < 20; i++) await run1(); // warm
      const run = await timed(target, async () => { for (let i = 0; i < REPEAT; i++) await run1(); });
      statements.push({ name, wallMs: run.wallMs / REPEAT, cpuMs: run.cpuMs.map((ms) => ms / REPEAT), tasks });
      log(`${target.name}: ${name}: ${(run.wallMs / REPEAT).toFixed(2)} ms`);
    }
    return { importSeconds: imported.wallMs / 1000, importCpuMs: imported.cpuMs, statements };
  } finally {
    await pool.end();
    await app.close();
  }
}

async function on(start: () => Promise<Target>) {
  const target = await start();
  try {
    return { name: target.name, ...(await measure(target)) };
  } finally {
    await target.stop();
  }
}

const one = await on(() => oneNode());
const cluster = await on(() => citusCluster());
const f = (n: number) => n.toFixed(2);
const lines = [
  `# The application's statements on a distributed roster`,
  '',
  `${new Date().toISOString().slice(0, 10)}, \`node --import tsx bench/citus-app.ts --rows ${ROWS} --repeat ${REPEAT}\`, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GB.`,
  `The demo federation and ${ROWS.toLocaleString('en')} members imported into Henan's unions through the importer; each statement as the people module builds it (the list page named, as the app runs it: one generic plan on one node, Citus's own plan on the cluster), run ${REPEAT} times one after another. CPU: each node's processes, from /proc. One node is embedded PostgreSQL 15; the cluster is a Citus 13.2 coordinator and two workers on the same machine, so it cannot be faster here: what matters is the work per node and the shards each statement reaches.`,
  '',
  `| statement | one node: ms | one node: CPU ms | cluster: ms | coordinator CPU ms | workers CPU ms | shards |`,
  '|---|---:|---:|---:|---:|---:|---|',
  ...one.statements.map((s, i) => {
    const c = cluster.statements[i]!;
    return `| ${s.name} | ${f(s.wallMs)} | ${f(s.cpuMs[0]!)} | ${f(c.wallMs)} | ${f(c.cpuMs[0]!)} | ${f(c.cpuMs.slice(1).reduce((a, b) => a + b, 0))} | ${c.tasks} |`;
  }),
  `| import of ${ROWS.toLocaleString('en')} members (s; CPU s) | ${one.importSeconds.toFixed(1)} | ${(one.importCpuMs[0]! / 1000).toFixed(1)} | ${cluster.importSeconds.toFixed(1)} | ${(cluster.importCpuMs[0]! / 1000).toFixed(1)} | ${(cluster.importCpuMs.slice(1).reduce((a, b) => a + b, 0) / 1000).toFixed(1)} | |`,
  '',
];
const out = path.join(import.meta.dirname, 'results', args.out);
await writeFile(out, lines.join('\n'));
process.stdout.write(lines.join('\n'));
log(`written to ${out}`);
