import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/ui/global.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { createQueryClient } from '../shared/api/query-client.ts';
import { LocaleProvider } from '../shared/i18n/locale.tsx';
import { router } from './routes.tsx';

const queryClient = createQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <RouterProvider router={router} />
      </LocaleProvider>
    </QueryClientProvider>
  </StrictMode>,
);
