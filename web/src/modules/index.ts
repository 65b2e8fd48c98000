import type { ConsoleNavItem, MemberNavItem, WebModule } from '../shared/module.ts';
import { auditModule } from './audit/module.tsx';
import { authModule } from './auth/module.tsx';
import { figuresModule } from './figures/module.tsx';
import { orgsModule } from './orgs/module.tsx';
import { peopleModule } from './people/module.tsx';
import { trainingModule } from './training/module.tsx';
import { newsModule } from './news/module.tsx';
import { servicesModule } from './services/module.tsx';

/** Every module of the web app, once, in menu order: the console and the member app are built from it. */
export const WEB_MODULES: readonly WebModule[] = [figuresModule, orgsModule, peopleModule, trainingModule, servicesModule, newsModule, authModule, auditModule];

export const CONSOLE_NAV: readonly ConsoleNavItem[] = WEB_MODULES.flatMap((m) => m.consoleNav ?? []);
export const MEMBER_NAV: readonly MemberNavItem[] = WEB_MODULES.flatMap((m) => m.memberNav ?? []);
export const HOME_SHORTCUTS: readonly ConsoleNavItem[] = WEB_MODULES.flatMap((m) => m.homeShortcuts ?? []);
