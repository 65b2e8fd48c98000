import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { errorText, isErrorCode, type ImportJob, type ImportReject, type MessageLocale } from '@workers-home/contract';
import type { Services, WriteContext } from '../../context.ts';
import type { Queryable } from '../../db/pool.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { badRequest, forbidden, notFound } from '../../errors.ts';
import { canReach, scopeOf, type Caller } from '../../plugins/access.ts';
import { masterKeyOf } from '../../plugins/secrets.ts';
import { findOrg } from '../orgs/service.ts';
import { importMembers, type ImportActor, type ImportProgress } from './import.ts';
import type { ImportWorkerData } from './import-worker.ts';
import { peoplePolicy } from './policy.ts';

const JOB_COLUMNS = `j.id, j.org_id AS "orgId", o.name AS "orgName", j.file_name AS "fileName", j.file_format AS "fileFormat",
  j.accept_valid AS "acceptValid", j.status, j.phase,
  CASE WHEN j.phase IN ('checking', 'writing', 'done') THEN 1 WHEN j.bytes_total > 0 THEN round(j.bytes_read::numeric / j.bytes_total, 3)::float8 ELSE 0 END AS progress,
  j.bytes_total AS "bytesTotal", j.bytes_read AS "bytesRead", j.rows_read AS "rowsRead", j.rows_rejected AS "rowsRejected",
  j.persons_created AS "personsCreated", j.persons_updated AS "personsUpdated", j.memberships_created AS "membershipsCreated",
  j.rows_unchanged AS "rowsUnchanged", j.ignored_columns AS "ignoredColumns", j.error,
  to_json(j.created_at)#>>'{}' AS "createdAt", to_json(j.started_at)#>>'{}' AS "startedAt", to_json(j.finished_at)#>>'{}' AS "finishedAt"`;

export async function loadJob(db: Queryable, id: number): Promise<ImportJob & { orgPath: string }> {
  const row = await db.query<ImportJob & { orgPath: string }>(
    `SELECT ${JOB_COLUMNS}, j.org_path::text AS "orgPath" FROM import_jobs j JOIN orgs o ON o.id = j.org_id WHERE j.id = $1`, [id]);
  if (!row.rows[0]) throw notFound(`Import ${id}`);
  return row.rows[0];
}

/** An import job the caller may see: one made on an organization in their subtrees. */
export async function readableJob(db: Queryable, caller: Caller, id: number): Promise<ImportJob> {
  const job = await loadJob(db, id).catch(() => null);
  if (!job || !canReach(caller, peoplePolicy.read, job.orgPath)) throw notFound(`Import ${id}`);
  const visible: ImportJob & { orgPath?: string } = { ...job };
  delete visible.orgPath;
  return visible;
}

export async function listJobs(db: Queryable, caller: Caller, query: { orgId?: number | undefined; page: number; pageSize: number }) {
  let roots = scopeOf(caller, peoplePolicy.read);
  if (query.orgId !== undefined) {
    const org = await findOrg(db, query.orgId);
    if (!org || !canReach(caller, peoplePolicy.read, org.path)) throw notFound(`Organization ${query.orgId}`);
    roots = [org.path];
  }
  const where = 'j.org_path <@ ANY($1::ltree[])';
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM import_jobs j WHERE ${where}`, [roots]);
  const rows = await db.query<ImportJob>(
    `SELECT ${JOB_COLUMNS} FROM import_jobs j JOIN orgs o ON o.id = j.org_id WHERE ${where} ORDER BY j.created_at DESC, j.id DESC LIMIT $2 OFFSET $3`,
    [roots, query.pageSize, (query.page - 1) * query.pageSize],
  );
  return { items: rows.rows, total: total.rows[0]!.n, page: query.page, pageSize: query.pageSize };
}

/** The organization imported into: the caller needs the admin role on it. */
export async function importTargetOrg(db: Queryable, caller: Caller | null, orgId: number, field: string) {
  const org = await findOrg(db, orgId);
  if (!org || (caller && !canReach(caller, peoplePolicy.read, org.path))) throw badRequest(field, 'orgs.org.not_found', { id: orgId });
  if (caller && !canReach(caller, peoplePolicy.write, org.path)) throw forbidden(`${field}: importing members needs the admin role on organization ${orgId}`);
  if (org.status !== 'active') throw badRequest(field, 'orgs.org.closed', { id: orgId });
  return org;
}

export async function createJob(db: Queryable, accountId: number | null, org: { id: number; path: string }, fileName: string, acceptValid: boolean, bytesTotal: number) {
  const row = await db.query<{ id: number }>(
    `INSERT INTO import_jobs (account_id, org_id, org_path, file_name, accept_valid, bytes_total) VALUES ($1, $2, $3::ltree, $4, $5, $6) RETURNING id`,
    [accountId, org.id, org.path, fileName.slice(0, 255), acceptValid, bytesTotal],
  );
  return row.rows[0]!.id;
}

/**
 * Runs an import job and records its progress and outcome on the job row. Throttled
 * progress writes go through the pool, outside the import's transaction, so a poll
 * sees them while the import runs.
 */
export async function runJob(services: Services, jobId: number, actor: ImportActor, path: string, onProgress?: (p: ImportProgress) => void) {
  const job = await loadJob(services.pool, jobId);
  const org = (await findOrg(services.pool, job.orgId))!;
  await services.pool.query(`UPDATE import_jobs SET status = 'running', phase = 'reading', started_at = now() WHERE id = $1`, [jobId]);
  let pending = Promise.resolve();
  const progress = (p: ImportProgress) => {
    onProgress?.(p);
    if (p.phase === 'done') return;
    pending = pending.then(() => services.pool.query(
      `UPDATE import_jobs SET phase = $2, bytes_read = $3, rows_read = $4 WHERE id = $1 AND status = 'running'`, [jobId, p.phase, p.bytesRead, p.rowsRead],
    )).then(() => undefined, () => undefined);
  };
  try {
    const outcome = await importMembers(services, actor, {
      jobId, orgId: org.id, orgPath: org.path, orgName: org.name, orgLevel: org.level, acceptValid: job.acceptValid,
    }, path, progress);
    await pending;
    await services.pool.query(
      `UPDATE import_jobs SET status = $2, phase = 'done', rows_read = $3, rows_rejected = $4, persons_created = $5, persons_updated = $6,
         memberships_created = $7, rows_unchanged = $8, error = $9, finished_at = now(), bytes_read = bytes_total WHERE id = $1`,
      [jobId, outcome.status, outcome.rowsRead, outcome.rowsRejected, outcome.personsCreated, outcome.personsUpdated,
        outcome.membershipsCreated, outcome.rowsUnchanged, outcome.error],
    );
    return outcome;
  } catch (error) {
    await pending;
    await services.pool.query(
      `UPDATE import_jobs SET status = 'failed', phase = 'done', error = 'the import stopped on an internal error; nothing was written', finished_at = now() WHERE id = $1`,
      [jobId],
    );
    throw error;
  }
}

/** The heap an import may use (the CLI's bin/cli-node-flags.json gives the CLI the same). */
export const IMPORT_HEAP_MB = 320;

export interface ImportJobData {
  jobId: number;
  actor: ImportActor;
  /** The uploaded file, on the disk of the server that received it. */
  path: string;
}

export const IMPORT_JOB = 'member-import';

/** The message on an import whose server stopped before it ended. */
export const INTERRUPTED_IMPORT = 'interrupted: the server stopped while importing; nothing was written — import the file again';

/**
 * Imports are durable jobs (server/src/jobs) run one at a time per server, in the order
 * they arrive, each in a worker thread of its own with a bounded heap: parsing, checking
 * and encrypting a big file happen off the thread that answers requests, and a file that
 * needs more memory than IMPORT_HEAP_MB ends its own import (rolled back: its connection
 * closes with the thread) instead of the server. The uploaded file lives on the disk of
 * the server that received it, so an import runs on that server only (runsOn 'enqueuer');
 * if that server dies, the import is failed with INTERRUPTED_IMPORT (its transaction rolled
 * back, so nothing was written) rather than retried: the file is gone with the server's
 * temporary folder, or at least out of the other servers' reach. The uploaded file is
 * removed when its job ends.
 */
export function importJobs(jobs: Jobs, services: Services, log: (error: unknown, jobId: number) => void, options: { heapMb?: number | undefined } = {}) {
  const heapMb = options.heapMb ?? IMPORT_HEAP_MB;
  jobs.register<ImportJobData>({
    name: IMPORT_JOB, concurrency: 1, runsOn: 'enqueuer', interrupted: 'fail',
    run: async (data) => {
      try {
        await runInWorker(services, heapMb, { ...data, actor: fromStored(data.actor) });
      } catch (error) {
        log(error, data.jobId);
        throw error;
      } finally {
        await rm(data.path, { force: true });
      }
    },
    onInterrupted: async (db, { jobId }) => {
      await db.query(
        `UPDATE import_jobs SET status = 'failed', phase = 'done', error = $2, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running')`,
        [jobId, INTERRUPTED_IMPORT],
      );
    },
  });
  return {
    /** Queues an import in the caller's transaction (the one that creates its row); wake() once committed. */
    enqueue: (db: Queryable, jobId: number, ctx: WriteContext, path: string) => {
      const actor: ImportActor = { ctx, writeScope: scopeOf(ctx.caller, peoplePolicy.write) };
      return jobs.enqueue<ImportJobData>(IMPORT_JOB, { jobId, actor: toStored(actor), path }, db);
    },
    wake: () => jobs.wake(IMPORT_JOB),
  };
}

// The job's data is JSON in the queue's table: the caller's session token hash (which the
// import does not use) stays out of it.
const toStored = (actor: ImportActor): ImportActor => ({
  ...actor, ctx: actor.ctx && { ...actor.ctx, caller: { ...actor.ctx.caller, sessionTokenHash: undefined as unknown as Buffer } },
});
const fromStored = (actor: ImportActor): ImportActor => ({
  ...actor, ctx: actor.ctx && { ...actor.ctx, caller: { ...actor.ctx.caller, sessionTokenHash: Buffer.alloc(0) } },
});

async function runInWorker(services: Services, heapMb: number, { jobId, actor, path }: ImportJobData): Promise<void> {
  const data: ImportWorkerData = {
    module: new URL('./import-worker.ts', import.meta.url).href,
    databaseUrl: services.pool.options.connectionString!,
    masterKey: masterKeyOf(services.secrets),
    jobId, actor, path,
  };
  const worker = new Worker(new URL('../../ts-worker.mjs', import.meta.url), {
    workerData: data, resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
  const failure = await new Promise<Error | null>((resolve) => {
    let error: Error | null = null;
    worker.on('error', (e) => { error = e; });
    worker.on('exit', (code) => resolve(error ?? (code === 0 ? null : new Error(`the import's worker thread exited with code ${code}`))));
  });
  if (!failure) return;
  // runJob records its own failures; a thread that ran out of memory (or died otherwise)
  // could not, and its transaction was rolled back when its connections closed.
  const outOfMemory = (failure as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
  await services.pool.query(
    `UPDATE import_jobs SET status = 'failed', phase = 'done', error = $2, finished_at = now() WHERE id = $1 AND status IN ('queued', 'running')`,
    [jobId, outOfMemory
      ? `the file needs more than the ${heapMb} MB of memory an import may use (an .xlsx keeps all its distinct texts in memory); nothing was written. Split it into smaller files, or save it as CSV`
      : 'the import stopped on an internal error; nothing was written'],
  );
  throw failure;
}

interface RejectRow {
  row_number: number; field: string | null; reason: string | null; code: string | null; params: Record<string, string | number> | null;
  more: Array<{ field: string; code: string; params?: Record<string, string | number> }> | null;
  name: string | null; id_number_masked: string | null; union_ref: string | null;
}
const REJECT_COLUMNS = 'row_number, field, reason, code, params, more, name, id_number_masked, union_ref';

/** Every reason of a stored rejected row: the first, then the others found in its cells. */
function reasonsOf(r: RejectRow): ImportReject['reasons'] {
  return [
    { field: r.field, code: r.code, params: r.params, text: r.reason },
    ...(r.more ?? []).map((m) => ({ field: m.field, code: m.code, params: m.params ?? null, text: null })),
  ];
}

/** The rejected rows of a job, a page at a time, each with every reason found. */
export async function rejectsPage(db: Queryable, jobId: number, query: { page: number; pageSize: number }) {
  const total = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM import_rejects WHERE job_id = $1', [jobId]);
  const rows = await db.query<RejectRow>(
    `SELECT ${REJECT_COLUMNS} FROM import_rejects WHERE job_id = $1 ORDER BY row_number LIMIT $2 OFFSET $3`,
    [jobId, query.pageSize, (query.page - 1) * query.pageSize],
  );
  const items: ImportReject[] = rows.rows.map((r) => ({ rowNumber: r.row_number, name: r.name, idNumberMasked: r.id_number_masked, union: r.union_ref, reasons: reasonsOf(r) }));
  return { items, total: total.rows[0]!.n, page: query.page, pageSize: query.pageSize };
}

/** The rejected rows of a job as CSV lines (with a BOM, so Excel shows the Chinese text): a line for each reason of each row. */
export async function* rejectsCsv(db: Queryable, jobId: number, locale: MessageLocale = 'en'): AsyncGenerator<string> {
  const quote = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  yield '\uFEFF行号 row,字段 field,原因 reason,姓名 name,身份证号 id_number (masked),所属工会 union\r\n';
  let after = 0;
  for (;;) {
    const page = await db.query<RejectRow>(
      `SELECT ${REJECT_COLUMNS} FROM import_rejects WHERE job_id = $1 AND row_number > $2 ORDER BY row_number LIMIT 5000`,
      [jobId, after],
    );
    if (!page.rows.length) return;
    yield page.rows.flatMap((r) => reasonsOf(r).map((reason) =>
      [r.row_number, reason.field, isErrorCode(reason.code) ? errorText(reason.code, reason.params ?? undefined, locale) : reason.text, r.name, r.id_number_masked, r.union_ref].map(quote).join(','),
    )).join('\r\n') + '\r\n';
    after = page.rows[page.rows.length - 1]!.row_number;
  }
}
