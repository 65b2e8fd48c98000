import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CadrePosition, CadrePositionCreate, CadrePositionEnd, Id, IdParams, JoinInput, LeaveInput, MemberListQuery, MemberRow,
  pageOf, Pagination, PersonCreate, PersonDetail, PersonUpdate, ProblemSchema, standardProblems, TransferDecision, TransferDecline, TransferInput,
  TransferRequest, TransferRequestCreate, TransferRequestListQuery,
  BulkLeaveInput, BulkProblem, BulkResult, BulkTransferInput,
} from '@workers-home/contract';
import type { Services } from '../../context.ts';
import { callerOf, writeContextOf as ctx } from '../../plugins/access.ts';
import { notFound } from '../../errors.ts';
import { peoplePolicy } from './policy.ts';
import * as people from './service.ts';
import * as transfers from './transfer-requests.ts';

const tags = ['people'];
const writeProblems = { ...standardProblems, 409: ProblemSchema };
const bulkProblems = { ...standardProblems, 400: BulkProblem, 403: BulkProblem, 409: BulkProblem };

export default function peopleRoutes(app: FastifyInstance, services: Services) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { pool } = services;

  r.get('/members', {
    schema: {
      tags, summary: 'Member list: memberships in the caller\'s subtrees, searchable by name, phone prefix or full ID number',
      querystring: MemberListQuery, response: { 200: pageOf(MemberRow), ...standardProblems },
    },
    config: { access: peoplePolicy.read },
  }, (request) => people.listMembers(services, callerOf(request), request.query));

  r.post('/persons', {
    schema: { tags, summary: 'Add a person to the roster with a membership (a person with no current membership anywhere joins; one held by another union is a 409: ask for a transfer)', body: PersonCreate, response: { 201: PersonDetail, ...writeProblems, 429: ProblemSchema } },
    config: { access: peoplePolicy.write },
  }, async (request, reply) => reply.code(201).send(await people.createPerson(services, ctx(request), request.body)));

  r.get('/persons/:id', {
    schema: { tags, summary: 'A person with their membership history and cadre positions (ID number masked)', params: IdParams, response: { 200: PersonDetail, ...standardProblems } },
    config: { access: peoplePolicy.read },
  }, (request) => people.getPerson(pool, callerOf(request), request.params.id));

  r.patch('/persons/:id', {
    schema: { tags, summary: 'Edit a person\'s roster fields', params: IdParams, body: PersonUpdate, response: { 200: PersonDetail, ...writeProblems, 429: ProblemSchema } },
    config: { access: peoplePolicy.write },
  }, (request) => people.updatePerson(services, ctx(request), request.params.id, request.body));

  r.post('/persons/:id/reveal-id-number', {
    schema: { tags, summary: 'The full national ID number (admins only; each reveal is audited)', params: IdParams, response: { 200: z.object({ idNumber: z.string() }), ...standardProblems } },
    config: { access: peoplePolicy.revealIdNumber },
  }, (request) => people.revealIdNumber(services, ctx(request), request.params.id));

  r.post('/persons/bulk-transfer', {
    schema: { tags, summary: 'Transfer several members to one grassroots union: all or none (each audited as a single transfer)', body: BulkTransferInput, response: { 200: BulkResult, ...bulkProblems } },
    config: { access: peoplePolicy.write },
  }, (request) => people.bulkTransfer(pool, ctx(request), request.body));

  r.post('/persons/bulk-leave', {
    schema: { tags, summary: 'Record that several members left: all or none (each audited)', body: BulkLeaveInput, response: { 200: BulkResult, ...bulkProblems } },
    config: { access: peoplePolicy.write },
  }, (request) => people.bulkLeave(pool, ctx(request), request.body));

  r.post('/persons/:id/transfer', {
    schema: { tags, summary: 'Transfer a member to another grassroots union (history kept)', params: IdParams, body: TransferInput, response: { 200: PersonDetail, ...writeProblems } },
    config: { access: peoplePolicy.write },
  }, (request) => people.transferMember(pool, ctx(request), request.params.id, request.body));

  r.post('/persons/:id/leave', {
    schema: { tags, summary: 'Record that a member left the union', params: IdParams, body: LeaveInput, response: { 200: PersonDetail, ...writeProblems } },
    config: { access: peoplePolicy.write },
  }, (request) => people.leaveUnion(pool, ctx(request), request.params.id, request.body));

  r.post('/persons/:id/join', {
    schema: { tags, summary: 'Give a person without a current membership a new one', params: IdParams, body: JoinInput, response: { 200: PersonDetail, ...writeProblems } },
    config: { access: peoplePolicy.write },
  }, (request) => people.joinUnion(pool, ctx(request), request.params.id, request.body));

  // 会员关系转接: asking for a member of a union outside one's subtree.
  r.post('/transfer-requests', {
    schema: { tags, summary: 'Ask for a person whose membership is active in a union outside your subtree (by ID number), into one of your unions', body: TransferRequestCreate, response: { 201: TransferRequest, ...writeProblems, 429: ProblemSchema } },
    config: { access: peoplePolicy.write },
  }, async (request, reply) => reply.code(201).send(await transfers.createTransferRequest(services, ctx(request), request.body)));

  r.get('/transfer-requests', {
    schema: { tags, summary: 'Transfer requests: incoming (a union of yours holds the person) or outgoing (a union of yours asked)', querystring: TransferRequestListQuery, response: { 200: pageOf(TransferRequest), ...standardProblems } },
    config: { access: peoplePolicy.write },
  }, (request) => transfers.listTransferRequests(pool, callerOf(request), request.query));

  r.get('/transfer-requests/:id', {
    schema: { tags, summary: 'One transfer request', params: IdParams, response: { 200: TransferRequest, ...standardProblems } },
    config: { access: peoplePolicy.write },
  }, (request) => transfers.getTransferRequest(pool, callerOf(request), request.params.id));

  r.post('/transfer-requests/:id/approve', {
    schema: { tags, summary: 'Approve: the membership moves to the asking union (admins of the union that holds the person, or above)', params: IdParams, body: TransferDecision, response: { 200: TransferRequest, ...writeProblems } },
    config: { access: peoplePolicy.write },
  }, (request) => transfers.approveTransferRequest(pool, ctx(request), request.params.id, request.body.reason));

  r.post('/transfer-requests/:id/decline', {
    schema: { tags, summary: 'Decline, with a reason', params: IdParams, body: TransferDecline, response: { 200: TransferRequest, ...writeProblems } },
    config: { access: peoplePolicy.write },
  }, (request) => transfers.declineTransferRequest(pool, ctx(request), request.params.id, request.body.reason));

  r.post('/transfer-requests/:id/cancel', {
    schema: { tags, summary: 'Withdraw a request while it waits (the asking side)', params: IdParams, response: { 200: TransferRequest, ...writeProblems } },
    config: { access: peoplePolicy.write },
  }, (request) => transfers.cancelTransferRequest(pool, ctx(request), request.params.id));

  r.get('/cadre-positions', {
    schema: {
      tags, summary: 'Cadre positions in one organization',
      querystring: Pagination.extend({ orgId: Id, current: z.stringbool().default(true) }).strict(),
      response: { 200: pageOf(CadrePosition), ...standardProblems },
    },
    config: { access: peoplePolicy.read },
  }, (request) => people.listCadrePositions(pool, callerOf(request), request.query));

  r.post('/cadre-positions', {
    schema: { tags, summary: 'Appoint a person to a cadre position', body: CadrePositionCreate, response: { 201: CadrePosition, ...writeProblems } },
    config: { access: peoplePolicy.write },
  }, async (request, reply) => reply.code(201).send(await people.createCadrePosition(pool, ctx(request), request.body)));

  r.post('/cadre-positions/:id/end', {
    schema: { tags, summary: 'End a cadre position', params: IdParams, body: CadrePositionEnd, response: { 200: CadrePosition, ...writeProblems } },
    config: { access: peoplePolicy.write },
  }, (request) => people.endCadrePosition(pool, ctx(request), request.params.id, request.body.until));

  r.get('/me/person', {
    schema: { tags, summary: 'The signed-in member\'s own record and membership history', response: { 200: PersonDetail, ...standardProblems } },
    config: { access: 'signed-in' },
  }, async (request) => {
    const { personId } = callerOf(request);
    if (personId === null) throw notFound('A member record for this account');
    return people.personDetail(pool, personId);
  });
}
