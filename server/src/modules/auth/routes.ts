import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Account, AccountCreate, AccountListQuery, Grant, GrantCreate, GrantListQuery, IdParams, LoginInput, Me, pageOf,
  PasswordChange, PasswordReset, ProblemSchema, standardProblems,
} from '@workers-home/contract';
import type { Services } from '../../context.ts';
import { callerOf, SESSION_COOKIE, writeContextOf as ctx } from '../../plugins/access.ts';
import { authPolicy } from './policy.ts';
import * as auth from './service.ts';

const tags = ['auth'];

export interface SessionSettings {
  maxHours: number;
}

export default function authRoutes(app: FastifyInstance, { pool }: Services, settings: SessionSettings) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/auth/login', {
    schema: { tags, summary: 'Sign in; sets an HttpOnly session cookie', body: LoginInput, response: { 200: Me, 400: ProblemSchema, 401: ProblemSchema, 429: ProblemSchema } },
    // Wrong passwords are throttled per username and address by the service (policy.ts); this
    // only caps the hashing work one address can ask for (200 trainees at one venue fit well within it).
    config: { access: 'public', rateLimit: { max: 600, timeWindow: '1 minute' } },
  }, async (request, reply) => {
    const { token, me } = await auth.login(pool, request.body, {
      ip: auth.signInAddress(request.ip, request.socket.remoteAddress), userAgent: request.headers['user-agent'], replaceToken: request.cookies[SESSION_COOKIE], maxHours: settings.maxHours,
    });
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true, sameSite: 'lax', path: '/', secure: request.protocol === 'https', maxAge: settings.maxHours * 3600,
    });
    return me;
  });

  r.post('/auth/logout', {
    schema: { tags, summary: 'Sign out: ends the session', response: { 204: z.null(), 401: ProblemSchema } },
    config: { access: 'signed-in' },
  }, async (request, reply) => {
    await auth.logout(pool, callerOf(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  r.get('/auth/me', {
    schema: { tags, summary: 'The signed-in account and its role grants', response: { 200: Me, 401: ProblemSchema } },
    config: { access: 'signed-in' },
  }, (request) => auth.me(pool, callerOf(request).accountId));

  r.post('/auth/password', {
    schema: { tags, summary: 'Change one\'s own password; other sessions end', body: PasswordChange, response: { 204: z.null(), 400: ProblemSchema, 401: ProblemSchema } },
    config: { access: 'signed-in' },
  }, async (request, reply) => {
    await auth.changePassword(pool, ctx(request), request.body);
    return reply.code(204).send(null);
  });

  r.get('/accounts', {
    schema: { tags, summary: 'Accounts homed in the caller\'s subtrees', querystring: AccountListQuery, response: { 200: pageOf(Account), ...standardProblems } },
    config: { access: authPolicy.manage },
  }, (request) => auth.listAccounts(pool, callerOf(request), request.query));

  r.post('/accounts', {
    schema: { tags, summary: 'Create an account with a first role grant', body: AccountCreate, response: { 201: Account, ...standardProblems, 409: ProblemSchema } },
    config: { access: authPolicy.manage },
  }, async (request, reply) => reply.code(201).send(await auth.createAccount(pool, ctx(request), request.body)));

  r.post('/accounts/:id/disable', {
    schema: { tags, summary: 'Switch an account off: its sessions end at once and it cannot sign in', params: IdParams, response: { 200: Account, ...standardProblems } },
    config: { access: authPolicy.manage },
  }, (request) => auth.setAccountStatus(pool, ctx(request), request.params.id, 'disabled'));

  r.post('/accounts/:id/enable', {
    schema: { tags, summary: 'Switch a disabled account on again', params: IdParams, response: { 200: Account, ...standardProblems } },
    config: { access: authPolicy.manage },
  }, (request) => auth.setAccountStatus(pool, ctx(request), request.params.id, 'active'));

  r.post('/accounts/:id/password', {
    schema: { tags, summary: 'Set a new password for an account of your subtree (it is signed out everywhere)', params: IdParams, body: PasswordReset, response: { 200: Account, ...standardProblems } },
    config: { access: authPolicy.manage },
  }, (request) => auth.resetPassword(pool, ctx(request), request.params.id, request.body.newPassword));

  r.get('/grants', {
    schema: { tags, summary: 'Role grants on organizations in the caller\'s subtrees', querystring: GrantListQuery, response: { 200: pageOf(Grant), ...standardProblems } },
    config: { access: authPolicy.manage },
  }, (request) => auth.listGrants(pool, callerOf(request), request.query));

  r.post('/grants', {
    schema: { tags, summary: 'Grant a role on an organization (reaches its whole subtree)', body: GrantCreate, response: { 201: Grant, ...standardProblems, 409: ProblemSchema } },
    config: { access: authPolicy.manage },
  }, async (request, reply) => reply.code(201).send(await auth.createGrant(pool, ctx(request), request.body)));

  r.delete('/grants/:id', {
    schema: { tags, summary: 'Revoke a role grant', params: IdParams, response: { 204: z.null(), ...standardProblems } },
    config: { access: authPolicy.manage },
  }, async (request, reply) => {
    await auth.revokeGrant(pool, ctx(request), request.params.id);
    return reply.code(204).send(null);
  });
}
