import { isIP } from 'node:net';
import { hash, verify } from '@node-rs/argon2';
import type { z } from 'zod';
import { conflictingRoles, errorText, PROBLEM_TYPES, ROLE_DEFINITIONS, type Account, type AccountCreate, type Grant, type GrantCreate, type Role, type RoleDefinition } from '@workers-home/contract';
import { inTransaction, paged, statementName, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { AppError, badRequest, conflict, fieldError, forbidden, notFound, tooMany } from '../../errors.ts';
import { afterwardsForgetCallers, canReach, forgetCallers, hashToken, newSessionToken, scopeOf, type Caller } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { findOrg } from '../orgs/service.ts';
import { escapeLike } from '../../db/sql.ts';
import { authPolicy, SIGN_IN } from './policy.ts';

export const hashPassword = (password: string) => hash(password);

const ACCOUNT_COLUMNS = `a.id, a.username, a.display_name AS "displayName", a.person_id AS "personId", a.status,
  to_json(a.last_login_at)#>>'{}' AS "lastLoginAt", a.home_org_id AS "homeOrgId", (SELECT name FROM orgs WHERE id = a.home_org_id) AS "homeOrgName"`;
const GRANT_COLUMNS = `g.id, g.account_id AS "accountId", a.username, a.display_name AS "displayName", g.role, g.org_id AS "orgId", o.name AS "orgName",
  to_json(g.granted_at)#>>'{}' AS "grantedAt"`;

// Verifying against a real hash when the username is unknown keeps both paths equally slow.
let dummyHash: Promise<string> | undefined;

const invalidCredentials = () =>
  new AppError(401, PROBLEM_TYPES.invalidCredentials, 'Sign-in failed', 'auth.credentials.wrong', `body.password: ${errorText('auth.credentials.wrong')}`, [
    fieldError('body.password', 'auth.credentials.wrong'),
  ]);

export interface LoginResult {
  token: string;
  me: Awaited<ReturnType<typeof me>>;
}

const tooManyFailures = () => tooMany('auth.sign_in.too_many', { minutes: SIGN_IN.WINDOW_MINUTES });

/** The address failures are counted for: IPv4 as it is, IPv6 as its /64 (one machine has a whole /64). */
const COUNTED_ADDRESS = `(CASE WHEN family($2::inet) = 6 THEN network(set_masklen($2::inet, 64)) ELSE $2::inet END)`;

/** Failed sign-ins in the window: for this username from this address, for it from anywhere, and from this address. */
async function failuresOf(db: Queryable, username: string, ip: string) {
  const row = await db.query<{ here: number; anywhere: number; address: number }>(
    `SELECT count(*) FILTER (WHERE username = $1 AND ip = ${COUNTED_ADDRESS})::int AS here,
            count(*) FILTER (WHERE username = $1)::int AS anywhere,
            (SELECT count(*)::int FROM sign_in_failures WHERE ip = ${COUNTED_ADDRESS} AND failed_at > now() - make_interval(mins => $3)) AS address
     FROM sign_in_failures WHERE username = $1 AND failed_at > now() - make_interval(mins => $3)`,
    [username, ip, SIGN_IN.WINDOW_MINUTES],
  );
  return row.rows[0]!;
}

/**
 * A failed sign-in, counted the same whether the username exists or not; the account's
 * own lock is recorded in the audit log when one address reaches the limit on it.
 */
async function recordFailure(db: Queryable, username: string, ip: string, accountId: number | null, failuresHere: number) {
  await db.query(`INSERT INTO sign_in_failures (username, ip) VALUES ($1, ${COUNTED_ADDRESS})`, [username, ip]);
  if (Math.random() < 0.01) await db.query(`DELETE FROM sign_in_failures WHERE failed_at < now() - interval '1 day'`);
  if (accountId !== null && failuresHere + 1 === SIGN_IN.LOCK_AFTER) {
    await recordAudit(db, null, { action: 'lock', entity: 'account', entityId: accountId, orgPath: null, after: { reason: 'too many wrong passwords from one address', ip, minutes: SIGN_IN.WINDOW_MINUTES } });
  }
}

/** The caller's address as PostgreSQL's inet takes it: an IPv6 zone and the IPv4-mapped prefix dropped; the socket's if it is not one. */
export function signInAddress(ip: string, socketAddress: string | undefined): string {
  const clean = (value: string | undefined) => value?.replace(/%.*$/, '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  const candidate = clean(ip);
  if (candidate && isIP(candidate)) return candidate;
  const socket = clean(socketAddress);
  return socket && isIP(socket) ? socket : '0.0.0.0';
}

/**
 * Signs in. Every refusal — unknown username, wrong password, a disabled account, an address
 * locked out of this username — is the same answer after the same work (one password hash
 * verified), so it tells nothing about which it was. One username's attempts run one at a
 * time (a transaction-scoped advisory lock), so parallel guesses cannot all pass the count.
 */
export async function login(pool: Pool, input: { username: string; password: string }, meta: { ip: string; userAgent: string | undefined; replaceToken: string | undefined; maxHours: number }): Promise<LoginResult> {
  // The growing delay is waited out before a connection is taken, so slow attempts hold none.
  const before = await failuresOf(pool, input.username, meta.ip);
  if (before.address >= SIGN_IN.ADDRESS_LIMIT) throw tooManyFailures();
  if (before.anywhere >= SIGN_IN.LOCK_AFTER) {
    const wait = Math.min(SIGN_IN.SLOW_MAX_MS, SIGN_IN.SLOW_STEP_MS * 2 ** (before.anywhere - SIGN_IN.LOCK_AFTER));
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  dummyHash ??= hash('not-a-real-password');
  const dummy = await dummyHash;
  const token = newSessionToken();
  const accountId = await inTransaction(pool, async (db) => {
    await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('workers-home:sign-in:' || $1, 0))`, [input.username]);
    const failures = await failuresOf(db, input.username, meta.ip);
    const found = await db.query<{ id: number; password_hash: string; status: string }>(
      `SELECT id, password_hash, status FROM accounts WHERE username = $1`,
      [input.username],
    );
    const account = found.rows[0];
    const passwordRight = await verify(account?.password_hash ?? dummy, input.password);
    if (!account || !passwordRight || account.status !== 'active' || failures.here >= SIGN_IN.LOCK_AFTER || failures.address >= SIGN_IN.ADDRESS_LIMIT) {
      await recordFailure(db, input.username, meta.ip, account?.id ?? null, failures.here);
      return null;
    }
    // A new session id on every sign-in; the one the browser had (if any) ends here.
    if (meta.replaceToken) await db.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(meta.replaceToken)]);
    await db.query(
      `INSERT INTO sessions (token_hash, account_id, expires_at, ip, user_agent) VALUES ($1, $2, now() + make_interval(hours => $3), $4, $5)`,
      [hashToken(token), account.id, meta.maxHours, meta.ip, meta.userAgent?.slice(0, 300) ?? null],
    );
    await db.query(`UPDATE accounts SET last_login_at = now() WHERE id = $1`, [account.id]);
    if (failures.here > 0) await db.query(`DELETE FROM sign_in_failures WHERE username = $1 AND ip = ${COUNTED_ADDRESS}`, [input.username, meta.ip]);
    return account.id;
  });
  if (accountId === null) throw invalidCredentials();
  if (meta.replaceToken) forgetCallers();
  return { token, me: await me(pool, accountId) };
}

export async function logout(pool: Pool, caller: Caller): Promise<void> {
  await pool.query('DELETE FROM sessions WHERE token_hash = $1', [caller.sessionTokenHash]);
  forgetCallers();
}

/** One account as the API answers it. */
const loadAccount = async (db: Queryable, id: number) =>
  (await db.query<z.infer<typeof Account>>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1`, [id])).rows[0]!;

const ME_ACCOUNT_SQL = `SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1`;
const ME_GRANTS_SQL = `SELECT ${GRANT_COLUMNS} FROM role_grants g JOIN accounts a ON a.id = g.account_id JOIN orgs o ON o.id = g.org_id
     WHERE g.account_id = $1 AND o.status = 'active' ORDER BY o.path, g.role`;

/** The signed-in account and its grants: asked on every page load, so two named statements (planned once). */
export async function me(db: Queryable, accountId: number) {
  const account = await db.query<z.infer<typeof Account>>({ name: statementName('me-account', ME_ACCOUNT_SQL), text: ME_ACCOUNT_SQL, values: [accountId] });
  const grants = await db.query<z.infer<typeof Grant>>({ name: statementName('me-grants', ME_GRANTS_SQL), text: ME_GRANTS_SQL, values: [accountId] });
  return { account: account.rows[0]!, grants: grants.rows };
}

export async function changePassword(pool: Pool, ctx: WriteContext, input: { currentPassword: string; newPassword: string }) {
  const row = await pool.query<{ password_hash: string }>('SELECT password_hash FROM accounts WHERE id = $1', [ctx.caller.accountId]);
  if (!(await verify(row.rows[0]!.password_hash, input.currentPassword))) throw badRequest('body.currentPassword', 'auth.password.wrong');
  const newHash = await hashPassword(input.newPassword);
  await inTransaction(pool, async (db) => {
    await db.query('UPDATE accounts SET password_hash = $2 WHERE id = $1', [ctx.caller.accountId, newHash]);
    // Other sessions of this account end; this one stays.
    await db.query('DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2', [ctx.caller.accountId, ctx.caller.sessionTokenHash]);
    await recordAudit(db, ctx, { action: 'change-password', entity: 'account', entityId: ctx.caller.accountId, orgPath: null });
  });
  forgetCallers();
}

/** Accounts the caller may manage: homed in their admin subtrees, every role held within them. */
export async function listAccounts(db: Queryable, caller: Caller, query: { q?: string | undefined; page: number; pageSize: number }) {
  const scope = scopeOf(caller, authPolicy.manage);
  const params: unknown[] = [scope];
  let filter = '';
  if (query.q) {
    params.push(`%${escapeLike(query.q)}%`);
    filter = `AND (a.username ILIKE $2 OR a.display_name ILIKE $2)`;
  }
  const visible = `${MANAGEABLE_SQL('a', '$1')}`;
  return paged<z.infer<typeof Account>>(db, { select: ACCOUNT_COLUMNS, from: `accounts a WHERE ${visible} ${filter}`, orderBy: 'a.username' }, params, query);
}

async function adminOrg(db: Queryable, caller: Caller, orgId: number, field: string) {
  const org = await findOrg(db, orgId);
  if (!org || !canReach(caller, authPolicy.manage, org.path)) throw badRequest(field, 'orgs.org.outside_subtree', { id: orgId });
  if (org.status !== 'active') throw badRequest(field, 'orgs.org.closed', { id: orgId });
  return org;
}

export async function createAccount(pool: Pool, ctx: WriteContext, input: z.infer<typeof AccountCreate>) {
  const passwordHash = await hashPassword(input.password);
  return inTransaction(pool, async (db) => {
    const org = await adminOrg(db, ctx.caller, input.grant.orgId, 'body.grant.orgId');
    // A member's account is homed in their current union, which must be the caller's to manage;
    // anyone else's in the organization of the first grant.
    let homeOrgId = org.id;
    if (input.personId !== undefined) {
      const current = await db.query<{ orgId: number; path: string }>(
        `SELECT m.org_id AS "orgId", o.path::text AS path FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.person_id = $1 AND m.status = 'active'`,
        [input.personId],
      );
      const union = current.rows[0];
      if (!union || !canReach(ctx.caller, authPolicy.manage, union.path)) throw badRequest('body.personId', 'people.person.not_found', { id: input.personId });
      homeOrgId = union.orgId;
      const taken = await db.query('SELECT 1 FROM accounts WHERE person_id = $1', [input.personId]);
      if (taken.rowCount) throw conflict('body.personId', 'auth.person.has_account');
    }
    const exists = await db.query('SELECT 1 FROM accounts WHERE username = $1', [input.username]);
    if (exists.rowCount) throw conflict('body.username', 'auth.username.taken');
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO accounts (username, display_name, password_hash, person_id, home_org_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [input.username, input.displayName, passwordHash, input.personId ?? null, homeOrgId],
    );
    const id = inserted.rows[0]!.id;
    await db.query(`INSERT INTO role_grants (account_id, role, org_id, granted_by) VALUES ($1, $2, $3, $4)`, [id, input.grant.role, org.id, ctx.caller.accountId]);
    const account = await loadAccount(db, id);
    await recordAudit(db, ctx, { action: 'create', entity: 'account', entityId: id, orgPath: org.path, personId: input.personId ?? null, after: { ...account, grant: input.grant } });
    return account;
  });
}

/**
 * A role the account holds that excludes `role` (ROLE_DEFINITIONS' `excludes`, both ways) on an
 * organization above, at or below `orgPath`: whoever approves a claim must not pay it out.
 */
export async function separationOfDutiesClash(db: Queryable, accountId: number, role: Role, orgPath: string, definitions: Record<string, RoleDefinition> = ROLE_DEFINITIONS): Promise<string | null> {
  const excluded = conflictingRoles(role, definitions);
  if (!excluded.length) return null;
  const held = await db.query<{ role: string }>(
    `SELECT g.role FROM role_grants g JOIN orgs o ON o.id = g.org_id
     WHERE g.account_id = $1 AND g.role = ANY($2::text[]) AND (o.path <@ $3::ltree OR o.path @> $3::ltree) ORDER BY g.role LIMIT 1`,
    [accountId, excluded, orgPath]);
  return held.rows[0]?.role ?? null;
}

/** Grants on organizations within the caller's admin subtrees. */
export async function listGrants(db: Queryable, caller: Caller, query: { orgId?: number | undefined; accountId?: number | undefined; page: number; pageSize: number }) {
  const params: unknown[] = [scopeOf(caller, authPolicy.manage)];
  const where = ['o.path <@ ANY($1::ltree[])'];
  if (query.orgId !== undefined) {
    params.push(query.orgId);
    where.push(`g.org_id = $${params.length}`);
  }
  if (query.accountId !== undefined) {
    params.push(query.accountId);
    where.push(`g.account_id = $${params.length}`);
  }
  const from = `role_grants g JOIN accounts a ON a.id = g.account_id JOIN orgs o ON o.id = g.org_id WHERE ${where.join(' AND ')}`;
  return paged<z.infer<typeof Grant>>(db, { select: GRANT_COLUMNS, from, orderBy: 'a.display_name, a.username, a.id, o.path, g.role' }, params, query);
}

export async function createGrant(pool: Pool, ctx: WriteContext, input: z.infer<typeof GrantCreate>) {
  return afterwardsForgetCallers(inTransaction(pool, async (db) => {
    const org = await adminOrg(db, ctx.caller, input.orgId, 'body.orgId');
    // An account homed outside the caller's subtrees is answered as one that does not exist.
    await manageableAccount(db, ctx.caller, input.accountId, 'body.accountId');
    await db.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [input.accountId]);
    const clash = await separationOfDutiesClash(db, input.accountId, input.role, org.path);
    if (clash) throw conflict('body.role', 'auth.grant.separation_of_duties', { role: clash });
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO role_grants (account_id, role, org_id, granted_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id, role, org_id) DO NOTHING RETURNING id`,
      [input.accountId, input.role, org.id, ctx.caller.accountId],
    );
    if (!inserted.rows[0]) throw conflict('body.role', 'auth.grant.exists');
    const grant = (await db.query<z.infer<typeof Grant>>(
      `SELECT ${GRANT_COLUMNS} FROM role_grants g JOIN accounts a ON a.id = g.account_id JOIN orgs o ON o.id = g.org_id WHERE g.id = $1`,
      [inserted.rows[0].id],
    )).rows[0]!;
    await recordAudit(db, ctx, { action: 'grant', entity: 'role_grant', entityId: grant.id, orgPath: org.path, after: grant });
    return grant;
  }));
}

export async function revokeGrant(pool: Pool, ctx: WriteContext, id: number) {
  return afterwardsForgetCallers(inTransaction(pool, async (db) => {
    const found = await db.query<z.infer<typeof Grant> & { path: string }>(
      `SELECT ${GRANT_COLUMNS}, o.path::text AS path FROM role_grants g JOIN accounts a ON a.id = g.account_id JOIN orgs o ON o.id = g.org_id WHERE g.id = $1 FOR UPDATE OF g`,
      [id],
    );
    const grant = found.rows[0];
    if (!grant || !canReach(ctx.caller, authPolicy.manage, grant.path)) throw notFound(`Role grant ${id}`);
    if (grant.accountId === ctx.caller.accountId) throw forbidden(errorText('auth.grant.own_role'), 'auth.grant.own_role');
    await db.query('DELETE FROM role_grants WHERE id = $1', [id]);
    const { path, ...before } = grant;
    await recordAudit(db, ctx, { action: 'revoke', entity: 'role_grant', entityId: id, orgPath: path, before });
  }));
}


/** SQL: account `a` is homed within the subtrees `$scope` (an ltree[]) and holds every role within them. */
const MANAGEABLE_SQL = (a: string, scope: string) =>
  `${a}.home_org_id IN (SELECT id FROM orgs WHERE path <@ ANY(${scope}::ltree[]))
   AND NOT EXISTS (SELECT 1 FROM role_grants mg JOIN orgs mo ON mo.id = mg.org_id WHERE mg.account_id = ${a}.id AND NOT mo.path <@ ANY(${scope}::ltree[]))`;

const accountNotFound = (id: number, field: string | null) => new AppError(404, PROBLEM_TYPES.notFound, 'Not found', 'auth.account.not_found',
  `${field ? `${field}: ` : ''}${errorText('auth.account.not_found', { id })}`, field ? [fieldError(field, 'auth.account.not_found', { id })] : undefined, { id });

/**
 * An account the caller may manage: homed in their admin subtrees and holding no role outside
 * them (a province admin who is a member of a grassroots union is not that union's to
 * disable). Locked for the write; any other account is "not found".
 */
async function manageableAccount(db: Queryable, caller: Caller, id: number, field: string | null) {
  const row = await db.query<{ id: number; path: string | null }>(
    `SELECT a.id, o.path::text AS path FROM accounts a LEFT JOIN orgs o ON o.id = a.home_org_id
     WHERE a.id = $1 AND ${MANAGEABLE_SQL('a', '$2')} FOR UPDATE OF a`,
    [id, scopeOf(caller, authPolicy.manage)],
  );
  const account = row.rows[0];
  if (!account?.path) throw accountNotFound(id, field);
  return { id: account.id, path: account.path };
}

/** Switches an account off (its sessions end at once) or on again; never one's own. */
export async function setAccountStatus(pool: Pool, ctx: WriteContext, id: number, status: 'active' | 'disabled') {
  return afterwardsForgetCallers(inTransaction(pool, async (db) => {
    const account = await manageableAccount(db, ctx.caller, id, null);
    if (id === ctx.caller.accountId) throw forbidden(errorText('auth.account.own'), 'auth.account.own');
    const before = await loadAccount(db, id);
    if (before.status === status) return before;
    await db.query('UPDATE accounts SET status = $2 WHERE id = $1', [id, status]);
    if (status === 'disabled') await db.query('DELETE FROM sessions WHERE account_id = $1', [id]);
    const after = await loadAccount(db, id);
    await recordAudit(db, ctx, { action: status === 'disabled' ? 'disable' : 'enable', entity: 'account', entityId: id, orgPath: account.path, before, after });
    return after;
  }));
}

/** An admin sets a new password for an account they manage (a member who forgot theirs); its sessions end. */
export async function resetPassword(pool: Pool, ctx: WriteContext, id: number, newPassword: string) {
  const newHash = await hashPassword(newPassword);
  return afterwardsForgetCallers(inTransaction(pool, async (db) => {
    const account = await manageableAccount(db, ctx.caller, id, null);
    if (id === ctx.caller.accountId) throw forbidden(errorText('auth.account.own_password'), 'auth.account.own_password');
    await db.query('UPDATE accounts SET password_hash = $2 WHERE id = $1', [id, newHash]);
    await db.query('DELETE FROM sessions WHERE account_id = $1', [id]);
    // The account's wrong-password count starts again: the new password is the admin's doing.
    await db.query('DELETE FROM sign_in_failures WHERE username = (SELECT username FROM accounts WHERE id = $1)', [id]);
    await recordAudit(db, ctx, { action: 'reset-password', entity: 'account', entityId: id, orgPath: account.path });
    return await loadAccount(db, id);
  }));
}

/**
 * After persons got a new active membership: their accounts' home follows it, and the member
 * grant of the union they left goes (accounts_follow_active_memberships, migration 0066).
 */
export async function accountsFollowMemberships(db: Queryable, personIds: number[]): Promise<void> {
  if (personIds.length > 0) await db.query('SELECT accounts_follow_active_memberships($1::bigint[])', [personIds]);
}
