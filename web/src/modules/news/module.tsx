import { MODULE_ACCESS } from '@workers-home/contract/access';
import { page, type WebModule } from '../../shared/module.ts';

export const newsModule: WebModule = {
  name: 'news',
  consoleRoutes: [
    { path: 'newsroom', ...page(() => import('./pages/article-list-page.tsx')) },
    { path: 'newsroom/articles/new', ...page(() => import('./pages/article-editor-page.tsx')) },
    { path: 'newsroom/articles/:id', ...page(() => import('./pages/article-editor-page.tsx')) },
    { path: 'newsroom/reports', ...page(() => import('./pages/reports-page.tsx')) },
  ],
  consoleNav: [{ path: '/newsroom', label: 'nav.news', roles: MODULE_ACCESS.news.write }],
  homeShortcuts: [{ path: '/newsroom/articles/new', label: 'nav.newArticle', roles: MODULE_ACCESS.news.write }],
};
