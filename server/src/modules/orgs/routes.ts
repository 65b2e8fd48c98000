import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, Org, OrgChildrenQuery, OrgClose, OrgCreate, OrgDetail, OrgMove, OrgSearchQuery, OrgUpdate, pageOf, standardProblems, ProblemSchema } from '@workers-home/contract';
import type { Services } from '../../context.ts';
import { callerOf, writeContextOf as ctx } from '../../plugins/access.ts';
import { orgPolicy } from './policy.ts';
import * as orgs from './service.ts';

const tags = ['orgs'];
const writeProblems = { ...standardProblems, 409: ProblemSchema };

export default function orgRoutes(app: FastifyInstance, { pool }: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/orgs/roots', {
    schema: { tags, summary: 'The organizations on which the caller holds a role: the tops of what they may see', response: { 200: z.array(Org), ...standardProblems } },
    config: { access: orgPolicy.read },
  }, (request) => orgs.listRoots(pool, callerOf(request)));

  r.get('/orgs', {
    schema: { tags, summary: 'Search organizations by name within a subtree', querystring: OrgSearchQuery, response: { 200: pageOf(Org), ...standardProblems } },
    config: { access: orgPolicy.read },
  }, (request) => orgs.searchOrgs(pool, callerOf(request), request.query));

  r.get('/orgs/:id', {
    schema: { tags, summary: 'An organization with counts for its subtree', params: IdParams, response: { 200: OrgDetail, ...standardProblems } },
    config: { access: orgPolicy.read },
  }, (request) => orgs.getOrgDetail(pool, callerOf(request), request.params.id));

  r.get('/orgs/:id/children', {
    schema: { tags, summary: 'Direct children of an organization', params: IdParams, querystring: OrgChildrenQuery, response: { 200: pageOf(Org), ...standardProblems } },
    config: { access: orgPolicy.read },
  }, (request) => orgs.listChildren(pool, callerOf(request), request.params.id, request.query));

  r.get('/orgs/:id/ancestors', {
    schema: { tags, summary: 'Breadcrumbs: ancestors within the caller\'s subtrees, top first, ending with the organization', params: IdParams, response: { 200: z.array(Org), ...standardProblems } },
    config: { access: orgPolicy.read },
  }, (request) => orgs.listAncestors(pool, callerOf(request), request.params.id));

  r.post('/orgs', {
    schema: { tags, summary: 'Create an organization under a parent', body: OrgCreate, response: { 201: Org, ...writeProblems } },
    config: { access: orgPolicy.write },
  }, async (request, reply) => reply.code(201).send(await orgs.createOrg(pool, ctx(request), request.body)));

  r.patch('/orgs/:id', {
    schema: { tags, summary: 'Rename or edit an organization', params: IdParams, body: OrgUpdate, response: { 200: Org, ...writeProblems } },
    config: { access: orgPolicy.write },
  }, (request) => orgs.updateOrg(pool, ctx(request), request.params.id, request.body));

  r.post('/orgs/:id/move', {
    schema: { tags, summary: 'Move an organization and its whole subtree under a new parent', params: IdParams, body: OrgMove, response: { 200: Org, ...writeProblems } },
    config: { access: orgPolicy.write },
  }, (request) => orgs.moveOrg(pool, ctx(request), request.params.id, request.body));

  r.post('/orgs/:id/close', {
    schema: { tags, summary: 'Close an organization that has no active children or members', params: IdParams, body: OrgClose, response: { 200: Org, ...writeProblems } },
    config: { access: orgPolicy.write },
  }, (request) => orgs.closeOrg(pool, ctx(request), request.params.id, request.body));
}
