import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../context.ts';

const Health = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'unreachable']), version: z.string() });

export default function healthRoutes(app: FastifyInstance, { pool }: Services, version: string) {
  app.withTypeProvider<ZodTypeProvider>().get('/health', {
    schema: { tags: ['health'], summary: 'Liveness and database status', response: { 200: Health, 503: Health } },
    config: { access: 'public' },
  }, async (_request, reply) => {
    const database = await pool.query('SELECT 1').then(() => 'ok' as const, () => 'unreachable' as const);
    return reply.code(database === 'ok' ? 200 : 503).send({ status: database === 'ok' ? 'ok' : 'degraded', database, version });
  });
}
