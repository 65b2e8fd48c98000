import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PRESETS } from '@workers-home/contract';
import { call, createTestApp, expectProblem, json, makeFederation, makePerson, signIn, type Session, type TestApp } from './helpers.ts';
import { insertClass, insertEnrolment } from './training-helpers.ts';

/** Training's one access path (server/src/modules/training/policy.ts), checked where two paths used to disagree. */
let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let rootAdmin: Session;

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  rootAdmin = await signIn(t, 'admin', f.root);
});
afterAll(async () => { await t.close(); });

const names = (items: Array<{ name: string }>) => items.map((i) => i.name).sort();

describe('the trainees one caller sees in a class', () => {
  it('are the same in the trainee list, progress, report, certificates and class counts, also after the audience is edited', async () => {
    // A caller organizing in two places: county A1 and the grassroots union A2.
    const caller = await signIn(t, 'organizer', f.countyA1);
    await t.pool.query(`INSERT INTO role_grants (account_id, role, org_id) SELECT $1, unnest($3::text[]), $2`, [caller.accountId, f.unionA2.id, ROLE_PRESETS.organizer]);
    const cls = await insertClass(t, f.root, { audienceOrgIds: [f.countyA1.id, f.countyA2.id] });
    const a1 = { ...(await makePerson(t, f.unionA1, { name: '李甲一' })), name: '李甲一' };
    const a2 = { ...(await makePerson(t, f.unionA2, { name: '李甲二' })), name: '李甲二' };
    const b = await makePerson(t, f.unionB, { name: '李乙' });
    for (const [person, org] of [[a1, f.unionA1], [a2, f.unionA2], [b, f.unionB]] as const) await insertEnrolment(t, cls.id, person.id, org);

    const seen = async () => {
      const list = json<{ items: Array<{ name: string }> }>(await call(t, caller, { url: `/api/training/classes/${cls.id}/enrolments?pageSize=100` }));
      const progress = json<{ items: Array<{ name: string }> }>(await call(t, caller, { url: `/api/training/classes/${cls.id}/progress?pageSize=100` }));
      const detail = json<{ counts: { enrolledOnsite: number } }>(await call(t, caller, { url: `/api/training/classes/${cls.id}` }));
      return { list: names(list.items), progress: names(progress.items), counted: detail.counts.enrolledOnsite };
    };
    const before = await seen();
    expect(before.list).toEqual([a1.name, a2.name].sort());
    expect(before.progress).toEqual(before.list);
    expect(before.counted).toBe(2);

    // The owner narrows the audience to county A1: the caller still sees the class, and one set of trainees everywhere.
    const edit = await call(t, rootAdmin, { method: 'PATCH', url: `/api/training/classes/${cls.id}`, payload: { audienceOrgIds: [f.countyA1.id] } });
    expect(edit.statusCode, edit.body).toBe(200);
    const after = await seen();
    expect(after.progress, 'progress lists the trainees the trainee list lists').toEqual(after.list);
    expect(after.counted).toBe(after.list.length);
  });
});

describe('the assessment score', () => {
  it('has one write path: PATCH on an enrolment no longer takes it, and only owners score, with one decimal, audited', async () => {
    const cls = await insertClass(t, f.provinceA, { audienceOrgIds: [f.countyA1.id] });
    const person = await makePerson(t, f.unionA1);
    const enrolmentId = await insertEnrolment(t, cls.id, person.id, f.unionA1);
    const audienceOrganizer = await signIn(t, 'organizer', f.countyA1);
    const owner = await signIn(t, 'organizer', f.provinceA);

    // Before: an organizer of the audience, who does not own the class, set any score through PATCH.
    expectProblem(await call(t, audienceOrganizer, { method: 'PATCH', url: `/api/training/enrolments/${enrolmentId}`, payload: { assessmentScore: 99.999 } }), 400, 'body');
    expectProblem(await call(t, audienceOrganizer, { method: 'PUT', url: `/api/training/enrolments/${enrolmentId}/assessment`, payload: { score: 90 } }), 403);
    expectProblem(await call(t, owner, { method: 'PUT', url: `/api/training/enrolments/${enrolmentId}/assessment`, payload: { score: 92.55 } }), 400, 'body.score');

    const scored = await call(t, owner, { method: 'PUT', url: `/api/training/enrolments/${enrolmentId}/assessment`, payload: { score: 92.5 } });
    expect(scored.statusCode, scored.body).toBe(200);
    const stored = await t.pool.query<{ score: number; audited: number }>(
      `SELECT assessment_score::float8 AS score, (SELECT count(*)::int FROM audit_log WHERE entity = 'training_enrolment' AND entity_id = $2 AND action = 'assess') AS audited
       FROM training_enrolments WHERE id = $1`, [enrolmentId, String(enrolmentId)]);
    expect(stored.rows[0]).toEqual({ score: 92.5, audited: 1 });
  });
});
