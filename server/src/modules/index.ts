import type { AuditSubject, FiguresContribution, ServerModule, WorkbenchContribution } from '../house/module.ts';
import { auditModule } from './audit/index.ts';
import { authModule } from './auth/index.ts';
import { figuresModule } from './figures/index.ts';
import { healthModule } from './health/index.ts';
import { newsModule } from './news/index.ts';
import { orgsModule } from './orgs/index.ts';
import { peopleModule } from './people/index.ts';
import { servicesModule } from './services/index.ts';
import { trainingModule } from './training/index.ts';

/** Every module of the server, once: app.ts registers their routes, figures composes their counters. */
export const MODULES: readonly ServerModule[] = [
  healthModule,
  authModule,
  orgsModule,
  peopleModule,
  auditModule,
  figuresModule,
  trainingModule,
  newsModule,
  servicesModule,
];

export const FIGURES: readonly FiguresContribution[] = MODULES.flatMap((m) => (m.figures ? [m.figures] : []));

export const WORKBENCH: readonly WorkbenchContribution[] = MODULES.flatMap((m) => (m.workbench ? [m.workbench] : []));

export const AUDIT_SUBJECTS: Readonly<Record<string, AuditSubject>> = Object.assign({}, ...MODULES.map((m) => m.auditSubjects ?? {})) as Record<string, AuditSubject>;
