import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Problem } from '@workers-home/contract';
import { api, ApiError, queryString } from '../../shared/api/client.ts';
import type { Page } from '../../shared/api/page.ts';
import type {
  Attendance, AttendanceImportResult, BulkCheckinResult, Certificate, CertificateJob, CheckinCode, ClassProgress, ClassReport, ClassStatus, Course, CourseDetail,
  EnrolCandidate, Enrolment, EnrolmentMode, ImportResult, Material, Speaker, TrainingClass, TrainingClassDetail, TrainingPlan, TrainingSession, Verification,
} from './types.ts';

export interface ClassFilter {
  q?: string | undefined;
  status?: ClassStatus | undefined;
  year?: number | undefined;
  planId?: number | undefined;
  orgId?: number | undefined;
}

export const planListQuery = (filter: { orgId?: number | undefined; year?: number | undefined }, page = 1, pageSize = 100) =>
  queryOptions({
    queryKey: ['training', 'plans', filter, page, pageSize],
    queryFn: () => api<Page<TrainingPlan>>(`/training/plans${queryString({ ...filter, page, pageSize })}`),
    placeholderData: (previous) => previous,
  });

export const classListQuery = (filter: ClassFilter, page: number, pageSize: number) =>
  queryOptions({
    queryKey: ['training', 'classes', filter, page, pageSize],
    queryFn: () => api<Page<TrainingClass>>(`/training/classes${queryString({ ...filter, page, pageSize })}`),
    placeholderData: (previous) => previous,
  });

export const classQuery = (id: number) =>
  queryOptions({ queryKey: ['training', 'class', id], queryFn: () => api<TrainingClassDetail>(`/training/classes/${id}`) });

export const sessionsQuery = (classId: number) =>
  queryOptions({ queryKey: ['training', 'class', classId, 'sessions'], queryFn: () => api<TrainingSession[]>(`/training/classes/${classId}/sessions`) });

export const enrolmentsQuery = (classId: number, filter: { mode?: EnrolmentMode | undefined; q?: string | undefined }, page: number, pageSize = 20) =>
  queryOptions({
    queryKey: ['training', 'class', classId, 'enrolments', filter, page, pageSize],
    queryFn: () => api<Page<Enrolment>>(`/training/classes/${classId}/enrolments${queryString({ ...filter, page, pageSize })}`),
    placeholderData: (previous) => previous,
  });

/** People on the roster the caller may enrol in the class, by a fragment of their name. */
export const candidatesQuery = (classId: number, q: string) =>
  queryOptions({
    queryKey: ['training', 'class', classId, 'candidates', q],
    queryFn: () => api<Page<EnrolCandidate>>(`/training/classes/${classId}/candidates${queryString({ q, pageSize: 20 })}`),
    enabled: q.trim().length > 0,
    staleTime: 30_000,
  });

export const checkinCodeQuery = (sessionId: number) =>
  queryOptions({
    queryKey: ['training', 'session', sessionId, 'checkin-code'],
    queryFn: () => api<CheckinCode>(`/training/sessions/${sessionId}/checkin-code`),
    staleTime: 0,
    gcTime: 0,
  });

export const attendanceQuery = (sessionId: number) =>
  queryOptions({
    queryKey: ['training', 'session', sessionId, 'attendance'],
    queryFn: () => api<Page<Attendance>>(`/training/sessions/${sessionId}/attendance${queryString({ pageSize: 1000 })}`).then((page) => page.items),
  });

export const coursesQuery = (classId: number) =>
  queryOptions({
    queryKey: ['training', 'class', classId, 'courses'],
    queryFn: () => api<Page<Course>>(`/training/courses${queryString({ classId, pageSize: 100 })}`).then((page) => page.items),
  });

export const courseQuery = (id: number) =>
  queryOptions({ queryKey: ['training', 'course', id], queryFn: () => api<CourseDetail>(`/training/courses/${id}`) });

export const progressQuery = (classId: number, filter: { status?: string | undefined }, page: number, pageSize = 20) =>
  queryOptions({
    queryKey: ['training', 'class', classId, 'progress', filter, page, pageSize],
    queryFn: () => api<ClassProgress>(`/training/classes/${classId}/progress${queryString({ ...filter, page, pageSize })}`),
    placeholderData: (previous) => previous,
  });

export const certificatesQuery = (classId: number, page: number, pageSize = 20) =>
  queryOptions({
    queryKey: ['training', 'class', classId, 'certificates', page, pageSize],
    queryFn: () => api<Page<Certificate>>(`/training/classes/${classId}/certificates${queryString({ page, pageSize })}`),
    placeholderData: (previous) => previous,
  });

export const certificateJobQuery = (jobId: number) =>
  queryOptions({ queryKey: ['training', 'certificate-job', jobId], queryFn: () => api<CertificateJob>(`/training/certificate-jobs/${jobId}`), staleTime: 0 });

export const reportQuery = (classId: number) =>
  queryOptions({ queryKey: ['training', 'class', classId, 'report'], queryFn: () => api<ClassReport>(`/training/classes/${classId}/report`) });

export const verifyQuery = (number: string) =>
  queryOptions({ queryKey: ['verify', number], queryFn: () => api<Verification>(`/verify/${encodeURIComponent(number)}`), retry: false });


export interface ClassValues {
  planId?: number | null | undefined;
  orgId: number;
  title: string;
  theme?: string | null | undefined;
  hostInstitution?: string | null | undefined;
  venue?: string | null | undefined;
  startsOn: string;
  endsOn: string;
  capacityOnsite: number;
  capacityLive: number;
  audienceOrgIds?: number[] | undefined;
  audienceNote?: string | null | undefined;
  classHours?: number | null | undefined;
  minAttendanceShare?: number | undefined;
  minOnlineMinutes?: number | undefined;
  minAssessmentScore?: number | null | undefined;
  livePresenceShare?: number | undefined;
  competencyModel?: boolean | undefined;
}

export interface SessionValues {
  kind: string;
  topic: string;
  startsAt: string;
  endsAt: string;
  place?: string | null | undefined;
  streamUrl?: string | null | undefined;
  speakers: Speaker[];
}

export interface MaterialValues {
  kind: Material['kind'];
  title: string;
  url?: string | null | undefined;
  body?: string | null | undefined;
  requiredMinutes: number;
  position?: number | undefined;
}

/** Sends a file as multipart form data; answers like `api`. */
export async function upload<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, null);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, (body as Partial<Problem> | null) ?? null);
  return body as T;
}

export function useTrainingMutations(classId?: number) {
  const client = useQueryClient();
  const refreshClass = () => client.invalidateQueries({ queryKey: classId === undefined ? ['training'] : ['training', 'class', classId] });
  const refreshAll = () => client.invalidateQueries({ queryKey: ['training'] });
  return {
    createPlan: useMutation({
      mutationFn: (input: { orgId: number; year: number; title: string; note?: string | undefined }) => api<TrainingPlan>('/training/plans', { method: 'POST', body: input }),
      onSuccess: refreshAll,
    }),
    createClass: useMutation({
      mutationFn: (input: ClassValues) => api<TrainingClassDetail>('/training/classes', { method: 'POST', body: input }),
      onSuccess: refreshAll,
    }),
    updateClass: useMutation({
      mutationFn: ({ id, ...input }: Partial<ClassValues> & { id: number }) => api<TrainingClassDetail>(`/training/classes/${id}`, { method: 'PATCH', body: input }),
      onSuccess: refreshAll,
    }),
    setStatus: useMutation({
      mutationFn: ({ id, status }: { id: number; status: ClassStatus }) => api<TrainingClassDetail>(`/training/classes/${id}/status`, { method: 'POST', body: { status } }),
      onSuccess: refreshAll,
    }),
    createSession: useMutation({
      mutationFn: (input: SessionValues) => api<TrainingSession>(`/training/classes/${classId}/sessions`, { method: 'POST', body: input }),
      onSuccess: refreshClass,
    }),
    updateSession: useMutation({
      mutationFn: ({ id, ...input }: Partial<SessionValues> & { id: number }) => api<TrainingSession>(`/training/sessions/${id}`, { method: 'PATCH', body: input }),
      onSuccess: refreshClass,
    }),
    deleteSession: useMutation({
      mutationFn: (id: number) => api<void>(`/training/sessions/${id}`, { method: 'DELETE' }),
      onSuccess: refreshClass,
    }),
    enrol: useMutation({
      mutationFn: (input: { idNumber?: string | undefined; phone?: string | undefined; personId?: number | undefined; mode: EnrolmentMode; orgId?: number | undefined }) =>
        api<Enrolment>(`/training/classes/${classId}/enrolments`, { method: 'POST', body: input }),
      onSuccess: refreshClass,
    }),
    updateEnrolment: useMutation({
      mutationFn: ({ id, ...input }: { id: number; mode?: EnrolmentMode; status?: 'enrolled' | 'withdrawn' }) =>
        api<Enrolment>(`/training/enrolments/${id}`, { method: 'PATCH', body: input }),
      onSuccess: refreshClass,
    }),
    importEnrolments: useMutation({
      mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) =>
        upload<ImportResult>(`/training/classes/${classId}/enrolments/import${dryRun ? '?dryRun=true' : ''}`, file),
      onSuccess: (_result, { dryRun }) => (dryRun ? undefined : refreshClass()),
    }),
    checkIn: useMutation({
      mutationFn: ({ sessionId, enrolmentId }: { sessionId: number; enrolmentId: number }) =>
        api<Attendance>(`/training/sessions/${sessionId}/attendance`, { method: 'POST', body: { enrolmentId } }),
      onSuccess: (_a, { sessionId }) => client.invalidateQueries({ queryKey: ['training', 'session', sessionId, 'attendance'] }),
    }),
    bulkCheckIn: useMutation({
      mutationFn: ({ sessionId, enrolmentIds }: { sessionId: number; enrolmentIds: number[] }) =>
        api<BulkCheckinResult>(`/training/sessions/${sessionId}/attendance/bulk`, { method: 'POST', body: { enrolmentIds } }),
      onSuccess: (_a, { sessionId }) => client.invalidateQueries({ queryKey: ['training', 'session', sessionId, 'attendance'] }),
    }),
    importAttendance: useMutation({
      mutationFn: ({ sessionId, file, dryRun }: { sessionId: number; file: File; dryRun: boolean }) =>
        upload<AttendanceImportResult>(`/training/sessions/${sessionId}/attendance/import${dryRun ? '?dryRun=true' : ''}`, file),
      onSuccess: (_a, { sessionId, dryRun }) => (dryRun ? undefined : client.invalidateQueries({ queryKey: ['training', 'session', sessionId, 'attendance'] })),
    }),
    bulkWithdraw: useMutation({
      mutationFn: (enrolmentIds: number[]) =>
        api<{ classId: number; withdrawn: number; already: number }>(`/training/classes/${classId}/enrolments/withdraw`, { method: 'POST', body: { enrolmentIds } }),
      onSuccess: refreshClass,
    }),
    undoCheckIn: useMutation({
      mutationFn: ({ sessionId, enrolmentId }: { sessionId: number; enrolmentId: number }) =>
        api<void>(`/training/sessions/${sessionId}/attendance/${enrolmentId}`, { method: 'DELETE' }),
      onSuccess: (_a, { sessionId }) => client.invalidateQueries({ queryKey: ['training', 'session', sessionId, 'attendance'] }),
    }),
    createCourse: useMutation({
      mutationFn: (input: { classId: number; title: string; description?: string | undefined }) =>
        api<CourseDetail>('/training/courses', { method: 'POST', body: input }),
      onSuccess: refreshClass,
    }),
    addMaterial: useMutation({
      mutationFn: ({ courseId, ...input }: MaterialValues & { courseId: number }) =>
        api<Material>(`/training/courses/${courseId}/materials`, { method: 'POST', body: input }),
      onSuccess: (_m, { courseId }) => Promise.all([refreshClass(), client.invalidateQueries({ queryKey: ['training', 'course', courseId] })]),
    }),
    updateMaterial: useMutation({
      mutationFn: ({ id, ...input }: Partial<MaterialValues> & { id: number; courseId: number }) =>
        api<Material>(`/training/materials/${id}`, { method: 'PATCH', body: input }),
      onSuccess: (_m, { courseId }) => Promise.all([refreshClass(), client.invalidateQueries({ queryKey: ['training', 'course', courseId] })]),
    }),
    deleteMaterial: useMutation({
      mutationFn: ({ id }: { id: number; courseId: number }) => api<void>(`/training/materials/${id}`, { method: 'DELETE' }),
      onSuccess: (_m, { courseId }) => Promise.all([refreshClass(), client.invalidateQueries({ queryKey: ['training', 'course', courseId] })]),
    }),
    startCertificates: useMutation({
      mutationFn: () => api<CertificateJob>(`/training/classes/${classId}/certificates`, { method: 'POST' }),
    }),
    revokeCertificate: useMutation({
      mutationFn: ({ id, reason }: { id: number; reason: string }) => api<Certificate>(`/training/certificates/${id}/revoke`, { method: 'POST', body: { reason } }),
      onSuccess: refreshClass,
    }),
  };
}
