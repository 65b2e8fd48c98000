import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { nationalIdCheckCharacter, ROLE_PRESETS, type Role, type RolePreset } from '@workers-home/contract';
import { buildApp } from '../src/app.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { hashPassword } from '../src/modules/auth/service.ts';
import { secretsFromMasterKey, type Secrets } from '../src/plugins/secrets.ts';
import { TEMPLATE_DATABASE, withDatabase } from './global-setup.ts';

export const TEST_PASSWORD = 'correct-horse-battery';
let passwordHash: Promise<string> | undefined;

export interface TestApp {
  app: FastifyInstance;
  pool: Pool;
  secrets: Secrets;
  databaseUrl: string;
  close(): Promise<void>;
}

/** The real app on its own database, cloned from the migrated template: no test sees another file's rows. */
export async function createTestApp(): Promise<TestApp> {
  const adminUrl = inject('adminUrl');
  const name = `wh_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  await admin.end();
  const databaseUrl = withDatabase(adminUrl, name);
  const pool = createPool(databaseUrl, 5);
  const secrets = secretsFromMasterKey(Buffer.from('test-key-test-key-test-key-test-key'));
  const app = await buildApp({ pool, secrets, sessionIdleMinutes: 60, sessionMaxHours: 12, ...(process.env.TEST_LOG ? { logger: { level: 'error' } } : {}) });
  await app.ready();
  return {
    app, pool, secrets, databaseUrl,
    async close() {
      await app.close();
      await pool.end();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

let counter = 0;
/** A name no other test in this file uses. */
export const unique = (prefix: string) => `${prefix}${++counter}-${randomBytes(3).toString('hex')}`;

export interface OrgRef {
  id: number;
  path: string;
  name: string;
}

export async function makeOrg(pool: Pool, parent: OrgRef | null, level: string, name = unique(level), kind = level === 'grassroots' ? 'enterprise_union' : 'federation'): Promise<OrgRef> {
  const row = await pool.query<{ id: number; path: string }>(
    `INSERT INTO orgs (parent_id, name, level, kind, region_code) VALUES ($1, $2, $3, $4, '410122') RETURNING id, path::text`,
    [parent?.id ?? null, name, level, kind],
  );
  return { ...row.rows[0]!, name };
}

/**
 * A small federation: a root, two provinces, two counties in the first province, and
 * grassroots unions below them, so every test has an "own", "sibling" and "ancestor" subtree.
 */
export async function makeFederation(pool: Pool) {
  const root = await makeOrg(pool, null, 'national');
  const provinceA = await makeOrg(pool, root, 'provincial');
  const provinceB = await makeOrg(pool, root, 'provincial');
  const countyA1 = await makeOrg(pool, provinceA, 'county');
  const countyA2 = await makeOrg(pool, provinceA, 'county');
  const unionA1 = await makeOrg(pool, countyA1, 'grassroots');
  const unionA1b = await makeOrg(pool, countyA1, 'grassroots');
  const unionA2 = await makeOrg(pool, countyA2, 'grassroots');
  const unionB = await makeOrg(pool, provinceB, 'grassroots');
  return { root, provinceA, provinceB, countyA1, countyA2, unionA1, unionA1b, unionA2, unionB };
}

let idCounter = 0;
/** A valid national ID number, different on every call in this file (regions 410101-410199 x 499 sequence numbers). */
export function validIdNumber(birthDate = '1985-06-15', gender: 'male' | 'female' = 'male'): string {
  const n = idCounter++;
  const region = String(410101 + (n % 99));
  const sequence = (Math.floor(n / 99) % 499) * 2 + (gender === 'male' ? 1 : 0);
  const first17 = region + birthDate.replaceAll('-', '') + String(sequence).padStart(3, '0');
  return first17 + nationalIdCheckCharacter(first17);
}

let signIns = 0;

export interface Session {
  accountId: number;
  username: string;
  cookie: string;
}

/**
 * An account holding `role` on `org` (a module role, or a preset such as 'admin': every role
 * of the preset), signed in through the real login endpoint.
 */
export async function signIn(t: TestApp, role: Role | RolePreset, org: OrgRef, personId: number | null = null): Promise<Session> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const username = unique(`${role}.`).toLowerCase();
  const account = await t.pool.query<{ id: number }>(
    `INSERT INTO accounts (username, display_name, password_hash, person_id) VALUES ($1, $1, $2, $3) RETURNING id`,
    [username, await passwordHash, personId],
  );
  await grantRoles(t, account.rows[0]!.id, role, org);
  // Each sign-in from its own loopback address, so tests do not trip the per-address sign-in limit.
  const n = ++signIns;
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `127.1.${(n >> 8) & 255}.${n & 255}`, payload: { username, password: TEST_PASSWORD } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'wh_session')!;
  return { accountId: account.rows[0]!.id, username, cookie: `wh_session=${cookie.value}` };
}

/** Grants a role, or every role of a preset, on an organization. */
export async function grantRoles(t: Pick<TestApp, 'pool'>, accountId: number, role: Role | RolePreset, org: Pick<OrgRef, 'id'>) {
  const roles: readonly string[] = role in ROLE_PRESETS ? ROLE_PRESETS[role as RolePreset] : [role];
  await t.pool.query(`INSERT INTO role_grants (account_id, role, org_id) SELECT $1, unnest($2::text[]), $3`, [accountId, roles, org.id]);
}

/** A request as the given session (or anonymous). */
export function call(t: TestApp, session: Session | null, options: InjectOptions): Promise<LightMyRequestResponse> {
  return t.app.inject({ ...options, headers: { ...(options.headers ?? {}), ...(session ? { cookie: session.cookie } : {}) } });
}

export function json<T = Record<string, unknown>>(response: LightMyRequestResponse): T {
  return response.json<T>();
}

/** Asserts a problem+json answer with the status and, when given, an error on `field`. */
export function expectProblem(response: LightMyRequestResponse, status: number, field?: string): { detail: string; errors?: Array<{ field: string; message: string }>; type: string } {
  if (response.statusCode !== status) throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
  if (!String(response.headers['content-type']).startsWith('application/problem+json')) throw new Error(`not problem+json: ${String(response.headers['content-type'])}`);
  const problem = response.json<{ detail: string; errors?: Array<{ field: string; message: string }>; type: string }>();
  if (field && !problem.errors?.some((e) => e.field === field) && !problem.detail.startsWith(field)) {
    throw new Error(`expected an error on ${field}: ${response.body}`);
  }
  return problem;
}

/** Adds a person with an active membership directly in the database (through the real service in tests that test it). */
export async function makePerson(t: TestApp, union: OrgRef, fields: { name?: string; phone?: string; idNumber?: string; gender?: 'male' | 'female'; birthDate?: string } = {}) {
  const gender = fields.gender ?? 'male';
  const birthDate = fields.birthDate ?? '1985-06-15';
  const idNumber = fields.idNumber ?? validIdNumber(birthDate, gender);
  const person = await t.pool.query<{ id: number }>(
    `INSERT INTO persons (province_id, name, gender, birth_date, id_number_cipher, id_number_hash, id_number_masked, phone)
     VALUES (province_of($8::ltree), $1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [fields.name ?? unique('张'), gender, birthDate, t.secrets.encrypt(idNumber), t.secrets.lookupHash(idNumber), idNumber.slice(0, 4) + '**********' + idNumber.slice(-4), fields.phone ?? null,
      union.path],
  );
  await t.pool.query('INSERT INTO id_numbers (id_number_hash, person_id) VALUES ($1, $2)', [t.secrets.lookupHash(idNumber), person.rows[0]!.id]);
  await t.pool.query(
    `INSERT INTO memberships (person_id, org_id, org_path, province_id, joined_on) VALUES ($1, $2, $3::ltree::text, province_of($3::ltree), '2015-03-01')`,
    [person.rows[0]!.id, union.id, union.path],
  );
  return { id: person.rows[0]!.id, idNumber };
}

/** Runs the `workers-home` command line as users do, with the given environment. */
export function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    child.on('exit', (code) => resolve({ code, output }));
  });
}
