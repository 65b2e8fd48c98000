import type { ServerModule } from '../../house/module.ts';
import authRoutes from './routes.ts';

export const authModule: ServerModule = {
  name: 'auth',
  routes: (api, house) => authRoutes(api, house.services, { maxHours: house.settings.sessionMaxHours }),
  auditSubjects: {
    account: { name: '(SELECT display_name FROM accounts WHERE id = {id})', link: `'/grants?accountId=' || {id}` },
    role_grant: {
      name: '(SELECT ac.display_name FROM role_grants g JOIN accounts ac ON ac.id = g.account_id WHERE g.id = {id})',
      link: `'/grants?accountId=' || (SELECT account_id FROM role_grants WHERE id = {id})`,
    },
  },
};
