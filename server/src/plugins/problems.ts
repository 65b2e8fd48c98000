import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { PROBLEM_TYPES, type FieldError, type Problem } from '@workers-home/contract';
import { AppError, badRequest } from '../errors.ts';

const CONTEXT_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

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
      return send(reply, request, { type: error.type, title: error.title, status: error.status, detail: error.message, ...(error.errors ? { errors: error.errors } : {}) });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = CONTEXT_NAMES[error.validationContext ?? 'body'] ?? 'body';
      const errors: FieldError[] = error.validation.map((v) => {
        const field = [context, ...v.instancePath.split('/').filter(Boolean)].join('.');
        const keys = (v.params as { keys?: unknown }).keys;
        if (v.keyword === 'unrecognized_keys' && Array.isArray(keys) && keys.length) {
          return { field: `${field}.${String(keys[0])}`, message: 'is not a known field' };
        }
        return { field, message: v.message ?? "is invalid" };
      });
      const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return send(reply, request, { type: PROBLEM_TYPES.validation, title: 'Invalid input', status: 400, detail, errors });
    }
    const pgCode = (error as { code?: unknown }).code;
    if (typeof pgCode === 'string' && /^(23505|23503|23P01)$/.test(pgCode)) {
      // A constraint caught a race the service checks did not (two requests at once).
      return send(reply, request, { type: PROBLEM_TYPES.conflict, title: 'Conflict', status: 409, detail: 'The change conflicts with data written at the same time; reload and try again' });
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return send(reply, request, { type: PROBLEM_TYPES.payloadTooLarge, title: 'Payload too large', status, detail: 'body: the request body is too large' });
    }
    if (status === 415) {
      return send(reply, request, { type: PROBLEM_TYPES.unsupportedMediaType, title: 'Unsupported media type', status, detail: `body: ${error.message}` });
    }
    if (status === 429) {
      return send(reply, request, { type: PROBLEM_TYPES.rateLimited, title: 'Too many requests', status, detail: error.message });
    }
    if (status >= 400 && status < 500) {
      // Malformed JSON, empty bodies with a JSON content type, bad content length...
      const detail = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'body: is not valid JSON' : `body: ${error.message}`;
      return send(reply, request, { type: PROBLEM_TYPES.validation, title: 'Invalid input', status, detail, errors: [{ field: 'body', message: detail.slice(6) }] });
    }
    request.log.error({ err: error }, 'unexpected error');
    return send(reply, request, { type: PROBLEM_TYPES.internal, title: 'Internal error', status: 500, detail: `Something went wrong; quote request id ${request.id} to the administrator` });
  });

  // PostgreSQL's text cannot hold a NUL character: refuse it on its field before any route
  // runs (it used to reach the database and come back as a 500).
  app.addHook('preValidation', (request, _reply, done) => {
    for (const [context, value] of [['body', request.body], ['query', request.query], ['params', request.params]] as const) {
      const field = nulField(value, context);
      if (field) return done(badRequest(field, 'must not contain the NUL character (U+0000)'));
    }
    done();
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, request, { type: PROBLEM_TYPES.notFound, title: 'Not found', status: 404, detail: `${request.method} ${request.url.split('?')[0]} does not exist` }),
  );
  done();
});
