import { z } from 'zod';
import { Id, Pagination } from './common.ts';

/**
 * Training, the study side (issue #4): online courses and their materials, study heartbeats,
 * completion per trainee, the competency self-assessment, certificates with public
 * verification, and the class report. Classes, sessions and enrolment: training.ts.
 */

const Text = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);

export const CourseStatus = z.enum(['draft', 'published', 'archived']);
export const MaterialKind = z.enum(['video', 'document', 'page']);

export const CourseCreate = z.object({
  /** A supporting course of this class (its organizer owns it)… */
  classId: Id.optional(),
  /** …or a standalone course for this organization's subtree. */
  orgId: Id.optional(),
  title: Text(200),
  description: z.string().trim().max(4000, 'must be at most 4000 characters').optional(),
  status: CourseStatus.default('published'),
}).strict();
export const CourseUpdate = z.object({
  title: Text(200).optional(),
  description: z.string().trim().max(4000, 'must be at most 4000 characters').nullable().optional(),
  status: CourseStatus.optional(),
}).strict();
export const CourseListQuery = Pagination.extend({ classId: Id.optional(), orgId: Id.optional() }).strict();

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) address' }).max(2000, 'must be at most 2000 characters');
export const MaterialFields = z.object({
  kind: MaterialKind,
  title: Text(200),
  url: HttpUrl.nullable().optional(),
  body: z.string().max(100_000, 'must be at most 100000 characters').nullable().optional(),
  requiredMinutes: z.number().int('must be a whole number of minutes').min(1, 'must be at least 1').max(1440, 'must be at most 1440'),
  position: z.number().int().min(0).max(10_000).optional(),
});
export const MaterialCreate = MaterialFields.strict();
export const MaterialUpdate = MaterialFields.partial().strict();

export const Material = z.object({
  id: z.number().int(),
  courseId: z.number().int(),
  position: z.number().int(),
  kind: MaterialKind,
  title: z.string(),
  url: z.string().nullable(),
  body: z.string().nullable(),
  requiredMinutes: z.number().int(),
});
export type Material = z.infer<typeof Material>;

export const Course = z.object({
  id: z.number().int(),
  orgId: z.number().int(),
  orgName: z.string(),
  classId: z.number().int().nullable(),
  classTitle: z.string().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  status: CourseStatus,
  materialCount: z.number().int(),
  requiredMinutes: z.number().int(),
  updatedAt: z.string(),
});
export type Course = z.infer<typeof Course>;
export const CourseDetail = Course.extend({ materials: z.array(Material) });

/** A trainee's own view: each material with the seconds credited so far. */
export const MyMaterial = Material.extend({ studiedSeconds: z.number().int(), done: z.boolean() });
export const MyCourse = Course.extend({ studiedMinutes: z.number(), materialsDone: z.number().int() });
export const MyCourseDetail = MyCourse.extend({ materials: z.array(MyMaterial) });

/** A heartbeat while a material is open, every ~30 s: the seconds the client says passed. */
export const StudyBeat = z.object({ seconds: z.number().int('must be whole seconds').min(1, 'must be at least 1').max(3600, 'must be at most 3600') }).strict();
export const StudyProgress = z.object({
  materialId: z.number().int(),
  /** Seconds counted for this beat: min(claimed, time since the last beat, 60); 0 on the first beat of a sitting. */
  credited: z.number().int(),
  studiedSeconds: z.number().int(),
  requiredSeconds: z.number().int(),
  done: z.boolean(),
});

export const CompletionStatus = z.enum(['completed', 'in_progress', 'not_completed']);
export type CompletionStatus = z.infer<typeof CompletionStatus>;
export const ProgressQuery = Pagination.extend({ status: CompletionStatus.optional() }).strict();
export const CompletionRules = z.object({
  minAttendanceShare: z.number(),
  minOnlineMinutes: z.number().int(),
  minAssessmentScore: z.number().nullable(),
  /** Sessions expected of each mode: on site where a session has a place, live where it has a stream link. */
  expectedOnsite: z.number().int(),
  expectedLive: z.number().int(),
  /** Minutes of the class's published courses' materials. */
  courseMinutes: z.number().int(),
  classStatus: z.string(),
});
export const TraineeProgress = z.object({
  enrolmentId: z.number().int(),
  personId: z.number().int(),
  name: z.string(),
  orgId: z.number().int(),
  orgName: z.string(),
  mode: z.enum(['onsite', 'live']),
  sessionsExpected: z.number().int(),
  sessionsAttended: z.number().int(),
  attendanceShare: z.number(),
  onlineMinutes: z.number(),
  assessmentScore: z.number().nullable(),
  status: CompletionStatus,
  certificateNumber: z.string().nullable(),
});
export type TraineeProgress = z.infer<typeof TraineeProgress>;
export const ClassProgress = z.object({
  items: z.array(TraineeProgress),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  rules: CompletionRules,
});

export const AssessmentInput = z.object({ score: z.number().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100').multipleOf(0.1, 'at most one decimal').nullable() }).strict();
export const AssessmentResult = z.object({ enrolmentId: z.number().int(), assessmentScore: z.number().nullable() });

/**
 * The 10 aspects of the competency model for union leaders (seed 002), in the model's order:
 * key, Chinese name, English name (政治力 is political leadership — the capacity to lead
 * politically — not "political power"). The web app's catalogues carry the same names.
 */
export const COMPETENCY_ASPECTS = [
  ['political', '政治力', 'Political leadership'], ['leadership', '领导力', 'Leadership'], ['management', '管理力', 'Management'],
  ['professionalism', '专业力', 'Professional expertise'], ['communication', '沟通力', 'Communication'], ['execution', '执行力', 'Execution'],
  ['innovation', '创新力', 'Innovation'], ['teamwork', '团队力', 'Teamwork'], ['standardization', '规范力', 'Working by the rules'],
  ['digital', '数智力', 'Digital skills'],
] as const;
export type CompetencyAspect = (typeof COMPETENCY_ASPECTS)[number][0];
const Score = z.number().int('must be a whole number from 1 to 5').min(1, 'must be from 1 to 5').max(5, 'must be from 1 to 5');
export const CompetencyScores = z.object(
  Object.fromEntries(COMPETENCY_ASPECTS.map(([aspect]) => [aspect, Score])) as Record<CompetencyAspect, typeof Score>,
).strict();
export const CompetencyInput = z.object({ scores: CompetencyScores }).strict();
export const MyCompetency = z.object({ classId: z.number().int(), scores: CompetencyScores, submittedAt: z.string() });
export const CompetencySummary = z.object({
  classId: z.number().int(),
  respondents: z.number().int(),
  enrolled: z.number().int(),
  aspects: z.array(z.object({ aspect: z.string(), label: z.string(), average: z.number().nullable() })),
});

export const CertificateJob = z.object({
  id: z.number().int(),
  classId: z.number().int(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  total: z.number().int(),
  done: z.number().int(),
  issued: z.number().int(),
  progress: z.number(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type CertificateJob = z.infer<typeof CertificateJob>;

export const Certificate = z.object({
  id: z.number().int(),
  number: z.string(),
  enrolmentId: z.number().int(),
  personId: z.number().int(),
  personName: z.string(),
  classId: z.number().int(),
  classTitle: z.string(),
  orgName: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  hours: z.number(),
  issuedAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedReason: z.string().nullable(),
});
export type Certificate = z.infer<typeof Certificate>;
export const CertificateListQuery = Pagination.extend({ q: z.string().trim().max(50).optional() }).strict();
export const RevokeInput = z.object({ reason: Text(500) }).strict();

/** Certificate numbers: "WH", the class's year, 10 digits, and an ISO 7064 MOD 11-2 check character. */
export const CERTIFICATE_NUMBER = /^WH\d{14}[\dX]$/;
export function certificateCheckCharacter(digits: string): string {
  let sum = 0;
  for (const d of digits) sum = ((sum + Number(d)) * 2) % 11;
  const check = (12 - sum) % 11;
  return check === 10 ? 'X' : String(check);
}
/** What is wrong with a certificate number, as an error code; null when it is well formed. */
export function certificateNumberProblem(number: string): 'training.certificate.number_format' | 'training.certificate.number_check' | null {
  if (!CERTIFICATE_NUMBER.test(number)) return 'training.certificate.number_format';
  const digits = number.slice(2, -1);
  return certificateCheckCharacter(digits) === number.slice(-1) ? null : 'training.certificate.number_check';
}
export const VerifyParams = z.object({ number: z.string().trim().toUpperCase().max(40, 'is too long') }).strict();
export const CertificateVerification = z.object({
  valid: z.boolean(),
  number: z.string(),
  /** The holder's name with the middle masked (张*伟). */
  holder: z.string(),
  classTitle: z.string(),
  orgName: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  hours: z.number(),
  issuedAt: z.string(),
  revokedAt: z.string().nullable(),
});

/** 张伟 -> 张*, 张小伟 -> 张*伟, 欧阳小伟 -> 欧**伟. */
export function maskPersonName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return chars[0] + '*';
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

const Counts = {
  enrolled: z.number().int(),
  onsite: z.number().int(),
  live: z.number().int(),
  /** Trainees present at one session or more. */
  present: z.number().int(),
  completed: z.number().int(),
};
export const ClassReport = z.object({
  classId: z.number().int(),
  classTitle: z.string(),
  orgName: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  status: z.string(),
  /** False when the caller sees only the trainees of their own subtree. */
  wholeClass: z.boolean(),
  totals: z.object({ ...Counts, completionRate: z.number() }),
  sessions: z.array(z.object({
    sessionId: z.number().int(),
    kind: z.string(),
    topic: z.string(),
    startsAt: z.string(),
    place: z.string().nullable(),
    streamed: z.boolean(),
    expectedOnsite: z.number().int(),
    expectedLive: z.number().int(),
    presentOnsite: z.number().int(),
    presentLive: z.number().int(),
  })),
  byLevel: z.array(z.object({ level: z.string(), ...Counts })),
  byOrg: z.array(z.object({ orgId: z.number().int().nullable(), orgName: z.string(), level: z.string().nullable(), ...Counts })),
  /** Trainees by their current cadre position (工会职务), e.g. "chairs of industrial unions". */
  byPosition: z.array(z.object({ title: z.string(), ...Counts })),
});
export type ClassReport = z.infer<typeof ClassReport>;
