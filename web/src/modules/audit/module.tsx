import { MODULE_ACCESS } from '@workers-home/contract/access';
import { page, type WebModule } from '../../shared/module.ts';

export const auditModule: WebModule = {
  name: 'audit',
  consoleRoutes: [{ path: 'audit', ...page(() => import('./pages/audit-page.tsx')) }],
  consoleNav: [{ path: '/audit', label: 'nav.audit', roles: MODULE_ACCESS.audit.read }],
};
