import type { ServerModule } from '../../house/module.ts';
import healthRoutes from './routes.ts';

export const healthModule: ServerModule = {
  name: 'health',
  routes: (api, house) => healthRoutes(api, house.services, house.version),
};
