import { createBrowserRouter, type RouteObject } from 'react-router';
import { MemberApp, MyRecord } from './member-app.tsx';

const page = (load: () => Promise<{ default: React.ComponentType }>): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => ({ Component: (await load()).default }),
});

/** The member app's pages under /app/; the training pages load when first opened. */
export const router = createBrowserRouter([
  {
    path: '/',
    element: <MemberApp />,
    hydrateFallbackElement: <div style={{ minHeight: '100vh' }} aria-busy="true" />,
    children: [
      { index: true, element: <MyRecord /> },
      { path: 'training', ...page(() => import('../modules/training/member/my-training-page.tsx')) },
      { path: 'training/classes/:id', ...page(() => import('../modules/training/member/my-class-page.tsx')) },
      { path: 'training/sessions/:id/live', ...page(() => import('../modules/training/member/live-page.tsx')) },
      { path: 'training/courses/:id', ...page(() => import('../modules/training/member/course-page.tsx')) },
      { path: 'check-in', ...page(() => import('../modules/training/member/check-in-page.tsx')) },
      { path: 'certificates', ...page(() => import('../modules/training/member/certificates-page.tsx')) },
      { path: '*', element: <MyRecord /> },
    ],
  },
], { basename: '/app' });
