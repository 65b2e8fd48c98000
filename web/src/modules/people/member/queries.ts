import { queryOptions } from '@tanstack/react-query';
import type { PersonDetail } from '@workers-home/contract';
import { api } from '../../../shared/api/client.ts';

/** The signed-in member's own record: the member app's first page, asked for while that page's code loads. */
export const myPersonQuery = queryOptions({ queryKey: ['me', 'person'], queryFn: () => api<PersonDetail>('/me/person') });
