import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Enrolment } from '@workers-home/contract';
import { call, createTestApp, expectProblem, json, makeFederation, makePerson, signIn, validIdNumber, type Session, type TestApp } from './helpers.ts';
import { insertClass, insertEnrolment } from './training-helpers.ts';

let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let owner: Session;

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  owner = await signIn(t, 'organizer', f.provinceA);
});
afterAll(async () => { await t.close(); });

const enrol = (session: Session, classId: number, body: Record<string, unknown>) =>
  call(t, session, { method: 'POST', url: `/api/training/classes/${classId}/enrolments`, payload: body });

describe('enrolling one trainee', () => {
  it('finds the person by id, ID number or phone, defaults their organization, and audits', async () => {
    const cls = await insertClass(t, f.provinceA);
    const a = await makePerson(t, f.unionA1);
    const b = await makePerson(t, f.unionA1b);
    const c = await makePerson(t, f.unionA2, { phone: '13912345678' });
    const byId = await enrol(owner, cls.id, { personId: a.id, mode: 'onsite' });
    expect(byId.statusCode, byId.body).toBe(201);
    expect(json<Enrolment>(byId)).toMatchObject({ personId: a.id, orgId: f.unionA1.id, mode: 'onsite', status: 'enrolled' });
    expect(json<Enrolment>(await enrol(owner, cls.id, { idNumber: b.idNumber.toLowerCase(), mode: 'live' }))).toMatchObject({ personId: b.id, orgId: f.unionA1b.id, mode: 'live' });
    expect(json<Enrolment>(await enrol(owner, cls.id, { phone: '13912345678', mode: 'onsite', orgId: f.countyA2.id }))).toMatchObject({ personId: c.id, orgId: f.countyA2.id });
    // A cadre position is preferred over the membership as "where the trainee comes from".
    const cadre = await makePerson(t, f.unionA1);
    await t.pool.query(`INSERT INTO cadre_positions (province_id, person_id, org_id, title, since) SELECT province_id, id, $2, '副主席', '2023-01-01' FROM persons WHERE id = $1`, [cadre.id, f.countyA1.id]);
    expect(json<Enrolment>(await enrol(owner, cls.id, { personId: cadre.id, mode: 'onsite' })).orgId).toBe(f.countyA1.id);
    const audit = await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'training_enrolment' AND action = 'enrol'`);
    expect(audit.rows[0]!.n).toBe(4);
  });

  it('answers bad input naming the field, and writes nothing', async () => {
    const cls = await insertClass(t, f.provinceA);
    const a = await makePerson(t, f.unionA1);
    const outsider = await makePerson(t, f.unionB);
    expectProblem(await enrol(owner, cls.id, { mode: 'onsite' }), 400, 'body.personId');
    expectProblem(await enrol(owner, cls.id, { personId: a.id, idNumber: a.idNumber, mode: 'onsite' }), 400, 'body.personId');
    expectProblem(await enrol(owner, cls.id, { personId: a.id, mode: 'remote' }), 400, 'body.mode');
    expectProblem(await enrol(owner, cls.id, { idNumber: a.idNumber.slice(0, 17), mode: 'onsite' }), 400, 'body.idNumber');
    expectProblem(await enrol(owner, cls.id, { phone: '1391234', mode: 'onsite' }), 400, 'body.phone');
    expectProblem(await enrol(owner, cls.id, { idNumber: validIdNumber(), mode: 'onsite' }), 400, 'body.idNumber');
    expectProblem(await enrol(owner, cls.id, { personId: outsider.id, mode: 'onsite' }), 400, 'body.personId');
    expectProblem(await enrol(owner, cls.id, { idNumber: outsider.idNumber, mode: 'onsite' }), 400, 'body.idNumber');
    expectProblem(await enrol(owner, cls.id, { personId: a.id, mode: 'onsite', orgId: f.unionA2.id }), 400, 'body.orgId');
    expect(json<Enrolment>(await enrol(owner, cls.id, { personId: a.id, mode: 'onsite' })).personId).toBe(a.id);
    expectProblem(await enrol(owner, cls.id, { idNumber: a.idNumber, mode: 'live' }), 409, 'body.idNumber');
    const rows = await t.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM training_enrolments WHERE class_id = $1', [cls.id]);
    expect(rows.rows[0]!.n).toBe(1);
  });

  it('refuses to enrol when the class is closed, and hides drafts from audience organizers', async () => {
    const closed = await insertClass(t, f.provinceA, { status: 'closed' });
    const a = await makePerson(t, f.unionA1);
    expectProblem(await enrol(owner, closed.id, { personId: a.id, mode: 'onsite' }), 409, 'params.id');
    const draft = await insertClass(t, f.provinceA, { status: 'draft', audienceOrgIds: [f.countyA1.id] });
    const countyOrganizer = await signIn(t, 'organizer', f.countyA1);
    expectProblem(await enrol(countyOrganizer, draft.id, { personId: a.id, mode: 'onsite' }), 404);
  });
});

describe('capacity', () => {
  it('is enforced per mode, with a message naming the mode', async () => {
    const cls = await insertClass(t, f.provinceA, { capacityOnsite: 1, capacityLive: 0 });
    const [a, b] = [await makePerson(t, f.unionA1), await makePerson(t, f.unionA1)];
    expect((await enrol(owner, cls.id, { personId: a.id, mode: 'onsite' })).statusCode).toBe(201);
    const full = expectProblem(await enrol(owner, cls.id, { personId: b.id, mode: 'onsite' }), 409, 'body.mode');
    expect(full.detail).toContain('1 of 1');
    const none = expectProblem(await enrol(owner, cls.id, { personId: b.id, mode: 'live' }), 409, 'body.mode');
    expect(none.detail).toContain('no live trainees');
    // Capacity cannot drop below the seats taken.
    expectProblem(await call(t, owner, { method: 'PATCH', url: `/api/training/classes/${cls.id}`, payload: { capacityOnsite: 0 } }), 409, 'body.capacityOnsite');
  });

  it('holds when two organizers race for the last seat: exactly one wins', async () => {
    const cls = await insertClass(t, f.provinceA, { capacityOnsite: 1, audienceOrgIds: [f.countyA1.id, f.countyA2.id] });
    const first = await signIn(t, 'organizer', f.countyA1);
    const second = await signIn(t, 'organizer', f.countyA2);
    for (let round = 0; round < 5; round++) {
      await t.pool.query('DELETE FROM training_enrolments WHERE class_id = $1', [cls.id]);
      const [a, b] = [await makePerson(t, f.unionA1), await makePerson(t, f.unionA2)];
      const answers = await Promise.all([enrol(first, cls.id, { personId: a.id, mode: 'onsite' }), enrol(second, cls.id, { personId: b.id, mode: 'onsite' })]);
      expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      const loser = answers.find((r) => r.statusCode === 409)!;
      expectProblem(loser, 409, 'body.mode');
      const taken = await t.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM training_enrolments WHERE class_id = $1 AND status = 'enrolled'`, [cls.id]);
      expect(taken.rows[0]!.n).toBe(1);
    }
  });

  it('counts a re-enrolment and a mode change against the capacity too', async () => {
    const cls = await insertClass(t, f.provinceA, { capacityOnsite: 1, capacityLive: 1 });
    const [a, b] = [await makePerson(t, f.unionA1), await makePerson(t, f.unionA1)];
    const ea = json<Enrolment>(await enrol(owner, cls.id, { personId: a.id, mode: 'onsite' }));
    const eb = json<Enrolment>(await enrol(owner, cls.id, { personId: b.id, mode: 'live' }));
    expectProblem(await call(t, owner, { method: 'PATCH', url: `/api/training/enrolments/${eb.id}`, payload: { mode: 'onsite' } }), 409, 'body.mode');
    expect(json<Enrolment>(await call(t, owner, { method: 'PATCH', url: `/api/training/enrolments/${ea.id}`, payload: { status: 'withdrawn' } })).status).toBe('withdrawn');
    expect(json<Enrolment>(await call(t, owner, { method: 'PATCH', url: `/api/training/enrolments/${eb.id}`, payload: { mode: 'onsite' } })).mode).toBe('onsite');
    expectProblem(await call(t, owner, { method: 'PATCH', url: `/api/training/enrolments/${ea.id}`, payload: { status: 'enrolled' } }), 409, 'body.status');
    // Re-enrolling a withdrawn trainee live takes the free live seat.
    const again = await enrol(owner, cls.id, { personId: a.id, mode: 'live' });
    expect(again.statusCode, again.body).toBe(201);
    expect(json<Enrolment>(again)).toMatchObject({ id: ea.id, mode: 'live', status: 'enrolled' });
    expect(json<{ assessmentScore: number }>(await call(t, owner, { method: 'PUT', url: `/api/training/enrolments/${ea.id}/assessment`, payload: { score: 92.5 } })).assessmentScore).toBe(92.5);
    expectProblem(await call(t, owner, { method: 'PUT', url: `/api/training/enrolments/${ea.id}/assessment`, payload: { score: 101 } }), 400, 'body.score');
  });
});

describe('an organizer of an audience subtree', () => {
  it('enrols and sees only their own people', async () => {
    const cls = await insertClass(t, f.provinceA, { audienceOrgIds: [f.countyA1.id, f.countyA2.id] });
    const countyOrganizer = await signIn(t, 'organizer', f.countyA1);
    const own = await makePerson(t, f.unionA1);
    const other = await makePerson(t, f.unionA2);
    const ownEnrolment = json<Enrolment>(await enrol(countyOrganizer, cls.id, { personId: own.id, mode: 'onsite' }));
    expect(ownEnrolment.orgId).toBe(f.unionA1.id);
    expectProblem(await enrol(countyOrganizer, cls.id, { personId: other.id, mode: 'onsite' }), 400, 'body.personId');
    expectProblem(await enrol(countyOrganizer, cls.id, { idNumber: other.idNumber, mode: 'onsite' }), 400, 'body.idNumber');
    const otherId = await insertEnrolment(t, cls.id, other.id, f.unionA2);
    const list = json<{ items: Enrolment[]; total: number }>(await call(t, countyOrganizer, { url: `/api/training/classes/${cls.id}/enrolments` }));
    expect(list.items.map((e) => e.personId)).toEqual([own.id]);
    expect(list.total).toBe(1);
    expectProblem(await call(t, countyOrganizer, { method: 'PATCH', url: `/api/training/enrolments/${otherId}`, payload: { status: 'withdrawn' } }), 404);
    const all = json<{ items: Enrolment[] }>(await call(t, owner, { url: `/api/training/classes/${cls.id}/enrolments?pageSize=50` }));
    expect(all.items.map((e) => e.personId).sort()).toEqual([own.id, other.id].sort());
    // Outside the audience: nothing.
    const outsiderOrganizer = await signIn(t, 'organizer', f.provinceB);
    expectProblem(await enrol(outsiderOrganizer, cls.id, { personId: own.id, mode: 'onsite' }), 404);
    expectProblem(await call(t, outsiderOrganizer, { url: `/api/training/classes/${cls.id}/enrolments` }), 404);
    // Readers without the organizer role may look but not enrol.
    const countyAuditor = await signIn(t, 'auditor', f.countyA1);
    expectProblem(await enrol(countyAuditor, cls.id, { personId: own.id, mode: 'onsite' }), 403);
  });
});
