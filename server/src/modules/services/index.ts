import type { ServerModule } from '../../house/module.ts';
import { servicesAuditSubjects } from './audit-subjects.ts';
import { servicesFigures } from './figures.ts';
import servicesRoutes from './routes.ts';
import { servicesWorkbench } from './workbench.ts';

export const servicesModule: ServerModule = {
  name: 'services',
  routes: (api, house) => servicesRoutes(api, house),
  figures: servicesFigures,
  workbench: servicesWorkbench,
  auditSubjects: servicesAuditSubjects,
};
