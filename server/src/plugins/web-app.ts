import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { notFound } from '../errors.ts';

export interface WebAppOptions {
  /** The built web app (web/dist): the console at /, the member app at /app. */
  root: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built single-page apps from the API's own server, so users run one process.
 * Files are sent if they exist (pre-compressed .br/.gz beside them when the browser takes
 * them); any other path is a page of the app and gets its index.html, except under /api,
 * where an unknown path stays a 404 problem. Hashed assets are cached for good, HTML and
 * the service worker never.
 */
export default async function webApp(app: FastifyInstance, { root }: WebAppOptions) {
  const built = existsSync(path.join(root, 'index.html'));
  if (built) await app.register(fastifyStatic, { root, serve: false, preCompressed: true, index: false });

  const isFile = (relative: string) => {
    const full = path.join(root, relative);
    return full.startsWith(root + path.sep) && existsSync(full) && statSync(full).isFile();
  };

  const send = (reply: FastifyReply, file: string) => {
    const cache = file.startsWith('assets/') ? IMMUTABLE : 'no-cache';
    return reply.header('cache-control', cache).sendFile(file, { cacheControl: false });
  };

  const handler = (request: FastifyRequest, reply: FastifyReply) => {
    const urlPath = decodeURIComponent(request.url.split('?')[0] ?? '/');
    if (urlPath === '/api' || urlPath.startsWith('/api/')) throw notFound(`${request.method} ${urlPath}`);
    if (!built) {
      return reply.code(503).type('text/plain; charset=utf-8')
        .send('The web app is not built: run `npm run build -w web` (npm ci does it), or `npm run dev` for development.');
    }
    // The member app's service worker controls /app/ and below: /app itself would escape it.
    if (urlPath === '/app') return reply.redirect(`/app/${request.url.slice('/app'.length)}`, 301);
    const relative = urlPath.replace(/^\/+/, '');
    if (relative && isFile(relative)) return send(reply, relative);
    // A missing hashed asset is a real 404, not a page (an old tab asking for last release's chunk).
    if (relative.startsWith('assets/')) throw notFound(urlPath);
    const isMemberApp = urlPath.startsWith('/app/');
    return send(reply, isMemberApp ? 'app/index.html' : 'index.html');
  };

  app.get('/', { schema: { hide: true }, config: { access: 'public' } }, handler);
  app.get('/*', { schema: { hide: true }, config: { access: 'public' } }, handler);
}
