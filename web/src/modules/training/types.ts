/**
 * The training API's shapes as the web app reads them (server/src/modules/training/DESIGN.md).
 * Where the contract package exports a type, it is re-exported from here instead.
 */
export type ClassStatus = 'draft' | 'open' | 'running' | 'closed';
export type SessionKind = 'opening' | 'lecture' | 'onsite_teaching' | 'discussion' | 'policy' | 'live' | 'closing';
export type EnrolmentMode = 'onsite' | 'live';
export type CompletionStatus = 'completed' | 'in_progress' | 'not_completed';

export const CLASS_STATUSES: readonly ClassStatus[] = ['draft', 'open', 'running', 'closed'];
export const SESSION_KINDS: readonly SessionKind[] = ['opening', 'lecture', 'onsite_teaching', 'discussion', 'policy', 'live', 'closing'];

export interface TrainingPlan {
  id: number;
  orgId: number;
  orgName?: string;
  year: number;
  title: string;
  note: string | null;
  classCount?: number;
}

export interface TrainingClass {
  id: number;
  planId: number | null;
  planTitle?: string | null;
  orgId: number;
  orgName?: string;
  title: string;
  theme: string | null;
  hostInstitution: string | null;
  venue: string | null;
  startsOn: string;
  endsOn: string;
  capacityOnsite: number;
  capacityLive: number;
  status: ClassStatus;
  enrolledOnsite?: number;
  enrolledLive?: number;
}

export interface TrainingClassDetail extends TrainingClass {
  audienceOrgIds: number[];
  audienceLevels: string[];
  audienceNote: string | null;
  classHours: number | null;
  minAttendanceShare: number;
  minOnlineMinutes: number;
  minAssessmentScore: number | null;
  livePresenceShare: number;
  competencyModel: boolean;
  counts?: { enrolledOnsite: number; enrolledLive: number; sessions: number };
  /** Whether the caller may organize the class (owner), else only enrol their own people. */
  canOrganize?: boolean;
}

export interface Speaker { name: string; title?: string | null; org?: string | null }

export interface TrainingSession {
  id: number;
  classId: number;
  kind: SessionKind;
  topic: string;
  startsAt: string;
  endsAt: string;
  place: string | null;
  streamUrl: string | null;
  speakers: Speaker[];
  overlapsWith?: number[];
}

export interface Enrolment {
  id: number;
  classId: number;
  personId: number;
  name: string;
  idNumberMasked?: string | null;
  phone?: string | null;
  orgId: number;
  orgName?: string;
  mode: EnrolmentMode;
  status: 'enrolled' | 'withdrawn';
  assessmentScore?: number | null;
  enrolledAt?: string;
}

export interface ImportRowError { row: number; field?: string | null; reason: string }

export interface ImportPreviewRow { row: number; name?: string; personId?: number; mode?: EnrolmentMode; orgName?: string; idNumberMasked?: string; phone?: string }

export interface ImportResult {
  dryRun?: boolean;
  total?: number;
  enrolled?: number;
  added?: number;
  unchanged?: number;
  onsite?: number;
  live?: number;
  rows?: ImportPreviewRow[];
}

export interface CheckinCode { token: string; code: string; url: string; expiresAt: string; periodSeconds: number }

export interface Attendance {
  sessionId: number;
  enrolmentId: number;
  method: 'qr' | 'code' | 'manual' | 'live';
  checkedInAt: string;
  name?: string;
}

export interface Material {
  id: number;
  courseId: number;
  position: number;
  kind: 'video' | 'document' | 'page';
  title: string;
  url: string | null;
  body: string | null;
  requiredMinutes: number;
  /** The trainee's own minutes (member app). */
  minutes?: number;
  seconds?: number;
}

export interface Course {
  id: number;
  orgId: number;
  classId: number | null;
  title: string;
  description: string | null;
  status: 'draft' | 'published' | 'archived';
  materials?: Material[];
  requiredMinutes?: number;
  /** The trainee's own minutes (member app). */
  minutes?: number;
}

export interface ProgressRow {
  enrolmentId: number;
  personId?: number;
  name: string;
  orgName?: string;
  mode: EnrolmentMode;
  sessionsExpected: number;
  sessionsAttended: number;
  attendanceShare: number;
  onlineMinutes: number;
  assessmentScore: number | null;
  status: CompletionStatus;
}

export interface Certificate {
  id: number;
  number: string;
  personName?: string;
  holder?: string;
  classTitle: string;
  orgName?: string;
  startsOn?: string;
  endsOn?: string;
  hours: number;
  issuedAt: string;
  revokedAt: string | null;
}

export interface CertificateJob { id: number; status: 'queued' | 'running' | 'succeeded' | 'failed'; total: number; done: number; issued: number; error: string | null }

export interface Verification {
  valid: boolean;
  number: string;
  holder: string;
  classTitle: string;
  orgName: string;
  startsOn: string;
  endsOn: string;
  hours: number;
  issuedAt: string;
  revokedAt: string | null;
}

export interface ReportSession {
  sessionId: number;
  topic: string;
  kind: SessionKind;
  startsAt: string;
  enrolledOnsite: number;
  enrolledLive: number;
  presentOnsite: number;
  presentLive: number;
}
export interface ReportGroup { key?: string; level?: string; orgId?: number | null; orgName?: string; name?: string; enrolled: number; onsite?: number; live?: number; present?: number; completed?: number }
export interface ClassReport {
  sessions: ReportSession[];
  byLevel: ReportGroup[];
  byOrg: ReportGroup[];
  completion: { enrolled: number; completed: number; rate: number };
  enrolled?: { onsite: number; live: number; total: number };
}

export interface MyClass {
  enrolmentId: number;
  classId: number;
  title: string;
  mode: EnrolmentMode;
  startsOn: string;
  endsOn: string;
  venue: string | null;
  status: ClassStatus;
  orgName?: string;
  nextSession: TrainingSession | null;
}

export interface MySession extends TrainingSession {
  attendance: { method: Attendance['method']; checkedInAt: string } | null;
}

export interface Completion {
  status: CompletionStatus;
  sessionsExpected: number;
  sessionsAttended: number;
  attendanceShare: number;
  onlineMinutes: number;
  assessmentScore: number | null;
  rules?: { minAttendanceShare: number; minOnlineMinutes: number; minAssessmentScore: number | null };
}

export interface MyClassDetail {
  class: TrainingClassDetail;
  enrolmentId?: number;
  mode: EnrolmentMode;
  sessions: MySession[];
  completion: Completion | null;
}
