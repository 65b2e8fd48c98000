import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './client.ts';

/** Retries only what may succeed on a second try: network failures and 5xx, not 4xx. */
function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => failures < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      },
      mutations: { retry: false },
    },
  });
}

/** The page's one query cache (each app is its own page load): routes prefetch into it, the React tree reads from it. */
export const queryClient = createQueryClient();
