import type { ServerModule } from '../../house/module.ts';
import auditRoutes from './routes.ts';

export const auditModule: ServerModule = {
  name: 'audit',
  routes: (api, house) => auditRoutes(api, house.services, house.auditSubjects),
};
