import { queryOptions } from '@tanstack/react-query';
import type { AuditEntry } from '@workers-home/contract';
import { api, queryString } from '../../shared/api/client.ts';
import type { Page } from '../../shared/api/page.ts';

export interface AuditFilter {
  entity?: string | undefined;
  entityId?: string | undefined;
  personId?: number | undefined;
  actorId?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export const auditQuery = (filter: AuditFilter, page: number) =>
  queryOptions({
    queryKey: ['audit', filter, page],
    queryFn: () => api<Page<AuditEntry>>(`/audit${queryString({ ...filter, page, pageSize: 20 })}`),
    placeholderData: (previous) => previous,
  });
