import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '@workers-home/contract';
import { forbidden, unauthenticated } from '../errors.ts';
import type { Pool } from '../db/pool.ts';

/**
 * What a route requires, declared on the route as `config.access`:
 * - 'public': anyone, signed in or not;
 * - 'signed-in': any account (its own data only, e.g. /api/auth/me);
 * - a list of roles: the caller must hold one of them on some organization, and the
 *   service then limits every row to the subtrees where the caller holds it.
 * A route without a declaration is refused at start-up (see the onRoute hook).
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

export interface CallerGrant {
  role: Role;
  orgId: number;
  orgPath: string;
}

export interface Caller {
  accountId: number;
  username: string;
  personId: number | null;
  grants: CallerGrant[];
  sessionTokenHash: Buffer;
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Every registered route with its declared access, for the access tests. */
    routeTable: RouteEntry[];
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
}

export const SESSION_COOKIE = 'wh_session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Defense against cross-site request forgery, beside the SameSite=Lax cookie: a write whose
 * browser says it comes from another site (Sec-Fetch-Site, or an Origin naming another
 * host) is refused before anything runs. Clients that send neither header (curl, scripts)
 * are not browsers riding a user's cookie.
 */
function assertSameOrigin(request: FastifyRequest) {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') throw forbidden('headers.origin: requests from other sites may not change anything', 'request.other_site');
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let sameHost = false;
  try {
    // Through URL both sides drop a default port the same way (localhost:80 -> localhost).
    sameHost = new URL(origin).host === new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    sameHost = false;
  }
  if (!sameHost) throw forbidden('headers.origin: requests from other sites may not change anything', 'request.other_site');
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest();
export const newSessionToken = () => randomBytes(32).toString('base64url');

/** True when `path` is `root` or lies below it (ltree paths as text: 1.4.27). */
export function isWithin(path: string, root: string): boolean {
  return path === root || path.startsWith(root + '.');
}

/** The subtrees (as ltree paths) on which the caller holds any of `roles`, with nested ones removed. */
export function scopeOf(caller: Caller, roles: readonly Role[]): string[] {
  const paths = caller.grants.filter((g) => roles.includes(g.role)).map((g) => g.orgPath);
  return [...new Set(paths)].filter((p) => !paths.some((other) => other !== p && isWithin(p, other)));
}

export function canReach(caller: Caller, roles: readonly Role[], orgPath: string): boolean {
  return scopeOf(caller, roles).some((root) => isWithin(orgPath, root));
}

/** The caller, who must be signed in (routes declared with roles or 'signed-in' always have one). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw unauthenticated();
  return request.caller;
}

/** The person on the roster of the caller's account (a member's own data); an account without one is refused. */
export function personOf(caller: Caller): number {
  if (caller.personId === null) throw forbidden('this account is not linked to a person on the roster; ask your union to link it');
  return caller.personId;
}

export interface AccessOptions {
  pool: Pool;
  sessionIdleMinutes: number;
  /** How long a looked-up caller is reused (default 2000 ms; 0: look up on every request). */
  callerCacheMs?: number;
}

/**
 * Callers by session token hash, reused for a moment so a page's burst of requests (and
 * a busy list under load) costs one session lookup instead of one each. Every change to
 * sessions, accounts, grants or organizations made by this process forgets them all at
 * once (forgetCallers); a change made by another server process is seen within the TTL.
 */
const callerCaches = new Set<Map<string, { caller: Caller; until: number }>>();
const MAX_CACHED_CALLERS = 10_000;

/** Forgets every cached caller: after a sign-out, a password change, a grant or revoke, an org moved or closed. */
export function forgetCallers(): void {
  for (const cache of callerCaches) cache.clear();
}

/** Forgets every cached caller once `work` (a committed transaction) is done. */
export async function afterwardsForgetCallers<T>(work: Promise<T>): Promise<T> {
  const result = await work;
  forgetCallers();
  return result;
}

export default fp(function access(app: FastifyInstance, options: AccessOptions, done: () => void) {
  const { pool, sessionIdleMinutes } = options;
  const cacheMs = options.callerCacheMs ?? 2000;
  const cache = new Map<string, { caller: Caller; until: number }>();
  callerCaches.add(cache);
  app.addHook('onClose', (_instance, closed) => {
    callerCaches.delete(cache);
    closed();
  });
  const callerOfToken = async (token: string): Promise<Caller | null> => {
    const tokenHash = hashToken(token);
    const key = tokenHash.toString('base64');
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.caller;
    const caller = await loadCaller(pool, tokenHash, sessionIdleMinutes);
    if (!caller || cacheMs <= 0) {
      cache.delete(key);
      return caller;
    }
    if (cache.size >= MAX_CACHED_CALLERS) cache.clear();
    cache.set(key, { caller, until: now + cacheMs });
    return caller;
  };
  app.decorateRequest('caller', null);

  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    // The interactive API docs (routes of @fastify/swagger-ui) are public by design.
    if (route.config?.access === undefined && route.url.startsWith('/api/docs')) route.config = { ...route.config, access: 'public' };
    const declared = route.config?.access;
    if (declared === undefined) {
      throw new Error(`Route ${route.method.toString()} ${route.url} declares no access policy (config.access)`);
    }
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url, access: declared });
    // The OpenAPI document says who may call each route, from the same declaration.
    if (route.schema && !route.schema.hide) {
      const who = declared === 'public' ? 'Anyone, signed in or not.' : declared === 'signed-in' ? 'Any signed-in account (its own data).'
        : `Roles: ${declared.join(', ')} — held on the object's organization or one above it.`;
      route.schema = { ...route.schema, description: [route.schema.description, who].filter(Boolean).join('\n\n') };
    }
  });

  // Checked before the body is even parsed: an anonymous caller learns nothing about a route's schema.
  app.addHook('onRequest', async (request) => {
    if (!SAFE_METHODS.has(request.method)) assertSameOrigin(request);
    const token = request.cookies[SESSION_COOKIE];
    if (token && token.length <= 100) request.caller = await callerOfToken(token);
    const access = request.routeOptions.config?.access;
    if (access === 'public' || access === undefined) return;
    if (!request.caller) throw unauthenticated();
    if (access === 'signed-in') return;
    if (!request.caller.grants.some((g) => access.includes(g.role))) {
      throw forbidden(`This needs one of the roles: ${access.join(', ')}`, 'request.roles_needed', { roles: access.join(', ') });
    }
  });
  done();
});

/**
 * The caller of a session, with its grants, in one prepared query: this runs on every
 * signed-in request. The session's last-seen time (the sliding idle timeout) is written at
 * most once a minute, by a second statement only then.
 */
async function loadCaller(pool: Pool, tokenHash: Buffer, idleMinutes: number): Promise<Caller | null> {
  const result = await pool.query<{ account_id: number; username: string; person_id: number | null; stale: boolean; grants: CallerGrant[] }>({
    name: 'load-caller',
    text: `SELECT a.id AS account_id, a.username, a.person_id, s.last_seen_at < now() - interval '1 minute' AS stale,
              coalesce((SELECT json_agg(json_build_object('role', g.role, 'orgId', g.org_id, 'orgPath', o.path::text))
                        FROM role_grants g JOIN orgs o ON o.id = g.org_id
                        WHERE g.account_id = a.id AND o.status = 'active'), '[]') AS grants
           FROM sessions s JOIN accounts a ON a.id = s.account_id
           WHERE s.token_hash = $1 AND a.status = 'active'
             AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => $2)`,
    values: [tokenHash, idleMinutes],
  });
  const row = result.rows[0];
  if (!row) return null;
  if (row.stale) await pool.query({ name: 'touch-session', text: 'UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', values: [tokenHash] });
  // Shared by the requests that reuse it: nobody may change it.
  return Object.freeze({
    accountId: row.account_id, username: row.username, personId: row.person_id,
    grants: Object.freeze(row.grants.map((g) => Object.freeze(g))) as CallerGrant[], sessionTokenHash: tokenHash,
  });
}

/** The caller and request id of a write, for the service and the audit log. */
export function writeContextOf(request: FastifyRequest): { caller: Caller; requestId: string } {
  return { caller: callerOf(request), requestId: request.id };
}
