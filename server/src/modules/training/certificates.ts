import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import { certificateCheckCharacter, certificateNumberProblem, maskPersonName, type Certificate, type CertificateJob, type CertificateListQuery } from '@workers-home/contract';
import type { Services, WriteContext } from '../../context.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { inTransaction, paged, type Pool, type Queryable } from '../../db/pool.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import type { Caller } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { escapeLike } from '../../db/sql.ts';
import { renderCertificate } from './certificate-pdf.ts';
import { chinaDate } from '../../china-time.ts';
import { completionCtes } from './completion.ts';
import { authorizeClass, authorizeTraineeRecord, isOwner, personOf, scopeCondition } from './policy.ts';
import { lockRosterRow } from '../../db/home-province.ts';

const JOB_COLUMNS = `j.id, j.class_id AS "classId", j.status, j.total, j.done, j.issued,
  CASE WHEN j.status = 'succeeded' THEN 1 WHEN j.total > 0 THEN round(j.done::numeric / j.total, 3)::float8 ELSE 0 END AS progress, j.error,
  to_json(j.created_at)#>>'{}' AS "createdAt", to_json(j.started_at)#>>'{}' AS "startedAt", to_json(j.finished_at)#>>'{}' AS "finishedAt"`;
const CERTIFICATE_COLUMNS = `tc.id, tc.number, tc.enrolment_id AS "enrolmentId", e.person_id AS "personId", tc.person_name AS "personName",
  e.class_id AS "classId", tc.class_title AS "classTitle", tc.org_name AS "orgName", tc.starts_on AS "startsOn", tc.ends_on AS "endsOn",
  tc.hours::float8 AS hours, to_json(tc.issued_at)#>>'{}' AS "issuedAt", to_json(tc.revoked_at)#>>'{}' AS "revokedAt", tc.revoked_reason AS "revokedReason"`;
const CERTIFICATE_FROM = 'training_certificates tc JOIN training_enrolments e ON e.province_id = tc.province_id AND e.id = tc.enrolment_id JOIN orgs eo ON eo.id = e.org_id';

/** A new certificate number: WH, the year, 10 random digits, the check character (unguessable, typo-evident). */
export function newCertificateNumber(year: number): string {
  const digits = String(year) + String(randomInt(0, 100_000)).padStart(5, '0') + String(randomInt(0, 100_000)).padStart(5, '0');
  return `WH${digits}${certificateCheckCharacter(digits)}`;
}

/**
 * New certificate numbers, one per end year given, none of them issued before: the database
 * checks a number's uniqueness only within a province (its key), so the issuer draws again
 * for a number that exists anywhere, or twice in the batch.
 */
async function freshCertificateNumbers(db: Queryable, years: number[]): Promise<string[]> {
  const numbers = years.map(newCertificateNumber);
  for (;;) {
    const taken = new Set((await db.query<{ number: string }>('SELECT number FROM training_certificates WHERE number = ANY($1)', [numbers])).rows.map((r) => r.number));
    const seen = new Set<string>();
    let redrawn = false;
    for (const [i, number] of numbers.entries()) {
      if (taken.has(number) || seen.has(number)) {
        numbers[i] = newCertificateNumber(years[i]!);
        redrawn = true;
      }
      seen.add(numbers[i]!);
    }
    if (!redrawn) return numbers;
  }
}

export async function loadJob(db: Queryable, id: number): Promise<CertificateJob> {
  const row = await db.query<CertificateJob>(`SELECT ${JOB_COLUMNS} FROM training_certificate_jobs j WHERE j.id = $1`, [id]);
  if (!row.rows[0]) throw notFound(`Certificate job ${id}`);
  return row.rows[0];
}

export async function readableJob(db: Queryable, caller: Caller, id: number): Promise<CertificateJob> {
  const job = await loadJob(db, id).catch(() => null);
  if (!job) throw notFound(`Certificate job ${id}`);
  const cls = await authorizeClass(db, caller, job.classId, 'read').catch(() => { throw notFound(`Certificate job ${id}`); });
  if (!isOwner(caller, cls)) throw notFound(`Certificate job ${id}`);
  return job;
}

/**
 * Starts a batch for a class's owners; one batch at a time per class. `enqueue` queues the
 * batch's job in the same transaction: a batch row exists only with its job.
 */
export async function createJob(pool: Pool, ctx: WriteContext, classId: number, enqueue?: (db: Queryable, jobId: number) => Promise<unknown>): Promise<number> {
  return inTransaction(pool, async (db) => {
    const cls = await authorizeClass(db, ctx.caller, classId, 'own');
    await db.query('SELECT 1 FROM training_classes WHERE id = $1 FOR UPDATE', [classId]);
    const busy = await db.query(`SELECT 1 FROM training_certificate_jobs WHERE class_id = $1 AND status IN ('queued', 'running')`, [classId]);
    if (busy.rowCount) throw conflict('params.id', 'training.certificate.busy');
    const row = await db.query<{ id: number }>('INSERT INTO training_certificate_jobs (class_id, account_id) VALUES ($1, $2) RETURNING id', [classId, ctx.caller.accountId]);
    await recordAudit(db, ctx, { action: 'issue-certificates', entity: 'training_class', entityId: classId, orgPath: cls.orgPath, after: { jobId: row.rows[0]!.id } });
    await enqueue?.(db, row.rows[0]!.id);
    return row.rows[0]!.id;
  });
}

interface Pending {
  enrolmentId: number;
  provinceId: number;
  personName: string;
  classTitle: string;
  orgName: string;
  startsOn: string;
  endsOn: string;
  hours: number;
}

const BATCH = 25;

/**
 * Issues a certificate to every completed trainee of the class who has none, in batches:
 * each batch's PDFs are rendered, then written with their rows and the job's progress in
 * one statement, for pollers. A certificate row never exists without its PDF. A batch
 * resumed after its server died (see certificateJobs) goes on from its progress: the
 * certificates issued before are kept, and the trainees still without one get theirs.
 */
export async function runJob(pool: Pool, jobId: number, origin: string, onProgress?: (done: number, total: number) => void) {
  const job = await loadJob(pool, jobId);
  await pool.query(`UPDATE training_certificate_jobs SET status = 'running' WHERE id = $1`, [jobId]);
  await pool.query(`UPDATE training_certificate_jobs SET started_at = now() WHERE id = $1 AND started_at IS NULL`, [jobId]);
  try {
    // The completed trainees without a certificate, then the class: two statements (on Citus
    // a subquery from the completion's CTEs into the roster cannot be planned).
    const completed = (await pool.query<{ enrolmentId: number; provinceId: number; personName: string }>(
      `WITH ${completionCtes()}
       SELECT c.enrolment_id AS "enrolmentId", c.province_id AS "provinceId", c.name AS "personName"
       FROM completion c LEFT JOIN training_certificates tc ON tc.province_id = c.province_id AND tc.enrolment_id = c.enrolment_id
       WHERE c.status = 'completed' AND tc.id IS NULL
       ORDER BY c.enrolment_id`,
      [job.classId, null],
    )).rows;
    const klass = (await pool.query<Omit<Pending, 'enrolmentId' | 'provinceId' | 'personName'>>(
      `SELECT k.title AS "classTitle", ko.name AS "orgName", k.starts_on AS "startsOn", k.ends_on AS "endsOn",
              coalesce(k.class_hours, (SELECT round(sum(extract(epoch FROM s.ends_at - s.starts_at)) / 3600.0 * 2) / 2 FROM training_sessions s WHERE s.class_id = k.id), 0)::float8 AS hours
       FROM training_classes k JOIN orgs ko ON ko.id = k.org_id WHERE k.id = $1`, [job.classId])).rows[0]!;
    const rows: Pending[] = completed.map((c) => ({ ...c, ...klass }));
    const before = { done: job.done, issued: job.issued }; // 0 unless resumed
    await pool.query('UPDATE training_certificate_jobs SET total = $2 WHERE id = $1', [jobId, before.done + rows.length]);
    const today = chinaDate(new Date());
    let issued = before.issued;
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const numbers = await freshCertificateNumbers(pool, batch.map((r) => Number(r.endsOn.slice(0, 4))));
      const pdfs: Buffer[] = [];
      for (const [i, r] of batch.entries()) {
        pdfs.push(await renderCertificate({ ...r, number: numbers[i]!, issuedOn: today, verifyUrl: `${origin}/verify/${numbers[i]}` }));
      }
      const done = before.done + start + batch.length;
      // The certificates and the progress in one statement: a resumed batch counts each once.
      const inserted = await pool.query<{ issued: number }>(
        `WITH inserted AS (
           INSERT INTO training_certificates (number, enrolment_id, province_id, person_name, class_title, org_name, starts_on, ends_on, hours, pdf)
           SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::date[], $8::date[], $9::numeric[], $10::bytea[])
           ON CONFLICT (enrolment_id, province_id) DO NOTHING RETURNING 1)
         UPDATE training_certificate_jobs SET done = $12, issued = issued + (SELECT count(*) FROM inserted) WHERE id = $11 RETURNING issued`,
        [numbers, batch.map((r) => r.enrolmentId), batch.map((r) => r.provinceId), batch.map((r) => r.personName), batch.map((r) => r.classTitle), batch.map((r) => r.orgName),
          batch.map((r) => r.startsOn), batch.map((r) => r.endsOn), batch.map((r) => r.hours), pdfs, jobId, done],
      );
      issued = inserted.rows[0]!.issued;
      onProgress?.(done, before.done + rows.length);
    }
    await pool.query(`UPDATE training_certificate_jobs SET status = 'succeeded', finished_at = now() WHERE id = $1`, [jobId]);
    return { total: before.done + rows.length, issued };
  } catch (error) {
    await pool.query(
      `UPDATE training_certificate_jobs SET status = 'failed', finished_at = now(),
         error = 'the batch stopped on an internal error; the certificates issued before it are valid' WHERE id = $1`, [jobId]);
    throw error;
  }
}

export interface CertificateJobData {
  jobId: number;
  /** The server's address as the caller reached it: the QR codes point at its /verify page. */
  origin: string;
}

export const CERTIFICATE_JOB = 'certificate-batch';

/**
 * Certificate batches are durable jobs (server/src/jobs) any server may take, one at a
 * time per server process. A batch whose server died is resumed (up to 3 runs in all):
 * the certificates issued are kept and the batch issues the rest, since runJob skips
 * enrolments that already have one. Returns how a route queues a batch.
 */
export function certificateJobs(jobs: Jobs, services: Services, log: (error: unknown, jobId: number) => void) {
  jobs.register<CertificateJobData>({
    name: CERTIFICATE_JOB, concurrency: 1, runsOn: 'any', interrupted: 'retry', maxAttempts: 3,
    run: async ({ jobId, origin }) => {
      await runJob(services.pool, jobId, origin).catch((error: unknown) => {
        log(error, jobId);
        throw error;
      });
    },
    onInterrupted: async (db, { jobId }, outcome, attempts) => {
      await db.query(
        outcome === 'retry'
          ? `UPDATE training_certificate_jobs SET status = 'queued' WHERE id = $1 AND status IN ('queued', 'running')`
          : `UPDATE training_certificate_jobs SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1 AND status IN ('queued', 'running')`,
        outcome === 'retry' ? [jobId] : [jobId, `interrupted: the server stopped while issuing certificates (${attempts} times); the certificates issued before it are valid — start the batch again to issue the rest`],
      );
    },
  });
  return {
    /** Queues a batch in the transaction that creates it (createJob's enqueue). */
    enqueue: (db: Queryable, jobId: number, origin: string) => jobs.enqueue<CertificateJobData>(CERTIFICATE_JOB, { jobId, origin }, db),
    wake: () => jobs.wake(CERTIFICATE_JOB),
  };
}

export async function listCertificates(db: Queryable, caller: Caller, classId: number, query: z.infer<typeof CertificateListQuery>) {
  const { scope } = await authorizeClass(db, caller, classId, 'read');
  const params: unknown[] = [classId, scope];
  let where = `e.class_id = $1 AND ${scopeCondition(2)}`;
  if (query.q) {
    params.push(`%${escapeLike(query.q)}%`, query.q.toUpperCase());
    where += ' AND (tc.person_name LIKE $3 OR tc.number = $4)';
  }
  return paged<Certificate>(db, { select: CERTIFICATE_COLUMNS, from: `${CERTIFICATE_FROM} WHERE ${where}`, orderBy: 'tc.issued_at DESC, tc.id DESC' }, params, query);
}

/** A certificate's PDF for a reader of the class who sees the trainee. */
export async function certificatePdf(db: Queryable, caller: Caller, id: number) {
  const row = await db.query<{ classId: number; number: string; pdf: Buffer }>(
    `SELECT e.class_id AS "classId", tc.number, tc.pdf FROM ${CERTIFICATE_FROM} WHERE tc.id = $1`, [id]);
  const found = row.rows[0];
  if (!found) throw notFound(`Certificate ${id}`);
  const { scope } = await authorizeClass(db, caller, found.classId, 'read').catch(() => { throw notFound(`Certificate ${id}`); });
  if (scope !== null) {
    const inScope = await db.query(`SELECT 1 FROM ${CERTIFICATE_FROM} WHERE tc.id = $1 AND ${scopeCondition(2)}`, [id, scope]);
    if (!inScope.rowCount) throw notFound(`Certificate ${id}`);
  }
  return found;
}

export async function revokeCertificate(pool: Pool, ctx: WriteContext, id: number, reason: string) {
  return inTransaction(pool, async (db) => {
    await lockRosterRow(db, 'training_certificates', id);
    const row = await db.query<Certificate>(`SELECT ${CERTIFICATE_COLUMNS} FROM ${CERTIFICATE_FROM} WHERE tc.id = $1`, [id]);
    const before = row.rows[0];
    if (!before) throw notFound(`Certificate ${id}`);
    const trainee = (await db.query<{ path: string; provinceId: number }>(
      `SELECT eo.path::text AS path, tc.province_id AS "provinceId" FROM ${CERTIFICATE_FROM} WHERE tc.id = $1`, [id])).rows[0]!;
    const cls = await authorizeTraineeRecord(db, ctx.caller, before.classId, trainee.path, () => notFound(`Certificate ${id}`));
    if (before.revokedAt) throw conflict('params.id', 'training.certificate.revoked', { date: chinaDate(before.revokedAt) });
    await db.query('UPDATE training_certificates SET revoked_at = now(), revoked_reason = $3 WHERE province_id = $2 AND id = $1', [id, trainee.provinceId, reason]);
    const after = (await db.query<Certificate>(`SELECT ${CERTIFICATE_COLUMNS} FROM ${CERTIFICATE_FROM} WHERE tc.province_id = $2 AND tc.id = $1`, [id, trainee.provinceId])).rows[0]!;
    await recordAudit(db, ctx, { action: 'revoke', entity: 'training_certificate', entityId: id, orgPath: cls.orgPath, personId: after.personId, before, after });
    return after;
  });
}

export async function myCertificates(db: Queryable, caller: Caller, query: { page: number; pageSize: number }) {
  return paged<Certificate>(db, { select: CERTIFICATE_COLUMNS, from: `${CERTIFICATE_FROM} WHERE e.person_id = $1`, orderBy: 'tc.issued_at DESC, tc.id DESC' }, [personOf(caller)], query);
}

export async function myCertificatePdf(db: Queryable, caller: Caller, id: number) {
  const row = await db.query<{ number: string; pdf: Buffer }>(`SELECT tc.number, tc.pdf FROM ${CERTIFICATE_FROM} WHERE tc.id = $1 AND e.person_id = $2`, [id, personOf(caller)]);
  if (!row.rows[0]) throw notFound(`Certificate ${id}`);
  return row.rows[0];
}

/** Public verification: the certificate as issued, the holder's name masked; revoked ones say so. */
export async function verifyCertificate(db: Queryable, number: string) {
  const problem = certificateNumberProblem(number);
  if (problem) throw badRequest('params.number', problem);
  const row = await db.query<Certificate>(`SELECT ${CERTIFICATE_COLUMNS} FROM ${CERTIFICATE_FROM} WHERE tc.number = $1`, [number]);
  const c = row.rows[0];
  if (!c) throw notFound(`Certificate ${number}`);
  return {
    valid: c.revokedAt === null, number: c.number, holder: maskPersonName(c.personName), classTitle: c.classTitle, orgName: c.orgName,
    startsOn: c.startsOn, endsOn: c.endsOn, hours: c.hours, issuedAt: c.issuedAt, revokedAt: c.revokedAt,
  };
}
