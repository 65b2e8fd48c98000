import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Org, OrgKind, OrgLevel } from '@workers-home/contract';
import type { z } from 'zod';
import type { OrgDetail } from '@workers-home/contract';
import { api, queryString } from '../../shared/api/client.ts';
import type { Page } from '../../shared/api/page.ts';

export type OrgWithCounts = z.infer<typeof OrgDetail>;

export const CHILDREN_PAGE = 200;

export const orgRootsQuery = queryOptions({ queryKey: ['orgs', 'roots'], queryFn: () => api<Org[]>('/orgs/roots') });

export const orgChildrenQuery = (id: number, page = 1, pageSize = CHILDREN_PAGE) =>
  queryOptions({
    queryKey: ['orgs', id, 'children', page, pageSize],
    queryFn: () => api<Page<Org>>(`/orgs/${id}/children${queryString({ page, pageSize })}`),
    placeholderData: (previous) => previous,
  });

export const orgQuery = (id: number) => queryOptions({ queryKey: ['orgs', id], queryFn: () => api<OrgWithCounts>(`/orgs/${id}`) });

export const orgAncestorsQuery = (id: number) =>
  queryOptions({ queryKey: ['orgs', id, 'ancestors'], queryFn: () => api<Org[]>(`/orgs/${id}/ancestors`) });

/** Organizations by name; with `browse`, an empty name lists the caller's own first (top of their subtrees, then by name). */
export const orgSearchQuery = (params: { q: string; level?: OrgLevel | undefined; pageSize?: number; browse?: boolean }) =>
  queryOptions({
    queryKey: ['orgs', 'search', { q: params.q, level: params.level, pageSize: params.pageSize }],
    queryFn: () => api<Page<Org>>(`/orgs${queryString({ q: params.q || undefined, level: params.level, pageSize: params.pageSize ?? 20 })}`),
    enabled: params.q.trim().length > 0 || Boolean(params.browse),
  });

export interface OrgCreateValues {
  parentId: number;
  name: string;
  shortName?: string | undefined;
  level: OrgLevel;
  kind: OrgKind;
  regionCode?: string | undefined;
}
export interface OrgUpdateValues {
  name?: string;
  shortName?: string | null;
  kind?: OrgKind;
  regionCode?: string | null;
}

export function useOrgMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['orgs'] });
  return {
    create: useMutation({ mutationFn: (input: OrgCreateValues) => api<Org>('/orgs', { method: 'POST', body: input }), onSuccess: refresh }),
    update: useMutation({
      mutationFn: ({ id, ...input }: OrgUpdateValues & { id: number }) => api<Org>(`/orgs/${id}`, { method: 'PATCH', body: input }),
      onSuccess: refresh,
    }),
  };
}
