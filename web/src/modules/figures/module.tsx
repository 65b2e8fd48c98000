import { MODULE_ACCESS } from '@workers-home/contract/access';
import { page, type WebModule } from '../../shared/module.ts';

/** The console's home page (the caller's figures, what waits for them, shortcuts); figures also show on other modules' pages. */
export const figuresModule: WebModule = {
  name: 'figures',
  consoleRoutes: [{ index: true, ...page(() => import('./pages/home-page.tsx')) }],
  consoleNav: [{ path: '/', label: 'nav.home', roles: MODULE_ACCESS.figures.read }],
};
