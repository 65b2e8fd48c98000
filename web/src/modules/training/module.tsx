import { MODULE_ACCESS } from '@workers-home/contract/access';
import { page, type WebModule } from '../../shared/module.ts';

export const trainingModule: WebModule = {
  name: 'training',
  standaloneRoutes: [
    // Public: certificate verification, no sign-in.
    { path: '/verify', ...page(() => import('./pages/verify-page.tsx')) },
    { path: '/verify/:number', ...page(() => import('./pages/verify-page.tsx')) },
    // The venue's full-screen check-in display, outside the console's frame.
    { path: '/training/classes/:classId/check-in/:sessionId', ...page(() => import('./pages/checkin-display-page.tsx')) },
  ],
  consoleRoutes: [
    { path: 'training', ...page(() => import('./pages/class-list-page.tsx')) },
    { path: 'training/classes/new', ...page(() => import('./pages/class-form-page.tsx')) },
    { path: 'training/classes/:id', ...page(() => import('./pages/class-page.tsx')) },
    { path: 'training/classes/:id/edit', ...page(() => import('./pages/class-form-page.tsx')) },
  ],
  consoleNav: [{ path: '/training', label: 'nav.training', roles: MODULE_ACCESS.training.read }],
  homeShortcuts: [{ path: '/training/classes/new', label: 'nav.newClass', roles: MODULE_ACCESS.training.organize }],
  memberRoutes: [
    { path: 'training', ...page(() => import('./member/my-training-page.tsx')) },
    { path: 'training/classes/:id', ...page(() => import('./member/my-class-page.tsx')) },
    { path: 'training/sessions/:id/live', ...page(() => import('./member/live-page.tsx')) },
    { path: 'training/courses/:id', ...page(() => import('./member/course-page.tsx')) },
    { path: 'check-in', ...page(() => import('./member/check-in-page.tsx')) },
    { path: 'certificates', ...page(() => import('./member/certificates-page.tsx')) },
  ],
  // The training words load with its pages; the bar's labels are here.
  memberNav: [
    { to: '/training', end: false, label: { 'zh-CN': '我的培训', en: 'Training' } },
    { to: '/check-in', end: true, label: { 'zh-CN': '签到', en: 'Check in' } },
    { to: '/certificates', end: true, label: { 'zh-CN': '证书', en: 'Certificates' } },
  ],
};
