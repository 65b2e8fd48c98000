import { queryOptions } from '@tanstack/react-query';
import type { FiguresTrend, SubtreeFigures, Workbench } from '@workers-home/contract';
import { api } from '../../shared/api/client.ts';

/** The figures of an organization's whole subtree (members, unions by level, training reach). */
export const figuresQuery = (orgId: number) =>
  queryOptions({ queryKey: ['orgs', orgId, 'figures'], queryFn: () => api<SubtreeFigures>(`/orgs/${orgId}/figures`) });

/** A subtree's members over the last twelve months. */
export const trendQuery = (orgId: number) =>
  queryOptions({ queryKey: ['orgs', orgId, 'figures', 'trend'], queryFn: () => api<FiguresTrend>(`/orgs/${orgId}/figures/trend`), staleTime: 5 * 60_000 });

/** The home page: the caller's subtrees and what waits for them. */
export const workbenchQuery = () =>
  queryOptions({ queryKey: ['workbench'], queryFn: () => api<Workbench>('/workbench') });
