import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimSummary } from '@workers-home/contract';
import { CLAIM_COUNT_CAP } from '../src/modules/services/claims.ts';
import { call, createTestApp, expectProblem, json, makeFederation, makeOrg, makePerson, signIn, type OrgRef, type Session, type TestApp } from './helpers.ts';

/**
 * The claim list read by keyset (issue 17): every page's `next` leads to the page after it, and
 * the pages together are exactly the matches of a plain query in filing order, whatever the
 * caller, filter and page size: a county's subtree (read from its range and sorted), the review
 * queue (from its own index) and a subtree of more than CLAIM_COUNT_CAP matches (read in filing
 * order). Claims are written directly: this test is about reading them.
 */

interface CursorPage { items: ClaimSummary[]; total: number; totalAtLeast?: boolean; pageSize: number; next: string | null }

let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let planId: number;
const STATUSES = ['in_review', 'returned', 'approved', 'rejected'] as const;

/** Claims of one person per union, filed at a few moments only (ties are broken by id). */
async function insertClaims(union: OrgRef, count: number, seed: number, waitingOrgId: number) {
  const person = await makePerson(t, union);
  await t.pool.query(
    `INSERT INTO services_claims (plan_id, rule_version, person_id, org_id, province_id, request_key, hospital, admitted_on, discharged_on, days, diagnosis,
       bank_name, bank_account, benefit_fen, approved_fen, explanation, status, chain, step, waiting_org_id, submitted_at, org_path)
     SELECT $1, 1, pe.id, $3, pe.province_id, 'list-' || $4 || '-' || n, '医院', '2026-01-01', '2026-01-05', 4, '诊断', '银行', '6222021001012345678', 1000, 1000,
       '{"lines":[]}', s.status, ARRAY[$3::bigint, $5::bigint], 1, CASE WHEN s.status = 'in_review' THEN $5::bigint END,
       timestamptz '2026-03-01 08:00+08' + ((n * 7 + $4) % 13) * interval '1 hour', o.path::text
     FROM persons pe JOIN orgs o ON o.id = $3 CROSS JOIN generate_series(1, $6::int) n
       CROSS JOIN LATERAL (SELECT (ARRAY['in_review', 'in_review', 'returned', 'approved', 'rejected'])[1 + (n + $4) % 5] AS status) s
     WHERE pe.id = $2`,
    [planId, person.id, union.id, seed, waitingOrgId, count]);
}

/** Every page from the first, following `next`; checks each page's size and the total on each. */
async function readAll(session: Session, query: string, pageSize: number): Promise<{ ids: number[]; total: number; totalAtLeast: boolean }> {
  const ids: number[] = [];
  let after: string | null = null;
  let first: CursorPage | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const response = await call(t, session, { url: `/api/services/claims?${query}&pageSize=${pageSize}${after ? `&after=${after}` : ''}` });
    expect(response.statusCode, response.body).toBe(200);
    const page = json<CursorPage>(response);
    first ??= page;
    expect(page.total).toBe(first.total);
    if (page.next) expect(page.items).toHaveLength(pageSize);
    ids.push(...page.items.map((c) => c.id));
    if (!page.next) break;
    after = page.next;
  }
  return { ids, total: first!.total, totalAtLeast: first!.totalAtLeast ?? false };
}

/** The same list by a plain query over the tree. */
async function expected(scope: string[], where: string, params: unknown[]): Promise<number[]> {
  const result = await t.pool.query<{ id: number }>(
    `SELECT c.id::int FROM services_claims c JOIN orgs o ON o.id = c.org_id
     WHERE o.path <@ ANY($1::ltree[]) AND c.plan_id = $2 ${where} ORDER BY c.submitted_at, c.id`, [scope, planId, ...params]);
  return result.rows.map((r) => r.id);
}

let sessions: Record<string, { session: Session; scope: string[]; reviewerOrg: number }>;

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  const manager = await signIn(t, 'services.manager', f.provinceA);
  const plan = await call(t, manager, {
    method: 'POST', url: '/api/services/plans', payload: {
      orgId: f.provinceA.id, name: '列表测试方案', planYear: 2026, coverageStart: '2026-01-01', coverageEnd: '2026-12-31', enrolStart: '2026-01-01', enrolEnd: '2026-12-31',
      minAge: 16, maxAge: 65, contributionFen: 3000, waitingDays: 0, reviewLevels: ['grassroots', 'county'], sampling: null,
      rules: { dailyAllowanceFen: 5000, deductibleDays: 0, perStayCapFen: 30000, perYearCapFen: 150000, maxStaysPerYear: 3, minStayDays: 1, requiredDocuments: [] },
    },
  });
  expect(plan.statusCode, plan.body).toBe(201);
  planId = json<{ id: number }>(plan).id;
  await insertClaims(f.unionA1, 23, 1, f.countyA1.id);
  await insertClaims(f.unionA1b, 17, 2, f.countyA1.id);
  await insertClaims(f.unionA2, 19, 3, f.countyA2.id);
  sessions = {
    province: { session: await signIn(t, 'services.reviewer', f.provinceA), scope: [f.provinceA.path], reviewerOrg: f.provinceA.id },
    county: { session: await signIn(t, 'services.reviewer', f.countyA1), scope: [f.countyA1.path], reviewerOrg: f.countyA1.id },
    union: { session: await signIn(t, 'services.reviewer', f.unionA1b), scope: [f.unionA1b.path], reviewerOrg: f.unionA1b.id },
    sibling: { session: await signIn(t, 'services.reviewer', f.countyA2), scope: [f.countyA2.path], reviewerOrg: f.countyA2.id },
  };
});

afterAll(async () => {
  await t?.close();
});

describe('the claim list by keyset', () => {
  it('reads every match once, in filing order, whatever the caller, filter and page size', async () => {
    const orgs = [f.provinceA, f.countyA1, f.countyA2, f.unionA1, f.unionA1b, f.unionB];
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...Object.keys(sessions)),
      fc.record({ status: fc.option(fc.constantFrom(...STATUSES), { nil: undefined }), org: fc.option(fc.constantFrom(...orgs), { nil: undefined }), waitingForMe: fc.boolean() }),
      fc.integer({ min: 1, max: 12 }),
      async (who, filter, pageSize) => {
        const { session, scope, reviewerOrg } = sessions[who]!;
        const query = [`planId=${planId}`];
        const where: string[] = [];
        const params: unknown[] = [];
        if (filter.status) { query.push(`status=${filter.status}`); params.push(filter.status); where.push(`AND c.status = $${params.length + 2}`); }
        if (filter.org) {
          query.push(`orgId=${filter.org.id}`);
          // An organization outside the caller's subtree lists nothing.
          const inside = scope.some((root) => filter.org!.path === root || filter.org!.path.startsWith(`${root}.`));
          params.push(inside ? filter.org.path : '0'); where.push(`AND o.path <@ $${params.length + 2}::ltree`);
        }
        if (filter.waitingForMe) { query.push('waitingForMe=true'); params.push(reviewerOrg); where.push(`AND c.status = 'in_review' AND c.waiting_org_id = $${params.length + 2}`); }
        const want = await expected(scope, where.join(' '), params);
        const got = await readAll(session, query.join('&'), pageSize);
        expect(got.ids).toEqual(want);
        expect(got.total).toBe(want.length);
      },
    ), { numRuns: 40 });
  });

  it('refuses a cursor it did not write, naming the field', async () => {
    for (const after of ['abc', '1.2.3', '-1.5', '9'.repeat(30) + '.1']) {
      const response = await call(t, sessions.county!.session, { url: `/api/services/claims?after=${after}` });
      expectProblem(response, 400, 'query.after');
    }
    // The old page numbers are an unknown field now.
    expectProblem(await call(t, sessions.county!.session, { url: '/api/services/claims?page=2' }), 400, 'query.page');
  });

  it('follows its union when the union moves to another county', async () => {
    const union = await makeOrg(t.pool, f.countyA2, 'grassroots');
    await insertClaims(union, 3, 9, f.countyA2.id);
    const admin = await signIn(t, 'admin', f.provinceA);
    const moved = await call(t, admin, { method: 'POST', url: `/api/orgs/${union.id}/move`, payload: { parentId: f.countyA1.id } });
    expect(moved.statusCode, moved.body).toBe(200);
    const county = await readAll(sessions.county!.session, `planId=${planId}&orgId=${union.id}`, 20);
    expect(county.ids).toHaveLength(3);
    expect((await readAll(sessions.sibling!.session, `planId=${planId}&orgId=${union.id}`, 20)).ids).toHaveLength(0);
    const paths = await t.pool.query<{ ok: boolean }>(`SELECT bool_and(c.org_path = o.path::text) AS ok FROM services_claims c JOIN orgs o ON o.id = c.org_id`);
    expect(paths.rows[0]!.ok).toBe(true);
  });

  it('reads a subtree of more matches than it counts in filing order, and says the total is a lower bound', async () => {
    const union = await makeOrg(t.pool, f.countyA2, 'grassroots');
    await insertClaims(union, CLAIM_COUNT_CAP + 50, 5, f.countyA2.id);
    const { session, scope } = sessions.province!;
    const want = await expected(scope, '', []);
    let after: string | null = null;
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page: CursorPage = json<CursorPage>(await call(t, session, { url: `/api/services/claims?planId=${planId}&pageSize=200${after ? `&after=${after}` : ''}` }));
      expect(page.total).toBe(CLAIM_COUNT_CAP);
      expect(page.totalAtLeast).toBe(true);
      seen.push(...page.items.map((c) => c.id));
      after = page.next;
    }
    expect(seen).toEqual(want.slice(0, 600));
    // A page deep in the list, from the cursor of the claim before it.
    const before = (await t.pool.query<{ micros: string; id: number }>(
      `SELECT (extract(epoch FROM submitted_at) * 1000000)::bigint::text AS micros, id::int FROM services_claims WHERE id = $1`, [want[want.length - 60]])).rows[0]!;
    const deep = json<CursorPage>(await call(t, session, { url: `/api/services/claims?planId=${planId}&pageSize=50&after=${before.micros}.${before.id}` }));
    expect(deep.items.map((c) => c.id)).toEqual(want.slice(want.length - 59, want.length - 9));
  });
});
