import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubtreeFigures } from '@workers-home/contract';
import type { WriteContext } from '../src/context.ts';
import { ageBand, subtreeFigures } from '../src/modules/figures/service.ts';
import { moveOrg } from '../src/modules/orgs/service.ts';
import { createJob } from '../src/modules/people/import-jobs.ts';
import { importMembers } from '../src/modules/people/import.ts';
import { joinUnion, leaveUnion, transferMember } from '../src/modules/people/service.ts';
import { call, createTestApp, expectProblem, makeFederation, makeOrg, makePerson, signIn, validIdNumber, type OrgRef, type Session, type TestApp } from './helpers.ts';
import { rosterCsv } from './import-helpers.ts';

let t: TestApp;
let fed: Awaited<ReturnType<typeof makeFederation>>;
let ctx: WriteContext;
let rootAdmin: Session;

beforeAll(async () => {
  t = await createTestApp();
  fed = await makeFederation(t.pool);
  rootAdmin = await signIn(t, 'admin', fed.root);
  ctx = {
    caller: { accountId: rootAdmin.accountId, username: rootAdmin.username, personId: null, grants: [{ role: 'admin', orgId: fed.root.id, orgPath: fed.root.path }], sessionTokenHash: Buffer.alloc(32) },
    requestId: 'figures-test',
  };
});
afterAll(() => t.close());

/** The same figures, counted directly from the base tables. */
async function directFigures(orgId: number): Promise<Omit<SubtreeFigures, 'asOf'>> {
  const members = await t.pool.query<{ status: string; gender: string; birth_year: number | null; n: string }>(
    `SELECT m.status, p.gender, extract(year FROM p.birth_date)::int AS birth_year, count(*) AS n
     FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN persons p ON p.id = m.person_id
     WHERE o.path <@ (SELECT path FROM orgs WHERE id = $1) GROUP BY 1, 2, 3`, [orgId]);
  const orgs = await t.pool.query<{ level: string; n: string }>(
    `SELECT level, count(*) AS n FROM orgs WHERE path <@ (SELECT path FROM orgs WHERE id = $1) AND status = 'active' GROUP BY 1`, [orgId]);
  const f: Omit<SubtreeFigures, 'asOf'> = {
    orgId,
    members: { active: 0, byStatus: { active: 0, transferred_out: 0, left: 0 }, byGender: { male: 0, female: 0 },
      byAgeBand: { under_25: 0, '25_34': 0, '35_44': 0, '45_54': 0, '55_plus': 0, unknown: 0 } },
    unionsByLevel: { national: 0, provincial: 0, industrial: 0, city: 0, county: 0, grassroots: 0 },
  };
  for (const r of members.rows) {
    const n = Number(r.n);
    f.members.byStatus[r.status as 'active'] += n;
    if (r.status !== 'active') continue;
    f.members.active += n;
    f.members.byGender[r.gender as 'male'] += n;
    f.members.byAgeBand[ageBand(r.birth_year, new Date().getFullYear())] += n;
  }
  for (const r of orgs.rows) f.unionsByLevel[r.level as 'grassroots'] += Number(r.n);
  return f;
}

const withoutTime = (figures: SubtreeFigures): Omit<SubtreeFigures, 'asOf'> => ({ orgId: figures.orgId, members: figures.members, unionsByLevel: figures.unionsByLevel });

async function expectAllFiguresRight() {
  const orgs = await t.pool.query<{ id: number }>('SELECT id FROM orgs ORDER BY id');
  for (const { id } of orgs.rows) {
    expect(withoutTime(await subtreeFigures(t.pool, id)), `organization ${id}`).toEqual(await directFigures(id));
  }
}

const pick = <T>(items: T[], seed: number): T | undefined => (items.length ? items[seed % items.length] : undefined);
const rows = async <T>(sql: string, params: unknown[] = []) => (await t.pool.query<T & Record<string, unknown>>(sql, params)).rows;

type Op =
  | { kind: 'add'; seed: number; female: boolean; year: number }
  | { kind: 'transfer' | 'leave' | 'rejoin' | 'move' | 'newUnion' | 'edit' | 'import' | 'compact' | 'close'; seed: number; female: boolean; year: number };

const opArbitrary: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('add', 'add', 'transfer', 'leave', 'rejoin', 'move', 'newUnion', 'edit', 'import', 'compact', 'close'),
  seed: fc.nat(),
  female: fc.boolean(),
  year: fc.integer({ min: 1950, max: 2006 }),
});

let importCounter = 0;
let day = 0;
async function apply(op: Op) {
  const unions = await rows<{ id: number; path: string; name: string }>(`SELECT id, path::text, name FROM orgs WHERE level = 'grassroots' AND status = 'active' ORDER BY id`);
  const union = pick(unions, op.seed) as OrgRef | undefined;
  const active = await rows<{ person_id: number; org_id: number }>(`SELECT person_id, org_id FROM memberships WHERE status = 'active' ORDER BY person_id`);
  // Every change happens a day after the one before, so dates never run backwards.
  const date = new Date(Date.UTC(2024, 0, 1) + ++day * 86_400_000).toISOString().slice(0, 10);
  switch (op.kind) {
    case 'add':
      if (union) await makePerson(t, union, { gender: op.female ? 'female' : 'male', birthDate: `${op.year}-03-04` });
      break;
    case 'transfer': {
      const member = pick(active, op.seed);
      const target = pick(unions.filter((u) => u.id !== member?.org_id), op.seed >> 3);
      if (member && target) await transferMember(t.pool, ctx, member.person_id, { toOrgId: target.id, date });
      break;
    }
    case 'leave': {
      const member = pick(active, op.seed);
      if (member) await leaveUnion(t.pool, ctx, member.person_id, { date });
      break;
    }
    case 'rejoin': {
      const idle = await rows<{ id: number }>(`SELECT p.id FROM persons p WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.status = 'active') ORDER BY p.id`);
      const person = pick(idle, op.seed);
      if (person && union) await joinUnion(t.pool, ctx, person.id, { orgId: union.id, joinedOn: date });
      break;
    }
    case 'move': {
      // A county (with its unions) to another province, or a union to another county.
      const movable = await rows<{ id: number; level: string; parent_id: number }>(`SELECT id, level, parent_id FROM orgs WHERE level IN ('county', 'grassroots') AND status = 'active' ORDER BY id`);
      const org = pick(movable, op.seed);
      if (!org) break;
      const parents = await rows<{ id: number }>(
        `SELECT id FROM orgs WHERE status = 'active' AND level = $1 AND id <> $2 ORDER BY id`, [org.level === 'county' ? 'provincial' : 'county', org.parent_id]);
      const parent = pick(parents, op.seed >> 4);
      if (parent) await moveOrg(t.pool, ctx, org.id, { parentId: parent.id });
      break;
    }
    case 'newUnion': {
      const counties = await rows<{ id: number; path: string; name: string }>(`SELECT id, path::text, name FROM orgs WHERE level = 'county' AND status = 'active' ORDER BY id`);
      const county = pick(counties, op.seed);
      if (county) await makeOrg(t.pool, county, 'grassroots');
      break;
    }
    case 'close': {
      const empty = await rows<{ id: number }>(`SELECT o.id FROM orgs o WHERE o.level = 'grassroots' AND o.status = 'active'
        AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = o.id AND m.status = 'active') ORDER BY o.id`);
      const org = pick(empty, op.seed);
      if (org && unions.length > 2) await t.pool.query(`UPDATE orgs SET status = 'closed', closed_on = current_date WHERE id = $1`, [org.id]);
      break;
    }
    case 'edit': {
      const person = pick(await rows<{ id: number }>('SELECT id FROM persons ORDER BY id'), op.seed);
      if (person) await t.pool.query(`UPDATE persons SET gender = $2, birth_date = $3 WHERE id = $1`, [person.id, op.female ? 'female' : 'male', `${op.year}-07-08`]);
      break;
    }
    case 'import': {
      if (!union) break;
      const existing = pick(active, op.seed);
      const lines = [{ name: '导入', idNumber: validIdNumber(`${op.year}-01-02`, op.female ? 'female' : 'male'), union: union.id }];
      const file = path.join(tmpdir(), `figures-import-${process.pid}-${++importCounter}.csv`);
      await writeFile(file, rosterCsv(lines));
      const jobId = await createJob(t.pool, null, fed.root, 'figures.csv', true, 0);
      await importMembers({ pool: t.pool, secrets: t.secrets }, { ctx: null, writeScope: [fed.root.path] }, {
        jobId, orgId: fed.root.id, orgPath: fed.root.path, orgName: fed.root.name, orgLevel: 'national', acceptValid: true,
      }, file);
      void existing;
      break;
    }
    case 'compact':
      await t.pool.query('SELECT compact_subtree_figures(NULL)');
      break;
  }
}

describe('subtree figures', () => {
  it('equal a direct COUNT after any mix of joins, leaves, transfers, imports, edits, closes and subtree moves', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: 12 }), async (ops) => {
        for (const op of ops) await apply(op);
        await expectAllFiguresRight();
      }),
      { numRuns: 25, seed: 20261121 },
    );
  }, 120_000);

  it('GET /api/orgs/:id/figures: the subtree\'s figures, 401 anonymous, 404 for another subtree, 400 for a bad id', async () => {
    const admin = await signIn(t, 'auditor', fed.provinceA);
    const response = await call(t, admin, { method: 'GET', url: `/api/orgs/${fed.provinceA.id}/figures` });
    expect(response.statusCode).toBe(200);
    expect(withoutTime(response.json<SubtreeFigures>())).toEqual(await directFigures(fed.provinceA.id));
    // The member list's total comes from the same figures.
    for (const status of ['active', 'left', 'all'] as const) {
      const list = (await call(t, admin, { method: 'GET', url: `/api/members?orgId=${fed.provinceA.id}&status=${status}` })).json<{ total: number }>();
      const direct = await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM memberships m JOIN orgs o ON o.id = m.org_id
        WHERE o.path <@ $1::ltree AND ($2 = 'all' OR m.status = $2)`, [fed.provinceA.path, status]);
      expect(list.total, status).toBe(direct.rows[0]!.n);
    }
    expectProblem(await call(t, null, { method: 'GET', url: `/api/orgs/${fed.provinceA.id}/figures` }), 401);
    expectProblem(await call(t, admin, { method: 'GET', url: `/api/orgs/${fed.provinceB.id}/figures` }), 404);
    expectProblem(await call(t, admin, { method: 'GET', url: `/api/orgs/${fed.root.id}/figures` }), 404);
    expectProblem(await call(t, admin, { method: 'GET', url: '/api/orgs/x/figures' }), 400, 'params.id');
  });
});
