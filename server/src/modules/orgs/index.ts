import type { ServerModule } from '../../house/module.ts';
import { unionFigures } from './figures.ts';
import orgRoutes from './routes.ts';

export const orgsModule: ServerModule = {
  name: 'orgs',
  routes: (api, house) => orgRoutes(api, house.services),
  figures: unionFigures,
  auditSubjects: { org: { name: '(SELECT name FROM orgs WHERE id = {id})', link: `'/orgs/' || {id}` } },
};
