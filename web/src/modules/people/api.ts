import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { CadrePosition, ImportJob, ImportReject, MemberRow, PersonDetail, TransferRequest } from '@workers-home/contract';
import { api, ApiError, queryString } from '../../shared/api/client.ts';
import type { Page } from '../../shared/api/page.ts';

export interface MemberFilter {
  orgId?: number | undefined;
  q?: string | undefined;
  status?: 'active' | 'transferred_out' | 'left' | 'all' | undefined;
  gender?: 'male' | 'female' | undefined;
  ageMin?: number | undefined;
  ageMax?: number | undefined;
  sort?: 'name' | 'joinedOn' | 'birthDate' | undefined;
  order?: 'asc' | 'desc' | undefined;
}

export const memberListQuery = (filter: MemberFilter, page: number, pageSize: number) =>
  queryOptions({
    queryKey: ['members', filter, page, pageSize],
    queryFn: () => api<Page<MemberRow>>(`/members${queryString({ ...filter, page, pageSize })}`),
    placeholderData: (previous) => previous,
  });

/** The .xlsx export of every member matching the filter. */
/** The member export's path under /api (for the shared download()). */
export const memberExportPath = (filter: MemberFilter, lang: string, membershipIds?: number[]) =>
  `/members/export.xlsx${queryString({ ...filter, lang, membershipIds: membershipIds?.join(',') })}`;

export const personQuery = (id: number) => queryOptions({ queryKey: ['persons', id], queryFn: () => api<PersonDetail>(`/persons/${id}`) });

export const cadresQuery = (orgId: number, page: number) =>
  queryOptions({
    queryKey: ['cadres', orgId, page],
    queryFn: () => api<Page<CadrePosition>>(`/cadre-positions${queryString({ orgId, page, pageSize: 20 })}`),
    placeholderData: (previous) => previous,
  });

export interface PersonValues {
  name: string;
  gender: 'male' | 'female';
  ethnicity?: string | undefined;
  birthDate?: string | undefined;
  idNumber?: string | undefined;
  phone?: string | undefined;
  politicalStatus?: string | undefined;
  education?: string | undefined;
  employer?: string | undefined;
  employmentForm?: string | undefined;
}

export function usePersonMutations() {
  const client = useQueryClient();
  const refresh = async (person: PersonDetail) => {
    client.setQueryData(personQuery(person.id).queryKey, person);
    await client.invalidateQueries({ queryKey: ['members'] });
    await client.invalidateQueries({ queryKey: ['orgs'] });
  };
  return {
    create: useMutation({
      mutationFn: (input: PersonValues & { idNumber: string; membership: { orgId: number; joinedOn: string; cardNumber?: string | undefined } }) =>
        api<PersonDetail>('/persons', { method: 'POST', body: input }),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, ...input }: Partial<PersonValues> & { id: number }) => api<PersonDetail>(`/persons/${id}`, { method: 'PATCH', body: input }),
      onSuccess: refresh,
    }),
    transfer: useMutation({
      mutationFn: ({ id, ...input }: { id: number; toOrgId: number; date: string; note?: string | undefined; cardNumber?: string | undefined }) =>
        api<PersonDetail>(`/persons/${id}/transfer`, { method: 'POST', body: input }),
      onSuccess: refresh,
    }),
    leave: useMutation({
      mutationFn: ({ id, ...input }: { id: number; date: string; note?: string | undefined }) => api<PersonDetail>(`/persons/${id}/leave`, { method: 'POST', body: input }),
      onSuccess: refresh,
    }),
    bulkTransfer: useMutation({
      mutationFn: (input: { personIds: number[]; toOrgId: number; date: string; note?: string | undefined }) =>
        api<{ count: number }>('/persons/bulk-transfer', { method: 'POST', body: input }),
      onSuccess: async () => { await client.invalidateQueries({ queryKey: ['members'] }); await client.invalidateQueries({ queryKey: ['persons'] }); await client.invalidateQueries({ queryKey: ['orgs'] }); },
    }),
    bulkLeave: useMutation({
      mutationFn: (input: { personIds: number[]; date: string; note?: string | undefined }) => api<{ count: number }>('/persons/bulk-leave', { method: 'POST', body: input }),
      onSuccess: async () => { await client.invalidateQueries({ queryKey: ['members'] }); await client.invalidateQueries({ queryKey: ['persons'] }); await client.invalidateQueries({ queryKey: ['orgs'] }); },
    }),
    join: useMutation({
      mutationFn: ({ id, ...input }: { id: number; orgId: number; joinedOn: string; cardNumber?: string | undefined }) =>
        api<PersonDetail>(`/persons/${id}/join`, { method: 'POST', body: input }),
      onSuccess: refresh,
    }),
    reveal: useMutation({ mutationFn: (id: number) => api<{ idNumber: string }>(`/persons/${id}/reveal-id-number`, { method: 'POST' }) }),
  };
}

/** Appoint to and end union positions; the person's page and the organizations' cadre lists refresh. */
export function useCadreMutations(personId: number) {
  const client = useQueryClient();
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: personQuery(personId).queryKey });
    await client.invalidateQueries({ queryKey: ['cadres'] });
    await client.invalidateQueries({ queryKey: ['orgs'] });
  };
  return {
    appoint: useMutation({
      mutationFn: (input: { personId: number; orgId: number; title: string; since: string }) => api<CadrePosition>('/cadre-positions', { method: 'POST', body: input }),
      onSuccess: refresh,
    }),
    end: useMutation({
      mutationFn: ({ id, until }: { id: number; until: string }) => api<CadrePosition>(`/cadre-positions/${id}/end`, { method: 'POST', body: { until } }),
      onSuccess: refresh,
    }),
  };
}

/** The rejected rows of an import, a page at a time, each with every reason. */
export const importRejectsQuery = (jobId: number, page: number, pageSize = 10) =>
  queryOptions({
    queryKey: ['member-imports', jobId, 'rejects', page, pageSize],
    queryFn: () => api<Page<ImportReject>>(`/member-imports/${jobId}/rejects${queryString({ page, pageSize })}`),
    placeholderData: (previous) => previous,
  });

/** The template for an import into an organization (.xlsx, the code lists as drop-downs). */
export const importTemplateUrl = (orgId: number) => `/api/member-imports/template.xlsx?orgId=${orgId}`;

/** One member import job, polled every second while it runs. */
export const importJobQuery = (id: number | null) =>
  queryOptions({
    queryKey: ['member-imports', id],
    queryFn: () => api<ImportJob>(`/member-imports/${id}`),
    enabled: id !== null,
    refetchInterval: (query) => (query.state.data && ['succeeded', 'rejected', 'failed'].includes(query.state.data.status) ? false : 1000),
  });

export const importJobsQuery = (orgId: number | undefined, page: number) =>
  queryOptions({
    queryKey: ['member-imports', 'list', orgId, page],
    queryFn: () => api<Page<ImportJob>>(`/member-imports${queryString({ orgId, page, pageSize: 10 })}`),
    placeholderData: (previous) => previous,
  });

/**
 * Uploads a member file (multipart field "file"); reports the upload's progress, 0..1, as it
 * goes (a province's roster is hundreds of MB, and fetch cannot tell how much has gone).
 */
export function uploadMemberFile(orgId: number, acceptValid: boolean, file: File, onProgress: (share: number) => void): Promise<ImportJob> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/member-imports${queryString({ orgId, acceptValid })}`);
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total); };
    request.onerror = () => reject(new ApiError(0, null));
    request.onload = () => {
      let body: unknown = null;
      try { body = JSON.parse(request.responseText); } catch { /* not JSON: the status says it */ }
      if (request.status === 202) resolve(body as ImportJob);
      else reject(new ApiError(request.status, (body as ConstructorParameters<typeof ApiError>[1]) ?? null));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

export interface TransferListFilter {
  direction: 'incoming' | 'outgoing' | 'all';
  status: 'pending' | 'approved' | 'declined' | 'cancelled' | 'all';
}

/** 会员关系转接: requests that a union of the caller's holds (incoming) or asked for (outgoing). */
export const transferRequestsQuery = (filter: TransferListFilter, page: number) =>
  queryOptions({
    queryKey: ['transfer-requests', filter, page],
    queryFn: () => api<Page<TransferRequest>>(`/transfer-requests${queryString({ ...filter, page, pageSize: 20 })}`),
    placeholderData: (previous) => previous,
  });

export function useTransferMutations() {
  const client = useQueryClient();
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: ['transfer-requests'] });
    await client.invalidateQueries({ queryKey: ['members'] });
    await client.invalidateQueries({ queryKey: ['persons'] });
  };
  return {
    create: useMutation({
      mutationFn: (input: { idNumber: string; toOrgId: number; date: string; note?: string | undefined }) =>
        api<TransferRequest>('/transfer-requests', { method: 'POST', body: input }),
      onSuccess: refresh,
    }),
    approve: useMutation({ mutationFn: (id: number) => api<TransferRequest>(`/transfer-requests/${id}/approve`, { method: 'POST', body: {} }), onSuccess: refresh }),
    decline: useMutation({
      mutationFn: ({ id, reason }: { id: number; reason: string }) => api<TransferRequest>(`/transfer-requests/${id}/decline`, { method: 'POST', body: { reason } }),
      onSuccess: refresh,
    }),
    cancel: useMutation({ mutationFn: (id: number) => api<TransferRequest>(`/transfer-requests/${id}/cancel`, { method: 'POST' }), onSuccess: refresh }),
  };
}
