import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { queryClient } from '../shared/api/query-client.ts';
import { meQuery } from '../modules/auth/api.ts';
import { LocaleProvider } from '../shared/i18n/locale.tsx';
import { AntdProvider } from '../shared/ui/antd-provider.tsx';
import { router } from './routes.tsx';

// Who is signed in is asked at once, while the page's code is still loading, not after the first render.
void queryClient.prefetchQuery(meQuery);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <AntdProvider>
          <RouterProvider router={router} />
        </AntdProvider>
      </LocaleProvider>
    </QueryClientProvider>
  </StrictMode>,
);
