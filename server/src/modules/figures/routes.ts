import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { FiguresTrend, IdParams, standardProblems, SubtreeFigures, Workbench } from '@workers-home/contract';
import type { Services } from '../../context.ts';
import type { FiguresContribution, WorkbenchContribution } from '../../house/module.ts';
import { callerOf } from '../../plugins/access.ts';
import { figuresPolicy } from './policy.ts';
import { figuresFor, trendFor, workbenchFor } from './service.ts';

export default function figuresRoutes(app: FastifyInstance, { pool }: Services, contributions: readonly FiguresContribution[], workbench: readonly WorkbenchContribution[]) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/orgs/:id/figures', {
    schema: {
      tags: ['figures'], summary: 'Figures of an organization\'s whole subtree: members by status, gender and age band; organizations by level; training reach',
      params: IdParams, response: { 200: SubtreeFigures, ...standardProblems },
    },
    config: { access: figuresPolicy.read },
  }, (request) => figuresFor(pool, callerOf(request), request.params.id, contributions));

  r.get('/orgs/:id/figures/trend', {
    schema: {
      tags: ['figures'], summary: 'Members of an organization\'s whole subtree over the last twelve months (China time): joined, ended, active at each month\'s end',
      params: IdParams, response: { 200: FiguresTrend, ...standardProblems },
    },
    config: { access: figuresPolicy.read },
  }, (request) => trendFor(pool, callerOf(request), request.params.id));

  r.get('/workbench', {
    schema: {
      tags: ['figures'], summary: 'The caller\'s home page: the organizations at the top of their subtrees and, from every module, what waits for them',
      response: { 200: Workbench, ...standardProblems },
    },
    config: { access: figuresPolicy.read },
  }, (request) => workbenchFor(pool, callerOf(request), workbench));
}
