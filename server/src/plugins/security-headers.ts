import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The security headers helmet writes, worked out once when the app starts. With no per-request
 * nonce they are the same on every answer; @fastify/helmet built helmet's middleware again
 * (parsing the content security policy) for each request, a cost every cached portal page paid.
 */
export function securityHeaders(options: HelmetOptions): ReadonlyArray<readonly [string, string]> {
  const headers = new Map<string, string>();
  const response = {
    setHeader(name: string, value: string | number) { headers.set(name.toLowerCase(), String(value)); },
    removeHeader(name: string) { headers.delete(name.toLowerCase()); },
  };
  let done = false;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error('helmet refused its options', { cause: error });
    done = true;
  });
  if (!done) throw new Error('helmet did not write its headers at once');
  return [...headers];
}

/** Sets the headers on every answer, before any route or error handler runs (as @fastify/helmet did, on the raw response). */
export default fp((app: FastifyInstance, options: HelmetOptions, done: (error?: Error) => void) => {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (_request, reply, next) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    next();
  });
  done();
}, { name: 'security-headers' });
