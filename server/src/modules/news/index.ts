import type { ServerModule } from '../../house/module.ts';
import { newsAuditSubjects } from './audit-subjects.ts';
import newsPortal from './portal-routes.ts';
import newsRoutes from './routes.ts';
import { newsWorkbench } from './workbench.ts';

export const newsModule: ServerModule = {
  name: 'news',
  routes: (api, house) => newsRoutes(api, house),
  pages: (app, house) => newsPortal(app, house),
  workbench: newsWorkbench,
  auditSubjects: newsAuditSubjects,
};
