import { spawn, type ChildProcess } from 'node:child_process';
import { startServer } from './server-process.ts';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { chinaDate } from '../server/src/china-time.ts';
import { computeBenefit } from '../server/src/modules/services/benefit.ts';
import { enrol, yearUsage } from '../server/src/modules/services/enrolment.ts';
import { buildBatch, createBatch, transferList } from '../server/src/modules/services/payout.ts';
import { createPlan, rulesOn } from '../server/src/modules/services/plans.ts';
import { BENCH_DIR, CLI_NODE_FLAGS, openBenchDatabase, type BenchDatabase } from './database.ts';
import { writeImportCsv } from './import-files.ts';
import { benchAccount, cleanUp, insertClaims, PLAN_PREFIX, RULES, type BenchAccount } from './services-data.ts';

/**
 * Huigong Bao at province scale (issue 17): enrolment of every grassroots union's members
 * through enrol(), the review queues over HTTP, computing one claim's benefit and reading it
 * back, and a payout batch with its transfer list. Each beside a baseline measured in the same
 * run: the member import (CLI path) for enrolment, Fastify + SELECT 1 for the HTTP pages.
 * Everything the run adds is removed at its end (and at the start of the next, if cut short).
 *
 * `node --import tsx bench/services.ts [--scale province|smoke] [--claims 200000] [--batch 100000] [--seconds 5]`
 */
const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'province' },
    claims: { type: 'string' },
    batch: { type: 'string' },
    seconds: { type: 'string' },
    'import-rows': { type: 'string' },
    connections: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '3' },
    out: { type: 'string' },
    // Leave the run's rows in place (to look at its queries); the next run, or --clean-only, removes them.
    keep: { type: 'boolean', default: false },
    'clean-only': { type: 'boolean', default: false },
  },
});
const scale = values.scale;
const smoke = scale === 'smoke';
const claimCount = Number(values.claims ?? (smoke ? 2000 : 200_000));
const batchCount = Number(values.batch ?? (smoke ? 1000 : 100_000));
const seconds = Number(values.seconds ?? (smoke ? 1 : 5));
const importRows = Number(values['import-rows'] ?? (smoke ? 2000 : 200_000));
const connections = Number(values.connections);
const concurrency = Number(values.concurrency);
const PORTS = { db: smoke ? 54410 : 54401, app: smoke ? 18191 : 18181, baseline: smoke ? 18192 : 18182 };
const log = (line: string) => process.stderr.write(`${line}\n`);
const command = `node --import tsx bench/services.ts ${process.argv.slice(2).join(' ')}`.trim();

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN; };
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
const int = (x: number) => Math.round(x).toLocaleString('en');

interface Line { measure: string; goal: string; measured: string; met: string }
const lines: Line[] = [];
const notes: string[] = [];

/** The member import's rows/s on `rows` new members: the CLI's path (importMembers) in a child process, as bench/run.ts measures it; undone afterwards. */
async function importBaseline(db: BenchDatabase, tmp: string): Promise<{ rowsPerSecond: number; seconds: number }> {
  const unions = (await db.pool.query<{ id: number }>(`SELECT id::int FROM orgs WHERE level = 'grassroots' ORDER BY id`)).rows.map((r) => r.id);
  const file = path.join(tmp, 'import.csv');
  await writeImportCsv(file, importRows, unions);
  const maxPerson = (await db.pool.query<{ m: number }>('SELECT max(id)::bigint AS m FROM persons')).rows[0]!.m;
  const maxMembership = (await db.pool.query<{ m: number }>('SELECT max(id)::bigint AS m FROM memberships')).rows[0]!.m;
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [...CLI_NODE_FLAGS, '--import', 'tsx', path.join(BENCH_DIR, 'import-child.ts'), file, '1', db.url], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => { text += d.toString(); });
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`import exited with ${code}`))));
    });
    const result = JSON.parse(out) as { seconds: number; outcome: { status: string; personsCreated: number } };
    if (result.outcome.status !== 'succeeded' || result.outcome.personsCreated !== importRows) throw new Error(`import: ${JSON.stringify(result.outcome)}`);
    return { rowsPerSecond: importRows / result.seconds, seconds: result.seconds };
  } finally {
    await db.pool.query('DELETE FROM memberships WHERE id > $1', [maxMembership]);
    await db.pool.query('DELETE FROM id_numbers WHERE person_id > $1', [maxPerson]);
    await db.pool.query('DELETE FROM persons WHERE id > $1', [maxPerson]);
    await db.pool.query('SELECT compact_subtree_figures(NULL)');
    await db.pool.query('VACUUM ANALYZE persons, memberships');
  }
}

let benchPool: BenchDatabase['pool'] | undefined;

/** Requests still running when a load test ends would slow the next one: cancel the server's queries in flight (as bench/run.ts does). */
async function settle() {
  for (let i = 0; benchPool && i < 60; i++) {
    const busy = await benchPool.query<{ n: number }>(
      `SELECT count(pg_cancel_backend(pid))::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND application_name = 'workers-home'`);
    if (busy.rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** One request after another, `count` times: milliseconds each (for pages too slow to answer under load). */
async function sequential(url: string, cookie: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
    times.push(performance.now() - t0);
  }
  return times;
}

/** autocannon at `connections` for `seconds` after 1 s of warm-up; every response's time is kept, for p50/p95/p99. */
async function load(url: string, cookie: string | null, paths?: string[]): Promise<{ rps: number; p50: number; p95: number; p99: number; bad: number }> {
  const run = (duration: number, times: number[] | null) => new Promise<autocannon.Result>((resolve, reject) => {
    let i = 0;
    const instance = autocannon({
      url, connections, duration, headers: cookie ? { cookie } : {},
      requests: paths ? [{ setupRequest: (request) => ({ ...request, path: paths[i++ % paths.length]! }) }] : undefined,
    }, (error: unknown, result) => (error ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error })) : resolve(result)));
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times?.push(responseTime));
  });
  await run(1, null);
  await settle();
  const times: number[] = [];
  const result = await run(seconds, times);
  await settle();
  return { rps: result['2xx'] / seconds, p50: pct(times, 0.5), p95: pct(times, 0.95), p99: pct(times, 0.99), bad: result.non2xx + result.errors + result.timeouts };
}

async function main() {
  if (smoke && !existsSync(path.join(BENCH_DIR, '.data', 'smoke'))) throw new Error('no smoke data set: node --import tsx bench/generate.ts --scale smoke');
  const db = await openBenchDatabase(scale, PORTS.db);
  benchPool = db.pool;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'wh-services-bench-'));
  const servers: ChildProcess[] = [];
  const started = new Date();
  const loadBefore = os.loadavg();
  try {
    await cleanUp(db.pool, log);
    if (values['clean-only']) return;
    const province = (await db.pool.query<{ id: number; name: string }>(`SELECT id::int, name FROM orgs WHERE level = 'provincial' ORDER BY id LIMIT 1`)).rows[0]!;
    const pgVersion = (await db.pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v;

    // 1. Enrolment, beside the member import measured just before it.
    log(`member import baseline: ${importRows} rows (CLI path)...`);
    const imported = await importBaseline(db, tmp);
    log(`  ${int(imported.rowsPerSecond)} rows/s (${imported.seconds.toFixed(1)} s)`);
    const manager = await benchAccount(db.pool, 'services.manager', province.id);
    const ctx = { caller: manager.caller, requestId: 'bench-services' };
    const today = chinaDate(new Date());
    const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    const plan = await createPlan(db.pool, ctx, {
      orgId: province.id, name: `${PLAN_PREFIX} ${day(-200).slice(0, 4)}`, planYear: Number(day(-200).slice(0, 4)), coverageStart: day(-200), coverageEnd: day(165),
      enrolStart: day(-200), enrolEnd: day(10), minAge: 16, maxAge: 70, contributionFen: 3000, waitingDays: 10, reviewLevels: ['grassroots', 'county'], sampling: null, rules: RULES,
    });
    const unions = (await db.pool.query<{ id: number }>(
      `SELECT o.id::int FROM orgs o WHERE o.level = 'grassroots' AND o.path <@ (SELECT path FROM orgs WHERE id = $1) ORDER BY o.id`, [province.id])).rows.map((r) => r.id);
    log(`enrolment: ${unions.length} unions, ${concurrency} at a time...`);
    let next = 0;
    let enrolled = 0;
    let ineligible = 0;
    const enrolStarted = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < unions.length) {
        const union = unions[next++]!;
        const result = await enrol(db.pool, ctx, plan.id, { orgId: union, all: true });
        enrolled += result.enrolled;
        ineligible += result.ineligible.length;
        if (next % 5000 === 0) log(`  ${next} unions, ${enrolled} enrolled, ${int(enrolled / ((performance.now() - enrolStarted) / 1000))} rows/s`);
      }
    }));
    const enrolSeconds = (performance.now() - enrolStarted) / 1000;
    const enrolRate = enrolled / enrolSeconds;
    const active = (await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.status = 'active' AND o.path <@ (SELECT path FROM orgs WHERE id = $1)`, [province.id])).rows[0]!.n;
    if (enrolled + ineligible !== active) throw new Error(`enrolment: ${enrolled} enrolled + ${ineligible} ineligible, ${active} active members`);
    await db.pool.query('ANALYZE services_enrolments, services_statements');
    lines.push({
      measure: `enrolment: ${int(unions.length)} unions enrol all their active members through enrol(), ${concurrency} calls at a time (${int(enrolled)} members, ${enrolSeconds.toFixed(1)} s)`,
      goal: `≥ 50 % of the member import's rows/s (CSV, CLI path, ${int(importRows)} new members, same run: ${int(imported.rowsPerSecond)} rows/s)`,
      measured: `${int(enrolRate)} rows/s = ${(enrolRate / imported.rowsPerSecond * 100).toFixed(0)} % of the import`, met: enrolRate >= imported.rowsPerSecond / 2 ? 'yes' : '**no**',
    });
    log(`  ${int(enrolRate)} rows/s (${enrolSeconds.toFixed(1)} s)`);

    // 2. The review queues over HTTP.
    log(`claims: ${claimCount} for the queues...`);
    const claimsStarted = performance.now();
    await insertClaims(db.pool, {
      planId: plan.id, count: claimCount, key: 'bench-queue', filedBy: manager.id, today, coverageStart: plan.coverageStart, documents: true,
      states: [[0.7, 'in_review', 1], [0.15, 'in_review', 2], [0.08, 'returned', 1], [0.07, 'rejected', 1]],
    });
    log(`  written in ${((performance.now() - claimsStarted) / 1000).toFixed(1)} s`);
    // A queue of claims filed over months, not written a moment ago: autovacuum's pass is done
    // (visibility map set for the index-only reads, statistics up to date) before it is read.
    await db.pool.query('VACUUM ANALYZE services_claims');
    const county = (await db.pool.query<{ id: number; n: number }>(
      `SELECT waiting_org_id::int AS id, count(*)::int AS n FROM services_claims WHERE plan_id = $1 AND status = 'in_review' AND step = 2
        GROUP BY waiting_org_id ORDER BY count(*) DESC, waiting_org_id LIMIT 1`, [plan.id])).rows[0]!;
    const countyReviewer = await benchAccount(db.pool, 'services.reviewer', county.id);
    const provinceReviewer = await benchAccount(db.pool, 'services.reviewer', province.id);
    servers.push(await startServer('baseline', PORTS.baseline, db.url));
    servers.push(await startServer('app', PORTS.app, db.url));
    const app = `http://127.0.0.1:${PORTS.app}`;
    const total = async (who: BenchAccount, query: string) => {
      const response = await fetch(`${app}/api/services/claims?${query}`, { headers: { cookie: who.cookie } });
      if (response.status !== 200) throw new Error(`claims?${query}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { total: number }).total;
    };
    // Pages are read by keyset: a page deep in a list starts after the claim before it (its cursor).
    const cursorAt = async (orgId: number, waiting: boolean, position: number) => {
      if (position <= 0) return '';
      const row = (await db.pool.query<{ cursor: string }>(
        `SELECT (extract(epoch FROM c.submitted_at) * 1000000)::bigint || '.' || c.id AS cursor FROM services_claims c
         WHERE c.plan_id = $1 AND c.status = 'in_review' AND ${waiting ? 'c.waiting_org_id = $2' : `c.org_path::ltree <@ (SELECT path FROM orgs WHERE id = $2)`}
         ORDER BY c.submitted_at, c.id OFFSET $3 LIMIT 1`, [plan.id, orgId, position - 1])).rows[0];
      return row ? `&after=${row.cursor}` : '';
    };
    const matches = async (orgId: number, waiting: boolean) => (await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM services_claims c WHERE c.plan_id = $1 AND c.status = 'in_review' AND ${waiting ? 'c.waiting_org_id = $2' : `c.org_path::ltree <@ (SELECT path FROM orgs WHERE id = $2)`}`,
      [plan.id, orgId])).rows[0]!.n;
    const lastStart = (n: number) => Math.max(0, n - (n % 20 || 20));
    const countyWaiting = await total(countyReviewer, 'waitingForMe=true&status=in_review');
    const provinceWaiting = await total(provinceReviewer, 'waitingForMe=true&status=in_review');
    const countySubtree = await matches(county.id, false);
    const provinceSubtree = await matches(province.id, false);
    const baseline = await load(`http://127.0.0.1:${PORTS.baseline}/select1`, null);
    log(`  Fastify + SELECT 1: ${int(baseline.rps)} req/s, p95 ${ms(baseline.p95)}`);
    lines.push({ measure: `baseline: Fastify + \`SELECT 1\` (bench/servers.ts), ${connections} connections`, goal: '—', measured: `${int(baseline.rps)} req/s; p50 ${ms(baseline.p50)}, p95 ${ms(baseline.p95)}, p99 ${ms(baseline.p99)}`, met: '—' });
    const targets: Array<[string, BenchAccount, string, boolean]> = [
      [`county reviewer, waiting for me, first page (${int(countyWaiting)} waiting at the county)`, countyReviewer, 'waitingForMe=true&status=in_review', true],
      [`county reviewer, waiting for me, last page (from claim ${lastStart(countyWaiting) + 1})`, countyReviewer, `waitingForMe=true&status=in_review${await cursorAt(county.id, true, lastStart(countyWaiting))}`, false],
      [`province reviewer, waiting for me, first page (${int(provinceWaiting)} waiting at the province: the chain is [union, county])`, provinceReviewer, 'waitingForMe=true&status=in_review', true],
      [`county reviewer, subtree in review, first page (${int(countySubtree)} claims)`, countyReviewer, 'status=in_review', true],
      [`county reviewer, subtree in review, last page (from claim ${lastStart(countySubtree) + 1})`, countyReviewer, `status=in_review${await cursorAt(county.id, false, lastStart(countySubtree))}`, false],
      [`province reviewer, subtree in review, first page (${int(provinceSubtree)} claims)`, provinceReviewer, 'status=in_review', true],
      ['province reviewer, subtree in review, page 100 (from claim 1,981)', provinceReviewer, `status=in_review${await cursorAt(province.id, false, 1980)}`, false],
      [`province reviewer, subtree in review, last page (from claim ${int(lastStart(provinceSubtree) + 1)})`, provinceReviewer, `status=in_review${await cursorAt(province.id, false, lastStart(provinceSubtree))}`, false],
    ];
    for (const [label, who, query, first] of targets) {
      const url = `${app}/api/services/claims?${query}`;
      const r = await load(url, who.cookie);
      log(`  ${label}: ${int(r.rps)} req/s, p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}${r.bad ? `, ${r.bad} errors` : ''}`);
      const answered = r.rps * seconds;
      // Too slow to answer under load: what one request alone takes (3 in a row).
      const alone = answered < 20 ? await sequential(url, who.cookie, 3) : null;
      if (alone) log(`    alone: ${alone.map(ms).join(', ')}`);
      lines.push({
        measure: `GET /api/services/claims: ${label}, ${connections} connections`, goal: first ? 'p95 ≤ 50 ms' : 'p95 ≤ 50 ms (any page)',
        measured: answered === 0
          ? `**no answer within the ${seconds} s test** (the requests in flight at its end are not counted); one request alone, 3 in a row: ${alone!.map(ms).join(', ')}`
          : `p95 ${ms(r.p95)} (${(r.p95 / baseline.p95).toFixed(1)} × SELECT 1's); p50 ${ms(r.p50)}, p99 ${ms(r.p99)}; ${int(r.rps)} req/s = ${(r.rps / baseline.rps * 100).toFixed(1)} % of SELECT 1${r.bad ? `; ${r.bad} errors or cut off at the end` : ''}${alone ? `; alone: ${alone.map(ms).join(', ')}` : ''}`,
        met: answered > 0 && r.p95 <= 50 ? 'yes' : '**no**',
      });
    }

    // 3. Compute one claim (the filing's path) and read one back.
    const persons = (await db.pool.query<{ personId: number; admittedOn: string }>(
      `SELECT person_id::int AS "personId", ($2::date + (random() * ($3::date - $2::date - 30))::int)::text AS "admittedOn"
         FROM services_enrolments WHERE plan_id = $1 ORDER BY random() LIMIT 1000`, [plan.id, plan.coverageStart, today])).rows;
    const client = await db.pool.connect();
    const computeTimes: number[] = [];
    try {
      for (const [i, p] of persons.entries()) {
        const discharged = day(0) < p.admittedOn ? p.admittedOn : new Date(Date.parse(`${p.admittedOn}T00:00:00Z`) + (2 + (i % 15)) * 86_400_000).toISOString().slice(0, 10);
        const t0 = performance.now();
        const { version, rules } = await rulesOn(client, plan.id, p.admittedOn);
        const used = await yearUsage(client, plan.id, p.personId);
        const benefit = computeBenefit(rules, version, p.admittedOn, discharged, { stays: used.stays, fen: Number(used.fen) });
        computeTimes.push(performance.now() - t0);
        if (!benefit.ok && benefit.error.code !== 'services.claim.no_stays_left') throw new Error(`computeBenefit: ${JSON.stringify(benefit)}`);
      }
    } finally {
      client.release();
    }
    lines.push({ measure: `compute one claim: rulesOn + yearUsage + computeBenefit, ${persons.length} random enrolled persons, one after another`, goal: '≤ 5 ms',
      measured: `p50 ${ms(pct(computeTimes, 0.5))}, p95 ${ms(pct(computeTimes, 0.95))}, p99 ${ms(pct(computeTimes, 0.99))}`, met: pct(computeTimes, 0.95) <= 5 ? 'yes' : '**no**' });
    const ids = (await db.pool.query<{ id: number }>(`SELECT id::int FROM services_claims WHERE plan_id = $1 ORDER BY random() LIMIT 1000`, [plan.id])).rows.map((r) => r.id);
    const oneUser: number[] = [];
    for (const id of ids.slice(0, 500)) {
      const t0 = performance.now();
      const response = await fetch(`${app}/api/services/claims/${id}`, { headers: { cookie: provinceReviewer.cookie } });
      await response.arrayBuffer();
      oneUser.push(performance.now() - t0);
      if (response.status !== 200) throw new Error(`claim ${id}: ${response.status}`);
    }
    const detail = await load(`${app}/api/services/claims/${ids[0]}`, provinceReviewer.cookie, ids.map((id) => `/api/services/claims/${id}`));
    lines.push({ measure: 'GET /api/services/claims/:id (explanation, documents, chain, history), province reviewer, 500 random claims, one after another', goal: '≤ 5 ms',
      measured: `p50 ${ms(pct(oneUser, 0.5))}, p95 ${ms(pct(oneUser, 0.95))}, p99 ${ms(pct(oneUser, 0.99))}`, met: pct(oneUser, 0.95) <= 5 ? 'yes' : '**no**' });
    lines.push({ measure: `the same, 1,000 random claims, ${connections} connections`, goal: '≤ 5 ms',
      measured: `p95 ${ms(detail.p95)} (${(detail.p95 / baseline.p95).toFixed(1)} × SELECT 1's); p50 ${ms(detail.p50)}, p99 ${ms(detail.p99)}; ${int(detail.rps)} req/s = ${(detail.rps / baseline.rps * 100).toFixed(1)} % of SELECT 1${detail.bad ? `; **${detail.bad} errors**` : ''}`,
      met: detail.p95 <= 5 && !detail.bad ? 'yes' : '**no**' });
    for (const server of servers.splice(0)) server.kill('SIGTERM');

    // 4. A payout batch of the province's approved claims.
    log(`payout: ${batchCount} approved claims...`);
    await insertClaims(db.pool, { planId: plan.id, count: batchCount, key: 'bench-payout', filedBy: manager.id, today, coverageStart: plan.coverageStart, documents: false, states: [[1, 'approved', 2]] });
    const payer = await benchAccount(db.pool, 'services.payer', province.id);
    const watcher = new pg.Client({ connectionString: db.url });
    await watcher.connect();
    const seen: number[] = [];
    let batchId = 0;
    const batchStarted = performance.now();
    const batch = await createBatch(db.pool, { caller: payer.caller, requestId: 'bench-services' }, { planId: plan.id, orgId: province.id }, async () => {});
    batchId = batch.id;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        seen.push((await watcher.query<{ p: number }>('SELECT progress::float8 AS p FROM services_batches WHERE id = $1', [batchId])).rows[0]!.p);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await buildBatch(db.pool, batchId);
    const built = performance.now();
    polling = false;
    await poll;
    seen.push((await watcher.query<{ p: number }>('SELECT progress::float8 AS p FROM services_batches WHERE id = $1', [batchId])).rows[0]!.p);
    await watcher.end();
    const row = (await db.pool.query<{ status: string; claims: number }>('SELECT status, claims FROM services_batches WHERE id = $1', [batchId])).rows[0]!;
    if (row.status !== 'ready' || row.claims !== batchCount) throw new Error(`batch: ${JSON.stringify(row)}`);
    const file = path.join(tmp, 'transfers.xlsx');
    const list = await transferList(db.pool, payer.caller, batchId);
    await pipeline(list.file, createWriteStream(file));
    const exported = performance.now();
    let rows = 0;
    for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(file, {})) for await (const row of sheet) if (row) rows++;
    const batchSeconds = (performance.now() - batchStarted) / 1000;
    if (rows !== batchCount + 2) throw new Error(`transfer list: ${rows} rows, expected ${batchCount} claims + header + total`);
    // A batch of one chunk (5,000 claims) goes from 0 to 1 in one step; a larger one is seen in between.
    const progress = seen[0] === 0 && seen.at(-1) === 1 && (batchCount <= 5000 || seen.some((p) => p > 0 && p < 1));
    const between = [...new Set(seen.filter((p) => p > 0 && p < 1).map((p) => p.toFixed(2)))];
    lines.push({
      measure: `payout batch: createBatch + buildBatch + transferList to .xlsx, read back by exceljs (${int(batchCount)} approved claims)`, goal: '≤ 30 s; progress 0 → 1',
      measured: `${batchSeconds.toFixed(1)} s (build ${((built - batchStarted) / 1000).toFixed(1)} s, export ${((exported - built) / 1000).toFixed(1)} s, read back ${((performance.now() - exported) / 1000).toFixed(1)} s; ${int(rows - 2)} rows); progress seen from another connection: ${seen[0]} → ${between.length ? `${between.slice(0, 6).join(', ')}${between.length > 6 ? ' …' : ''} → ` : ''}${seen.at(-1)}`,
      met: batchSeconds <= 30 && progress ? 'yes' : batchSeconds <= 30 ? '**no** (progress not seen moving)' : '**no**',
    });
    log(`  ${batchSeconds.toFixed(1)} s`);

    // The report.
    const cpus = os.cpus();
    const loadAfter = os.loadavg();
    const report = `# Huigong Bao (services, issue 17) at ${scale} scale

Command: \`${command}\` — ${started.toISOString().slice(0, 16)} UTC, ${((Date.now() - started.getTime()) / 60000).toFixed(1)} minutes.
Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, PostgreSQL ${pgVersion} (embedded, bench/.data/${scale});
load average ${loadBefore.map((n) => n.toFixed(1)).join(', ')} at the start and ${loadAfter.map((n) => n.toFixed(1)).join(', ')} at the end (the cores are shared: compare the ratios to the baselines of the same run).
Data: ${province.name}, ${int(unions.length)} grassroots unions, ${int(active)} active members; a plan issued by the province (review levels grassroots → county, no sampling);
${int(claimCount)} claims for the queues (70 % in review at the union, 15 % at the county, 8 % returned, 7 % rejected; two documents each), then ${int(batchCount)} approved claims for the batch.
HTTP: the real app and the baseline server in their own processes (bench/servers.ts), autocannon at ${connections} connections for ${seconds} s after 1 s of warm-up, p50/p95/p99 from every response's time.

| measure | goal | measured | met? |
|---|---|---|---|
${lines.map((l) => `| ${l.measure} | ${l.goal} | ${l.measured} | ${l.met} |`).join('\n')}
${notes.length ? `\n${notes.join('\n')}\n` : ''}`;
    const out = values.out ?? path.join(BENCH_DIR, 'results', smoke ? 'services-smoke.md' : 'services.md');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, report);
    process.stdout.write(report);
  } finally {
    for (const server of servers) server.kill('SIGTERM');
    if (!values.keep) await cleanUp(db.pool, log).catch((error: unknown) => log(`clean-up failed: ${String(error)}`));
    await db.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
