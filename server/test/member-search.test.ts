import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PRESETS, type MemberRow } from '@workers-home/contract';
import type { WriteContext } from '../src/context.ts';
import { moveOrg } from '../src/modules/orgs/service.ts';
import { createJob } from '../src/modules/people/import-jobs.ts';
import { importMembers } from '../src/modules/people/import.ts';
import { joinUnion, leaveUnion, SEARCH_MATCH_CAP, transferMember } from '../src/modules/people/service.ts';
import { call, createTestApp, makeFederation, makeOrg, makePerson, signIn, validIdNumber, type OrgRef, type Session, type TestApp } from './helpers.ts';
import { rosterCsv } from './import-helpers.ts';

/**
 * The member search (GET /api/members?q=…, served from member_search, migration 0050) answers
 * exactly what a plain query over memberships, persons and orgs answers: the same rows in the
 * same order and the same total, for any name fragment, phone prefix, subtree, filter and sort,
 * after any mix of additions, imports, edits, transfers, leavings, rejoinings and subtree moves.
 */
let t: TestApp;
let fed: Awaited<ReturnType<typeof makeFederation>>;
let ctx: WriteContext;
let rootAdmin: Session;

// A small alphabet, so that fragments drawn at random match some names and not others.
const CHARS = ['王', '李', '张', '伟', '芳', '秀', '兰', 'A', 'b'];
const PHONE_DIGITS = ['1', '3', '8'];
const nameOf = (seed: number) => Array.from({ length: 2 + (seed % 3) }, (_, i) => CHARS[Math.floor(seed / (i + 1) ** 3 + i * 7) % CHARS.length]).join('');
const phoneOf = (seed: number) => (seed % 5 === 0 ? null : '13' + Array.from({ length: 9 }, (_, i) => PHONE_DIGITS[Math.floor(seed / 3 ** i) % 3]).join(''));

beforeAll(async () => {
  t = await createTestApp();
  fed = await makeFederation(t.pool);
  rootAdmin = await signIn(t, 'admin', fed.root);
  ctx = {
    caller: { accountId: rootAdmin.accountId, username: rootAdmin.username, personId: null, grants: ROLE_PRESETS.admin.map((role) => ({ role, orgId: fed.root.id, orgPath: fed.root.path })), sessionTokenHash: Buffer.alloc(32) },
    requestId: 'member-search-test',
  };
  // A city level between province A and a county, so that every depth 1-5 has a subtree.
  const city = await makeOrg(t.pool, fed.provinceA, 'city');
  const county = await makeOrg(t.pool, city, 'county');
  await makeOrg(t.pool, county, 'grassroots');
  let seed = 1;
  const unions = await rows<OrgRef>(`SELECT id, path::text, name FROM orgs WHERE level = 'grassroots' ORDER BY id`);
  for (const union of unions) {
    for (let i = 0; i < 6; i++, seed += 7919) {
      await makePerson(t, union, { name: nameOf(seed), ...(phoneOf(seed) ? { phone: phoneOf(seed)! } : {}), gender: seed % 2 ? 'female' : 'male', birthDate: `${1960 + (seed % 45)}-05-06` });
    }
  }
});
afterAll(() => t.close());

const pick = <T>(items: T[], seed: number): T | undefined => (items.length ? items[seed % items.length] : undefined);
const rows = async <T>(sql: string, params: unknown[] = []) => (await t.pool.query<T & Record<string, unknown>>(sql, params)).rows;

const OPS = ['add', 'import', 'editName', 'editPhone', 'editPerson', 'transfer', 'leave', 'rejoin', 'move'] as const;
type Op = { kind: (typeof OPS)[number]; seed: number };
const opArbitrary: fc.Arbitrary<Op> = fc.record({ kind: fc.constantFrom(...OPS), seed: fc.nat() });

let day = 0;
let importCounter = 0;
async function apply({ kind, seed }: Op) {
  const unions = await rows<OrgRef>(`SELECT id, path::text, name FROM orgs WHERE level = 'grassroots' AND status = 'active' ORDER BY id`);
  const union = pick(unions, seed)!;
  const active = await rows<{ person_id: number; org_id: number }>(`SELECT person_id, org_id FROM memberships WHERE status = 'active' ORDER BY person_id`);
  const person = pick(await rows<{ id: number }>('SELECT id FROM persons ORDER BY id'), seed >> 2);
  const date = new Date(Date.UTC(2024, 0, 1) + ++day * 86_400_000).toISOString().slice(0, 10);
  switch (kind) {
    case 'add':
      await makePerson(t, union, { name: nameOf(seed), ...(phoneOf(seed) ? { phone: phoneOf(seed)! } : {}), gender: seed % 2 ? 'female' : 'male', birthDate: `${1960 + (seed % 45)}-01-02` });
      break;
    case 'import': {
      // Two new members in one file, as the import writes them: set-based statements.
      const lines = [0, 1].map((i) => ({
        name: nameOf(seed + i), phone: phoneOf(seed + i) ?? '', idNumber: validIdNumber(`${1970 + ((seed + i) % 30)}-01-02`, (seed + i) % 2 ? 'female' : 'male'), union: union.id,
      }));
      const file = path.join(tmpdir(), `member-search-import-${process.pid}-${++importCounter}.csv`);
      await writeFile(file, rosterCsv(lines));
      const jobId = await createJob(t.pool, null, fed.root, 'search.csv', true, 0);
      await importMembers({ pool: t.pool, secrets: t.secrets }, { ctx: null, writeScope: [fed.root.path] }, {
        jobId, orgId: fed.root.id, orgPath: fed.root.path, orgName: fed.root.name, orgLevel: 'national', acceptValid: true,
      }, file);
      break;
    }
    case 'editName':
      if (person) await t.pool.query('UPDATE persons SET name = $2 WHERE id = $1', [person.id, nameOf(seed)]);
      break;
    case 'editPhone':
      if (person) await t.pool.query('UPDATE persons SET phone = $2 WHERE id = $1', [person.id, phoneOf(seed)]);
      break;
    case 'editPerson':
      if (person) await t.pool.query('UPDATE persons SET gender = $2, birth_date = $3 WHERE id = $1', [person.id, seed % 2 ? 'female' : 'male', `${1960 + (seed % 45)}-09-10`]);
      break;
    case 'transfer': {
      const member = pick(active, seed);
      const target = pick(unions.filter((u) => u.id !== member?.org_id), seed >> 3);
      if (member && target) await transferMember(t.pool, ctx, member.person_id, { toOrgId: target.id, date });
      break;
    }
    case 'leave': {
      const member = pick(active, seed);
      if (member) await leaveUnion(t.pool, ctx, member.person_id, { date });
      break;
    }
    case 'rejoin': {
      const idle = await rows<{ id: number }>(`SELECT p.id FROM persons p WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.status = 'active') ORDER BY p.id`);
      const back = pick(idle, seed);
      if (back) await joinUnion(t.pool, ctx, back.id, { orgId: union.id, joinedOn: date });
      break;
    }
    case 'move': {
      // A county (with its unions) to another province or city, or a union to another county.
      const movable = await rows<{ id: number; level: string; parent_id: number }>(`SELECT id, level, parent_id FROM orgs WHERE level IN ('county', 'grassroots') AND status = 'active' ORDER BY id`);
      const org = pick(movable, seed);
      if (!org) break;
      const parents = await rows<{ id: number }>(
        `SELECT id FROM orgs WHERE status = 'active' AND level = ANY($1) AND id <> $2 ORDER BY id`, [org.level === 'county' ? ['provincial', 'city'] : ['county'], org.parent_id]);
      const parent = pick(parents, seed >> 4);
      if (parent) await moveOrg(t.pool, ctx, org.id, { parentId: parent.id });
      break;
    }
  }
}

interface Search { orgSeed: number; q: string; status: string; gender?: string; ageMin?: number; ageMax?: number; sort: string; order: string; page: number }

const searchArbitrary: fc.Arbitrary<Search> = fc.record({
  orgSeed: fc.nat(),
  q: fc.oneof(
    fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 4 }).map((chars) => chars.join('')),
    fc.array(fc.constantFrom(...PHONE_DIGITS), { minLength: 1, maxLength: 9 }).map((digits) => '13' + digits.join('')),
  ),
  status: fc.constantFrom('active', 'active', 'all', 'left', 'transferred_out'),
  gender: fc.option(fc.constantFrom('male', 'female'), { nil: undefined }),
  ageMin: fc.option(fc.integer({ min: 20, max: 60 }), { nil: undefined }),
  ageMax: fc.option(fc.integer({ min: 30, max: 70 }), { nil: undefined }),
  sort: fc.constantFrom('union', 'name', 'joinedOn', 'birthDate'),
  order: fc.constantFrom('asc', 'desc'),
  page: fc.integer({ min: 1, max: 3 }),
}, { requiredKeys: ['orgSeed', 'q', 'status', 'sort', 'order', 'page'] });

const PAGE_SIZE = 5;

/** The reference: the same search as a plain query over the roster's own tables, without member_search. */
async function reference(orgPath: string, s: Search) {
  const phone = /^\d{3,11}$/.test(s.q);
  const order = s.order === 'desc' ? 'DESC' : 'ASC';
  const orderBy = s.sort === 'union'
    ? `o.path::text COLLATE "C" ${order}, p.name ${order}, m.id ${order}`
    : `${{ name: 'p.name', joinedOn: 'm.joined_on', birthDate: 'p.birth_date' }[s.sort]} ${order} NULLS LAST, m.id ${order}`;
  const found = await rows<{ id: string }>(
    `SELECT m.id FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN persons p ON p.id = m.person_id
     WHERE o.path <@ $1::ltree AND ($2 = 'all' OR m.status = $2)
       AND (CASE WHEN $3 THEN m.status = 'active' AND starts_with(p.phone, $4) ELSE strpos(lower(p.name), lower($4)) > 0 END)
       AND ($5::text IS NULL OR p.gender = $5)
       AND ($6::int IS NULL OR p.birth_date <= current_date - make_interval(years => $6))
       AND ($7::int IS NULL OR p.birth_date > current_date - make_interval(years => $7 + 1))
     ORDER BY ${orderBy}`,
    [orgPath, s.status, phone, s.q, s.gender ?? null, s.ageMin ?? null, s.ageMax ?? null]);
  const ids = found.map((r) => Number(r.id));
  return { total: ids.length, ids: ids.slice((s.page - 1) * PAGE_SIZE, s.page * PAGE_SIZE) };
}

async function expectSearchesRight(searches: Search[]) {
  const orgs = await rows<{ id: number; path: string }>(`SELECT id, path::text FROM orgs ORDER BY id`);
  for (const s of searches) {
    const org = pick(orgs, s.orgSeed)!;
    const query = new URLSearchParams({ orgId: String(org.id), q: s.q, status: s.status, sort: s.sort, order: s.order, page: String(s.page), pageSize: String(PAGE_SIZE) });
    if (s.gender) query.set('gender', s.gender);
    if (s.ageMin !== undefined) query.set('ageMin', String(s.ageMin));
    if (s.ageMax !== undefined) query.set('ageMax', String(s.ageMax));
    const response = await call(t, rootAdmin, { method: 'GET', url: `/api/members?${query}` });
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json<{ items: MemberRow[]; total: number }>();
    expect({ total: page.total, ids: page.items.map((i) => i.membershipId) }, `${org.path} ${query}`).toEqual(await reference(org.path, s));
  }
}

describe('member search', () => {
  it('answers what a plain query answers, for any search, subtree, filter and sort, after any mix of writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { maxLength: 8 }), fc.array(searchArbitrary, { minLength: 1, maxLength: 6 }), async (ops, searches) => {
        for (const op of ops) await apply(op);
        await expectSearchesRight(searches);
      }),
      { numRuns: 60, seed: 20261205 },
    );
  }, 300_000);

  it('keeps a caller without orgId to their own subtrees, and rebuilds to the same rows', async () => {
    const admin = await signIn(t, 'admin', fed.provinceA);
    const response = await call(t, admin, { method: 'GET', url: `/api/members?q=${encodeURIComponent('王')}&pageSize=100&status=all` });
    expect(response.statusCode, response.body).toBe(200);
    const expected = await reference(fed.provinceA.path, { orgSeed: 0, q: '王', status: 'all', sort: 'union', order: 'asc', page: 1 });
    const page = response.json<{ items: MemberRow[]; total: number }>();
    expect(page.total).toBe(expected.total);
    expect(page.items.slice(0, PAGE_SIZE).map((i) => i.membershipId)).toEqual(expected.ids);
    // The table the triggers keep equals the one rebuilt from the roster (what a bulk load does).
    const kept = await rows(`SELECT * FROM member_search ORDER BY membership_id`);
    await t.pool.query('SELECT rebuild_member_search_by_province()');
    expect(await rows(`SELECT * FROM member_search ORDER BY membership_id`)).toEqual(kept);
  });

  it('lists at most SEARCH_MATCH_CAP matches of a broad search, in the order asked, and says there are more', async () => {
    const union = await makeOrg(t.pool, fed.provinceB, 'grassroots');
    const n = SEARCH_MATCH_CAP + 30;
    const lines = Array.from({ length: n }, (_, i) => ({
      name: `宽搜${String.fromCharCode(0x4e00 + ((i * 7919) % 2000))}`, phone: `1590000${String(i).padStart(4, '0')}`,
      idNumber: validIdNumber(`${1970 + (i % 30)}-03-04`, i % 2 ? 'female' : 'male'), union: union.id,
    }));
    const file = path.join(tmpdir(), `member-search-broad-${process.pid}.csv`);
    await writeFile(file, rosterCsv(lines));
    const jobId = await createJob(t.pool, null, fed.root, 'broad.csv', true, 0);
    await importMembers({ pool: t.pool, secrets: t.secrets }, { ctx: null, writeScope: [fed.root.path] }, {
      jobId, orgId: fed.root.id, orgPath: fed.root.path, orgName: fed.root.name, orgLevel: 'national', acceptValid: true,
    }, file);
    for (const q of ['宽搜', '1590000']) {
      const seen = new Set<number>();
      const all: string[] = [];
      for (let page = 1; page <= 6; page++) {
        const response = await call(t, rootAdmin, { method: 'GET', url: `/api/members?orgId=${fed.provinceB.id}&q=${encodeURIComponent(q)}&sort=name&page=${page}&pageSize=200` });
        expect(response.statusCode, response.body).toBe(200);
        const body = response.json<{ items: MemberRow[]; total: number; totalAtLeast?: boolean }>();
        expect({ total: body.total, totalAtLeast: body.totalAtLeast }).toEqual({ total: SEARCH_MATCH_CAP, totalAtLeast: true });
        all.push(...body.items.map((item) => item.name));
        for (const item of body.items) {
          expect(item.name.startsWith('宽搜')).toBe(true);
          seen.add(item.membershipId);
        }
        if (page === 6) expect(body.items).toEqual([]);
      }
      // The pages list the same thousand, each once, sorted across pages too.
      expect(seen.size).toBe(SEARCH_MATCH_CAP);
      expect(all).toEqual([...all].sort());
    }
    // One more character narrows the search below the cap: every match is counted again.
    const narrow = await call(t, rootAdmin, { method: 'GET', url: `/api/members?orgId=${fed.provinceB.id}&q=${encodeURIComponent(lines[0]!.name)}&pageSize=200` });
    const body = narrow.json<{ items: MemberRow[]; total: number; totalAtLeast?: boolean }>();
    expect(body.totalAtLeast).toBeUndefined();
    expect(body.total).toBe(lines.filter((line) => line.name.includes(lines[0]!.name)).length);
  }, 120_000);
});
