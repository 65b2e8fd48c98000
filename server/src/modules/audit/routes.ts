import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AuditEntry, AuditQuery, pageOf, standardProblems } from '@workers-home/contract';
import type { Services } from '../../context.ts';
import type { AuditSubject } from '../../house/module.ts';
import { callerOf } from '../../plugins/access.ts';
import { auditPolicy } from './policy.ts';
import { listAudit } from './service.ts';

export default function auditRoutes(app: FastifyInstance, services: Services, subjects: Readonly<Record<string, AuditSubject>>) {
  app.withTypeProvider<ZodTypeProvider>().get('/audit', {
    schema: { tags: ['audit'], summary: 'Audit log of the caller\'s subtrees, newest first', querystring: AuditQuery, response: { 200: pageOf(AuditEntry), ...standardProblems } },
    config: { access: auditPolicy.read },
  }, (request) => listAudit(services.pool, callerOf(request), request.query, subjects));
}
