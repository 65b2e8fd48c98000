import { rm } from 'node:fs/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AidEnrolImportQuery, AidEnrolImportReport, AidEnrolInput, AidEnrolment, EnrolmentImportProblem, AidEnrolmentListQuery, AidEnrolResult, AidPlan, AidPlanCreate, AidPlanListQuery, AidPlanSummary, AidPlanUpdate, AppealInput, Batch,
  BatchCreate, BatchListQuery, BatchPaid, Claim, CLAIM_DOCUMENT_MAX_BYTES, ClaimCreate, ClaimDocument, ClaimDocumentKind, ClaimListQuery, ClaimSummary,
  ContributionStatement, cursorPageOf, errorText, IdParams, MyCoverage, pageOf, PROBLEM_TYPES, ProblemSchema, ResubmitInput, ReviewAction, standardProblems, StatementListQuery,
  StatementPayment,
} from '@workers-home/contract';
import { AppError, badRequest } from '../../errors.ts';
import type { House } from '../../house/module.ts';
import { callerOf, personOf, writeContextOf as ctx } from '../../plugins/access.ts';
import { acceptUploads, receiveFile } from '../../uploads/receive-file.ts';
import { importEnrolments } from './enrolment-import.ts';
import { checkCjkFont } from '../../pdf/cjk-font.ts';
import * as claims from './claims.ts';
import { openDocument, uploadDocument } from './documents.ts';
import * as enrolment from './enrolment.ts';
import { planReportXlsx, statementPdf, statementXlsx } from './exports.ts';
import * as payout from './payout.ts';
import * as plans from './plans.ts';
import { servicesPolicy } from './policy.ts';

const tags = ['services'];
const writeProblems = { ...standardProblems, 409: ProblemSchema };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const BATCH_JOB = 'services-payout-batch';
const file = z.any().describe('The file');
const DocumentQuery = z.object({ kind: ClaimDocumentKind }).strict();
const StaffClaimCreate = ClaimCreate.required({ personId: true });
const MemberClaimCreate = ClaimCreate.omit({ personId: true });

/** Huigong Bao: plans, enrolment and statements, claims and their review, payout batches; and the member's own coverage and claims. */
export default async function servicesRoutes(app: FastifyInstance, house: House) {
  const { pool } = house.services;
  checkCjkFont();
  // One byte over the limit reaches the file store, which answers 413 naming the field.
  await acceptUploads(app, CLAIM_DOCUMENT_MAX_BYTES + 1, 1);
  house.jobs.register<{ batchId: number }>({
    name: BATCH_JOB, concurrency: 1, runsOn: 'any', interrupted: 'retry',
    run: async ({ batchId }) => { await payout.buildBatch(pool, batchId); },
    // A retried batch starts again from nothing (the killed transaction took no claim); one that fails for good is marked failed.
    onInterrupted: async (db, { batchId }, outcome) => { if (outcome === 'fail') await payout.failBatch(db, batchId, 'interrupted'); },
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = servicesPolicy.read;

  // Plans
  r.get('/services/plans', {
    schema: { tags, summary: 'Huigong Bao plans that apply to the caller\'s subtrees (issued in them or above them), newest year first', querystring: AidPlanListQuery, response: { 200: pageOf(AidPlanSummary), ...standardProblems } },
    config: { access: read },
  }, (request) => plans.listPlans(pool, callerOf(request), request.query));
  r.post('/services/plans', {
    schema: { tags, summary: 'Issue a plan for an organization\'s subtree, with its first benefit rules (in force from the start of coverage)', body: AidPlanCreate, response: { 201: AidPlan, ...writeProblems } },
    config: { access: servicesPolicy.manage },
  }, async (request, reply) => reply.code(201).send(await plans.createPlan(pool, ctx(request), request.body)));
  r.get('/services/plans/:id', {
    schema: { tags, summary: 'A plan with its rules in force and every rule version', params: IdParams, response: { 200: AidPlan, ...standardProblems } },
    config: { access: read },
  }, (request) => plans.getPlan(pool, callerOf(request), request.params.id));
  r.patch('/services/plans/:id', {
    schema: { tags, summary: 'Change a plan (its issuer\'s managers); new rules with `rulesFrom` become a version in force from that date', params: IdParams, body: AidPlanUpdate, response: { 200: AidPlan, ...writeProblems } },
    config: { access: servicesPolicy.manage },
  }, (request) => plans.updatePlan(pool, ctx(request), request.params.id, request.body));
  r.post('/services/plans/:id/copy', {
    schema: { tags, summary: 'Copy a plan to the next year (every date a year later, the rules in force at its end)', params: IdParams, response: { 201: AidPlan, ...writeProblems } },
    config: { access: servicesPolicy.manage },
  }, async (request, reply) => reply.code(201).send(await plans.copyPlan(pool, ctx(request), request.params.id)));
  r.get('/services/plans/:id/report.xlsx', {
    schema: { tags, summary: 'The plan\'s report (.xlsx): by union (enrolled, covered, contributions, claims, benefits) and by month of admission, within the caller\'s subtrees', params: IdParams, produces: [XLSX], response: { 200: file, ...standardProblems } },
    config: { access: read },
  }, async (request, reply) => {
    const { file: body, name } = await planReportXlsx(pool, callerOf(request), request.params.id);
    return reply.type(XLSX).header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(body);
  });

  // Enrolment and contributions
  r.post('/services/plans/:id/enrolments', {
    schema: { tags, summary: 'Enrol a union\'s members (all active ones, or those chosen) within the enrolment window; one contribution statement for those enrolled', params: IdParams, body: AidEnrolInput, response: { 201: AidEnrolResult, ...writeProblems } },
    config: { access: servicesPolicy.manage },
  }, async (request, reply) => reply.code(201).send(await enrolment.enrol(pool, ctx(request), request.params.id, request.body)));
  r.post('/services/plans/:id/enrolments/import', {
    schema: {
      tags, summary: 'Enrol a union\'s members from an .xlsx or .csv file (multipart field "file"; columns 姓名 and 身份证号): all rows or none with a per-row report, unless acceptValid; dryRun checks only',
      params: IdParams, querystring: AidEnrolImportQuery,
      response: { 200: AidEnrolImportReport, 201: AidEnrolImportReport, 413: ProblemSchema, 415: ProblemSchema, 422: EnrolmentImportProblem, ...writeProblems },
    },
    config: { access: servicesPolicy.manage },
  }, async (request, reply) => {
    const { path: saved } = await receiveFile(request, { missing: 'services.import.file_missing', maxBytes: CLAIM_DOCUMENT_MAX_BYTES, tooLarge: 'services.import.file_too_large', prefix: 'aid-enrolments' });
    try {
      const report = await importEnrolments(house.services, ctx(request), request.params.id, saved, request.query);
      return reply.code(report.dryRun || report.enrolled === 0 ? 200 : 201).send(report);
    } finally {
      await rm(saved, { force: true });
    }
  });
  r.get('/services/plans/:id/enrolments', {
    schema: { tags, summary: 'Members enrolled in a plan from the unions of the caller\'s subtrees, with their coverage', params: IdParams, querystring: AidEnrolmentListQuery, response: { 200: pageOf(AidEnrolment), ...standardProblems } },
    config: { access: read },
  }, (request) => enrolment.listEnrolments(pool, callerOf(request), request.params.id, request.query));
  r.get('/services/plans/:id/statements', {
    schema: { tags, summary: 'Contribution statements of a plan\'s unions in the caller\'s subtrees, newest first', params: IdParams, querystring: StatementListQuery, response: { 200: pageOf(ContributionStatement), ...standardProblems } },
    config: { access: read },
  }, (request) => enrolment.listStatements(pool, callerOf(request), request.params.id, request.query));
  r.get('/services/statements/:id', {
    schema: { tags, summary: 'A contribution statement', params: IdParams, response: { 200: ContributionStatement, ...standardProblems } },
    config: { access: read },
  }, async (request) => enrolment.withoutPath(await enrolment.getStatement(pool, callerOf(request), request.params.id)));
  r.get('/services/statements/:id/notice.xlsx', {
    schema: { tags, summary: 'A statement\'s members and amount due (.xlsx)', params: IdParams, produces: [XLSX], response: { 200: file, ...standardProblems } },
    config: { access: read },
  }, async (request, reply) => {
    const { file: body, name } = await statementXlsx(pool, callerOf(request), request.params.id);
    return reply.type(XLSX).header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(body);
  });
  r.get('/services/statements/:id/notice.pdf', {
    schema: { tags, summary: 'A statement\'s payment notice (PDF, in Chinese)', params: IdParams, produces: ['application/pdf'], response: { 200: file, ...standardProblems } },
    config: { access: read },
  }, async (request, reply) => {
    const { file: body, name } = await statementPdf(pool, callerOf(request), request.params.id);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(body);
  });
  r.post('/services/statements/:id/payment', {
    schema: { tags, summary: 'Record a statement paid (the amount due, not a future date): its members are covered after the waiting period', params: IdParams, body: StatementPayment, response: { 200: ContributionStatement, ...writeProblems } },
    config: { access: servicesPolicy.manage },
  }, (request) => enrolment.recordPayment(pool, ctx(request), request.params.id, request.body));

  // Documents (members and staff)
  r.post('/services/documents', {
    schema: {
      tags, summary: 'Upload a claim document (multipart field "file"; a photo — JPEG, PNG, WebP — or a PDF by content, at most 10 MB); attach it to a claim by its id',
      querystring: DocumentQuery, response: { 201: ClaimDocument, 413: ProblemSchema, 415: ProblemSchema, ...standardProblems },
    },
    config: { access: 'signed-in', rateLimit: { max: 120, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => `services-documents:${request.caller?.accountId ?? request.ip}` } },
  }, async (request, reply) => {
    if (!request.isMultipart()) {
      throw new AppError(415, PROBLEM_TYPES.unsupportedMediaType, 'Unsupported media type', 'request.multipart_required', `body: ${errorText('request.multipart_required')}`);
    }
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw badRequest('body.file', 'services.document.file_missing');
    return reply.code(201).send(await uploadDocument(pool, house.files, ctx(request), request.query.kind, part.file));
  });
  r.get('/services/documents/:id', {
    schema: { tags, summary: 'A claim document, for its uploader, the member whose claim holds it and staff who may read that claim', params: IdParams, response: { 200: file, ...standardProblems } },
    config: { access: 'signed-in' },
  }, async (request, reply) => {
    const doc = await openDocument(pool, house.files, callerOf(request), request.params.id);
    return reply.type(doc.mediaType).header('content-length', doc.bytes).header('content-disposition', 'inline')
      .header('cache-control', 'private, max-age=3600').send(doc.stream);
  });

  // Claims (staff)
  r.get('/services/claims', {
    schema: { tags, summary: 'Claims of members of the caller\'s subtrees, oldest first; waitingForMe=true: the review queue of the caller\'s own organizations', querystring: ClaimListQuery, response: { 200: cursorPageOf(ClaimSummary), ...standardProblems } },
    config: { access: read },
  }, (request) => claims.listClaims(pool, callerOf(request), request.query));
  r.post('/services/claims', {
    schema: { tags, summary: 'File a claim for a member (their union\'s staff); the same requestKey again answers the claim already filed (200)', body: StaffClaimCreate, response: { 200: Claim, 201: Claim, ...writeProblems } },
    config: { access: servicesPolicy.manage },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const { personId, ...input } = request.body;
    await claims.assertMayFileFor(pool, caller, input.planId, personId);
    const { created, id } = await claims.fileClaim(pool, ctx(request), personId, input);
    return reply.code(created ? 201 : 200).send(await claims.loadClaim(pool, { kind: 'staff', caller }, id));
  });
  r.get('/services/claims/:id', {
    schema: { tags, summary: 'A claim: the benefit explained line by line, documents, review chain, history, and what the caller may do', params: IdParams, response: { 200: Claim, ...standardProblems } },
    config: { access: read },
  }, (request) => claims.loadClaim(pool, { kind: 'staff', caller: callerOf(request) }, request.params.id));
  r.post('/services/claims/:id/review', {
    schema: { tags, summary: 'Decide a claim waiting at an organization of the caller\'s subtrees: approve, adjust (with a reason), return for documents, reject (with a reason)', params: IdParams, body: ReviewAction, response: { 200: Claim, ...writeProblems } },
    config: { access: servicesPolicy.review },
  }, (request) => claims.reviewClaim(pool, ctx(request), request.params.id, request.body));

  // Payout
  r.get('/services/batches', {
    schema: { tags, summary: 'Payout batches of the caller\'s subtrees (payers), newest first', querystring: BatchListQuery, response: { 200: pageOf(Batch), ...standardProblems } },
    config: { access: servicesPolicy.pay },
  }, (request) => payout.listBatches(pool, callerOf(request), request.query));
  r.post('/services/batches', {
    schema: { tags, summary: 'Gather a plan\'s approved claims in an organization\'s subtree into a payout batch (a job: poll the batch for its progress)', body: BatchCreate, response: { 202: Batch, ...writeProblems } },
    config: { access: servicesPolicy.pay },
  }, async (request, reply) => {
    const batch = await payout.createBatch(pool, ctx(request), request.body, (db, batchId) => house.jobs.enqueue(BATCH_JOB, { batchId }, db));
    house.jobs.wake(BATCH_JOB);
    return reply.code(202).send(batch);
  });
  r.get('/services/batches/:id', {
    schema: { tags, summary: 'A payout batch with its progress', params: IdParams, response: { 200: Batch, ...standardProblems } },
    config: { access: servicesPolicy.pay },
  }, async (request) => payout.withoutPath(await payout.getBatch(pool, callerOf(request), request.params.id)));
  r.get('/services/batches/:id/transfers.xlsx', {
    schema: { tags, summary: 'A batch\'s bank transfer list (.xlsx: name, masked ID number, bank, account, amount)', params: IdParams, produces: [XLSX], response: { 200: file, ...standardProblems } },
    config: { access: servicesPolicy.pay },
  }, async (request, reply) => {
    const { file: body, name } = await payout.transferList(pool, callerOf(request), request.params.id);
    return reply.type(XLSX).header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(body);
  });
  r.post('/services/batches/:id/paid', {
    schema: { tags, summary: 'Record a ready batch paid (date and bank reference): its claims become paid', params: IdParams, body: BatchPaid, response: { 200: Batch, ...writeProblems } },
    config: { access: servicesPolicy.pay },
  }, (request) => payout.markPaid(pool, ctx(request), request.params.id, request.body));

  // The member's own
  r.get('/my/services/coverage', {
    schema: { tags, summary: 'The signed-in member\'s Huigong Bao coverage: by which plan, from when to when, what is left this year', response: { 200: z.array(MyCoverage), ...standardProblems } },
    config: { access: 'signed-in' },
  }, (request) => enrolment.myCoverage(pool, personOf(callerOf(request))));
  r.get('/my/services/claims', {
    schema: { tags, summary: 'The signed-in member\'s claims, newest first', response: { 200: z.array(ClaimSummary), ...standardProblems } },
    config: { access: 'signed-in' },
  }, (request) => claims.myClaims(pool, personOf(callerOf(request))));
  r.post('/my/services/claims', {
    schema: { tags, summary: 'File a claim (the automatic checks run at once; the same requestKey again answers the claim already filed, 200)', body: MemberClaimCreate, response: { 200: Claim, 201: Claim, ...writeProblems } },
    config: { access: 'signed-in', rateLimit: { max: 60, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => `services-claims:${request.caller?.accountId ?? request.ip}` } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const personId = personOf(caller);
    const { created, id } = await claims.fileClaim(pool, ctx(request), personId, request.body);
    return reply.code(created ? 201 : 200).send(await claims.loadClaim(pool, { kind: 'member', caller, personId }, id));
  });
  r.get('/my/services/claims/:id', {
    schema: { tags, summary: 'One of the member\'s claims, its benefit explained', params: IdParams, response: { 200: Claim, ...standardProblems } },
    config: { access: 'signed-in' },
  }, (request) => {
    const caller = callerOf(request);
    return claims.loadClaim(pool, { kind: 'member', caller, personId: personOf(caller) }, request.params.id);
  });
  r.post('/my/services/claims/:id/resubmit', {
    schema: { tags, summary: 'Add the documents a reviewer asked for; the claim waits again at the level that returned it', params: IdParams, body: ResubmitInput, response: { 200: Claim, ...writeProblems } },
    config: { access: 'signed-in' },
  }, (request) => claims.resubmitClaim(pool, ctx(request), personOf(callerOf(request)), request.params.id, request.body));
  r.post('/my/services/claims/:id/appeal', {
    schema: { tags, summary: 'Appeal a rejection or an adjusted amount, once, to the organization above the one that decided', params: IdParams, body: AppealInput, response: { 200: Claim, ...writeProblems } },
    config: { access: 'signed-in' },
  }, (request) => claims.appealClaim(pool, ctx(request), personOf(callerOf(request)), request.params.id, request.body));
}
