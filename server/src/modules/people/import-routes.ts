import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  IdParams, ImportJob, ImportReject, ImportTemplateQuery, ImportRejectListQuery, ImportRejectsQuery, ImportJobListQuery, ImportStartQuery, MemberRosterExportQuery, pageOf, ProblemSchema, standardProblems,
} from '@workers-home/contract';
import type { Services } from '../../context.ts';
import { inTransaction } from '../../db/pool.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { requestLocale } from '../../request-locale.ts';
import { acceptUploads, DEFAULT_UPLOAD_DIR, receiveFile } from '../../uploads/receive-file.ts';
import { callerOf, writeContextOf as ctx } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { memberExportRows, toCsv, toXlsx } from './roster-export.ts';
import { importTemplate } from './import-template.ts';
import { createJob, importJobs, importTargetOrg, listJobs, readableJob, rejectsCsv, rejectsPage } from './import-jobs.ts';
import { peoplePolicy } from './policy.ts';

export interface ImportRouteOptions {
  /** Largest accepted upload, in bytes (default 1 GiB: a province's roster as CSV is ~300 MB). */
  maxImportBytes?: number;
  /** Where uploads wait for their job (default: the system's temporary folder). */
  importDir?: string;
  /** The heap of an import's worker thread, in MB (default IMPORT_HEAP_MB, 320). */
  heapMb?: number;
}

const tags = ['people'];
const importProblems = { ...standardProblems, 413: ProblemSchema, 415: ProblemSchema };

/** Fastify sends a stream as it is; the route's 200 schema (a string) documents the file for OpenAPI. */
const fileBody = (stream: Readable) => stream as unknown as string;

/** Member import (a job: upload, then poll) and export (a streamed download). */
export default async function importRoutes(app: FastifyInstance, services: Services, jobs: Jobs, options: ImportRouteOptions = {}) {
  const maxBytes = options.maxImportBytes ?? 1024 ** 3;
  const dir = options.importDir ?? DEFAULT_UPLOAD_DIR;
  const queue = importJobs(jobs, services, (error, jobId) => app.log.error({ err: error, jobId }, 'member import failed'), { heapMb: options.heapMb });
  await acceptUploads(app, maxBytes);
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/member-imports', {
    schema: {
      tags, summary: 'Import members from an .xlsx or .csv file (multipart field "file"); answers at once with a job to poll',
      querystring: ImportStartQuery, response: { 202: ImportJob, ...importProblems },
    },
    config: { access: peoplePolicy.write },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const org = await importTargetOrg(services.pool, caller, request.query.orgId, 'query.orgId');
    const upload = await receiveFile(request, { missing: 'people.import.file_missing', maxBytes, tooLarge: 'people.import.file_too_large', dir, prefix: 'members' });
    const saved = upload.path;
    // The job's row and its place in the queue in one transaction: no row waits for a job that does not exist.
    const jobId = await inTransaction(services.pool, async (db) => {
      const id = await createJob(db, caller.accountId, org, upload.filename, request.query.acceptValid, upload.bytes);
      await queue.enqueue(db, id, ctx(request), saved);
      return id;
    }).catch(async (error: unknown) => {
      await rm(saved, { force: true });
      throw error;
    });
    queue.wake();
    return reply.code(202).send(await readableJob(services.pool, caller, jobId));
  });

  r.get('/member-imports', {
    schema: { tags, summary: 'Recent member imports in the caller\'s subtrees', querystring: ImportJobListQuery, response: { 200: pageOf(ImportJob), ...standardProblems } },
    config: { access: peoplePolicy.read },
  }, (request) => listJobs(services.pool, callerOf(request), request.query));

  r.get('/member-imports/template.xlsx', {
    schema: {
      tags, summary: 'A member roster to fill in for an import into an organization (.xlsx): Chinese headers, an example row, the code lists as drop-downs',
      querystring: ImportTemplateQuery, response: { 200: z.string(), ...standardProblems },
    },
    config: { access: peoplePolicy.write },
  }, async (request, reply) => {
    const org = await importTargetOrg(services.pool, callerOf(request), request.query.orgId, 'query.orgId');
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="member-import-template.xlsx"; filename*=UTF-8''${encodeURIComponent('会员导入模板.xlsx')}`)
      .send((await importTemplate(org.level === 'grassroots' ? org.name : '')) as unknown as string);
  });

  r.get('/member-imports/:id', {
    schema: { tags, summary: 'A member import: status, progress and counts', params: IdParams, response: { 200: ImportJob, ...standardProblems } },
    config: { access: peoplePolicy.read },
  }, (request) => readableJob(services.pool, callerOf(request), request.params.id));

  r.get('/member-imports/:id/rejects', {
    schema: { tags, summary: 'The rejected rows of an import, a page at a time, each with every reason found (ID numbers masked)', params: IdParams, querystring: ImportRejectListQuery, response: { 200: pageOf(ImportReject), ...standardProblems } },
    config: { access: peoplePolicy.read },
  }, async (request) => {
    const job = await readableJob(services.pool, callerOf(request), request.params.id);
    return rejectsPage(services.pool, job.id, request.query);
  });

  r.get('/member-imports/:id/rejects.csv', {
    schema: { tags, summary: 'Every rejected row of an import with its reason in the reader\'s language (CSV, ID numbers masked)', params: IdParams, querystring: ImportRejectsQuery, response: { 200: z.string(), ...standardProblems } },
    config: { access: peoplePolicy.read },
  }, async (request, reply) => {
    const job = await readableJob(services.pool, callerOf(request), request.params.id);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="import-${job.id}-rejects.csv"`)
      .send(fileBody(Readable.from(rejectsCsv(services.pool, job.id, requestLocale(request, request.query.lang)))));
  });

  r.get('/member-exports', {
    schema: {
      tags, summary: 'Export a subtree\'s members as .csv or .xlsx (streamed; full ID numbers, admins only, audited)',
      querystring: MemberRosterExportQuery, response: { 200: z.string(), ...standardProblems },
    },
    config: { access: peoplePolicy.write },
  }, async (request, reply) => {
    const { orgId, format, status } = request.query;
    const org = await importTargetOrg(services.pool, callerOf(request), orgId, 'query.orgId');
    await recordAudit(services.pool, ctx(request), { action: 'export', entity: 'member_export', entityId: org.id, orgPath: org.path, after: { format, status } });
    const rows = memberExportRows(services.pool, services.secrets, org.path, status);
    const fileName = `members-${org.id}.${format}`;
    reply.header('content-disposition', `attachment; filename="${fileName}"`);
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(fileBody(Readable.from(toCsv(rows))));
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(fileBody(toXlsx(rows)));
  });
}
