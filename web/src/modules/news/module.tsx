import { MODULE_ACCESS } from '@workers-home/contract/access';
import { page, type WebModule } from '../../shared/module.ts';

export const newsModule: WebModule = {
  name: 'news',
  consoleRoutes: [
    { path: 'news', ...page(() => import('./pages/article-list-page.tsx')) },
    { path: 'news/articles/new', ...page(() => import('./pages/article-editor-page.tsx')) },
    { path: 'news/articles/:id', ...page(() => import('./pages/article-editor-page.tsx')) },
    { path: 'news/reports', ...page(() => import('./pages/reports-page.tsx')) },
  ],
  consoleNav: [{ path: '/news', label: 'nav.news', roles: MODULE_ACCESS.news.write }],
  homeShortcuts: [{ path: '/news/articles/new', label: 'nav.newArticle', roles: MODULE_ACCESS.news.write }],
};
