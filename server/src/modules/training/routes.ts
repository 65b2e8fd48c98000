import { rm } from 'node:fs/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Attendance, AttendanceImportQuery, AttendanceImportReport, AttendanceListQuery, BulkCheckinInput, BulkCheckinResult, BulkWithdrawInput, BulkWithdrawResult, EnrolCandidate, EnrolCandidateQuery, AttendanceParams, CheckinCode, CheckinInput, CheckinResult, ClassCreate, ClassDetail, ClassListQuery,
  ClassStatusInput, ClassUpdate, Enrolment, EnrolmentCreate, EnrolmentImportProblem, EnrolmentImportQuery, EnrolmentImportReport,
  EnrolmentListQuery, EnrolmentUpdate, FeedParams, FeedUrl, IdParams, ManualCheckinInput, MyClass, MyClassDetail, pageOf, PlanCreate,
  PlanListQuery, PlanUpdate, PresenceInput, PresenceResult, ProblemSchema, SessionCreate, SessionUpdate, standardProblems,
  TrainingClass, TrainingPlan, TrainingSession,
} from '@workers-home/contract';
import type { Services } from '../../context.ts';
import { acceptUploads, receiveFile } from '../../uploads/receive-file.ts';
import { callerOf, writeContextOf as ctx } from '../../plugins/access.ts';
import { bulkCheckin, bulkWithdraw, enrolCandidates, importAttendance } from './attendance-bulk.ts';
import { attendanceXlsx } from './list-exports.ts';
import * as checkin from './checkin.ts';
import * as enrolment from './enrolment.ts';
import { importEnrolments } from './enrolment-import.ts';
import { classCalendar, feedToken, traineeFeed } from './ical.ts';
import * as training from './service.ts';
import * as timetable from './timetable.ts';
import { personOf, trainingPolicy } from './policy.ts';
import { myClass, myClasses } from './trainee.ts';

const tags = ['training'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const writeProblems = { ...standardProblems, 409: ProblemSchema };
const MAX_ENROLMENT_FILE_BYTES = 10 * 1024 * 1024;
/** A trainee scans a few times per session; 30 a minute per account stops guessing typed codes (1 in 500,000 per try). */
const CHECKIN_LIMIT = { max: 30, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => `training-check-in:${request.caller?.accountId ?? request.ip}` };

const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/** Plans, classes, timetables, enrolment and attendance (DESIGN.md, the "training-core" lines). */
export default async function trainingRoutes(app: FastifyInstance, services: Services) {
  const { pool } = services;
  await acceptUploads(app, MAX_ENROLMENT_FILE_BYTES, 2);
  const r = app.withTypeProvider<ZodTypeProvider>();

  // Plans
  r.get('/training/plans', {
    schema: { tags, summary: 'Training plans of the caller\'s subtrees', querystring: PlanListQuery, response: { 200: pageOf(TrainingPlan), ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, (request) => training.listPlans(pool, callerOf(request), request.query));
  r.post('/training/plans', {
    schema: { tags, summary: 'Create an annual training plan', body: PlanCreate, response: { 201: TrainingPlan, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => reply.code(201).send(await training.createPlan(pool, ctx(request), request.body)));
  r.get('/training/plans/:id', {
    schema: { tags, summary: 'A training plan', params: IdParams, response: { 200: TrainingPlan, ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, (request) => training.getPlan(pool, callerOf(request), request.params.id));
  r.patch('/training/plans/:id', {
    schema: { tags, summary: 'Edit a training plan', params: IdParams, body: PlanUpdate, response: { 200: TrainingPlan, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, (request) => training.updatePlan(pool, ctx(request), request.params.id, request.body));

  // Classes
  r.get('/training/classes', {
    schema: { tags, summary: 'Classes organized in, or meant for, the caller\'s subtrees (newest first)', querystring: ClassListQuery, response: { 200: pageOf(TrainingClass), ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, (request) => training.listClasses(pool, callerOf(request), request.query));
  r.post('/training/classes', {
    schema: { tags, summary: 'Create a class (a draft)', body: ClassCreate, response: { 201: ClassDetail, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => reply.code(201).send(await training.createClass(pool, ctx(request), request.body)));
  r.get('/training/classes/:id', {
    schema: { tags, summary: 'A class with its enrolment counts', params: IdParams, response: { 200: ClassDetail, ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, (request) => training.classDetail(pool, callerOf(request), request.params.id));
  r.patch('/training/classes/:id', {
    schema: { tags, summary: 'Edit a class (owners)', params: IdParams, body: ClassUpdate, response: { 200: ClassDetail, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, (request) => training.updateClass(pool, ctx(request), request.params.id, request.body));
  r.post('/training/classes/:id/status', {
    schema: { tags, summary: 'Move a class one step: draft → open → running → closed (or one back)', params: IdParams, body: ClassStatusInput, response: { 200: ClassDetail, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, (request) => training.setClassStatus(pool, ctx(request), request.params.id, request.body.status));

  // Timetable
  r.get('/training/classes/:id/sessions', {
    schema: { tags, summary: 'The timetable, with overlapping sessions flagged', params: IdParams, response: { 200: z.array(TrainingSession), ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, (request) => timetable.listSessions(pool, callerOf(request), request.params.id));
  r.post('/training/classes/:id/sessions', {
    schema: { tags, summary: 'Add a session to the timetable (within the class dates)', params: IdParams, body: SessionCreate, response: { 201: TrainingSession, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => reply.code(201).send(await timetable.createSession(pool, ctx(request), request.params.id, request.body)));
  r.patch('/training/sessions/:id', {
    schema: { tags, summary: 'Edit a session', params: IdParams, body: SessionUpdate, response: { 200: TrainingSession, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, (request) => timetable.updateSession(pool, ctx(request), request.params.id, request.body));
  r.delete('/training/sessions/:id', {
    schema: { tags, summary: 'Remove a session nobody attended', params: IdParams, response: { 204: z.null(), ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => {
    await timetable.deleteSession(pool, ctx(request), request.params.id);
    return reply.code(204).send(null);
  });
  r.get('/training/classes/:id/timetable.ics', {
    schema: { tags, summary: 'The timetable as iCalendar (one event per session)', params: IdParams, response: { 200: z.string(), ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, async (request, reply) => reply
    .type('text/calendar; charset=utf-8')
    .header('content-disposition', `attachment; filename="class-${request.params.id}.ics"`)
    .send(await classCalendar(pool, callerOf(request), request.params.id)));
  r.get('/my/training/feed-url', {
    schema: { tags, summary: 'The address of the trainee\'s own calendar feed (for calendar apps)', response: { 200: FeedUrl, ...standardProblems } },
    config: { access: 'signed-in' },
  }, (request) => ({ url: `${originOf(request)}/api/training/feeds/${feedToken(services.secrets, personOf(callerOf(request)))}.ics` }));
  r.get('/training/feeds/:token.ics', {
    schema: { tags, summary: 'A trainee\'s timetable feed (iCalendar; the unguessable address is the key)', params: FeedParams, response: { 200: z.string(), 404: ProblemSchema } },
    config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
  }, async (request, reply) => reply.type('text/calendar; charset=utf-8').send(await traineeFeed(pool, services.secrets, request.params.token)));

  // Enrolment
  r.get('/training/classes/:id/enrolments', {
    schema: { tags, summary: 'Trainees of a class (organizers of an audience subtree see their own people)', params: IdParams, querystring: EnrolmentListQuery, response: { 200: pageOf(Enrolment), ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, (request) => enrolment.listEnrolments(pool, callerOf(request), request.params.id, request.query));
  r.post('/training/classes/:id/enrolments', {
    schema: { tags, summary: 'Enrol one trainee by person id, ID number or phone', params: IdParams, body: EnrolmentCreate, response: { 201: Enrolment, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => reply.code(201).send(await enrolment.enrolOne(services, ctx(request), request.params.id, request.body)));
  r.get('/training/classes/:id/candidates', {
    schema: { tags, summary: 'People on the roster the caller may enrol in this class whose name contains q (optionally within orgId\'s subtree)', params: IdParams, querystring: EnrolCandidateQuery, response: { 200: pageOf(EnrolCandidate), ...standardProblems } },
    config: { access: trainingPolicy.organize },
  }, (request) => enrolCandidates(pool, callerOf(request), request.params.id, request.query));
  r.post('/training/classes/:id/enrolments/withdraw', {
    schema: { tags, summary: 'Withdraw several trainees at once (all or none; idempotent)', params: IdParams, body: BulkWithdrawInput, response: { 200: BulkWithdrawResult, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, (request) => bulkWithdraw(pool, ctx(request), request.params.id, request.body.enrolmentIds));
  r.patch('/training/enrolments/:id', {
    schema: { tags, summary: 'Change a trainee\'s mode, withdraw or re-enrol them, or record an assessment score', params: IdParams, body: EnrolmentUpdate, response: { 200: Enrolment, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, (request) => enrolment.updateEnrolment(services, ctx(request), request.params.id, request.body));
  r.post('/training/classes/:id/enrolments/import', {
    schema: {
      tags, summary: 'Enrol trainees from an .xlsx or .csv file (multipart field "file"): all rows or none, with a per-row report; dryRun previews',
      params: IdParams, querystring: EnrolmentImportQuery,
      response: { 200: EnrolmentImportReport, 201: EnrolmentImportReport, 413: ProblemSchema, 415: ProblemSchema, 422: EnrolmentImportProblem, ...writeProblems },
    },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => {
    const { path: saved } = await receiveFile(request, { missing: 'training.import.file_missing', maxBytes: MAX_ENROLMENT_FILE_BYTES, tooLarge: 'training.import.file_too_large', prefix: 'enrolments' });
    try {
      const report = await importEnrolments(services, ctx(request), request.params.id, saved, request.query);
      return reply.code(report.dryRun ? 200 : 201).send(report);
    } finally {
      await rm(saved, { force: true });
    }
  });

  // Attendance
  r.get('/training/sessions/:id/checkin-code', {
    schema: { tags, summary: 'The current rotating check-in code of a session (QR token and 6 digits; owners)', params: IdParams, response: { 200: CheckinCode, ...standardProblems } },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => reply.header('cache-control', 'no-store').send(await checkin.checkinCode(pool, callerOf(request), request.params.id, originOf(request))));
  r.get('/training/sessions/:id/attendance', {
    schema: { tags, summary: 'Who checked in to a session', params: IdParams, querystring: AttendanceListQuery, response: { 200: pageOf(Attendance), ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, (request) => checkin.listAttendance(pool, callerOf(request), request.params.id, request.query));
  r.post('/training/sessions/:id/attendance', {
    schema: { tags, summary: 'Check a trainee in by hand (idempotent: 201 first, 200 again)', params: IdParams, body: ManualCheckinInput, response: { 200: Attendance, 201: Attendance, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => {
    const { attendance, created } = await checkin.manualCheckin(pool, ctx(request), request.params.id, request.body.enrolmentId);
    return reply.code(created ? 201 : 200).send(attendance);
  });
  r.get('/training/sessions/:id/attendance.xlsx', {
    schema: { tags, summary: 'A session\'s check-in list as .xlsx: the trainees it expects (that the caller sees), present or not, with method and China time', params: IdParams, produces: [XLSX], response: { 200: z.any().describe('The .xlsx file'), ...standardProblems } },
    config: { access: trainingPolicy.read },
  }, async (request, reply) => {
    const { file } = await attendanceXlsx(pool, callerOf(request), request.params.id);
    return reply.type(XLSX).header('content-disposition', `attachment; filename="session-${request.params.id}-check-in.xlsx"`).header('cache-control', 'no-store').send(file);
  });
  r.post('/training/sessions/:id/attendance/bulk', {
    schema: { tags, summary: 'Mark several trainees present at once (all or none; idempotent)', params: IdParams, body: BulkCheckinInput, response: { 200: BulkCheckinResult, ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, (request) => bulkCheckin(pool, ctx(request), request.params.id, request.body.enrolmentIds));
  r.post('/training/sessions/:id/attendance/import', {
    schema: {
      tags, summary: 'Attendance from an .xlsx or .csv file (multipart field "file"; name / ID number / phone, optional minutes watched): all rows or none, per-row report, idempotent; dryRun previews',
      params: IdParams, querystring: AttendanceImportQuery,
      response: { 200: AttendanceImportReport, 413: ProblemSchema, 415: ProblemSchema, 422: EnrolmentImportProblem, ...writeProblems },
    },
    config: { access: trainingPolicy.organize },
  }, async (request) => {
    const { path: saved } = await receiveFile(request, { missing: 'training.import.file_missing', maxBytes: MAX_ENROLMENT_FILE_BYTES, tooLarge: 'training.import.file_too_large', prefix: 'attendance' });
    try {
      return await importAttendance(services, ctx(request), request.params.id, saved, request.query);
    } finally {
      await rm(saved, { force: true });
    }
  });
  r.delete('/training/sessions/:id/attendance/:enrolmentId', {
    schema: { tags, summary: 'Undo a check-in made by mistake', params: AttendanceParams, response: { 204: z.null(), ...writeProblems } },
    config: { access: trainingPolicy.organize },
  }, async (request, reply) => {
    await checkin.undoCheckin(pool, ctx(request), request.params.id, request.params.enrolmentId);
    return reply.code(204).send(null);
  });

  // Trainee
  r.get('/my/training/classes', {
    schema: { tags, summary: 'The signed-in trainee\'s classes with their next session', response: { 200: z.array(MyClass), ...standardProblems } },
    config: { access: 'signed-in' },
  }, (request) => myClasses(pool, personOf(callerOf(request))));
  r.get('/my/training/classes/:id', {
    schema: { tags, summary: 'One of the trainee\'s classes: timetable with their attendance', params: IdParams, response: { 200: MyClassDetail, ...standardProblems } },
    config: { access: 'signed-in' },
  }, (request) => myClass(pool, personOf(callerOf(request)), request.params.id));
  r.post('/my/training/check-in', {
    schema: { tags, summary: 'Check in with the scanned QR token or the typed code (idempotent: 201 first, 200 again)', body: CheckinInput, response: { 200: CheckinResult, 201: CheckinResult, 409: ProblemSchema, 429: ProblemSchema, ...standardProblems } },
    config: { access: 'signed-in', rateLimit: CHECKIN_LIMIT },
  }, async (request, reply) => {
    const result = await checkin.traineeCheckin(pool, ctx(request), personOf(callerOf(request)), request.body);
    return reply.code(result.created ? 201 : 200).send(result);
  });
  r.post('/my/training/sessions/:id/presence', {
    schema: { tags, summary: 'Live-session heartbeat (every ~30 s while the live page is open)', params: IdParams, body: PresenceInput, response: { 200: PresenceResult, ...writeProblems } },
    config: { access: 'signed-in', rateLimit: { max: 20, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => `training-presence:${request.caller?.accountId ?? request.ip}` } },
  }, (request) => checkin.presenceBeat(pool, ctx(request), personOf(callerOf(request)), request.params.id, request.body.seconds));
}
