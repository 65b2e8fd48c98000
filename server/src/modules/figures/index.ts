import type { ServerModule } from '../../house/module.ts';
import figuresRoutes from './routes.ts';

export const figuresModule: ServerModule = {
  name: 'figures',
  routes: (api, house) => figuresRoutes(api, house.services, house.figures, house.workbench),
};
