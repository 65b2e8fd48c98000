import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MemberExportQuery, standardProblems } from '@workers-home/contract';
import type { Services } from '../../context.ts';
import { writeContextOf } from '../../plugins/access.ts';
import { exportMembers } from './export.ts';
import { peoplePolicy } from './policy.ts';
import { chinaDate } from '../../china-time.ts';

export default function memberExportRoutes(app: FastifyInstance, services: Services) {
  app.withTypeProvider<ZodTypeProvider>().get('/members/export.xlsx', {
    schema: {
      tags: ['people'],
      summary: 'Every member matching the member list\'s filter, as an .xlsx workbook (streamed; ID numbers masked; audited)',
      querystring: MemberExportQuery,
      produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      response: { 200: z.any().describe('The .xlsx file'), ...standardProblems },
    },
    config: { access: peoplePolicy.read },
  }, async (request, reply) => {
    const stream = await exportMembers(services, writeContextOf(request), request.query);
    const day = chinaDate(new Date());
    const name = request.query.lang === 'zh-CN' ? `会员名单-${day}.xlsx` : `members-${day}.xlsx`;
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="members-${day}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('cache-control', 'no-store')
      .send(stream);
  });
}
