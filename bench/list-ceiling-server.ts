import fastJson from 'fast-json-stringify';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { MemberRow, pageOf } from '@workers-home/contract';
import { buildApp } from '../server/src/app.ts';
import { createPool } from '../server/src/db/pool.ts';
import { subtreeMemberTotalSql } from '../server/src/modules/people/figures.ts';
import { peoplePolicy } from '../server/src/modules/people/policy.ts';
import { callerOf, canReach } from '../server/src/plugins/access.ts';
import { benchSecrets } from './database.ts';

/**
 * The real API (`list-ceiling.ts` measures it) plus routes that are not Workers' Home: the
 * member list page served from `bench_wide` (the list's person and union columns copied onto
 * each membership under one covering index), with zod's serializer, a compiled one, or none,
 * and the parts of a page alone. Prints "ready" when listening.
 */
const [port, databaseUrl] = process.argv.slice(2);
const pool = createPool(databaseUrl!, 20);
const app = await buildApp({ pool, secrets: benchSecrets, sessionIdleMinutes: 600, sessionMaxHours: 24 });

const root = '(SELECT path::text FROM orgs WHERE id = $1)';
const wide = {
  name: 'wide-page',
  text: `SELECT membership_id AS "membershipId", person_id AS "personId", name, gender, birth_date::text AS "birthDate",
    id_number_masked AS "idNumberMasked", phone, employer, org_id AS "orgId", org_name AS "orgName", status, joined_on::text AS "joinedOn",
    ${subtreeMemberTotalSql('ARRAY[$1]::bigint[]', '$2')} AS total, ${root} AS "rootPath"
    FROM bench_wide m WHERE m.org_path >= ${root} AND m.org_path < ${root} || '/' AND m.status = $2
    ORDER BY m.org_path, m.name, m.membership_id LIMIT 50`,
};
type WideRow = MemberRow & { total: string; rootPath: string };
const orgIdOf = (request: FastifyRequest) => Number((request.query as { orgId: string }).orgId);

/** One page from bench_wide, checked against the caller's scope as the real list checks it. */
async function widePage(request: FastifyRequest) {
  const rows = (await pool.query<WideRow>({ ...wide, values: [orgIdOf(request), 'active'] })).rows;
  if (!rows[0] || !canReach(callerOf(request), peoplePolicy.read, rows[0].rootPath)) throw new Error('not in the caller\'s subtree');
  return { items: rows.map(({ total: _total, rootPath: _rootPath, ...row }) => row), total: Number(rows[0].total), page: 1, pageSize: 50 };
}

const text = (nullable = false) => ({ type: nullable ? ['string', 'null'] : 'string' });
const serializePage = fastJson({
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          membershipId: { type: 'integer' }, personId: { type: 'integer' }, name: text(), gender: text(), birthDate: text(true),
          idNumberMasked: text(), phone: text(true), employer: text(true), orgId: { type: 'integer' }, orgName: text(), status: text(), joinedOn: text(),
        },
      },
    },
    total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' },
  },
});
const access = { access: peoplePolicy.read };
app.withTypeProvider<ZodTypeProvider>().get('/x/wide-zod', { schema: { response: { 200: pageOf(MemberRow) } }, config: access }, widePage);
app.get('/x/wide-compiled', { config: access }, async (request, reply) => reply.type('application/json').send(serializePage(await widePage(request))));
// The parts: a signed-in SELECT 1; a signed-in page of the same bytes without a query; the query with a tiny answer.
app.get('/x/signed-in-select1', { config: access }, async () => (await pool.query({ name: 'one', text: 'SELECT 1 AS one' })).rows[0]);
let bytes: string | undefined;
app.get('/x/same-bytes', { config: access }, async (request, reply) => reply.type('application/json').send(bytes ??= JSON.stringify(await widePage(request))));
app.get('/x/query-only', { config: access }, async (request) => ({ n: (await pool.query({ ...wide, values: [orgIdOf(request), 'active'] })).rows.length }));

await app.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write('ready\n');
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
