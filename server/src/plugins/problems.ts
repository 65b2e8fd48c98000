import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { errorText, issueError, PROBLEM_TYPES, type FieldError, type Problem } from '@workers-home/contract';
import { AppError, badRequest, fieldError } from '../errors.ts';

const CONTEXT_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };
const CONTEXT_VALUES = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' } as const;

/** The value at a JSON pointer-ish path ('/membership/orgId') of what the client sent. */
function valueAt(root: unknown, path: string[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function send(reply: FastifyReply, request: FastifyRequest, problem: Omit<Problem, 'instance' | 'requestId'>) {
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({ ...problem, instance: request.url.split('?')[0], requestId: request.id });
}

/** The path of the first text in `value` holding a NUL character, e.g. `body.note`. */
function nulField(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const field = nulField(item, `${path}.${key}`);
      if (field) return field;
    }
  }
  return undefined;
}

/** Every error leaves the server as RFC 9457 problem details; nothing internal leaks. */
export default fp(function problems(app: FastifyInstance, _options: unknown, done: () => void) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      return send(reply, request, {
        type: error.type, code: error.code, ...(error.params ? { params: error.params } : {}), title: error.title, status: error.status,
        detail: error.message, ...(error.errors ? { errors: error.errors } : {}), ...error.extensions,
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const contextKey = (error.validationContext ?? 'body');
      const context = CONTEXT_NAMES[contextKey] ?? 'body';
      const sent = request[CONTEXT_VALUES[contextKey] ?? 'body'];
      const errors: FieldError[] = error.validation.map((v) => {
        const path = v.instancePath.split('/').filter(Boolean);
        const field = [context, ...path].join('.');
        const keys = (v.params as { keys?: unknown }).keys;
        if (v.keyword === 'unrecognized_keys' && Array.isArray(keys) && keys.length) {
          return fieldError(`${field}.${String(keys[0])}`, 'validation.unknown_field');
        }
        const coded = issueError({ code: v.keyword, message: v.message, details: v.params, absent: valueAt(sent, path) === undefined });
        return { field, code: coded.code, ...(coded.params ? { params: coded.params } : {}), message: errorText(coded.code, coded.params) };
      });
      const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return send(reply, request, { type: PROBLEM_TYPES.validation, code: errors[0]?.code ?? 'validation.invalid', title: 'Invalid input', status: 400, detail, errors });
    }
    const pgCode = (error as { code?: unknown }).code;
    if (typeof pgCode === 'string' && /^(23505|23503|23P01)$/.test(pgCode)) {
      // A constraint caught a race the service checks did not (two requests at once).
      return send(reply, request, { type: PROBLEM_TYPES.conflict, code: 'request.concurrent_change', title: 'Conflict', status: 409, detail: errorText('request.concurrent_change') });
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return send(reply, request, { type: PROBLEM_TYPES.payloadTooLarge, code: 'request.too_large', title: 'Payload too large', status, detail: `body: ${errorText('request.too_large')}` });
    }
    if (status === 415) {
      return send(reply, request, { type: PROBLEM_TYPES.unsupportedMediaType, code: 'request.unsupported_media_type', title: 'Unsupported media type', status, detail: `body: ${error.message}` });
    }
    if (status === 429) {
      return send(reply, request, { type: PROBLEM_TYPES.rateLimited, code: 'request.rate_limited', title: 'Too many requests', status, detail: error.message });
    }
    if (status >= 400 && status < 500) {
      // Malformed JSON, empty bodies with a JSON content type, bad content length...
      const json = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError;
      const fieldProblem = fieldError('body', json ? 'validation.json' : 'request.invalid');
      const detail = `body: ${json ? fieldProblem.message : error.message}`;
      return send(reply, request, { type: PROBLEM_TYPES.validation, code: fieldProblem.code, title: 'Invalid input', status, detail, errors: [fieldProblem] });
    }
    request.log.error({ err: error }, 'unexpected error');
    return send(reply, request, { type: PROBLEM_TYPES.internal, code: 'request.internal', params: { requestId: request.id }, title: 'Internal error', status: 500, detail: errorText('request.internal', { requestId: request.id }) });
  });

  // PostgreSQL's text cannot hold a NUL character: refuse it on its field before any route
  // runs (it used to reach the database and come back as a 500).
  app.addHook('preValidation', (request, _reply, done) => {
    for (const [context, value] of [['body', request.body], ['query', request.query], ['params', request.params]] as const) {
      const field = nulField(value, context);
      if (field) return done(badRequest(field, 'validation.nul_character'));
    }
    done();
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, request, { type: PROBLEM_TYPES.notFound, code: 'request.route_not_found', title: 'Not found', status: 404, detail: `${request.method} ${request.url.split('?')[0]} does not exist` }),
  );
  done();
});
