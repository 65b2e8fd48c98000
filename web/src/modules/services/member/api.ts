import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Claim, ClaimCreate, ClaimDocumentKind, ClaimSummary, MyCoverage } from '@workers-home/contract';
import { api } from '../../../shared/api/client.ts';

/** The member's side of Huigong Bao (member app). */

export const myCoverageQuery = queryOptions({ queryKey: ['services', 'my', 'coverage'], queryFn: () => api<MyCoverage[]>('/my/services/coverage') });
export const myClaimsQuery = queryOptions({ queryKey: ['services', 'my', 'claims'], queryFn: () => api<ClaimSummary[]>('/my/services/claims') });
export const myClaimQuery = (id: number) => queryOptions({ queryKey: ['services', 'my', 'claim', id], queryFn: () => api<Claim>(`/my/services/claims/${id}`) });

export function useFileClaim() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Omit<ClaimCreate, 'personId'>) => api<Claim>('/my/services/claims', { method: 'POST', body: input }),
    onSuccess: (claim) => {
      client.setQueryData(['services', 'my', 'claim', claim.id], claim);
      void client.invalidateQueries({ queryKey: ['services', 'my'] });
    },
  });
}

export function useClaimStep(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { step: 'resubmit'; version: number; documents: Array<{ id: number; kind: ClaimDocumentKind }> } | { step: 'appeal'; version: number; reason: string }) => {
      const { step, ...body } = input;
      return api<Claim>(`/my/services/claims/${id}/${step}`, { method: 'POST', body });
    },
    onSuccess: (claim) => {
      client.setQueryData(['services', 'my', 'claim', id], claim);
      void client.invalidateQueries({ queryKey: ['services', 'my', 'claims'] });
    },
  });
}
