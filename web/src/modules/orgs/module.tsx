import { MODULE_ACCESS } from '@workers-home/contract/access';
import { page, type WebModule } from '../../shared/module.ts';

export const orgsModule: WebModule = {
  name: 'orgs',
  consoleRoutes: [
    {
      path: 'orgs',
      ...page(() => import('./pages/orgs-page.tsx')),
      children: [
        { index: true, ...page(() => import('./pages/org-none-selected.tsx')) },
        { path: ':id', ...page(() => import('./pages/org-detail-page.tsx')) },
      ],
    },
  ],
  consoleNav: [{ path: '/orgs', label: 'nav.orgs', roles: MODULE_ACCESS.orgs.read }],
};
