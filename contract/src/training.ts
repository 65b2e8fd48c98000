import { z } from 'zod';
import { coded } from './messages/errors.ts';
import { Id, IsoDate, Pagination, ProblemSchema } from './common.ts';
import { CompetencyScores, CompletionStatus } from './training-study.ts';
import { MobilePhone, NationalIdNumber } from './people.ts';
import { OrgLevel } from './orgs.ts';

/**
 * Training, the part shared by the console and the member app: plans, classes, timetable
 * sessions, enrolment and attendance (server/src/modules/training/DESIGN.md). Online
 * courses, completion, certificates and reports are in training-study.ts.
 */

/** Timetable dates and the day a session falls on are counted in China's time zone. */
export const TRAINING_TIME_ZONE = 'Asia/Shanghai';
/** A check-in code (QR token and typed code) changes every this many seconds; the previous one is still accepted. */
export const CHECKIN_PERIOD_SECONDS = 30;
/** Check-in opens this many minutes before a session starts and closes when it ends. */
export const CHECKIN_OPENS_MINUTES_BEFORE = 30;
/** The most a single presence heartbeat can credit, whatever it claims. */
export const PRESENCE_MAX_SECONDS_PER_BEAT = 60;

export const ClassStatus = z.enum(['draft', 'open', 'running', 'closed']);
export type ClassStatus = z.infer<typeof ClassStatus>;
export const SessionKind = z.enum(['opening', 'lecture', 'onsite_teaching', 'discussion', 'policy', 'live', 'closing']);
export type SessionKind = z.infer<typeof SessionKind>;
export const EnrolmentMode = z.enum(['onsite', 'live']);
export type EnrolmentMode = z.infer<typeof EnrolmentMode>;
export const AttendanceMethod = z.enum(['qr', 'code', 'manual', 'live']);

const Text = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
const Share = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const DateTime = z.iso.datetime({ offset: true, message: 'must be a date and time with a time zone, e.g. 2024-05-20T09:00:00+08:00' });
const Year = z.coerce.number().int().min(2000, 'must be between 2000 and 2100').max(2100, 'must be between 2000 and 2100');

// Plans ---------------------------------------------------------------------------------

export const PlanCreate = z.object({ orgId: Id, year: Year, title: Text(200), note: Text(2000).optional() }).strict();
export const PlanUpdate = z.object({ year: Year, title: Text(200), note: Text(2000).nullable() }).partial().strict();
export const PlanListQuery = Pagination.extend({ orgId: Id.optional(), year: Year.optional() }).strict();
export const TrainingPlan = z.object({
  id: z.number().int(),
  orgId: z.number().int(),
  orgName: z.string(),
  year: z.number().int(),
  title: z.string(),
  note: z.string().nullable(),
  classCount: z.number().int(),
  updatedAt: z.string(),
});
export type TrainingPlan = z.infer<typeof TrainingPlan>;

// Classes -------------------------------------------------------------------------------

const ClassFields = z.object({
  planId: Id.nullable(),
  title: Text(200),
  theme: Text(500).nullable(),
  hostInstitution: Text(200).nullable(),
  venue: Text(200).nullable(),
  startsOn: IsoDate,
  endsOn: IsoDate,
  capacityOnsite: z.number().int().min(0).max(1_000_000),
  capacityLive: z.number().int().min(0).max(1_000_000),
  /** The organizations (with their subtrees) the class is meant for; the organizer organization always is. */
  audienceOrgIds: z.array(Id).max(200),
  audienceLevels: z.array(OrgLevel).max(6),
  audienceNote: Text(500).nullable(),
  classHours: z.number().min(0).max(10_000).nullable(),
  minAttendanceShare: Share,
  minOnlineMinutes: z.number().int().min(0).max(100_000),
  minAssessmentScore: z.number().min(0).max(100).nullable(),
  livePresenceShare: Share,
  competencyModel: z.boolean(),
});

export const ClassCreate = ClassFields.partial()
  .extend({ orgId: Id, title: Text(200), startsOn: IsoDate, endsOn: IsoDate })
  .strict();
export const ClassUpdate = ClassFields.partial().strict();
export const ClassStatusInput = z.object({ status: ClassStatus }).strict();
export const ClassListQuery = Pagination.extend({
  orgId: Id.optional(),
  planId: Id.optional(),
  status: ClassStatus.optional(),
  q: z.string().trim().max(50, 'must be at most 50 characters').optional(),
  year: Year.optional(),
}).strict();

export const TrainingClass = z.object({
  id: z.number().int(),
  planId: z.number().int().nullable(),
  planTitle: z.string().nullable(),
  orgId: z.number().int(),
  orgName: z.string(),
  title: z.string(),
  theme: z.string().nullable(),
  hostInstitution: z.string().nullable(),
  venue: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  capacityOnsite: z.number().int(),
  capacityLive: z.number().int(),
  audienceOrgIds: z.array(z.number().int()),
  audienceLevels: z.array(z.string()),
  audienceNote: z.string().nullable(),
  status: ClassStatus,
  classHours: z.number().nullable(),
  minAttendanceShare: z.number(),
  minOnlineMinutes: z.number().int(),
  minAssessmentScore: z.number().nullable(),
  livePresenceShare: z.number(),
  competencyModel: z.boolean(),
  /** Seats taken in the whole class (enrolled, not withdrawn), by mode: what the list shows against the places. */
  seatsTakenOnsite: z.number().int(),
  seatsTakenLive: z.number().int(),
  /** The caller may edit the class, its timetable, and show its check-in codes. */
  owned: z.boolean(),
  updatedAt: z.string(),
});
export type TrainingClass = z.infer<typeof TrainingClass>;

export const ClassDetail = TrainingClass.extend({
  counts: z.object({
    /** Enrolled trainees the caller may see, by mode (all of them for the class's owners). */
    enrolledOnsite: z.number().int(),
    enrolledLive: z.number().int(),
    /** Seats taken in the whole class, by mode (what capacity is checked against). */
    seatsTakenOnsite: z.number().int(),
    seatsTakenLive: z.number().int(),
    sessions: z.number().int(),
  }),
});
export type ClassDetail = z.infer<typeof ClassDetail>;

// Timetable -----------------------------------------------------------------------------

/** A speaker of a session; `presiding` marks the one who presides over it (主持: an opening or closing ceremony's host). */
export const Speaker = z.object({ name: Text(50), title: Text(100).optional(), org: Text(200).optional(), presiding: z.boolean().optional() }).strict();
export type Speaker = z.infer<typeof Speaker>;

const SessionFields = z.object({
  kind: SessionKind,
  topic: Text(300),
  startsAt: DateTime,
  endsAt: DateTime,
  /** Where on-site trainees go; a session with a place expects on-site trainees. */
  place: Text(200).nullable(),
  /** Where live trainees watch; a session with a stream link expects live trainees. */
  streamUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) address' }).max(1000).nullable(),
  speakers: z.array(Speaker).max(20),
});
export const SessionCreate = SessionFields.partial({ place: true, streamUrl: true, speakers: true }).strict();
export const SessionUpdate = SessionFields.partial().strict();

export const TrainingSession = z.object({
  id: z.number().int(),
  classId: z.number().int(),
  kind: SessionKind,
  topic: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string().nullable(),
  streamUrl: z.string().nullable(),
  speakers: z.array(z.object({ name: z.string(), title: z.string().optional(), org: z.string().optional(), presiding: z.boolean().optional() })),
  /** Other sessions of the class whose time overlaps this one (flagged, not refused). */
  overlapsWith: z.array(z.number().int()),
});
export type TrainingSession = z.infer<typeof TrainingSession>;

// Enrolment -----------------------------------------------------------------------------

export const EnrolmentCreate = z
  .object({
    personId: Id.optional(),
    idNumber: NationalIdNumber.optional(),
    phone: MobilePhone.optional(),
    mode: EnrolmentMode,
    /** The organization the trainee comes from; by default their current union (or cadre position). */
    orgId: Id.optional(),
  })
  .strict()
  .refine((v) => [v.personId, v.idNumber, v.phone].filter((x) => x !== undefined).length === 1, {
    ...coded('validation.exactly_one', { fields: 'personId, idNumber, phone' }),
    path: ['personId'],
  });
export const EnrolmentUpdate = z
  .object({ mode: EnrolmentMode, status: z.enum(['enrolled', 'withdrawn']) })
  .partial()
  .strict();
export const EnrolmentListQuery = Pagination.extend({
  mode: EnrolmentMode.optional(),
  status: z.enum(['enrolled', 'withdrawn', 'all']).default('enrolled'),
  q: z.string().trim().max(50, 'must be at most 50 characters').optional(),
  orgId: Id.optional(),
}).strict();

export const Enrolment = z.object({
  id: z.number().int(),
  classId: z.number().int(),
  personId: z.number().int(),
  name: z.string(),
  idNumberMasked: z.string(),
  phone: z.string().nullable(),
  orgId: z.number().int(),
  orgName: z.string(),
  orgLevel: z.string(),
  mode: EnrolmentMode,
  status: z.enum(['enrolled', 'withdrawn']),
  assessmentScore: z.number().nullable(),
  enrolledAt: z.string(),
});
export type Enrolment = z.infer<typeof Enrolment>;

/**
 * People on the roster an organizer may enrol in a class, found by a fragment of their name,
 * within a union's subtree, or both (neither: an empty page).
 */
export const EnrolCandidateQuery = Pagination.extend({
  q: z.string().trim().max(50).optional(),
  orgId: Id.optional(),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
}).strict();
export const EnrolCandidate = z.object({
  personId: z.number().int(),
  name: z.string(),
  idNumberMasked: z.string().nullable(),
  gender: z.string().nullable(),
  birthDate: z.string().nullable(),
  orgId: z.number().int(),
  orgName: z.string(),
  /** Already enrolled in this class (and not withdrawn). */
  enrolled: z.boolean(),
});
export type EnrolCandidate = z.infer<typeof EnrolCandidate>;

export const EnrolmentImportQuery = z.object({
  /** Check the file and answer the report without writing anything. */
  dryRun: z.stringbool().default(false),
  /** The mode of rows when the file has no 方式/mode column. */
  mode: EnrolmentMode.default('onsite'),
}).strict();

export const EnrolmentImportRow = z.object({
  row: z.number().int(),
  name: z.string(),
  idNumberMasked: z.string(),
  personId: z.number().int(),
  orgId: z.number().int(),
  orgName: z.string(),
  mode: EnrolmentMode,
  /** new: enrolled by this file; unchanged: already enrolled in the class. */
  outcome: z.enum(['new', 'unchanged']),
});
export const EnrolmentImportReport = z.object({
  dryRun: z.boolean(),
  rowsRead: z.number().int(),
  enrolled: z.number().int(),
  unchanged: z.number().int(),
  byMode: z.object({ onsite: z.number().int(), live: z.number().int() }),
  ignoredColumns: z.array(z.string()),
  rows: z.array(EnrolmentImportRow),
});
export type EnrolmentImportReport = z.infer<typeof EnrolmentImportReport>;

/** A rejected file: every bad row with the column and the reason; nothing was written. */
export const EnrolmentImportRowProblem = z.object({
  row: z.number().int(),
  field: z.string(),
  /** Stable error code of the row (translate by it); `reason` is its English text. */
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  reason: z.string(),
});
export const EnrolmentImportProblem = ProblemSchema.extend({ rows: z.array(EnrolmentImportRowProblem) });

// Attendance ----------------------------------------------------------------------------

export const CheckinCode = z.object({
  sessionId: z.number().int(),
  /** Carried by the QR code (inside `url`). */
  token: z.string(),
  /** Six digits to type when a camera fails. */
  code: z.string(),
  url: z.string(),
  expiresAt: z.string(),
  periodSeconds: z.number().int(),
});

export const CheckinInput = z.union([
  z.object({ token: z.string().min(1).max(200), sessionId: Id.optional() }).strict(),
  z.object({ sessionId: Id, code: z.string().trim().refine((value) => /^\d{6}$/.test(value), coded('validation.digits', { count: 6 })) }).strict(),
]);

export const Attendance = z.object({
  sessionId: z.number().int(),
  enrolmentId: z.number().int(),
  personId: z.number().int(),
  name: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  mode: EnrolmentMode,
  method: AttendanceMethod,
  checkedInAt: z.string(),
});
export type Attendance = z.infer<typeof Attendance>;

export const CheckinResult = z.object({
  sessionId: z.number().int(),
  classId: z.number().int(),
  topic: z.string(),
  method: AttendanceMethod,
  checkedInAt: z.string(),
  /** False when this was a repeated scan: the first check-in stands. */
  created: z.boolean(),
});

export const ManualCheckinInput = z.object({ enrolmentId: Id }).strict();

/** Several trainees marked present at once after a session (one request, all or none). */
export const BulkCheckinInput = z.object({ enrolmentIds: z.array(Id).min(1).max(2000) }).strict();
export const BulkCheckinResult = z.object({
  sessionId: z.number().int(),
  /** Marked present by this request. */
  created: z.number().int(),
  /** Present already (the first check-in stands). */
  already: z.number().int(),
});

/** Several trainees withdrawn at once (one request, all or none). */
export const BulkWithdrawInput = BulkCheckinInput;
export const BulkWithdrawResult = z.object({ classId: z.number().int(), withdrawn: z.number().int(), already: z.number().int() });

/** Attendance from a spreadsheet, e.g. a live platform's viewing export: name / ID number / phone, and minutes watched. */
export const AttendanceImportQuery = z.object({ dryRun: z.stringbool().default(false) }).strict();
export const AttendanceImportRow = z.object({
  row: z.number().int(),
  name: z.string(),
  enrolmentId: z.number().int(),
  /** Minutes watched (rows of the same trainee added up); null when the file has no minutes column. */
  minutes: z.number().nullable(),
  /** present: marked present by this file; already: present before; short: too few minutes, not marked. */
  outcome: z.enum(['present', 'already', 'short']),
});
export const AttendanceImportReport = z.object({
  dryRun: z.boolean(),
  sessionId: z.number().int(),
  rowsRead: z.number().int(),
  /** Minutes a row needs to count as present (the class's live presence share of the session). */
  requiredMinutes: z.number().int(),
  present: z.number().int(),
  already: z.number().int(),
  short: z.number().int(),
  rows: z.array(AttendanceImportRow),
});
export type AttendanceImportReport = z.infer<typeof AttendanceImportReport>;
export const AttendanceParams = z.object({ id: Id, enrolmentId: Id }).strict();
export const AttendanceListQuery = Pagination.extend({ pageSize: z.coerce.number().int().min(1).max(1000).default(200) }).strict();

export const PresenceInput = z.object({ seconds: z.number().int().min(0).max(3600) }).strict();
export const PresenceResult = z.object({
  /** Seconds of this beat that counted (never more than the time since the last beat, at most 60). */
  credited: z.number().int(),
  /** Seconds of the session counted so far. */
  seconds: z.number().int(),
  /** Seconds needed to be counted present (the class's live presence share of the session). */
  requiredSeconds: z.number().int(),
  present: z.boolean(),
});

// Trainee -------------------------------------------------------------------------------

export const MySession = TrainingSession.omit({ overlapsWith: true }).extend({
  attended: z.boolean(),
  method: AttendanceMethod.nullable(),
  /** Live trainees: seconds of the stream counted so far. */
  liveSeconds: z.number().int(),
  expected: z.boolean(),
});
export const MyClass = z.object({
  enrolmentId: z.number().int(),
  classId: z.number().int(),
  title: z.string(),
  orgName: z.string(),
  venue: z.string().nullable(),
  hostInstitution: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  status: ClassStatus,
  mode: EnrolmentMode,
  nextSession: z.object({ id: z.number().int(), topic: z.string(), kind: SessionKind, startsAt: z.string(), place: z.string().nullable(), streamUrl: z.string().nullable() }).nullable(),
  /**
   * The sessions I may check in to by typed code now or next: every session of mine whose
   * check-in is open (from 30 minutes before it starts until it ends; overlapping sessions
   * all count), and the next one, in time order.
   */
  checkinSessions: z.array(z.object({
    id: z.number().int(), topic: z.string(), kind: SessionKind, startsAt: z.string(), endsAt: z.string(), place: z.string().nullable(), streamUrl: z.string().nullable(),
  })),
});
export const MyClassDetail = MyClass.extend({
  theme: z.string().nullable(),
  classHours: z.number().nullable(),
  sessions: z.array(MySession),
  attendance: z.object({ expected: z.number().int(), attended: z.number().int() }),
  /** Where the trainee stands against the class's completion rules. */
  completion: z.object({
    status: CompletionStatus,
    attendanceShare: z.number(),
    minAttendanceShare: z.number(),
    onlineMinutes: z.number(),
    minOnlineMinutes: z.number().int(),
    assessmentScore: z.number().nullable(),
    minAssessmentScore: z.number().nullable(),
    certificateNumber: z.string().nullable(),
  }),
  /** The class asks for a self-assessment against the 10-aspect competency model; mine, once given. */
  competencyModel: z.boolean(),
  competency: z.object({ scores: CompetencyScores, submittedAt: z.string() }).nullable(),
});
export const FeedUrl = z.object({ url: z.string() });
export const FeedParams = z.object({ token: z.string().min(1).max(200) }).strict();
