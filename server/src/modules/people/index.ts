import type { ServerModule } from '../../house/module.ts';
import memberExportRoutes from './export-routes.ts';
import { memberFigures } from './figures.ts';
import importRoutes from './import-routes.ts';
import peopleRoutes from './routes.ts';
import { peopleWorkbench } from './workbench.ts';

export const peopleModule: ServerModule = {
  name: 'people',
  async routes(api, house) {
    peopleRoutes(api, house.services);
    memberExportRoutes(api, house.services);
    await importRoutes(api, house.services, house.jobs, house.settings.imports);
  },
  figures: memberFigures,
  workbench: peopleWorkbench,
  // Memberships, cadre positions and transfer requests are named by the person they carry.
  auditSubjects: { person: { name: '(SELECT name FROM persons WHERE id = {id})', link: `'/members/' || {id}` } },
};

/** For the figures module's trend of a subtree's members. */
export { memberTrend } from './figures.ts';
