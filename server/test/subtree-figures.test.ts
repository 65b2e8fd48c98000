import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PRESETS, type SubtreeFigures } from '@workers-home/contract';
import type { WriteContext } from '../src/context.ts';
import { readSubtreeFigures } from '../src/house/figures.ts';
import { FIGURES } from '../src/modules/index.ts';
import { ageBand } from '../src/modules/people/figures.ts';
import { moveOrg } from '../src/modules/orgs/service.ts';
import { revokeCertificate } from '../src/modules/training/certificates.ts';
import { enrolOne, updateEnrolment } from '../src/modules/training/enrolment.ts';
import { createJob } from '../src/modules/people/import-jobs.ts';
import { importMembers } from '../src/modules/people/import.ts';
import { joinUnion, leaveUnion, transferMember } from '../src/modules/people/service.ts';
import { call, createTestApp, expectProblem, makeFederation, makeOrg, makePerson, signIn, validIdNumber, type OrgRef, type Session, type TestApp } from './helpers.ts';
import { rosterCsv } from './import-helpers.ts';
import { insertClass, type ClassRef } from './training-helpers.ts';

let t: TestApp;
let fed: Awaited<ReturnType<typeof makeFederation>>;
let ctx: WriteContext;
let rootAdmin: Session;
let classes: ClassRef[];

beforeAll(async () => {
  t = await createTestApp();
  fed = await makeFederation(t.pool);
  rootAdmin = await signIn(t, 'admin', fed.root);
  ctx = {
    caller: { accountId: rootAdmin.accountId, username: rootAdmin.username, personId: null, grants: ROLE_PRESETS.admin.map((role) => ({ role, orgId: fed.root.id, orgPath: fed.root.path })), sessionTokenHash: Buffer.alloc(32) },
    requestId: 'figures-test',
  };
  // A few members in every union to train, and classes of the root federation (its whole tree is their audience).
  for (const union of [fed.unionA1, fed.unionA1b, fed.unionA2, fed.unionB]) for (let i = 0; i < 3; i++) await makePerson(t, union, { gender: i % 2 ? 'female' : 'male' });
  classes = [];
  for (let i = 0; i < 3; i++) classes.push(await insertClass(t, fed.root, { capacityOnsite: 10_000, capacityLive: 10_000 }));
});
afterAll(() => t.close());

/** The same figures, counted directly from the base tables (services' figures are read directly already). */
async function directFigures(orgId: number): Promise<Omit<SubtreeFigures, 'asOf' | 'services'>> {
  const members = await t.pool.query<{ status: string; gender: string; birth_year: number | null; n: string }>(
    `SELECT m.status, p.gender, extract(year FROM p.birth_date)::int AS birth_year, count(*) AS n
     FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN persons p ON p.id = m.person_id
     WHERE o.path <@ (SELECT path FROM orgs WHERE id = $1) GROUP BY 1, 2, 3`, [orgId]);
  const orgs = await t.pool.query<{ level: string; n: string }>(
    `SELECT level, count(*) AS n FROM orgs WHERE path <@ (SELECT path FROM orgs WHERE id = $1) AND status = 'active' GROUP BY 1`, [orgId]);
  const f: Omit<SubtreeFigures, 'asOf' | 'services'> = {
    orgId,
    members: { active: 0, byStatus: { active: 0, transferred_out: 0, left: 0 }, byGender: { male: 0, female: 0 },
      byAgeBand: { under_25: 0, '25_34': 0, '35_44': 0, '45_54': 0, '55_plus': 0, unknown: 0 } },
    unionsByLevel: { national: 0, provincial: 0, industrial: 0, city: 0, county: 0, grassroots: 0 },
    training: { enrolled: { onsite: 0, live: 0 }, withdrawn: 0, certified: 0 },
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
  const places = await t.pool.query<{ mode: 'onsite' | 'live'; status: string; n: string }>(
    `SELECT e.mode, e.status, count(*) AS n FROM training_enrolments e JOIN orgs o ON o.id = e.org_id
     WHERE o.path <@ (SELECT path FROM orgs WHERE id = $1) GROUP BY 1, 2`, [orgId]);
  const certificates = await t.pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM training_certificates c JOIN training_enrolments e ON e.id = c.enrolment_id JOIN orgs o ON o.id = e.org_id
     WHERE c.revoked_at IS NULL AND o.path <@ (SELECT path FROM orgs WHERE id = $1)`, [orgId]);
  f.training = { enrolled: { onsite: 0, live: 0 }, withdrawn: 0, certified: Number(certificates.rows[0]!.n) };
  for (const r of places.rows) {
    if (r.status === 'enrolled') f.training.enrolled[r.mode] += Number(r.n);
    else f.training.withdrawn += Number(r.n);
  }
  return f;
}

const withoutTime = (figures: SubtreeFigures): Omit<SubtreeFigures, 'asOf' | 'services'> =>
  ({ orgId: figures.orgId, members: figures.members, unionsByLevel: figures.unionsByLevel, training: figures.training });

async function expectAllFiguresRight() {
  const orgs = await t.pool.query<{ id: number }>('SELECT id FROM orgs ORDER BY id');
  for (const { id } of orgs.rows) {
    expect(withoutTime((await readSubtreeFigures(t.pool, id, FIGURES, new Date()))!.figures), `organization ${id}`).toEqual(await directFigures(id));
  }
  await expectEveryRowUnderItsProvince();
}

/**
 * The sums above do not see which province a figure row is kept under (Citus keeps it on that
 * province's shard): every registered table's net rows, key by key with the province, must be
 * what its rebuild function computes from the base tables.
 */
async function expectEveryRowUnderItsProvince() {
  const client = await t.pool.connect();
  try {
    const tables = (await client.query<{ name: string; keys: string[]; rebuild: string }>(
      'SELECT figures_table::text AS name, key_columns AS keys, rebuild_function::text AS rebuild FROM subtree_figure_tables ORDER BY 1',
    )).rows;
    for (const table of tables) {
      expect(table.keys, table.name).toContain('province_id');
      const net = async () => (await client.query<Record<string, unknown>>(
        `SELECT org_id, ${table.keys.join(', ')}, sum(n)::int AS n FROM ${table.name} GROUP BY org_id, ${table.keys.join(', ')} HAVING sum(n) <> 0 ORDER BY 1, ${table.keys.map((_, i) => i + 2).join(', ')}`,
      )).rows;
      await client.query('BEGIN');
      const kept = await net();
      await client.query(`SELECT ${table.rebuild}()`);
      expect(kept, `${table.name}, row by row with the province`).toEqual(await net());
      await client.query('ROLLBACK');
    }
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

const pick = <T>(items: T[], seed: number): T | undefined => (items.length ? items[seed % items.length] : undefined);
const rows = async <T>(sql: string, params: unknown[] = []) => (await t.pool.query<T & Record<string, unknown>>(sql, params)).rows;

const MEMBER_OPS = ['add', 'add', 'transfer', 'leave', 'rejoin', 'move', 'newUnion', 'edit', 'import', 'compact', 'close'] as const;
// Training: enrol (by the service, from the trainee's union or one above it), withdraw, re-enrol, change mode,
// withdraw a whole class in one statement, issue a class's certificates in one statement, revoke one, delete or
// un-revoke one, and rebuild every figure from the base tables.
const TRAINING_OPS = ['enrol', 'enrol', 'enrol', 'withdraw', 'reenrol', 'mode', 'withdrawClass', 'certify', 'certify', 'revoke', 'fixCertificate', 'fixCertificate', 'rebuild'] as const;
type Op = { kind: (typeof MEMBER_OPS)[number] | (typeof TRAINING_OPS)[number]; seed: number; female: boolean; year: number };

const opArbitrary: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom(...MEMBER_OPS, ...TRAINING_OPS),
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
    default:
      await applyTraining(op);
  }
}

async function applyTraining(op: Op) {
  const services = { pool: t.pool, secrets: t.secrets };
  const cls = pick(classes, op.seed)!;
  const enrolments = (status: string) => rows<{ id: number; person_id: number; mode: 'onsite' | 'live' }>(
    `SELECT e.id, e.person_id, e.mode FROM training_enrolments e WHERE e.status = $1 ORDER BY e.id`, [status]);
  switch (op.kind) {
    case 'enrol': {
      const candidates = await rows<{ person_id: number; path: string }>(
        `SELECT m.person_id, o.path::text FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.status = 'active'
         AND NOT EXISTS (SELECT 1 FROM training_enrolments e WHERE e.class_id = $1 AND e.person_id = m.person_id) ORDER BY m.person_id`, [cls.id]);
      const trainee = pick(candidates, op.seed >> 2);
      if (!trainee) break;
      // About half the trainees are enrolled from an organization above their union (whose own enrolments are counted live).
      const above = trainee.path.split('.').slice(0, -1).map(Number);
      const orgId = op.seed & 8 ? pick(above, op.seed >> 4) : undefined;
      await enrolOne(services, ctx, cls.id, { personId: trainee.person_id, mode: op.female ? 'live' : 'onsite', ...(orgId ? { orgId } : {}) });
      break;
    }
    case 'withdraw': {
      const enrolment = pick(await enrolments('enrolled'), op.seed);
      if (enrolment) await updateEnrolment(services, ctx, enrolment.id, { status: 'withdrawn' });
      break;
    }
    case 'reenrol': {
      // Back in the class from the trainee's current union, which may differ from the one they withdrew from.
      const withdrawn = await rows<{ class_id: number; person_id: number }>(
        `SELECT e.class_id, e.person_id FROM training_enrolments e WHERE e.status = 'withdrawn'
         AND EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = e.person_id AND m.status = 'active') ORDER BY e.id`);
      const enrolment = pick(withdrawn, op.seed);
      if (enrolment) await enrolOne(services, ctx, enrolment.class_id, { personId: enrolment.person_id, mode: op.female ? 'live' : 'onsite' });
      break;
    }
    case 'mode': {
      const enrolment = pick(await enrolments('enrolled'), op.seed);
      if (enrolment) await updateEnrolment(services, ctx, enrolment.id, { mode: enrolment.mode === 'live' ? 'onsite' : 'live' });
      break;
    }
    case 'withdrawClass':
      await t.pool.query(`UPDATE training_enrolments SET status = 'withdrawn' WHERE class_id = $1 AND status = 'enrolled' AND id % 3 <> $2 % 3`, [cls.id, op.seed]);
      break;
    case 'certify': {
      // As the certificate batch writes them: many in one statement.
      const pending = await rows<{ class_id: number }>(`SELECT DISTINCT e.class_id FROM training_enrolments e WHERE e.status = 'enrolled'
        AND NOT EXISTS (SELECT 1 FROM training_certificates c WHERE c.enrolment_id = e.id) ORDER BY 1`);
      const target = pick(pending, op.seed);
      if (!target) break;
      await t.pool.query(
        `INSERT INTO training_certificates (number, enrolment_id, province_id, person_name, class_title, org_name, starts_on, ends_on, hours)
         SELECT 'FIG-' || e.id, e.id, e.province_id, '学员', '培训班', '工会', current_date, current_date, 8 FROM training_enrolments e
         WHERE e.class_id = $1 AND e.status = 'enrolled' AND NOT EXISTS (SELECT 1 FROM training_certificates c WHERE c.enrolment_id = e.id)`, [target.class_id]);
      break;
    }
    case 'revoke': {
      const certificate = pick(await rows<{ id: number }>('SELECT id FROM training_certificates WHERE revoked_at IS NULL ORDER BY id'), op.seed);
      if (certificate) await revokeCertificate(t.pool, ctx, certificate.id, '信息有误');
      break;
    }
    case 'fixCertificate': {
      // Delete a certificate that counts, or take back the revocation of one that does not.
      const certificate = pick(await rows<{ id: number }>(`SELECT id FROM training_certificates WHERE (revoked_at IS NULL) = $1 ORDER BY id`, [op.female]), op.seed);
      if (!certificate) break;
      if (op.female) await t.pool.query('DELETE FROM training_certificates WHERE id = $1', [certificate.id]);
      else await t.pool.query('UPDATE training_certificates SET revoked_at = NULL, revoked_reason = NULL WHERE id = $1', [certificate.id]);
      break;
    }
    case 'rebuild':
      // Checked first, so that a rebuild never hides a wrong figure from the check after the run; then every
      // maintained row is dropped (as if loaded with the triggers off) and recomputed.
      await expectAllFiguresRight();
      await t.pool.query('DELETE FROM subtree_member_figures; DELETE FROM subtree_org_figures; DELETE FROM subtree_training_figures');
      await t.pool.query('SELECT rebuild_subtree_figures()');
      break;
  }
}

describe('subtree figures', () => {
  it('equal a direct COUNT after any mix of joins, leaves, transfers, imports, edits, closes, subtree moves, enrolments, withdrawals and certificates', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: 20 }), async (ops) => {
        for (const op of ops) await apply(op);
        await expectAllFiguresRight();
      }),
      { numRuns: 60, seed: 20261121 },
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

  it('GET /api/orgs/:id/figures: the training reach of a class\'s trainees in their organization and every one above it; 404 for another county', async () => {
    // A province of its own, which the property above never touches.
    const province = await makeOrg(t.pool, fed.root, 'provincial');
    const county = await makeOrg(t.pool, province, 'county');
    const otherCounty = await makeOrg(t.pool, province, 'county');
    const union = await makeOrg(t.pool, county, 'grassroots');
    const otherUnion = await makeOrg(t.pool, otherCounty, 'grassroots');
    const cls = await insertClass(t, province);
    const organizer = await signIn(t, 'organizer', province);
    const enrol = async (personId: number, mode: 'onsite' | 'live') => {
      const response = await call(t, organizer, { method: 'POST', url: `/api/training/classes/${cls.id}/enrolments`, payload: { personId, mode } });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ id: number }>().id;
    };
    const onsite = await enrol((await makePerson(t, union)).id, 'onsite');
    const withdrawn = await enrol((await makePerson(t, union)).id, 'onsite');
    const live = await enrol((await makePerson(t, union)).id, 'live');
    await enrol((await makePerson(t, otherUnion)).id, 'onsite');
    expect((await call(t, organizer, { method: 'PATCH', url: `/api/training/enrolments/${withdrawn}`, payload: { status: 'withdrawn' } })).statusCode).toBe(200);
    // Two certificates (issuing them needs attendance, tested with the training module), one revoked through the API.
    const issued = await t.pool.query<{ id: number; enrolment_id: number }>(
      `INSERT INTO training_certificates (number, enrolment_id, province_id, person_name, class_title, org_name, starts_on, ends_on, hours)
       SELECT 'REACH-' || e.id, e.id, e.province_id, '学员', '培训班', '工会', current_date, current_date, 8 FROM training_enrolments e WHERE e.id = ANY($1::bigint[]) RETURNING id, enrolment_id`, [[onsite, live]]);
    const revoked = issued.rows.find((r) => Number(r.enrolment_id) === live)!.id;
    expect((await call(t, organizer, { method: 'POST', url: `/api/training/certificates/${revoked}/revoke`, payload: { reason: '信息有误' } })).statusCode).toBe(200);

    const reach = async (session: Session, org: OrgRef) => {
      const response = await call(t, session, { method: 'GET', url: `/api/orgs/${org.id}/figures` });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<SubtreeFigures>().training;
    };
    const unionReach = { enrolled: { onsite: 1, live: 1 }, withdrawn: 1, certified: 1 };
    expect(await reach(organizer, union)).toEqual(unionReach);
    expect(await reach(organizer, county)).toEqual(unionReach);
    expect(await reach(organizer, otherCounty)).toEqual({ enrolled: { onsite: 1, live: 0 }, withdrawn: 0, certified: 0 });
    expect(await reach(organizer, province)).toEqual({ enrolled: { onsite: 2, live: 1 }, withdrawn: 1, certified: 1 });
    expect(await reach(rootAdmin, fed.root)).toEqual((await directFigures(fed.root.id)).training);

    // A county's admin sees its own subtree's reach, and nothing of the other county or the province.
    const countyAdmin = await signIn(t, 'admin', county);
    expect(await reach(countyAdmin, union)).toEqual(unionReach);
    expectProblem(await call(t, countyAdmin, { method: 'GET', url: `/api/orgs/${otherCounty.id}/figures` }), 404);
    expectProblem(await call(t, countyAdmin, { method: 'GET', url: `/api/orgs/${otherUnion.id}/figures` }), 404);
    expectProblem(await call(t, countyAdmin, { method: 'GET', url: `/api/orgs/${province.id}/figures` }), 404);

    // The county moves to another province with its trainees' places.
    const newProvince = await makeOrg(t.pool, fed.root, 'provincial');
    expect((await call(t, rootAdmin, { method: 'POST', url: `/api/orgs/${county.id}/move`, payload: { parentId: newProvince.id } })).statusCode).toBe(200);
    expect(await reach(rootAdmin, newProvince)).toEqual(unionReach);
    expect(await reach(rootAdmin, province)).toEqual({ enrolled: { onsite: 1, live: 0 }, withdrawn: 0, certified: 0 });
    expect(await reach(rootAdmin, fed.root)).toEqual((await directFigures(fed.root.id)).training);
  });
});
