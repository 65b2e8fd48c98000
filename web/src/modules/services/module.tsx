import { MODULE_ACCESS } from '@workers-home/contract/access';
import { page, type WebModule } from '../../shared/module.ts';

/** Huigong Bao (惠工保), the union's in-patient mutual medical aid: plans, enrolment, claims, review, payout. */
export const servicesModule: WebModule = {
  name: 'services',
  consoleRoutes: [
    { path: 'services', ...page(() => import('./pages/plan-list-page.tsx')) },
    { path: 'services/plans/new', ...page(() => import('./pages/plan-form-page.tsx')) },
    { path: 'services/plans/:id', ...page(() => import('./pages/plan-page.tsx')) },
    { path: 'services/plans/:id/edit', ...page(() => import('./pages/plan-form-page.tsx')) },
    { path: 'services/claims', ...page(() => import('./pages/claim-list-page.tsx')) },
    { path: 'services/claims/new', ...page(() => import('./pages/claim-create-page.tsx')) },
    { path: 'services/claims/:id', ...page(() => import('./pages/claim-page.tsx')) },
    { path: 'services/batches', ...page(() => import('./pages/batch-list-page.tsx')) },
  ],
  consoleNav: [{ path: '/services', label: 'nav.services', roles: MODULE_ACCESS.services.read }],
  homeShortcuts: [
    { path: '/services/claims?waitingForMe=true&status=in_review', label: 'nav.servicesQueue', roles: MODULE_ACCESS.services.review },
    { path: '/services/batches', label: 'nav.servicesPayout', roles: MODULE_ACCESS.services.pay },
  ],
  memberRoutes: [
    { path: 'services', ...page(() => import('./member/my-services-page.tsx')) },
    { path: 'services/claims/new', ...page(() => import('./member/claim-form-page.tsx')) },
    { path: 'services/claims/:id', ...page(() => import('./member/my-claim-page.tsx')) },
  ],
  // The services words load with its pages; the bar's label is here. In English the bar's five
  // sections fit a 390 px phone only with a short label (the bar does not scroll or wrap): the
  // console's name, "Huigong Bao", fits in Liberation Sans but overflows by 33 px in DejaVu Sans,
  // where "Med aid" (the plan's subtitle, mutual medical aid, in short) still fits.
  memberNav: [{ to: '/services', end: false, label: { 'zh-CN': '惠工保', en: 'Med aid' } }],
};
