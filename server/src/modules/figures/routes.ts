import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, standardProblems, SubtreeFigures } from '@workers-home/contract';
import type { Services } from '../../context.ts';
import type { FiguresContribution } from '../../house/module.ts';
import { callerOf } from '../../plugins/access.ts';
import { figuresPolicy } from './policy.ts';
import { figuresFor } from './service.ts';

export default function figuresRoutes(app: FastifyInstance, { pool }: Services, contributions: readonly FiguresContribution[]) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/orgs/:id/figures', {
    schema: {
      tags: ['figures'], summary: 'Figures of an organization\'s whole subtree: members by status, gender and age band; organizations by level; training reach',
      params: IdParams, response: { 200: SubtreeFigures, ...standardProblems },
    },
    config: { access: figuresPolicy.read },
  }, (request) => figuresFor(pool, callerOf(request), request.params.id, contributions));
}
