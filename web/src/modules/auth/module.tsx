import { MODULE_ACCESS } from '@workers-home/contract/access';
import { page, type WebModule } from '../../shared/module.ts';

export const authModule: WebModule = {
  name: 'auth',
  standaloneRoutes: [{ path: '/login', ...page(() => import('./pages/login-page.tsx')) }],
  consoleRoutes: [
    { path: 'grants', ...page(() => import('./pages/grants-page.tsx')) },
    { path: 'account', ...page(() => import('./pages/account-page.tsx')) },
  ],
  consoleNav: [{ path: '/grants', label: 'nav.grants', roles: MODULE_ACCESS.auth.manage }],
};
