import type { Me, Role } from '@workers-home/contract';
// The subpath, not the package's index: the shell must not pull in every zod schema.
import { MODULE_ACCESS } from '@workers-home/contract/access';
import type { MessageKey } from '../shared/i18n/catalogue.ts';

export interface NavItem {
  path: string;
  label: MessageKey;
  roles: readonly Role[];
}

/** The console's modules in menu order; each shows only to accounts holding one of its roles. */
export const NAV_ITEMS: NavItem[] = [
  { path: '/orgs', label: 'nav.orgs', roles: MODULE_ACCESS.orgs.read },
  { path: '/members', label: 'nav.members', roles: MODULE_ACCESS.people.read },
  { path: '/training', label: 'nav.training', roles: MODULE_ACCESS.training.read },
  { path: '/grants', label: 'nav.grants', roles: MODULE_ACCESS.auth.manage },
  { path: '/audit', label: 'nav.audit', roles: MODULE_ACCESS.audit.read },
];

export const allowedNav = (me: Me) => NAV_ITEMS.filter((item) => me.grants.some((g) => item.roles.includes(g.role)));
