import type { z } from 'zod';
import type {
  Attendance as AttendanceSchema, CertificateJob as CertificateJobSchema, CertificateVerification, CheckinCode as CheckinCodeSchema,
  CheckinResult as CheckinResultSchema, ClassDetail, ClassProgress as ClassProgressSchema, ClassReport as ClassReportSchema,
  Course as CourseSchema, CourseDetail as CourseDetailSchema, EnrolmentImportReport, EnrolmentImportRowProblem, MyClass as MyClassSchema,
  MyClassDetail as MyClassDetailSchema, MyCourse as MyCourseSchema, MyCourseDetail as MyCourseDetailSchema, MyMaterial as MyMaterialSchema,
  PresenceResult as PresenceResultSchema, StudyProgress as StudyProgressSchema, AttendanceImportReport, BulkCheckinResult as BulkCheckinResultSchema,
} from '@workers-home/contract';

/** The training API's shapes, inferred from the contract's schemas (never written twice). */
export type {
  Certificate, ClassStatus, CompletionStatus, EnrolCandidate, Enrolment, EnrolmentMode, Material, SessionKind, Speaker, TraineeProgress,
  TrainingClass, TrainingPlan, TrainingSession,
} from '@workers-home/contract';
export type TrainingClassDetail = z.infer<typeof ClassDetail>;
export type ImportResult = z.infer<typeof EnrolmentImportReport>;
export type AttendanceImportResult = z.infer<typeof AttendanceImportReport>;
export type BulkCheckinResult = z.infer<typeof BulkCheckinResultSchema>;
export type ImportRowError = z.infer<typeof EnrolmentImportRowProblem>;
export type CheckinCode = z.infer<typeof CheckinCodeSchema>;
export type CheckinResult = z.infer<typeof CheckinResultSchema>;
export type Attendance = z.infer<typeof AttendanceSchema>;
export type Course = z.infer<typeof CourseSchema>;
export type CourseDetail = z.infer<typeof CourseDetailSchema>;
export type ClassProgress = z.infer<typeof ClassProgressSchema>;
export type CertificateJob = z.infer<typeof CertificateJobSchema>;
export type Verification = z.infer<typeof CertificateVerification>;
export type ClassReport = z.infer<typeof ClassReportSchema>;
export type ReportSession = ClassReport['sessions'][number];
export type ReportLevel = ClassReport['byLevel'][number];
export type ReportOrg = ClassReport['byOrg'][number];
export type MyClass = z.infer<typeof MyClassSchema>;
export type MyClassDetail = z.infer<typeof MyClassDetailSchema>;
export type MySession = MyClassDetail['sessions'][number];
export type MyCourse = z.infer<typeof MyCourseSchema>;
export type MyCourseDetail = z.infer<typeof MyCourseDetailSchema>;
export type MyMaterial = z.infer<typeof MyMaterialSchema>;
export type PresenceResult = z.infer<typeof PresenceResultSchema>;
export type StudyProgress = z.infer<typeof StudyProgressSchema>;

export const CLASS_STATUSES = ['draft', 'open', 'running', 'closed'] as const;
export const SESSION_KINDS = ['opening', 'lecture', 'onsite_teaching', 'discussion', 'policy', 'live', 'closing'] as const;
