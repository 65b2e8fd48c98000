import { ROLE_PRESETS } from '@workers-home/contract';
import { spawn } from 'node:child_process';
import { startServer } from './server-process.ts';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { memberExportRows, toCsv, toXlsx } from '../server/src/modules/people/roster-export.ts';
import { copyCeiling } from './copy-ceiling.ts';
import { benchSecrets, BENCH_DIR, CLI_NODE_FLAGS, openBenchDatabase, type BenchDatabase } from './database.ts';
import { generateFederation, SCALES, type Scale } from './generate.ts';
import { writeImportCsv, writeImportXlsx } from './import-files.ts';
import { benchTrainingCertificates } from './training-certificates.ts';
import { benchTrainingProgress } from './training-progress.ts';
import { runCheckinBench } from './training-checkin.ts';

/**
 * `npm run bench [-- --smoke | --scale province|national-slice] [--only http,import,export,training]`: every benchmark, each
 * the median of --runs runs, beside the baselines measured in the same run (bare
 * Fastify, Fastify + SELECT 1, raw COPY in and out). Writes bench/results/<scale>.md.
 */
const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    scale: { type: 'string' },
    runs: { type: 'string', default: '3' },
    duration: { type: 'string' },
    'import-rows': { type: 'string' },
    only: { type: 'string' },
  },
});
const scale = (values.smoke ? 'smoke' : values.scale ?? 'province') as Scale;
if (!(scale in SCALES)) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
const runs = Number(values.runs);
const duration = Number(values.duration ?? (scale === 'smoke' ? 1 : 10));
const importRows = Number(values['import-rows'] ?? (scale === 'smoke' ? 2000 : 1_000_000));
const only = values.only?.split(',');
const PORTS = { smoke: 54400, province: 54401, 'national-slice': 54402 } as const;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Row { benchmark: string; figure: string; median: number; unit: string; baseline: string; ratio: number | null; note: string }
const results: Row[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const want = (name: string) => !only || only.includes(name);

async function repeat<T>(label: string, work: (run: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < runs; i++) {
    out.push(await work(i));
    log(`  ${label} run ${i + 1}/${runs} done`);
  }
  return out;
}

let benchPool: BenchDatabase['pool'] | undefined;

/**
 * Requests still running when a load test ends would slow the next one down: cancel
 * the server's queries still in flight, and wait until the database is quiet.
 */
async function settle() {
  if (!benchPool) return;
  for (let i = 0; i < 60; i++) {
    const busy = await benchPool.query<{ n: number }>(
      `SELECT count(pg_cancel_backend(pid))::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'`);
    if (busy.rows[0]!.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function load(url: string, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections: 100, duration, headers, timeout: 30 });
  await settle();
  if (result.non2xx > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers`);
  // Only answered requests count; requests that ran past the timeout are reported beside.
  return { rps: result['2xx'] / duration, p99: result.latency.p99, errors: result.errors + result.timeouts };
}

/** An admin session on an organization, made directly in the database (no login round trips). */
async function session(db: BenchDatabase, orgId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const account = await db.pool.query<{ id: number }>(
    `INSERT INTO accounts (username, display_name, password_hash) VALUES ($1, $1, 'x') RETURNING id`, [`bench-${randomBytes(4).toString('hex')}`]);
  await db.pool.query(`INSERT INTO role_grants (account_id, role, org_id) SELECT $1, unnest($3::text[]), $2`, [account.rows[0]!.id, orgId, ROLE_PRESETS.admin]);
  await db.pool.query(`INSERT INTO sessions (token_hash, account_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`,
    [createHash('sha256').update(token).digest(), account.rows[0]!.id]);
  return `wh_session=${token}`;
}

/**
 * The searches measured: name fragments of one to four characters, phone prefixes of three to
 * eleven digits and a full ID number, in a grassroots union, a county, a city, the province and
 * the root, with the list's filters and sorts. [label, URL, as the root's admin].
 */
async function searchTargets(db: BenchDatabase, provinceId: number, countyId: number): Promise<Array<[string, string, boolean]>> {
  const one = async (sql: string, params: unknown[] = []) => (await db.pool.query<{ v: string }>(sql, params)).rows[0]!.v;
  const countyPath = await one(`SELECT path::text AS v FROM orgs WHERE id = $1`, [countyId]);
  const unionId = await one(`SELECT o.id::text AS v FROM orgs o WHERE o.level = 'grassroots' AND o.path <@ $1::ltree
    ORDER BY EXISTS (SELECT 1 FROM memberships m JOIN persons p ON p.province_id = m.province_id AND p.id = m.person_id WHERE m.org_id = o.id AND p.name LIKE '王%') DESC, o.id LIMIT 1`, [countyPath]);
  const cityId = await one(`SELECT subpath(path, 2, 1)::text AS v FROM orgs WHERE id = $1`, [countyId]);
  const member = (await db.pool.query<{ phone: string; cipher: Buffer }>(`SELECT p.phone, p.id_number_cipher AS cipher FROM memberships m JOIN persons p ON p.province_id = m.province_id AND p.id = m.person_id
    WHERE m.org_path >= $1 AND m.org_path < $1 || '/' AND m.status = 'active' AND p.phone IS NOT NULL ORDER BY m.id LIMIT 1`, [countyPath])).rows[0]!;
  const idNumber = benchSecrets.decrypt(member.cipher);
  const q = (text: string) => encodeURIComponent(text);
  const list = (orgId: number | string, query: string) => `/api/members?orgId=${orgId}&pageSize=50&${query}`;
  return [
    ['search name 王 (1 char), grassroots union', list(unionId, `q=${q('王')}`), false],
    ['search name 张伟, county', list(countyId, `q=${q('张伟')}`), false],
    ['search name 张伟, city', list(cityId, `q=${q('张伟')}`), false],
    ['search name 张伟, province', list(provinceId, `q=${q('张伟')}`), false],
    ['search name 张伟, root', list(1, `q=${q('张伟')}`), true],
    ['search name 王秀英 (3 chars), province', list(provinceId, `q=${q('王秀英')}`), false],
    ['search name 张伟 + female, age 30-45, by name desc, province', list(provinceId, `q=${q('张伟')}&gender=female&ageMin=30&ageMax=45&sort=name&order=desc`), false],
    ['search name 张伟, all statuses, by birth date, province', list(provinceId, `q=${q('张伟')}&status=all&sort=birthDate`), false],
    ['search name 王 (1 char), county', list(countyId, `q=${q('王')}`), false],
    ['search name 王 (1 char), province', list(provinceId, `q=${q('王')}`), false],
    ['search phone prefix 1381, county', list(countyId, 'q=1381'), false],
    ['search phone prefix 138 (3 digits), county', list(countyId, 'q=138'), false],
    ['search phone prefix 1381234, province', list(provinceId, 'q=1381234'), false],
    ['search phone prefix 1381, province', list(provinceId, 'q=1381'), false],
    [`search full phone (11 digits), root`, list(1, `q=${member.phone}`), true],
    ['search full ID number, root', list(1, `q=${idNumber}`), true],
  ];
}

/** One user's latency: 40 requests one after another after 5 to warm up; p95 and the answer's total. */
async function oneUser(url: string, cookie: string) {
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < 45; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    const body = await response.json() as { total: number };
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    if (i >= 5) times.push(performance.now() - started);
    total = body.total;
  }
  times.sort((a, b) => a - b);
  return { p95: times[Math.floor(times.length * 0.95)]!, total };
}

async function httpBenchmarks(db: BenchDatabase, provinceId: number, countyId: number) {
  const baseline = await startServer('baseline', 18081, db.url);
  const app = await startServer('app', 18082, db.url);
  try {
    const hello = await repeat('hello', () => load('http://127.0.0.1:18081/hello'));
    const select1 = await repeat('select1', () => load('http://127.0.0.1:18081/select1'));
    const helloRps = median(hello.map((r) => r.rps));
    const selectRps = median(select1.map((r) => r.rps));
    results.push({ benchmark: 'bare Fastify hello (ceiling)', figure: 'req/s', median: helloRps, unit: 'req/s', baseline: 'itself', ratio: 1, note: `p99 ${median(hello.map((r) => r.p99))} ms` });
    results.push({ benchmark: 'Fastify + SELECT 1 (ceiling)', figure: 'req/s', median: selectRps, unit: 'req/s', baseline: 'bare hello', ratio: selectRps / helloRps, note: `p99 ${median(select1.map((r) => r.p99))} ms` });
    const cookie = await session(db, provinceId);
    const rootCookie = await session(db, 1);
    const pages: Array<[string, string]> = [
      ['member list page, province subtree (50 rows)', `/api/members?orgId=${provinceId}&pageSize=50`],
      ['member list page, county subtree (50 rows)', `/api/members?orgId=${countyId}&pageSize=50`],
      ['subtree figures, province (throughput)', `/api/orgs/${provinceId}/figures`],
    ];
    const rpsOf: Record<string, number> = {};
    for (const [name, url] of pages) {
      const measured = await repeat(name, () => load(`http://127.0.0.1:18082${url}`, { cookie }));
      const rps = rpsOf[name] = median(measured.map((r) => r.rps));
      results.push({ benchmark: `${name} @100 conns`, figure: 'req/s', median: rps, unit: 'req/s', baseline: 'SELECT 1', ratio: rps / selectRps, note: `p99 ${median(measured.map((r) => r.p99))} ms${measured.some((r) => r.errors) ? `, ${median(measured.map((r) => r.errors))} requests unanswered in 30 s` : ''}` });
    }
    const listRps = rpsOf['member list page, province subtree (50 rows)']!;
    const figuresRps = rpsOf['subtree figures, province (throughput)']!;
    results.push({ benchmark: 'subtree figures against the member list page', figure: 'ratio', median: figuresRps, unit: 'req/s', baseline: 'list page', ratio: figuresRps / listRps, note: 'goal ≥ 100 %' });
    // Every kind of search, in subtrees of every level, against the member list page of the same run (goal ≥ 50 %).
    for (const [name, url, asRoot] of await searchTargets(db, provinceId, countyId)) {
      const measured = await repeat(name, () => load(`http://127.0.0.1:18082${url}`, { cookie: asRoot ? rootCookie : cookie }));
      const rps = median(measured.map((r) => r.rps));
      const latencies = await oneUser(`http://127.0.0.1:18082${url}`, asRoot ? rootCookie : cookie);
      results.push({ benchmark: `${name} @100 conns`, figure: 'req/s', median: rps, unit: 'req/s', baseline: 'list page', ratio: rps / listRps,
        note: `goal ≥ 50 %; ${(rps / selectRps * 100).toFixed(1)} % of SELECT 1; p99 ${median(measured.map((r) => r.p99))} ms; one user p95 ${latencies.p95.toFixed(1)} ms (goal ≤ 30 ms), ${latencies.total} matches${measured.some((r) => r.errors) ? `; ${median(measured.map((r) => r.errors))} requests unanswered in 30 s` : ''}` });
    }
    // Latency of figures for any organization, the root included: sequential requests, p95.
    const orgIds = (await db.pool.query<{ id: number }>(`(SELECT id FROM orgs WHERE level <> 'grassroots' ORDER BY random() LIMIT 150)
      UNION ALL (SELECT id FROM orgs TABLESAMPLE SYSTEM (1) LIMIT 50) UNION ALL SELECT 1`)).rows.map((r) => r.id);
    const p95s = await repeat('figures latency', async () => {
      const times: number[] = [];
      for (const id of orgIds) {
        const started = performance.now();
        const response = await fetch(`http://127.0.0.1:18082/api/orgs/${id}/figures`, { headers: { cookie: rootCookie } });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`figures ${id}: ${response.status}`);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      return times[Math.floor(times.length * 0.95)]!;
    });
    results.push({ benchmark: `subtree figures latency, ${orgIds.length} orgs incl. root`, figure: 'p95', median: median(p95s), unit: 'ms', baseline: 'goal 50 ms', ratio: null, note: 'sequential, one connection' });
  } finally {
    baseline.kill();
    app.kill();
  }
}

async function rawCopyIn(db: BenchDatabase, file: string): Promise<number> {
  const client = await db.pool.connect();
  try {
    await client.query(`CREATE TEMP TABLE raw_copy (name text, gender text, ethnicity text, birth_date text, id_number text, phone text,
      political_status text, education text, employer text, joined_on text, employment_form text, union_ref text)`);
    const started = performance.now();
    await pipeline(createReadStream(file), client.query(copyFrom(`COPY raw_copy FROM STDIN WITH (FORMAT csv, HEADER true)`)));
    const seconds = (performance.now() - started) / 1000;
    await client.query('DROP TABLE raw_copy');
    return importRows / seconds;
  } finally {
    client.release();
  }
}

function importChild(db: BenchDatabase, file: string, orgId: number): Promise<{ seconds: number; maxRssMb: number; outcome: { status: string; personsCreated: number; rowsRejected: number } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_NODE_FLAGS, '--import', 'tsx', path.join(BENCH_DIR, 'import-child.ts'), file, String(orgId), db.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as never) : reject(new Error(`import exited with ${code}`))));
  });
}

async function importBenchmarks(db: BenchDatabase, provinceId: number, tmp: string) {
  const unions = (await db.pool.query<{ id: number }>(`SELECT id FROM orgs WHERE level = 'grassroots' AND path <@ (SELECT path FROM orgs WHERE id = $1) ORDER BY id`, [provinceId])).rows.map((r) => r.id);
  const csv = path.join(tmp, 'import.csv');
  const xlsx = path.join(tmp, 'import.xlsx');
  log(`  writing ${importRows} import rows (.csv and .xlsx)...`);
  await writeImportCsv(csv, importRows, unions);
  await writeImportXlsx(xlsx, importRows, unions);
  const sizes = `${Math.round((await stat(csv)).size / 1e6)} MB csv, ${Math.round((await stat(xlsx)).size / 1e6)} MB xlsx`;
  const maxPerson = (await db.pool.query<{ m: number }>('SELECT coalesce(max(id), 0) AS m FROM persons')).rows[0]!.m;
  const undo = async () => {
    await db.pool.query('DELETE FROM memberships WHERE person_id > $1', [maxPerson]);
    await db.pool.query('DELETE FROM id_numbers WHERE person_id > $1', [maxPerson]);
    await db.pool.query('DELETE FROM persons WHERE id > $1', [maxPerson]);
    await db.pool.query('SELECT compact_subtree_figures(NULL)');
    await db.pool.query('VACUUM ANALYZE persons, memberships');
  };
  const copyRates = await repeat('raw COPY', () => rawCopyIn(db, csv));
  const copyRate = median(copyRates);
  results.push({ benchmark: `raw COPY of the import rows (${importRows} rows, text columns)`, figure: 'rows/s', median: copyRate, unit: 'rows/s', baseline: 'itself', ratio: 1, note: sizes });
  // The import's ceiling: COPY of ready-made rows into persons and memberships (bench/copy-ceiling.ts),
  // and the same without member_search's trigger: what the search costs every import.
  const ceiling = median(await repeat('COPY into the real tables', async () => (await copyCeiling(db.pool, importRows)).rowsPerSecond));
  const withoutSearch = (await copyCeiling(db.pool, importRows, undefined, true)).rowsPerSecond;
  results.push({ benchmark: `COPY of ready-made rows into persons and memberships (${importRows} rows; the import's ceiling)`, figure: 'rows/s', median: ceiling, unit: 'rows/s', baseline: 'raw COPY', ratio: ceiling / copyRate,
    note: `without member_search's trigger ${Math.round(withoutSearch).toLocaleString('en')} rows/s (one run): the search costs ${((1 / ceiling - 1 / withoutSearch) * 1e6).toFixed(1)} µs a row` });
  const importSecondsOf: Record<string, number> = {};
  for (const [format, file] of [['CSV', csv], ['xlsx', xlsx]] as const) {
    const measured = await repeat(`import ${format}`, async () => {
      const result = await importChild(db, file, 1);
      if (result.outcome.status !== 'succeeded' || result.outcome.personsCreated !== importRows) throw new Error(`import ${format}: ${JSON.stringify(result.outcome)}`);
      await undo();
      return result;
    });
    const seconds = median(measured.map((m) => m.seconds));
    results.push({ benchmark: `member import ${format}, ${importRows} new members (CLI path, one transaction)`, figure: 'rows/s', median: importRows / seconds, unit: 'rows/s',
      baseline: 'COPY into the real tables', ratio: importRows / seconds / ceiling,
      note: `goal ${format === 'CSV' ? '≥ 80 %' : '≤ 1.2 × the CSV time'}; ${seconds.toFixed(1)} s, ${(importRows / seconds / copyRate * 100).toFixed(1)} % of raw COPY, peak RSS ${Math.max(...measured.map((m) => m.maxRssMb))} MB (goal ≤ 500 MB)` });
    importSecondsOf[format] = seconds;
  }
  results.push({ benchmark: 'member import xlsx time against CSV time', figure: 'ratio', median: importSecondsOf.xlsx! / importSecondsOf.CSV!, unit: '×', baseline: 'goal ≤ 1.2 ×', ratio: null, note: 'same rows' });
  await responsiveDuringImport(db, provinceId, csv, copyRate);
  // The same file again changes nothing: the idempotent path.
  await importChild(db, csv, 1);
  const again = await importChild(db, csv, 1);
  results.push({ benchmark: `member import CSV again (${importRows} unchanged rows)`, figure: 'rows/s', median: importRows / again.seconds, unit: 'rows/s', baseline: 'raw COPY',
    ratio: importRows / again.seconds / copyRate, note: `${again.seconds.toFixed(1)} s, one run, ${again.outcome.status}` });
  await undo();
}

/** Sequential requests' latencies (ms) until `until` says stop (at least `min` requests). */
async function latencies(url: string, cookie: string, until: () => boolean, min: number): Promise<number[]> {
  const times: number[] = [];
  while (times.length < min || !until()) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/**
 * The server stays responsive during an import: the CSV imported through the API (the
 * server's own job, as the console does it) while a county admin pages through the member
 * list, one request after another; latencies against the same requests on the idle server.
 */
async function responsiveDuringImport(db: BenchDatabase, provinceId: number, csv: string, copyRate: number) {
  const maxPerson = (await db.pool.query<{ m: number }>('SELECT coalesce(max(id), 0) AS m FROM persons')).rows[0]!.m;
  const county = (await db.pool.query<{ id: number }>(`SELECT min(id)::int AS id FROM orgs WHERE level = 'county'`)).rows[0]!.id;
  const app = await startServer('app', 18083, db.url);
  try {
    const admin = await session(db, provinceId);
    const reader = await session(db, county);
    const list = `http://127.0.0.1:18083/api/members?orgId=${county}&pageSize=50`;
    const idle = await latencies(list, reader, () => true, 300);
    const form = new FormData();
    form.append('file', new Blob([await readFile(csv)], { type: 'text/csv' }), 'import.csv');
    const started = performance.now();
    const upload = await fetch(`http://127.0.0.1:18083/api/member-imports?orgId=${provinceId}`, { method: 'POST', body: form, headers: { cookie: admin } });
    if (upload.status !== 202) throw new Error(`import upload: ${upload.status} ${await upload.text()}`);
    const job = (await upload.json()) as { id: number };
    let status = 'queued';
    let personsCreated = 0;
    const poll = setInterval(() => {
      void fetch(`http://127.0.0.1:18083/api/member-imports/${job.id}`, { headers: { cookie: admin } })
        .then((r) => r.json() as Promise<{ status: string; personsCreated: number }>)
        .then((j) => { status = j.status; personsCreated = j.personsCreated; }, () => undefined);
    }, 250);
    const during = await latencies(list, reader, () => status !== 'queued' && status !== 'running', 20);
    clearInterval(poll);
    const seconds = (performance.now() - started) / 1000;
    if (status !== 'succeeded' || personsCreated !== importRows) throw new Error(`API import: ${status}, ${personsCreated} created`);
    results.push({ benchmark: `member import CSV through the API (upload, job, ${importRows} new members)`, figure: 'rows/s', median: importRows / seconds, unit: 'rows/s',
      baseline: 'raw COPY', ratio: importRows / seconds / copyRate, note: `${seconds.toFixed(1)} s from upload to done, one run` });
    results.push({ benchmark: 'member list page (county) during that import: p99 of sequential requests', figure: 'p99', median: pct(during, 0.99), unit: 'ms',
      baseline: `idle p99 ${pct(idle, 0.99).toFixed(1)} ms`, ratio: null,
      note: `p50 ${pct(during, 0.5).toFixed(1)} ms (idle ${pct(idle, 0.5).toFixed(1)} ms), ${during.length} requests, max ${during[during.length - 1]!.toFixed(0)} ms` });
    // Right after the import, before any compaction has folded its figure deltas: the province's
    // figures against its member list page, one load test each.
    const deltas = (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM subtree_member_figures WHERE org_id = $1', [provinceId])).rows[0]!.n;
    const listAfter = await load(`http://127.0.0.1:18083/api/members?orgId=${provinceId}&pageSize=50`, { cookie: admin });
    const figuresAfter = await load(`http://127.0.0.1:18083/api/orgs/${provinceId}/figures`, { cookie: admin });
    results.push({ benchmark: 'subtree figures, province, right after that import (before compaction) @100 conns', figure: 'req/s', median: figuresAfter.rps, unit: 'req/s', baseline: 'list page', ratio: figuresAfter.rps / listAfter.rps,
      note: `goal ≥ 100 %; the member list page of the province ${Math.round(listAfter.rps)} req/s in the same minute; ${deltas} figure rows of the province before the first read; one run` });
  } finally {
    app.kill();
    await db.pool.query('DELETE FROM memberships WHERE person_id > $1', [maxPerson]);
    await db.pool.query('DELETE FROM id_numbers WHERE person_id > $1', [maxPerson]);
    await db.pool.query('DELETE FROM persons WHERE id > $1', [maxPerson]);
    await db.pool.query('SELECT compact_subtree_figures(NULL)');
    await db.pool.query('VACUUM ANALYZE persons, memberships');
  }
}

async function exportBenchmarks(db: BenchDatabase, provinceId: number, tmp: string) {
  const org = (await db.pool.query<{ path: string }>('SELECT path::text FROM orgs WHERE id = $1', [provinceId])).rows[0]!;
  const members = (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE o.path <@ $1::ltree AND m.status = 'active'`, [org.path])).rows[0]!.n;
  const raw = await repeat('raw COPY TO', async () => {
    const client = await db.pool.connect();
    try {
      const started = performance.now();
      await pipeline(client.query(copyTo(`COPY (SELECT p.name, p.gender, p.birth_date, p.id_number_cipher, p.phone, m.org_id FROM memberships m JOIN orgs o ON o.id = m.org_id
        JOIN persons p ON p.province_id = m.province_id AND p.id = m.person_id WHERE o.path <@ '${org.path}'::ltree AND m.status = 'active') TO STDOUT`)), new Writable({ write: (_c, _e, cb) => cb() }));
      return members / ((performance.now() - started) / 1000);
    } finally {
      client.release();
    }
  });
  const rawRate = median(raw);
  results.push({ benchmark: `raw COPY TO of a province's members (${members} rows)`, figure: 'rows/s', median: rawRate, unit: 'rows/s', baseline: 'itself', ratio: 1, note: '' });
  for (const format of ['csv', 'xlsx'] as const) {
    const rates = await repeat(`export ${format}`, async () => {
      const file = path.join(tmp, `export.${format}`);
      const started = performance.now();
      const rows = memberExportRows(db.pool, benchSecrets, org.path, 'active');
      await pipeline(format === 'csv' ? Readable.from(toCsv(rows)) : toXlsx(rows), createWriteStream(file));
      return members / ((performance.now() - started) / 1000);
    });
    const rate = median(rates);
    results.push({ benchmark: `member export ${format}, a province (${members} rows, IDs decrypted)`, figure: 'rows/s', median: rate, unit: 'rows/s', baseline: 'raw COPY TO', ratio: rate / rawRate, note: `${(members / rate).toFixed(1)} s` });
  }
}

/**
 * Training (issue #4), at the issue's sizes (tiny in --smoke): the class progress overview, a certificate
 * batch, and the check-in burst (10,000 check-ins to one session from 100 clients in ≤ 5 s, none lost or doubled).
 */
async function trainingBenchmarks(db: BenchDatabase) {
  const [trainees, sessions] = scale === 'smoke' ? [50, 10] : [1000, 50];
  const progress = await repeat('training progress', () => benchTrainingProgress(db.pool, trainees, sessions, 5));
  const all = median(progress.map((p) => p.all));
  results.push({ benchmark: `class progress overview, ${trainees} trainees × ${sessions} sessions and ${sessions} materials (first page, one SQL statement)`, figure: 'ms', median: all, unit: 'ms',
    baseline: 'goal 200 ms', ratio: null, note: `${(all / 200).toFixed(2)} of the goal; ${progress[0]!.attendance} attendances, ${progress[0]!.study} study rows` });
  const filtered = median(progress.map((p) => p.filtered));
  results.push({ benchmark: `class progress overview filtered to "not completed" (same class)`, figure: 'ms', median: filtered, unit: 'ms', baseline: 'goal 200 ms', ratio: null, note: `${(filtered / 200).toFixed(2)} of the goal` });
  const certificates = scale === 'smoke' ? 20 : 1000;
  const batches = await repeat('certificates', () => benchTrainingCertificates(db.pool, certificates));
  const seconds = median(batches.map((b) => b.seconds));
  results.push({ benchmark: `certificate batch, ${certificates} PDFs (CJK subset + QR) written to the database`, figure: 's', median: seconds, unit: 's', baseline: 'goal 30 s', ratio: null,
    note: `${(seconds / 30).toFixed(2)} of the goal; ${Math.round(batches[0]!.averagePdfBytes / 1024)} KB a PDF` });
  const checkins = scale === 'smoke' ? 300 : 10_000;
  const clients = scale === 'smoke' ? 20 : 100;
  const bursts = await runCheckinBench(db, 18183, checkins, clients, runs, log);
  const worst = (key: 'lost' | 'duplicated' | 'failed') => Math.max(...bursts.map((b) => b[key]));
  if (worst('lost') || worst('duplicated') || worst('failed')) throw new Error(`check-in burst: ${JSON.stringify(bursts)}`);
  const burstSeconds = median(bursts.map((b) => b.seconds));
  const authSeconds = median(bursts.map((b) => b.authSeconds));
  results.push({ benchmark: `training check-in burst: ${checkins.toLocaleString('en-US')} trainees scan one session's QR, ${clients} clients`, figure: 'elapsed', median: burstSeconds, unit: 's',
    baseline: 'goal 5 s', ratio: null, note: `${Math.round(checkins / burstSeconds)} check-ins/s (${(authSeconds / burstSeconds * 100).toFixed(0)} % of the rate of as many GET /api/auth/me, ${authSeconds.toFixed(1)} s); lost 0, duplicated 0 (rows counted after)${scale === 'smoke' ? '' : `; ${(burstSeconds / 5).toFixed(2)} × the goal`}` });
}

function table(rows: Row[]): string {
  const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
  return ['| benchmark | median | ratio to baseline | note |', '|---|---:|---|---|',
    ...rows.map((r) => `| ${r.benchmark} | ${fmt(r.median)} ${r.unit} | ${r.ratio === null ? r.baseline : `${(r.ratio * 100).toFixed(1)} % of ${r.baseline}`} | ${r.note} |`)].join('\n');
}

async function main() {
  const started = performance.now();
  log(`Workers' Home bench: scale ${scale}, ${runs} runs each, ${duration} s per load test`);
  // BENCH_PG_PORT: another port for the bench's own PostgreSQL on a shared machine.
  const db = await openBenchDatabase(scale, Number(process.env.BENCH_PG_PORT ?? PORTS[scale]));
  benchPool = db.pool;
  const tmp = path.join(os.tmpdir(), `wh-bench-${process.pid}`);
  await mkdir(tmp, { recursive: true });
  try {
    const empty = (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orgs')).rows[0]!.n === 0;
    if (empty) {
      log(`Generating the ${scale} data set...`);
      const generated = await generateFederation(db.pool, benchSecrets, scale, log);
      log(`  generated in ${generated.seconds.toFixed(1)} s`);
    }
    const shape = await db.pool.query<{ orgs: number; unions: number; members: number; province: number; county: number }>(
      `SELECT (SELECT count(*)::int FROM orgs) AS orgs, (SELECT count(*)::int FROM orgs WHERE level = 'grassroots') AS unions,
              (SELECT count(*)::int FROM memberships) AS members,
              (SELECT min(id)::int FROM orgs WHERE level = 'provincial') AS province, (SELECT min(id)::int FROM orgs WHERE level = 'county') AS county`);
    const { province, county } = shape.rows[0]!;
    if (want('http')) await httpBenchmarks(db, province, county);
    if (want('import')) await importBenchmarks(db, province, tmp);
    if (want('export')) await exportBenchmarks(db, province, tmp);
    if (want('training')) await trainingBenchmarks(db);
    const pg = (await db.pool.query<{ v: string }>('SELECT current_setting($$server_version$$) AS v')).rows[0]!.v;
    const s = shape.rows[0]!;
    const report = [
      `## Results: scale \`${scale}\` (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
      '',
      `- machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, PostgreSQL ${pg} (embedded)`,
      `- data: ${s.orgs.toLocaleString('en-US')} organizations, ${s.unions.toLocaleString('en-US')} grassroots unions, ${s.members.toLocaleString('en-US')} memberships`,
      `- command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\`; median of ${runs} runs; load tests: autocannon, 100 connections, ${duration} s`,
      '',
      table(results),
      '',
      `Total bench time ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    ].join('\n');
    await mkdir(path.join(BENCH_DIR, 'results'), { recursive: true });
    await writeFile(path.join(BENCH_DIR, 'results', `${scale}.md`), report + '\n');
    process.stdout.write(report + '\n');
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await db.stop();
  }
}

await main();
