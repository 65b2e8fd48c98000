import type { Me } from '@workers-home/contract';
import { CONSOLE_NAV } from '../modules/index.ts';

export type { ConsoleNavItem as NavItem } from '../shared/module.ts';

/** The console's menu: the modules' entries (web/src/modules/index.ts) this account's roles allow. */
export const allowedNav = (me: Me) => CONSOLE_NAV.filter((item) => me.grants.some((g) => item.roles.includes(g.role)));
