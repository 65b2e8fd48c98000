import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, json, makeFederation, makePerson, signIn, type Session, type TestApp } from './helpers.ts';
import { enrol, makeClass, makeCourse } from './training-fixtures.ts';
import { insertSession } from './training-helpers.ts';

/**
 * One clock per trainee (issue 16, item 3): however many materials, tabs or streams are open at
 * once, the time credited over a wall-clock interval is at most that interval.
 */
let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
});
afterAll(async () => { await t.close(); });

async function trainee(classId: number, mode: 'onsite' | 'live' = 'onsite') {
  const person = await makePerson(t, f.unionA1);
  const enrolmentId = await enrol(t.pool, classId, person.id, f.unionA1, mode);
  return { personId: person.id, enrolmentId, session: await signIn(t, 'member', f.unionA1, person.id) };
}

/** `seconds` pass for the trainee: every beat they sent so far is that much older. */
async function pass(personId: number, seconds: number) {
  await t.pool.query('UPDATE training_study SET last_beat_at = last_beat_at - make_interval(secs => $2) WHERE person_id = $1', [personId, seconds]);
  await t.pool.query(`UPDATE training_live_presence SET last_beat_at = last_beat_at - make_interval(secs => $2)
    WHERE enrolment_id IN (SELECT id FROM training_enrolments WHERE person_id = $1)`, [personId, seconds]);
  await t.pool.query('UPDATE training_clock SET last_beat_at = last_beat_at - make_interval(secs => $2) WHERE person_id = $1', [personId, seconds]);
}

const study = async (who: Session, materialId: number, seconds: number) => {
  const reply = await call(t, who, { method: 'POST', url: `/api/my/training/materials/${materialId}/study`, payload: { seconds } });
  expect(reply.statusCode, reply.body).toBe(200);
  return json<{ credited: number }>(reply).credited;
};
const presence = async (who: Session, sessionId: number, seconds: number) => {
  const reply = await call(t, who, { method: 'POST', url: `/api/my/training/sessions/${sessionId}/presence`, payload: { seconds } });
  expect(reply.statusCode, reply.body).toBe(200);
  return json<{ credited: number }>(reply).credited;
};
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const studiedSeconds = async (personId: number) =>
  (await t.pool.query<{ s: number }>('SELECT coalesce(sum(seconds), 0)::int AS s FROM training_study WHERE person_id = $1', [personId])).rows[0]!.s;

describe('one clock per trainee', () => {
  it('credits three materials studied in parallel the wall-clock time once', async () => {
    const classId = await makeClass(t.pool, f.provinceA, { minOnlineMinutes: 30 });
    const { materialIds } = await makeCourse(t.pool, classId, f.provinceA, [10, 10, 10]);
    const me = await trainee(classId);
    const started = Date.now();
    // Three tabs open at once: opening credits nothing.
    expect(await Promise.all(materialIds.map((id) => study(me.session, id, 30)))).toEqual([0, 0, 0]);
    let credited = 0;
    for (let round = 0; round < 4; round++) {
      await pass(me.personId, 30);
      // Each tab beats at the same moment, claiming the 30 s it saw.
      credited += sum(await Promise.all(materialIds.map((id) => study(me.session, id, 30))));
    }
    const slack = Math.ceil((Date.now() - started) / 1000);
    expect(credited).toBeGreaterThanOrEqual(4 * 30);
    expect(credited).toBeLessThanOrEqual(4 * 30 + slack);
    expect(await studiedSeconds(me.personId)).toBe(credited);
  });

  it('credits three tabs beating every 30 s, one after the other, the time that passed', async () => {
    const classId = await makeClass(t.pool, f.provinceA);
    const { materialIds } = await makeCourse(t.pool, classId, f.provinceA, [10, 10, 10]);
    const me = await trainee(classId);
    const started = Date.now();
    for (const id of materialIds) {
      expect(await study(me.session, id, 30)).toBe(0);
      await pass(me.personId, 10);
    }
    // Tab after tab every 10 s, each claiming the 30 s since its own last beat: 90 s pass in all.
    let credited = 0;
    for (let round = 0; round < 3; round++) {
      for (const id of materialIds) {
        credited += await study(me.session, id, 30);
        await pass(me.personId, 10);
      }
    }
    const slack = Math.ceil((Date.now() - started) / 1000);
    expect(credited).toBeGreaterThanOrEqual(80);
    expect(credited).toBeLessThanOrEqual(90 + slack);
  });

  it('shares the clock between a live stream and a material open at the same time', async () => {
    const classId = await makeClass(t.pool, f.provinceA);
    const live = await insertSession(t, classId, -9, 30, { place: null, kind: 'live' });
    const { materialIds: [materialId] } = await makeCourse(t.pool, classId, f.provinceA, [10]);
    const me = await trainee(classId, 'live');
    const started = Date.now();
    await presence(me.session, live, 30);
    await study(me.session, materialId!, 30);
    let credited = 0;
    for (let round = 0; round < 3; round++) {
      await pass(me.personId, 30);
      credited += sum(await Promise.all([presence(me.session, live, 30), study(me.session, materialId!, 30)]));
    }
    const slack = Math.ceil((Date.now() - started) / 1000);
    expect(credited).toBeGreaterThanOrEqual(3 * 30);
    expect(credited).toBeLessThanOrEqual(3 * 30 + slack);
  });
});
