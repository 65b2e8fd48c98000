import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  AidEnrolImportReport, AidEnrolment, AidEnrolResult, AidPlan, AidPlanCreate, AidPlanSummary, AidPlanUpdate, Batch, BatchStatus, Claim, ClaimDocument,
  ClaimDocumentKind, ClaimStatus, ClaimSummary, ContributionStatement, Problem, ReviewAction,
} from '@workers-home/contract';
import { api, ApiError, queryString } from '../../shared/api/client.ts';
import type { CursorPage, Page } from '../../shared/api/page.ts';

/** The staff side of Huigong Bao (console): plans, enrolment, statements, claims, payout batches. */

export const planListQuery = (filter: { orgId?: number | undefined; year?: number | undefined }, page: number) => queryOptions({
  queryKey: ['services', 'plans', filter, page],
  queryFn: () => api<Page<AidPlanSummary>>(`/services/plans${queryString({ ...filter, page, pageSize: 20 })}`),
  placeholderData: (previous) => previous,
});

export const planQuery = (id: number) => queryOptions({ queryKey: ['services', 'plan', id], queryFn: () => api<AidPlan>(`/services/plans/${id}`) });

export const enrolmentListQuery = (planId: number, filter: { orgId?: number | undefined; q?: string | undefined }, page: number) => queryOptions({
  queryKey: ['services', 'plan', planId, 'enrolments', filter, page],
  queryFn: () => api<Page<AidEnrolment>>(`/services/plans/${planId}/enrolments${queryString({ ...filter, page, pageSize: 20 })}`),
  placeholderData: (previous) => previous,
});

export const statementListQuery = (planId: number, filter: { orgId?: number | undefined; status?: 'due' | 'paid' | undefined }, page: number) => queryOptions({
  queryKey: ['services', 'plan', planId, 'statements', filter, page],
  queryFn: () => api<Page<ContributionStatement>>(`/services/plans/${planId}/statements${queryString({ ...filter, page, pageSize: 20 })}`),
  placeholderData: (previous) => previous,
});

export interface ClaimFilter {
  status?: ClaimStatus | undefined;
  planId?: number | undefined;
  orgId?: number | undefined;
  waitingForMe?: boolean | undefined;
  q?: string | undefined;
}

/** The claims by keyset: the page after the cursor `after` (the `next` of the page before; undefined for the first). */
export const claimListQuery = (filter: ClaimFilter, after: string | undefined) => queryOptions({
  queryKey: ['services', 'claims', filter, after ?? null],
  queryFn: () => api<CursorPage<ClaimSummary>>(`/services/claims${queryString({ ...filter, after, pageSize: 20 })}`),
  placeholderData: (previous) => previous,
});

export const claimQuery = (id: number) => queryOptions({ queryKey: ['services', 'claim', id], queryFn: () => api<Claim>(`/services/claims/${id}`) });

export const batchListQuery = (filter: { planId?: number | undefined; status?: BatchStatus | undefined }, page: number) => queryOptions({
  queryKey: ['services', 'batches', filter, page],
  queryFn: () => api<Page<Batch>>(`/services/batches${queryString({ ...filter, page, pageSize: 20 })}`),
  placeholderData: (previous) => previous,
});

/** A batch being built is asked for again every second until it is ready (or failed). */
export const batchQuery = (id: number) => queryOptions({
  queryKey: ['services', 'batch', id],
  queryFn: () => api<Batch>(`/services/batches/${id}`),
  refetchInterval: (query) => (query.state.data?.status === 'building' ? 1000 : false),
});

export function useSavePlan(id: number | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: AidPlanCreate | AidPlanUpdate) => (id === null
      ? api<AidPlan>('/services/plans', { method: 'POST', body: input })
      : api<AidPlan>(`/services/plans/${id}`, { method: 'PATCH', body: input })),
    onSuccess: (plan) => {
      client.setQueryData(['services', 'plan', plan.id], plan);
      void client.invalidateQueries({ queryKey: ['services', 'plans'] });
    },
  });
}

export function useCopyPlan(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<AidPlan>(`/services/plans/${id}/copy`, { method: 'POST', body: {} }),
    onSuccess: () => { void client.invalidateQueries({ queryKey: ['services', 'plans'] }); },
  });
}

export function useEnrol(planId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { orgId: number; all: true } | { orgId: number; personIds: number[] }) =>
      api<AidEnrolResult>(`/services/plans/${planId}/enrolments`, { method: 'POST', body: input }),
    onSuccess: () => { void client.invalidateQueries({ queryKey: ['services', 'plan', planId] }); },
  });
}

export function usePayStatement(planId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: { id: number; paidOn: string; amountFen: number; reference: string }) =>
      api<ContributionStatement>(`/services/statements/${id}/payment`, { method: 'POST', body: input }),
    onSuccess: () => { void client.invalidateQueries({ queryKey: ['services', 'plan', planId] }); },
  });
}

export function useReview(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ReviewAction) => api<Claim>(`/services/claims/${id}/review`, { method: 'POST', body: input }),
    onSuccess: (claim) => {
      client.setQueryData(['services', 'claim', id], claim);
      void client.invalidateQueries({ queryKey: ['services', 'claims'] });
    },
  });
}

export function useCreateBatch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { planId: number; orgId: number }) => api<Batch>('/services/batches', { method: 'POST', body: input }),
    onSuccess: (batch) => {
      client.setQueryData(['services', 'batch', batch.id], batch);
      void client.invalidateQueries({ queryKey: ['services', 'batches'] });
    },
  });
}

export function useMarkBatchPaid() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: { id: number; paidOn: string; reference: string }) => api<Batch>(`/services/batches/${id}/paid`, { method: 'POST', body: input }),
    onSuccess: () => { void client.invalidateQueries({ queryKey: ['services', 'batches'] }); },
  });
}

/**
 * Posts one file (multipart, field "file") to the API, reporting its progress (0..1); XHR
 * because fetch reports no upload progress. Answers like `api`.
 */
function postFile<T>(path: string, file: File, onProgress: (share: number) => void, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api${path}`);
    request.withCredentials = true;
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total); };
    // All sent (a small file may report no progress before): the server is at work now.
    request.upload.onload = () => onProgress(1);
    request.onload = () => {
      let body: unknown = null;
      try { body = JSON.parse(request.responseText); } catch { /* not JSON: an empty problem */ }
      if (request.status >= 200 && request.status < 300) resolve(body as T);
      else reject(new ApiError(request.status, body as Partial<Problem> | null));
    };
    request.onerror = () => reject(new ApiError(0, null));
    request.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => request.abort());
    const form = new FormData();
    form.append('file', file);
    request.send(form);
  });
}

/** Uploads one claim document. Used by the member app and by staff filing for a member. */
export function uploadDocument(kind: ClaimDocumentKind, file: File, onProgress: (share: number) => void, signal?: AbortSignal): Promise<ClaimDocument> {
  return postFile<ClaimDocument>(`/services/documents${queryString({ kind })}`, file, onProgress, signal);
}

export interface EnrolmentImport {
  orgId: number;
  file: File;
  /** Check only: the report of what enrolling would do, nothing written. */
  dryRun: boolean;
  /** Enrol the valid rows and report the others; otherwise any bad row refuses the whole file (422 with its rows). */
  acceptValid: boolean;
  onProgress?: (share: number) => void;
}

/** Enrols a union's members from a spreadsheet (columns 姓名 and 身份证号); the enrolment lists are read again after a real run. */
export function useImportEnrolments(planId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ orgId, file, dryRun, acceptValid, onProgress }: EnrolmentImport) =>
      postFile<AidEnrolImportReport>(`/services/plans/${planId}/enrolments/import${queryString({ orgId, dryRun, acceptValid })}`, file, onProgress ?? (() => undefined)),
    onSuccess: (report) => { if (!report.dryRun) void client.invalidateQueries({ queryKey: ['services', 'plan', planId] }); },
  });
}
