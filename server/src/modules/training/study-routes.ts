import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AssessmentInput, AssessmentResult, Certificate, CertificateJob, CertificateListQuery, CertificateVerification, ClassProgress, ClassReport,
  CompetencyInput, CompetencySummary, CourseCreate, CourseDetail, Course, CourseListQuery, CourseUpdate, IdParams, Material, MaterialCreate,
  MaterialUpdate, MyCompetency, MyCourse, MyCourseDetail, pageOf, Pagination, ProblemSchema, ProgressQuery, RevokeInput, standardProblems,
  StudyBeat, StudyProgress, VerifyParams,
} from '@workers-home/contract';
import type { Services } from '../../context.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { callerOf, writeContextOf as ctx } from '../../plugins/access.ts';
import * as certificates from './certificates.ts';
import { checkCertificateFont } from './certificate-pdf.ts';
import { classProgress } from './completion.ts';
import { recordAssessment } from './enrolment.ts';
import { trainingPolicy } from './policy.ts';
import { classReport } from './report.ts';
import { classReportXlsx } from './report-export.ts';
import { progressXlsx } from './list-exports.ts';
import * as study from './study.ts';

const tags = ['training'];
const writeProblems = { ...standardProblems, 409: ProblemSchema };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendPdf(reply: FastifyReply, number: string, pdf: Buffer) {
  return reply.type('application/pdf').header('content-disposition', `attachment; filename="certificate-${number}.pdf"`).header('cache-control', 'no-store').send(pdf);
}

/**
 * Training, the study side: online courses and materials, study heartbeats, completion,
 * assessment scores, the competency self-assessment, certificates and their public
 * verification, and the class report (DESIGN.md in this folder).
 */
export default function trainingStudyRoutes(app: FastifyInstance, services: Services, jobs: Jobs) {
  checkCertificateFont();
  const { pool } = services;
  const queue = certificates.certificateJobs(jobs, services, (error, jobId) => app.log.error({ err: error, jobId }, 'certificate batch failed'));
  const r = app.withTypeProvider<ZodTypeProvider>();

  // Courses and materials (owners of the class, or organizers of the offering organization).
  r.get('/training/courses', {
    schema: { tags, summary: 'Online courses the caller may see (a class\'s supporting courses, standalone courses)', querystring: CourseListQuery, response: { 200: pageOf(Course), ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, (request) => study.listCourses(pool, callerOf(request), request.query));

  r.post('/training/courses', {
    schema: { tags, summary: 'Add an online course to a class (classId) or for an organization\'s subtree (orgId)', body: CourseCreate, response: { 201: CourseDetail, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => reply.code(201).send(await study.createCourse(pool, ctx(request), request.body)));

  r.get('/training/courses/:id', {
    schema: { tags, summary: 'A course with its materials', params: IdParams, response: { 200: CourseDetail, ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, (request) => study.getCourse(pool, callerOf(request), request.params.id));

  r.patch('/training/courses/:id', {
    schema: { tags, summary: 'Edit a course (title, description, status)', params: IdParams, body: CourseUpdate, response: { 200: CourseDetail, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, (request) => study.updateCourse(pool, ctx(request), request.params.id, request.body));

  r.delete('/training/courses/:id', {
    schema: { tags, summary: 'Delete a course with its materials and the study time recorded on them', params: IdParams, response: { 204: z.null(), ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => {
    await study.deleteCourse(pool, ctx(request), request.params.id);
    return reply.code(204).send(null);
  });

  r.post('/training/courses/:id/materials', {
    schema: { tags, summary: 'Add a material (video link, document or page) with its required minutes', params: IdParams, body: MaterialCreate, response: { 201: Material, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => reply.code(201).send(await study.createMaterial(pool, ctx(request), request.params.id, request.body)));

  r.patch('/training/materials/:id', {
    schema: { tags, summary: 'Edit a material; a change of required minutes re-evaluates everyone\'s progress at once', params: IdParams, body: MaterialUpdate, response: { 200: Material, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, (request) => study.updateMaterial(pool, ctx(request), request.params.id, request.body));

  r.delete('/training/materials/:id', {
    schema: { tags, summary: 'Delete a material', params: IdParams, response: { 204: z.null(), ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => {
    await study.deleteMaterial(pool, ctx(request), request.params.id);
    return reply.code(204).send(null);
  });

  // The trainee's own study.
  r.get('/my/training/courses', {
    schema: { tags, summary: 'The courses I may study, with my progress', querystring: Pagination.strict(), response: { 200: pageOf(MyCourse), ...standardProblems } },
    config: { access: 'signed-in' },
  }, (request) => study.myCourses(pool, callerOf(request), request.query));

  r.get('/my/training/courses/:id', {
    schema: { tags, summary: 'A course I may study, each material with my credited time', params: IdParams, response: { 200: MyCourseDetail, ...standardProblems } },
    config: { access: 'signed-in' },
  }, (request) => study.myCourse(pool, callerOf(request), request.params.id));

  r.post('/my/training/materials/:id/study', {
    schema: {
      tags, summary: 'Study heartbeat (~every 30 s while the material is open): credits min(seconds, time since the last beat on this material and on anything (one clock per trainee), 60); nothing on opening',
      params: IdParams, body: StudyBeat, response: { 200: StudyProgress, ...standardProblems },
    },
    // Per account, not per address: a whole class may study behind one venue's network.
    config: { access: 'signed-in', rateLimit: { max: 20, timeWindow: '1 minute', keyGenerator: (request) => `study:${request.caller?.accountId ?? request.ip}` } },
  }, (request) => study.recordStudy(pool, callerOf(request), request.params.id, request.body.seconds));

  // Completion, assessment, competency.
  r.get('/training/classes/:id/progress', {
    schema: { tags, summary: 'Completion per trainee (attendance share, online minutes, assessment), one page, filtered by status', params: IdParams, querystring: ProgressQuery, response: { 200: ClassProgress, ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, (request) => classProgress(pool, callerOf(request), request.params.id, request.query));

  r.get('/training/classes/:id/progress.xlsx', {
    schema: { tags, summary: 'Every trainee\'s completion (the trainees the caller sees) as an .xlsx workbook', params: IdParams, produces: [XLSX], response: { 200: z.any().describe('The .xlsx file'), ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, async (request, reply) => {
    const file = await progressXlsx(pool, callerOf(request), request.params.id);
    return reply.type(XLSX).header('content-disposition', `attachment; filename="class-${request.params.id}-progress.xlsx"`).header('cache-control', 'no-store').send(file);
  });

  r.put('/training/enrolments/:id/assessment', {
    schema: { tags, summary: 'Record a trainee\'s assessment score (0–100, or null to clear); owners of the class', params: IdParams, body: AssessmentInput, response: { 200: AssessmentResult, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, (request) => recordAssessment(pool, ctx(request), request.params.id, request.body.score));

  r.put('/my/training/classes/:id/competency', {
    schema: { tags, summary: 'My self-assessment against the 10-aspect competency model (scores 1–5), when the class has it', params: IdParams, body: CompetencyInput, response: { 200: MyCompetency, ...writeProblems } },
    config: { access: 'signed-in' },
  }, (request) => study.submitCompetency(pool, callerOf(request), request.params.id, request.body));

  r.get('/training/classes/:id/competency', {
    schema: { tags, summary: 'Average self-assessment per competency aspect over the trainees the caller sees', params: IdParams, response: { 200: CompetencySummary, ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, (request) => study.competencySummary(pool, callerOf(request), request.params.id));

  // Certificates.
  r.post('/training/classes/:id/certificates', {
    schema: { tags, summary: 'Issue certificates to every completed trainee without one: a job to poll', params: IdParams, response: { 202: CertificateJob, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => {
    const jobId = await certificates.createJob(pool, ctx(request), request.params.id, (db, id) => queue.enqueue(db, id, `${request.protocol}://${request.host}`));
    queue.wake();
    return reply.code(202).send(await certificates.loadJob(pool, jobId));
  });

  r.get('/training/certificate-jobs/:id', {
    schema: { tags, summary: 'A certificate batch: status and progress', params: IdParams, response: { 200: CertificateJob, ...standardProblems } },
    config: { access: trainingPolicy.organize },
  }, (request) => certificates.readableJob(pool, callerOf(request), request.params.id));

  r.get('/training/classes/:id/certificates', {
    schema: { tags, summary: 'Certificates of a class (of the trainees the caller sees)', params: IdParams, querystring: CertificateListQuery, response: { 200: pageOf(Certificate), ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, (request) => certificates.listCertificates(pool, callerOf(request), request.params.id, request.query));

  r.get('/training/certificates/:id.pdf', {
    schema: { tags, summary: 'A certificate\'s PDF', params: IdParams, produces: ['application/pdf'], response: { 200: z.any().describe('The PDF'), ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, async (request, reply) => {
    const { number, pdf } = await certificates.certificatePdf(pool, callerOf(request), request.params.id);
    return sendPdf(reply, number, pdf);
  });

  r.post('/training/certificates/:id/revoke', {
    schema: { tags, summary: 'Revoke a certificate (verification then says so)', params: IdParams, body: RevokeInput, response: { 200: Certificate, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, (request) => certificates.revokeCertificate(pool, ctx(request), request.params.id, request.body.reason));

  r.get('/my/training/certificates', {
    schema: { tags, summary: 'My certificates', querystring: Pagination.strict(), response: { 200: pageOf(Certificate), ...standardProblems } },
    config: { access: 'signed-in' },
  }, (request) => certificates.myCertificates(pool, callerOf(request), request.query));

  r.get('/my/training/certificates/:id.pdf', {
    schema: { tags, summary: 'One of my certificates as PDF', params: IdParams, produces: ['application/pdf'], response: { 200: z.any().describe('The PDF'), ...standardProblems } },
    config: { access: 'signed-in' },
  }, async (request, reply) => {
    const { number, pdf } = await certificates.myCertificatePdf(pool, callerOf(request), request.params.id);
    return sendPdf(reply, number, pdf);
  });

  r.get('/verify/:number', {
    schema: { tags, summary: 'Public check of a certificate number (holder\'s name masked)', params: VerifyParams, response: { 200: CertificateVerification, 400: ProblemSchema, 404: ProblemSchema, 429: ProblemSchema } },
    config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
  }, (request) => certificates.verifyCertificate(pool, request.params.number));

  // Report.
  r.get('/training/classes/:id/report', {
    schema: { tags, summary: 'Class report: enrolled vs present per session, by level, organization and position, completion rate', params: IdParams, response: { 200: ClassReport, ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, (request) => classReport(pool, callerOf(request), request.params.id));

  r.get('/training/classes/:id/report.xlsx', {
    schema: { tags, summary: 'The class report as an .xlsx workbook, with every trainee\'s completion', params: IdParams, produces: [XLSX], response: { 200: z.any().describe('The .xlsx file'), ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, async (request, reply) => {
    const { file } = await classReportXlsx(pool, callerOf(request), request.params.id);
    return reply.type(XLSX).header('content-disposition', `attachment; filename="class-${request.params.id}-report.xlsx"`).header('cache-control', 'no-store').send(file);
  });
}
