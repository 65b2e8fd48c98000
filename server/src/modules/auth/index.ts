import type { ServerModule } from '../../house/module.ts';
import authRoutes from './routes.ts';

export const authModule: ServerModule = {
  name: 'auth',
  routes: (api, house) => authRoutes(api, house.services, { maxHours: house.settings.sessionMaxHours }),
};
