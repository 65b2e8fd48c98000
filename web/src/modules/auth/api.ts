import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Account, Grant, Me, Role } from '@workers-home/contract';
import { api, ApiError, queryString } from '../../shared/api/client.ts';
import type { Page } from '../../shared/api/page.ts';

/** The signed-in account, or null when nobody is signed in. */
export const meQuery = queryOptions({
  queryKey: ['auth', 'me'],
  queryFn: async () => {
    try {
      return await api<Me>('/auth/me');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 5 * 60_000,
});

export const useMe = () => useQuery(meQuery);

/**
 * Nothing cached for one account may show to the next. "Who am I" stays in the cache (it is
 * overwritten right after) so the components watching it hear of the change.
 */
function forgetAccountData(client: QueryClient) {
  void client.cancelQueries();
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== meQuery.queryKey[0] || query.queryKey[1] !== meQuery.queryKey[1] });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) => api<Me>('/auth/login', { method: 'POST', body: input }),
    onSuccess: (me) => {
      forgetAccountData(client);
      client.setQueryData(meQuery.queryKey, me);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/auth/logout', { method: 'POST' }).catch((error: unknown) => {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }),
    onSuccess: () => {
      forgetAccountData(client);
      client.setQueryData(meQuery.queryKey, null);
    },
  });
}

export const useChangePassword = () =>
  useMutation({ mutationFn: (input: { currentPassword: string; newPassword: string }) => api<void>('/auth/password', { method: 'POST', body: input }) });

/** True when the account holds one of `roles` anywhere. */
export const holdsAny = (me: Me | null | undefined, roles: readonly Role[]) => !!me?.grants.some((g) => roles.includes(g.role));

export const grantsQuery = (params: { page: number; pageSize: number; orgId?: number | undefined; accountId?: number | undefined }) =>
  queryOptions({ queryKey: ['grants', params], queryFn: () => api<Page<Grant>>(`/grants${queryString(params)}`), placeholderData: (previous) => previous });

export const accountsQuery = (q: string) =>
  queryOptions({ queryKey: ['accounts', q], queryFn: () => api<Page<Account>>(`/accounts${queryString({ q, pageSize: 20 })}`) });

export const accountListQuery = (params: { q?: string | undefined; page: number }) =>
  queryOptions({ queryKey: ['accounts', 'list', params], queryFn: () => api<Page<Account>>(`/accounts${queryString({ ...params, pageSize: 20 })}`), placeholderData: (previous) => previous });

export function useGrantMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['grants'] }).then(() => client.invalidateQueries({ queryKey: ['accounts'] }));
  return {
    create: useMutation({ mutationFn: (input: { accountId: number; role: Role; orgId: number }) => api<Grant>('/grants', { method: 'POST', body: input }), onSuccess: refresh }),
    revoke: useMutation({ mutationFn: (id: number) => api<void>(`/grants/${id}`, { method: 'DELETE' }), onSuccess: refresh }),
    /** Sets a new password for an account of the admin's subtree (it is signed out everywhere). */
    resetPassword: useMutation({
      mutationFn: ({ id, newPassword }: { id: number; newPassword: string }) => api<Account>(`/accounts/${id}/password`, { method: 'POST', body: { newPassword } }),
      onSuccess: refresh,
    }),
    /** Switches an account off (its sessions end at once) or on again. */
    setStatus: useMutation({
      mutationFn: ({ id, status }: { id: number; status: 'active' | 'disabled' }) => api<Account>(`/accounts/${id}/${status === 'active' ? 'enable' : 'disable'}`, { method: 'POST' }),
      onSuccess: refresh,
    }),
    createAccount: useMutation({
      mutationFn: (input: { username: string; displayName: string; password: string; grant: { role: Role; orgId: number } }) =>
        api<Account>('/accounts', { method: 'POST', body: input }),
      onSuccess: refresh,
    }),
  };
}
