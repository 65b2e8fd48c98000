import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { queryClient } from '../shared/api/query-client.ts';
import { meQuery } from '../modules/auth/api.ts';
import { LocaleProvider } from '../shared/i18n/locale.tsx';
import { RouterProvider } from 'react-router/dom';
import { router } from './routes.tsx';

// Who is signed in is asked at once, while the page's code is still loading, not after the first render.
void queryClient.prefetchQuery(meQuery);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <RouterProvider router={router} />
      </LocaleProvider>
    </QueryClientProvider>
  </StrictMode>,
);

// The service worker keeps the app's shell available offline (built app only: the dev server has none).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch((error: unknown) => console.warn('service worker not registered', error));
  });
}
