import { createBrowserRouter } from 'react-router';
import { WEB_MODULES } from '../modules/index.ts';
import { page } from '../shared/module.ts';
import { MemberApp } from './member-app.tsx';

/**
 * The member app's pages under /app/, each module's own, loaded when first opened. The first page
 * (my union and record) is plain HTML; the modules' sections sit in a frame that loads antd.
 */
export const router = createBrowserRouter([
  {
    path: '/',
    element: <MemberApp />,
    hydrateFallbackElement: <div style={{ minHeight: '100vh' }} aria-busy="true" />,
    children: [
      ...WEB_MODULES.flatMap((m) => m.memberPlainRoutes ?? []),
      { ...page(() => import('./antd-frame.tsx')), children: WEB_MODULES.flatMap((m) => m.memberRoutes ?? []) },
      { path: '*', ...page(() => import('../modules/people/member/my-record-page.tsx')) },
    ],
  },
  // The trailing slash keeps links to the first page at /app/, inside the service worker's scope
  // (/app is outside it: a reload there while offline would fail).
], { basename: '/app/' });
