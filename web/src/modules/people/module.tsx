import { MODULE_ACCESS } from '@workers-home/contract/access';
import { page, pageWithData, type WebModule } from '../../shared/module.ts';
import { myPersonQuery } from './member/queries.ts';

export const peopleModule: WebModule = {
  name: 'people',
  consoleRoutes: [
    { path: 'members', ...page(() => import('./pages/member-list-page.tsx')) },
    { path: 'members/new', ...page(() => import('./pages/member-create-page.tsx')) },
    { path: 'members/import', ...page(() => import('./pages/member-import-page.tsx')) },
    { path: 'members/transfers', ...page(() => import('./pages/transfer-requests-page.tsx')) },
    { path: 'members/:id', ...page(() => import('./pages/member-page.tsx')) },
  ],
  consoleNav: [{ path: '/members', label: 'nav.members', roles: MODULE_ACCESS.people.read }],
  homeShortcuts: [
    { path: '/members/new', label: 'people.add', roles: MODULE_ACCESS.people.write },
    { path: '/members/import', label: 'people.importTitle', roles: MODULE_ACCESS.people.write },
    { path: '/members/transfers', label: 'people.transfers', roles: MODULE_ACCESS.people.write },
  ],
  memberPlainRoutes: [{ index: true, ...pageWithData(() => import('./member/my-record-page.tsx'), (client) => client.prefetchQuery(myPersonQuery)) }],
  memberNav: [{ to: '/', end: true, label: { 'zh-CN': '我的会籍', en: 'Membership' } }],
};
