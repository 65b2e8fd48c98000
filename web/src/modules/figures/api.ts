import { queryOptions } from '@tanstack/react-query';
import type { SubtreeFigures } from '@workers-home/contract';
import { api } from '../../shared/api/client.ts';

/** The figures of an organization's whole subtree (members, unions by level, training reach). */
export const figuresQuery = (orgId: number) =>
  queryOptions({ queryKey: ['orgs', orgId, 'figures'], queryFn: () => api<SubtreeFigures>(`/orgs/${orgId}/figures`) });
