import { createBrowserRouter, type RouteObject } from 'react-router';
import ConsoleLayout, { HomeRedirect } from './console-layout.tsx';
import { NotFoundPage, RouteErrorPage } from './not-found-page.tsx';

/** While the first page's chunk loads: an empty page of the right colour, no spinner flash. */
const PageLoading = () => <div style={{ minHeight: '100vh' }} aria-busy="true" />;

/** Every page but the shell is its own chunk, loaded when first opened. */
const page = (load: () => Promise<{ default: React.ComponentType }>): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => ({ Component: (await load()).default }),
});

export const router = createBrowserRouter([
  { path: '/login', ...page(() => import('../modules/auth/pages/login-page.tsx')), errorElement: <RouteErrorPage />, hydrateFallbackElement: <PageLoading /> },
  // Public: certificate verification, no sign-in.
  { path: '/verify', ...page(() => import('../modules/training/pages/verify-page.tsx')), errorElement: <RouteErrorPage />, hydrateFallbackElement: <PageLoading /> },
  { path: '/verify/:number', ...page(() => import('../modules/training/pages/verify-page.tsx')), errorElement: <RouteErrorPage />, hydrateFallbackElement: <PageLoading /> },
  // The venue's full-screen check-in display, outside the console's frame.
  { path: '/training/classes/:classId/check-in/:sessionId', ...page(() => import('../modules/training/pages/checkin-display-page.tsx')), errorElement: <RouteErrorPage />, hydrateFallbackElement: <PageLoading /> },
  {
    path: '/',
    element: <ConsoleLayout />,
    errorElement: <RouteErrorPage />,
    hydrateFallbackElement: <PageLoading />,
    children: [
      { index: true, element: <HomeRedirect /> },
      {
        path: 'orgs',
        ...page(() => import('../modules/orgs/pages/orgs-page.tsx')),
        children: [
          { index: true, ...page(() => import('../modules/orgs/pages/org-none-selected.tsx')) },
          { path: ':id', ...page(() => import('../modules/orgs/pages/org-detail-page.tsx')) },
        ],
      },
      { path: 'members', ...page(() => import('../modules/people/pages/member-list-page.tsx')) },
      { path: 'members/new', ...page(() => import('../modules/people/pages/member-create-page.tsx')) },
      { path: 'members/import', ...page(() => import('../modules/people/pages/member-import-page.tsx')) },
      { path: 'members/transfers', ...page(() => import('../modules/people/pages/transfer-requests-page.tsx')) },
      { path: 'members/:id', ...page(() => import('../modules/people/pages/member-page.tsx')) },
      { path: 'training', ...page(() => import('../modules/training/pages/class-list-page.tsx')) },
      { path: 'training/classes/new', ...page(() => import('../modules/training/pages/class-form-page.tsx')) },
      { path: 'training/classes/:id', ...page(() => import('../modules/training/pages/class-page.tsx')) },
      { path: 'training/classes/:id/edit', ...page(() => import('../modules/training/pages/class-form-page.tsx')) },
      { path: 'grants', ...page(() => import('../modules/auth/pages/grants-page.tsx')) },
      { path: 'audit', ...page(() => import('../modules/audit/pages/audit-page.tsx')) },
      { path: 'account', ...page(() => import('../modules/auth/pages/account-page.tsx')) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
