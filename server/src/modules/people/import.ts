import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { maskNationalId, type ErrorCode } from '@workers-home/contract';
import type { Services, WriteContext } from '../../context.ts';
import { BEGIN, type Client } from '../../db/pool.ts';
import { chinaDate } from '../../china-time.ts';
import { recordAudit } from '../audit/service.ts';
import { HELD_ELSEWHERE_PER_DAY, lockLookups, lookupsLeft, recordDisclosure } from './id-number-lookups.ts';
import { FileProblem } from '../../spreadsheets/cells.ts';
import { readRows, sniffFile } from '../../spreadsheets/read.ts';
import { checkRow, mapHeader, type GoodRow, type RowProblem } from './import-rows.ts';

/** Who runs an import: an account (through the API) or the operator at the command line (ctx null). */
export interface ImportActor {
  ctx: WriteContext | null;
  /** Paths where the actor holds the admin role: an existing member elsewhere is not theirs to move. */
  writeScope: string[];
}

export interface ImportTarget {
  jobId: number;
  orgId: number;
  orgPath: string;
  orgName: string;
  orgLevel: string;
  acceptValid: boolean;
}

export interface ImportCounts {
  status: 'succeeded' | 'rejected' | 'failed';
  rowsRead: number;
  rowsRejected: number;
  personsCreated: number;
  personsUpdated: number;
  membershipsCreated: number;
  rowsUnchanged: number;
  error: string | null;
  /** Seconds spent in each phase (for the bench and the logs). */
  timings: { reading: number; checking: number; writing: number };
}

export interface ImportProgress {
  phase: 'reading' | 'checking' | 'writing' | 'done';
  bytesRead: number;
  bytesTotal: number;
  rowsRead: number;
}

const STAGING_COLUMNS = [
  'row_number', 'name', 'gender', 'ethnicity', 'birth_date', 'id_hash', 'id_cipher', 'id_masked', 'phone', 'political_status',
  'education', 'employer', 'employment_form', 'joined_on', 'card_number', 'union_ref', 'problem_field', 'problem', 'problem_params', 'problem_more',
] as const;

// COPY text format: backslash, tab and line breaks escaped; \N is NULL.
const copyText = (value: string | null) =>
  value === null ? '\\N' : value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
const copyBytea = (value: Buffer) => `\\\\x${value.toString('hex')}`;

function goodLine(rowNumber: number, row: GoodRow, services: Services): string {
  return [
    String(rowNumber), copyText(row.name), row.gender, copyText(row.ethnicity), row.birthDate,
    copyBytea(services.secrets.lookupHash(row.idNumber)), copyBytea(services.secrets.encrypt(row.idNumber)), maskNationalId(row.idNumber),
    copyText(row.phone), copyText(row.politicalStatus), copyText(row.education), copyText(row.employer), copyText(row.employmentForm),
    row.joinedOn ?? '\\N', copyText(row.cardNumber), copyText(row.union), '\\N', '\\N', '\\N', '\\N',
  ].join('\t') + '\n';
}

function problemLine(rowNumber: number, p: RowProblem): string {
  return [
    String(rowNumber), copyText(p.name), '\\N', '\\N', '\\N', '\\N', '\\N', copyText(p.idNumberMasked), '\\N', '\\N', '\\N', '\\N', '\\N',
    '\\N', '\\N', copyText(p.union), copyText(p.field), p.code, p.params ? copyText(JSON.stringify(p.params)) : '\\N',
    p.more.length ? copyText(JSON.stringify(p.more)) : '\\N',
  ].join('\t') + '\n';
}


/**
 * Streams the file's rows, checked one by one, into a temporary staging table with COPY.
 * Returns what the header said and how many rows were read.
 */
async function stageFile(client: Client, services: Services, path: string, target: ImportTarget, today: string, report: (p: ImportProgress) => void) {
  const file = await sniffFile(path);
  const source = readRows(path, file);
  await client.query(`CREATE TEMP TABLE import_rows (
    row_number integer NOT NULL, name text, gender text, ethnicity text, birth_date date, id_hash bytea, id_cipher bytea, id_masked text,
    phone text, political_status text, education text, employer text, employment_form text, joined_on date, card_number text,
    union_ref text, problem_field text, problem text, problem_params jsonb, problem_more jsonb) ON COMMIT DROP`);
  const copy = client.query(copyFrom(`COPY import_rows (${STAGING_COLUMNS.join(', ')}) FROM STDIN`));
  let header: ReturnType<typeof mapHeader> | undefined;
  let rowsRead = 0;
  let buffer = '';
  let lastReport = 0;
  const flush = async () => {
    if (!copy.write(buffer)) await once(copy, 'drain');
    buffer = '';
  };
  try {
    for await (const { rowNumber, cells } of source.rows) {
      if (!header) {
        if (cells.every((c) => c === null || c === undefined || c === '')) continue;
        header = mapHeader(cells);
        if (header.index.union === undefined && target.orgLevel !== 'grassroots') {
          throw new FileProblem(`the file has no 所属工会/union column, so it must be imported into a grassroots union; ${target.orgName} is not one`);
        }
        continue;
      }
      const checked = checkRow(cells, header, today);
      if (checked.ok === 'blank') continue;
      rowsRead++;
      buffer += checked.ok ? goodLine(rowNumber, checked.row, services) : problemLine(rowNumber, checked.problem);
      if (buffer.length > 256 * 1024) await flush();
      if ((rowsRead & 1023) === 0 && Date.now() - lastReport > 250) {
        lastReport = Date.now();
        report({ phase: 'reading', bytesRead: source.bytesRead(), bytesTotal: file.size, rowsRead });
      }
    }
    if (!header) throw new FileProblem('the file has no header row and no data');
    if (buffer) await flush();
    copy.end();
    await finished(copy);
  } catch (error) {
    copy.on('error', () => undefined);
    copy.destroy();
    throw error;
  }
  report({ phase: 'checking', bytesRead: file.size, bytesTotal: file.size, rowsRead });
  return { file, header, rowsRead };
}

/**
 * Checks the staged rows against the database in a few set-based statements: the union
 * each row names (it must be an active grassroots union in the target's subtree), an ID
 * number repeated within the file, and what the roster already holds for that person.
 * The result, with a verdict per row (null: valid), is the temp table import_plan.
 */
async function planRows(client: Client, target: ImportTarget, actor: ImportActor, today: string): Promise<{ rejected: number; allowanceSpent: boolean }> {
  // The caller's allowance of held-elsewhere answers is locked for the import (their other
  // look-ups wait) and checked before any row is looked at: with none left the file is
  // refused whatever it holds.
  let left = Infinity;
  if (actor.ctx) {
    await lockLookups(client, actor.ctx.caller.accountId);
    left = await lookupsLeft(client, actor.ctx.caller.accountId);
    if (left <= 0) throw new FileProblem(ALLOWANCE_SPENT);
  }
  await client.query('CREATE INDEX ON import_rows (id_hash)');
  await client.query('ANALYZE import_rows');
  await client.query(
    `CREATE TEMP TABLE import_unions ON COMMIT DROP AS
     WITH refs AS (SELECT DISTINCT coalesce(union_ref, '') AS ref FROM import_rows WHERE problem IS NULL),
     found AS (
       SELECT r.ref, o.id, o.path, o.level, o.status FROM refs r JOIN orgs o ON r.ref = '' AND o.id = $1::bigint
       UNION ALL
       SELECT r.ref, o.id, o.path, o.level, o.status FROM refs r
         JOIN orgs o ON o.id = CASE WHEN r.ref ~ '^\\d{1,18}$' THEN r.ref::bigint END AND o.path <@ $2::ltree
       UNION ALL
       SELECT r.ref, o.id, o.path, o.level, o.status FROM refs r
         JOIN orgs o ON r.ref !~ '^\\d*$' AND o.name = r.ref AND o.status = 'active' AND o.path <@ $2::ltree
     )
     SELECT r.ref, count(f.id) AS matches, min(f.id) AS id, min(f.path::text)::ltree AS path, min(f.level) AS level, min(f.status) AS status
     FROM refs r LEFT JOIN found f USING (ref) GROUP BY r.ref`,
    [target.orgId, target.orgPath],
  );
  await client.query('ANALYZE import_unions');
  // What the roster holds for the file's persons, read in three statements of their own, each one
  // table of the roster beside the staged rows (Citus plans those; it plans no lateral join from
  // the staged rows into the roster): the persons found by ID number, the active membership of
  // each, and, for those without one, their last membership.
  await client.query(
    `CREATE TEMP TABLE import_found ON COMMIT DROP AS
     SELECT id AS person_id, province_id, id_number_hash FROM persons
     WHERE id_number_hash IN (SELECT id_hash FROM import_rows WHERE problem IS NULL)`,
  );
  await client.query('CREATE INDEX ON import_found (id_number_hash)');
  await client.query('ANALYZE import_found');
  await client.query(
    `CREATE TEMP TABLE import_active ON COMMIT DROP AS
     SELECT am.person_id, am.id, am.org_id, am.card_number, ao.path FROM memberships am JOIN orgs ao ON ao.id = am.org_id
     WHERE am.status = 'active' AND (am.province_id, am.person_id) IN (SELECT province_id, person_id FROM import_found)`,
  );
  await client.query(
    `CREATE TEMP TABLE import_last ON COMMIT DROP AS
     SELECT DISTINCT ON (m.province_id, m.person_id) m.person_id, m.ended_on, lo.path FROM memberships m JOIN orgs lo ON lo.id = m.org_id
     WHERE (m.province_id, m.person_id) IN (SELECT province_id, person_id FROM import_found f WHERE NOT EXISTS (SELECT 1 FROM import_active a WHERE a.person_id = f.person_id))
     ORDER BY m.province_id, m.person_id, m.ended_on DESC, m.id DESC`,
  );
  await client.query('ANALYZE import_active');
  await client.query('ANALYZE import_last');
  await client.query(
    `CREATE TEMP TABLE import_plan ON COMMIT DROP AS
     SELECT r.*, u.id AS union_id, u.path AS union_path, p.person_id, p.province_id AS person_province, am.id AS membership_id, am.card_number AS membership_card,
       CASE
         WHEN r.problem IS NOT NULL THEN ARRAY[r.problem_field, r.problem, r.problem_params::text]
         WHEN u.matches = 0 AND r.union_ref IS NULL THEN ARRAY['union', 'people.import.no_union', json_build_object('org', $1::text)::text]
         WHEN u.matches = 0 THEN ARRAY['union', 'people.import.union_not_found', json_build_object('union', r.union_ref, 'org', $1::text)::text]
         WHEN u.matches > 1 THEN ARRAY['union', 'people.import.union_ambiguous', json_build_object('count', u.matches, 'union', r.union_ref)::text]
         WHEN u.level <> 'grassroots' THEN ARRAY['union', 'people.import.not_grassroots', json_build_object('id', u.id)::text]
         WHEN u.status <> 'active' THEN ARRAY['union', 'people.import.union_closed', json_build_object('id', u.id)::text]
         WHEN r.row_number <> dup.first THEN ARRAY['id_number', 'people.import.duplicate_row', json_build_object('row', dup.first)::text]
         WHEN am.id IS NOT NULL AND am.org_id <> u.id AND NOT am.path <@ $2::ltree[]
           THEN ARRAY['id_number', $4::text, NULL]
         WHEN am.id IS NOT NULL AND am.org_id <> u.id
           THEN ARRAY['union', 'people.import.member_elsewhere', json_build_object('id', am.org_id)::text]
         -- Checked against a last membership of the caller's own subtrees only: one elsewhere must not show through.
         WHEN am.id IS NULL AND p.person_id IS NOT NULL AND NOT last.outside AND last.ended_on > coalesce(r.joined_on, $3::date)
           THEN ARRAY['joined_on', 'people.import.joined_before_last_membership', json_build_object('date', last.ended_on)::text]
       END AS verdict,
       coalesce(last.outside, false) AS history_outside
     FROM import_rows r
     LEFT JOIN import_unions u ON u.ref = coalesce(r.union_ref, '')
     LEFT JOIN import_found p ON p.id_number_hash = r.id_hash AND r.problem IS NULL
     LEFT JOIN import_active am ON am.person_id = p.person_id
     LEFT JOIN (SELECT person_id, ended_on, NOT path <@ $2::ltree[] AS outside FROM import_last) last ON last.person_id = p.person_id AND am.id IS NULL
     -- ID numbers given more than once, with the first row giving each (a narrow aggregate,
     -- where a window over the rows would sort all of them, every column, by ID number).
     LEFT JOIN (SELECT id_hash, min(row_number) AS first FROM import_rows WHERE problem IS NULL GROUP BY id_hash HAVING count(*) > 1) dup
       ON dup.id_hash = r.id_hash`,
    [target.orgName, actor.writeScope, today, HELD_ELSEWHERE_CODE],
  );
  await client.query('CREATE INDEX ON import_plan (id_hash) WHERE verdict IS NULL');
  await client.query('ANALYZE import_plan');
  // A person held by another union is refused in the same words wherever they are, and each
  // such row counts against the caller's daily allowance of held-elsewhere answers: a file
  // with more than the allowance left fails whole, before any row is reported.
  // A file with more of them than the allowance left fails whole, without a row named, and
  // spends what was left (so failing tells no more than answering would have).
  if (actor.ctx) {
    const held = (await client.query<{ masked: string }>(
      `SELECT id_masked AS masked FROM import_plan WHERE verdict[2] = $1 ORDER BY row_number`, [HELD_ELSEWHERE_CODE])).rows;
    if (held.length > left) {
      await recordDisclosure(client, actor.ctx, target.orgPath, left, []);
      return { rejected: 0, allowanceSpent: true };
    }
    if (held.length > 0) await recordDisclosure(client, actor.ctx, target.orgPath, held.length, held.map((h) => h.masked));
  }
  const rejected = await client.query<{ n: number }>(
    `WITH r AS (
       INSERT INTO import_rejects (job_id, row_number, field, code, params, more, name, id_number_masked, union_ref)
       SELECT $1, row_number, verdict[1], verdict[2], verdict[3]::jsonb, CASE WHEN problem IS NOT NULL THEN problem_more END, name, id_masked, union_ref
       FROM import_plan WHERE verdict IS NOT NULL
       RETURNING 1)
     SELECT count(*)::int AS n FROM r`,
    [target.jobId],
  );
  return { rejected: rejected.rows[0]!.n, allowanceSpent: false };
}

/** The verdict of a row whose person is held by another union: counted against the caller's allowance. */
const HELD_ELSEWHERE_CODE: ErrorCode = 'people.id_number.held_elsewhere';

const ALLOWANCE_SPENT = `your account may be told of at most ${HELD_ELSEWHERE_PER_DAY} ID numbers held by other unions a day, and this file would go past that; nothing was imported. Ask an admin above you, or try again tomorrow`;

/**
 * Writes the valid rows in set-based statements: new persons with their membership,
 * changed fields of known persons (a blank cell keeps what the roster holds), a new
 * membership for known persons without one, a changed card number. A row that changes
 * nothing writes nothing, so importing the same file twice changes nothing.
 */
async function writeRows(client: Client, today: string) {
  // Imports are serialized: two files adding the same new person must not race.
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('workers-home:member-import'))`);
  // What each statement below would find, counted in one pass, so a statement with nothing
  // to do is not run (a file of new members would otherwise join its whole plan with persons
  // to update nobody: 2.6 s of a 1M-row import).
  const work = (await client.query<{ valid: number; created: number; known: number; rejoining: number; carded: number }>(
    `SELECT count(*)::int AS valid, count(*) FILTER (WHERE person_id IS NULL)::int AS created,
            count(*) FILTER (WHERE person_id IS NOT NULL)::int AS known,
            count(*) FILTER (WHERE person_id IS NOT NULL AND membership_id IS NULL)::int AS rejoining,
            count(*) FILTER (WHERE membership_id IS NOT NULL AND card_number IS NOT NULL)::int AS carded
     FROM import_plan WHERE verdict IS NULL`,
  )).rows[0]!;
  await client.query('CREATE TEMP TABLE import_touched (person_id bigint NOT NULL) ON COMMIT DROP');
  // New persons, at home in their union's province, with their ID number's entry and membership.
  let created = 0;
  if (work.created > 0) {
    await client.query('CREATE TEMP TABLE import_created (id bigint NOT NULL, id_number_hash bytea NOT NULL) ON COMMIT DROP');
    created = (await client.query(
      `WITH created AS (
         INSERT INTO persons (province_id, name, gender, ethnicity, birth_date, id_number_cipher, id_number_hash, id_number_masked,
                              phone, political_status, education, employer, employment_form)
         SELECT province_of(union_path), name, gender, ethnicity, birth_date, id_cipher, id_hash, id_masked, phone, political_status, education, employer, employment_form
         FROM import_plan WHERE verdict IS NULL AND person_id IS NULL ORDER BY row_number
         RETURNING id, id_number_hash)
       INSERT INTO import_created SELECT id, id_number_hash FROM created`,
    )).rowCount ?? 0;
    await client.query('INSERT INTO id_numbers (id_number_hash, person_id) SELECT id_number_hash, id FROM import_created');
    await client.query(
      `INSERT INTO memberships (person_id, org_id, org_path, province_id, joined_on, card_number)
       SELECT c.id, pl.union_id, pl.union_path::text, province_of(pl.union_path), coalesce(pl.joined_on, $1::date), pl.card_number
       FROM import_created c JOIN import_plan pl ON pl.id_hash = c.id_number_hash AND pl.verdict IS NULL`,
      [today],
    );
  }
  const updated = work.known === 0 ? 0 : (await client.query(
    `WITH changed AS (
       UPDATE persons p SET
         name = pl.name, gender = pl.gender, birth_date = pl.birth_date,
         ethnicity = coalesce(pl.ethnicity, p.ethnicity),
         -- A person joining from a union outside the caller's subtrees: that union's contact fields do not stay.
         phone = CASE WHEN pl.history_outside THEN pl.phone ELSE coalesce(pl.phone, p.phone) END,
         political_status = coalesce(pl.political_status, p.political_status), education = coalesce(pl.education, p.education),
         employer = CASE WHEN pl.history_outside THEN pl.employer ELSE coalesce(pl.employer, p.employer) END,
         employment_form = CASE WHEN pl.history_outside THEN pl.employment_form ELSE coalesce(pl.employment_form, p.employment_form) END,
         updated_at = now()
       FROM import_plan pl
       WHERE pl.verdict IS NULL AND p.province_id = pl.person_province AND pl.person_id = p.id
         AND (pl.name, pl.gender, pl.birth_date, coalesce(pl.ethnicity, p.ethnicity),
              CASE WHEN pl.history_outside THEN pl.phone ELSE coalesce(pl.phone, p.phone) END,
              coalesce(pl.political_status, p.political_status), coalesce(pl.education, p.education),
              CASE WHEN pl.history_outside THEN pl.employer ELSE coalesce(pl.employer, p.employer) END,
              CASE WHEN pl.history_outside THEN pl.employment_form ELSE coalesce(pl.employment_form, p.employment_form) END)
           IS DISTINCT FROM (p.name, p.gender, p.birth_date, p.ethnicity, p.phone, p.political_status, p.education, p.employer, p.employment_form)
       RETURNING p.id)
     INSERT INTO import_touched SELECT id FROM changed`,
  )).rowCount ?? 0;
  if (work.rejoining > 0) {
    // Persons joining a union in another province than their home move there first (0066).
    await client.query(
      `SELECT move_persons_to_province(array_agg(person_id), province) FROM (
         SELECT person_id, province_of(union_path) AS province FROM import_plan
         WHERE verdict IS NULL AND person_id IS NOT NULL AND membership_id IS NULL AND person_province <> province_of(union_path)) moving
       GROUP BY province`,
    );
  }
  const rejoined = work.rejoining === 0 ? 0 : (await client.query(
    `WITH joined AS (
       INSERT INTO memberships (person_id, org_id, org_path, province_id, joined_on, card_number)
       SELECT person_id, union_id, union_path::text, province_of(union_path), coalesce(joined_on, $1::date), card_number
       FROM import_plan WHERE verdict IS NULL AND person_id IS NOT NULL AND membership_id IS NULL
       RETURNING person_id)
     INSERT INTO import_touched SELECT person_id FROM joined`,
    [today],
  )).rowCount ?? 0;
  if (rejoined > 0) {
    // Their accounts follow the new membership (accounts_follow_active_memberships, 0066).
    await client.query(
      `SELECT accounts_follow_active_memberships(array_agg(person_id))
       FROM import_plan WHERE verdict IS NULL AND person_id IS NOT NULL AND membership_id IS NULL`);
  }
  if (work.carded > 0) {
    await client.query(
      `WITH carded AS (
         UPDATE memberships m SET card_number = pl.card_number
         FROM import_plan pl
         WHERE pl.verdict IS NULL AND m.province_id = pl.person_province AND pl.membership_id = m.id AND pl.card_number IS NOT NULL AND pl.card_number IS DISTINCT FROM m.card_number
         RETURNING m.person_id)
       INSERT INTO import_touched SELECT person_id FROM carded`,
    );
  }
  const touched = work.known === 0 ? 0
    : (await client.query<{ n: number }>('SELECT count(DISTINCT person_id)::int AS n FROM import_touched')).rows[0]!.n;
  return {
    personsCreated: created,
    personsUpdated: updated,
    membershipsCreated: created + rejoined,
    rowsUnchanged: work.valid - created - touched,
  };
}

/** WH_IMPORT_TRACE=1: the seconds each statement of an import takes, on stderr (for tuning); =explain adds a plan. */
function traceStatements(client: Client) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : first.text;
    // WH_IMPORT_TRACE=explain: the checking statement's plan, with its actual rows and times.
    if (process.env.WH_IMPORT_TRACE === 'explain' && text?.includes('CREATE TEMP TABLE import_plan')) {
      const explained = query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, ...args.slice(1)) as Promise<{ rows: Array<Record<string, string>> }>;
      return explained.then((r) => { process.stderr.write(r.rows.map((x) => x['QUERY PLAN']).join('\n') + '\n'); return r; });
    }
    const result = query(...args);
    if (text === undefined || !(result instanceof Promise)) return result;
    const started = performance.now();
    return result.finally(() => {
      process.stderr.write(`[import] ${((performance.now() - started) / 1000).toFixed(2)} s  ${text.replace(/\s+/g, ' ').slice(0, 90)}\n`);
    });
  };
}

/**
 * Imports a member file into the target organization, all in one transaction: staged
 * with COPY, checked, its rejected rows recorded for the report, then written if every
 * row passed (or the caller accepted the valid rows). Never throws for a bad file:
 * the outcome says what happened.
 */
export async function importMembers(
  services: Services,
  actor: ImportActor,
  target: ImportTarget,
  path: string,
  onProgress: (progress: ImportProgress) => void = () => undefined,
): Promise<ImportCounts> {
  // Joined dates default to, and may not be after, today in China, whatever the server's zone.
  const today = chinaDate(new Date());
  const client = await services.pool.connect();
  if (process.env.WH_IMPORT_TRACE) traceStatements(client);
  const outcome: ImportCounts = {
    status: 'failed', rowsRead: 0, rowsRejected: 0, personsCreated: 0, personsUpdated: 0, membershipsCreated: 0, rowsUnchanged: 0, error: null,
    timings: { reading: 0, checking: 0, writing: 0 },
  };
  let clock = performance.now();
  const lap = () => {
    const now = performance.now();
    const seconds = (now - clock) / 1000;
    clock = now;
    return Math.round(seconds * 100) / 100;
  };
  let unions: string[] = [];
  try {
    await client.query(BEGIN);
    // Large sorts and hashes of the merge stay in memory rather than spilling to disk.
    await client.query(`SET LOCAL work_mem = '64MB'`);
    const staged = await stageFile(client, services, path, target, today, onProgress);
    outcome.rowsRead = staged.rowsRead;
    outcome.timings.reading = lap();
    await services.pool.query(`UPDATE import_jobs SET file_format = $2, ignored_columns = $3, bytes_total = $4 WHERE id = $1`,
      [target.jobId, staged.file.format, staged.header.ignored, staged.file.size]);
    const plan = await planRows(client, target, actor, today);
    outcome.rowsRejected = plan.rejected;
    outcome.timings.checking = lap();
    if (plan.allowanceSpent) {
      outcome.status = 'failed';
      outcome.error = ALLOWANCE_SPENT;
    } else if (outcome.rowsRejected > 0 && !target.acceptValid) {
      outcome.status = 'rejected';
    } else {
      onProgress({ phase: 'writing', bytesRead: staged.file.size, bytesTotal: staged.file.size, rowsRead: staged.rowsRead });
      Object.assign(outcome, await writeRows(client, today), { status: 'succeeded' });
      // The figures to fold afterwards: those above every union the file named (a few
      // thousand rows of import_unions, rather than a scan of the whole plan).
      unions = (await client.query<{ id: string }>(
        `SELECT DISTINCT a.id::text AS id FROM import_unions u, proper_ancestor_ids(u.path) a(id) WHERE u.matches = 1`,
      )).rows.map((r) => r.id);
    }
    await recordAudit(client, actor.ctx, {
      action: 'import', entity: 'member_import', entityId: target.jobId, orgPath: target.orgPath,
      after: { status: outcome.status, rowsRead: outcome.rowsRead, rowsRejected: outcome.rowsRejected, personsCreated: outcome.personsCreated,
        personsUpdated: outcome.personsUpdated, membershipsCreated: outcome.membershipsCreated, rowsUnchanged: outcome.rowsUnchanged },
    });
    await client.query('COMMIT');
    outcome.timings.writing = lap();
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (!(error instanceof FileProblem)) throw error;
    outcome.status = 'failed';
    outcome.error = error.message;
  } finally {
    client.release();
  }
  if (unions.length) await services.pool.query('SELECT compact_subtree_figures($1::bigint[])', [unions]).catch(() => undefined);
  onProgress({ phase: 'done', bytesRead: 0, bytesTotal: 0, rowsRead: outcome.rowsRead });
  return outcome;
}
