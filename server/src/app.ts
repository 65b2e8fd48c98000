import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROBLEM_TYPES } from '@workers-home/contract';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Services } from './context.ts';
import { LocalFileStore, type FileStore } from './files/file-store.ts';
import { Jobs, type JobsOptions } from './jobs/jobs.ts';
import access from './plugins/access.ts';
import problems from './plugins/problems.ts';
import securityHeaders from './plugins/security-headers.ts';
import { fieldError } from './errors.ts';
import { AUDIT_SUBJECTS, FIGURES, MODULES, WORKBENCH } from './modules/index.ts';
import type { House, HouseSettings } from './house/module.ts';
import webApp from './plugins/web-app.ts';

export const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface AppOptions extends Services {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  trustProxy?: boolean;
  logger?: FastifyServerOptions['logger'];
  /** The built web app to serve at / and /app (web/dist); none in API-only tests. */
  webRoot?: string;
  /** Upload limit and folder of member imports. */
  imports?: HouseSettings['imports'];
  /** Where uploaded files are kept (default: a folder in the system's temporary folder, for tests). */
  files?: FileStore;
  /** Heartbeat and staleness of the background job workers (server/src/jobs). */
  jobs?: Omit<JobsOptions, 'log'>;
}

// A full national ID number in a URL (a member search) never reaches the logs.
const ID_NUMBER_IN_TEXT = /\d{17}[\dXx]/g;
export const redactIdNumbers = (text: string) => text.replace(ID_NUMBER_IN_TEXT, (id) => id.slice(0, 4) + '**********' + id.slice(-4));

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
}

/** Request log lines carry the URL with any national ID number in it masked. */
function withRedactedRequests(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const base = typeof logger === 'object' ? logger : {};
  return {
    ...base,
    serializers: {
      ...(base.serializers ?? {}),
      req: (req: LoggedRequest) => ({ method: req.method, url: redactIdNumbers(req.url), host: req.host, remoteAddress: req.ip }),
    },
  };
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: withRedactedRequests(options.logger ?? false),
    // Behind one reverse proxy: the client is the address that proxy saw (the last entry of
    // X-Forwarded-For), never one a client wrote into the header itself.
    trustProxy: options.trustProxy ? (_address: string, hop: number) => hop === 0 : false,
    bodyLimit: 1024 * 1024,
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 200 },
    // A URL the router cannot decode (/api/orgs/%) or a malformed content type is a 400 in
    // the same problem+json as every other, not Fastify's own body.
    frameworkErrors: (error, request, reply) => {
      const field = error.code === 'FST_ERR_BAD_URL' ? 'path' : 'headers.content-type';
      const fieldProblem = fieldError(field, error.code === 'FST_ERR_BAD_URL' ? 'request.bad_url' : 'request.bad_content_type');
      const detail = `${field}: ${error.code === 'FST_ERR_BAD_URL' ? fieldProblem.message : error.message}`;
      void (reply as FastifyReply).code(400).type('application/problem+json').send({
        type: PROBLEM_TYPES.validation, code: fieldProblem.code, title: 'Invalid input', status: 400, detail, errors: [fieldProblem],
        instance: request.url.split('?')[0], requestId: request.id,
      });
    },
  });
  // The API speaks JSON only: a text/plain body (what a cross-site form can send) is 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(problems);
  await app.register(securityHeaders, {
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:', 'blob:'], 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"],
        // Training materials and live streams play inside the member app's page that counts the time
        // (a video file, a PDF, an external player): organizers give their https addresses.
        'media-src': ["'self'", 'https:'], 'frame-src': ["'self'", 'https:'],
      },
    },
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(access, { pool: options.pool, sessionIdleMinutes: options.sessionIdleMinutes });
  await app.register(swagger, {
    openapi: {
      info: { title: "Workers' Home API", version: VERSION, description: 'The API of Workers\' Home (职工之家). Errors are application/problem+json (RFC 9457).' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'wh_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const services: Services = { pool: options.pool, secrets: options.secrets };
  // Background jobs: modules register their kinds with their routes; the workers start with the
  // app and drain when it closes (after its routes, so nothing new is enqueued meanwhile).
  const jobs = new Jobs(options.pool, { ...options.jobs, log: (error, message) => app.log.error({ err: error }, message) });
  app.addHook('onReady', () => jobs.start());
  app.addHook('onClose', () => jobs.stop());
  const house: House = {
    services, version: VERSION, figures: FIGURES, workbench: WORKBENCH, auditSubjects: AUDIT_SUBJECTS, jobs,
    files: options.files ?? new LocalFileStore(path.join(tmpdir(), 'workers-home-files')),
    settings: { sessionMaxHours: options.sessionMaxHours, ...(options.imports ? { imports: options.imports } : {}) },
  };
  await app.register(async (api) => {
    // Each module in a scope of its own: what it registers (multipart, hooks) stays its own.
    for (const module of MODULES) await api.register(async (scope) => { await module.routes(scope, house); });
    api.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, () => app.swagger());
  }, { prefix: '/api' });
  for (const module of MODULES) {
    if (module.pages) await app.register(async (scope) => { await module.pages!(scope, house); });
  }
  if (options.webRoot) await app.register(webApp, { root: options.webRoot });
  return app;
}
