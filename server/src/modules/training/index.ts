import type { ServerModule } from '../../house/module.ts';
import { trainingAuditSubjects } from './audit-subjects.ts';
import { trainingFigures } from './figures.ts';
import trainingRoutes from './routes.ts';
import trainingStudyRoutes from './study-routes.ts';
import { trainingWorkbench } from './workbench.ts';

export const trainingModule: ServerModule = {
  name: 'training',
  async routes(api, house) {
    await trainingRoutes(api, house.services);
    trainingStudyRoutes(api, house.services, house.jobs);
  },
  figures: trainingFigures,
  workbench: trainingWorkbench,
  auditSubjects: trainingAuditSubjects,
};
