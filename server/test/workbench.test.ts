import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FiguresTrend, Workbench } from '@workers-home/contract';
import { call, createTestApp, json, makeFederation, makePerson, signIn, type TestApp } from './helpers.ts';
import { chinaDate, insertClass, insertEnrolment } from './training-helpers.ts';

let t: TestApp;
let fed: Awaited<ReturnType<typeof makeFederation>>;

beforeAll(async () => {
  t = await createTestApp();
  fed = await makeFederation(t.pool);
});
afterAll(() => t.close());

const cardsOf = (body: Workbench) => Object.fromEntries(body.cards.map((c) => [c.id, c]));

describe('the home page\'s workbench', () => {
  it('gives each module\'s cards for the caller\'s own subtree only, and no card of a module the caller has no role in', async () => {
    // A class starting in three days in county A1, another in county A2; a failed import in each county.
    const starting = await insertClass(t, fed.countyA1, { title: '下周开班' });
    await t.pool.query(`UPDATE training_classes SET starts_on = $2, ends_on = $3 WHERE id = $1`, [starting.id, chinaDate(3), chinaDate(5)]);
    const elsewhere = await insertClass(t, fed.countyA2);
    await t.pool.query(`UPDATE training_classes SET starts_on = $2, ends_on = $3 WHERE id = $1`, [elsewhere.id, chinaDate(1), chinaDate(2)]);
    for (const org of [fed.countyA1, fed.countyA2]) {
      await t.pool.query(`INSERT INTO import_jobs (org_id, org_path, file_name, status, error) VALUES ($1, $2::ltree, 'roster.csv', 'failed', 'unreadable')`, [org.id, org.path]);
    }

    const county = await signIn(t, 'admin', fed.countyA1);
    const body = json<Workbench>(await call(t, county, { method: 'GET', url: '/api/workbench' }));
    expect(body.roots).toEqual([{ id: fed.countyA1.id, name: fed.countyA1.name, level: 'county' }]);
    const cards = cardsOf(body);
    expect(cards['people.importsFailed']).toEqual({ id: 'people.importsFailed', count: 1, link: '/members/import' });
    expect(cards['training.classesStarting']).toEqual({ id: 'training.classesStarting', count: 1, link: `/training/classes/${starting.id}` });
    expect(cards['people.transfersWaiting']?.count).toBe(0);

    const province = await signIn(t, 'admin', fed.provinceA);
    const both = cardsOf(json<Workbench>(await call(t, province, { method: 'GET', url: '/api/workbench' })));
    expect(both['people.importsFailed']?.count).toBe(2);
    expect(both['training.classesStarting']).toEqual({ id: 'training.classesStarting', count: 2, link: '/training' });

    // An organizer alone sees training's cards and none of the people module's.
    const organizer = await signIn(t, 'training.organizer', fed.countyA2);
    const own = cardsOf(json<Workbench>(await call(t, organizer, { method: 'GET', url: '/api/workbench' })));
    expect(Object.keys(own).sort()).toEqual(['training.certificatesToIssue', 'training.classesStarting']);
    expect(own['training.classesStarting']?.count).toBe(1);
  });

  it('counts trainees who completed a class that ended and have no certificate yet', async () => {
    const ended = await insertClass(t, fed.unionA2, { status: 'closed' });
    await t.pool.query(`UPDATE training_classes SET starts_on = $2, ends_on = $3, min_attendance_share = 0 WHERE id = $1`, [ended.id, chinaDate(-10), chinaDate(-8)]);
    for (let i = 0; i < 3; i++) {
      const person = await makePerson(t, fed.unionA2);
      await insertEnrolment(t, ended.id, person.id, fed.unionA2);
    }
    const organizer = await signIn(t, 'training.organizer', fed.unionA2);
    const cards = cardsOf(json<Workbench>(await call(t, organizer, { method: 'GET', url: '/api/workbench' })));
    expect(cards['training.certificatesToIssue']).toEqual({ id: 'training.certificatesToIssue', count: 3, link: `/training/classes/${ended.id}?tab=certificates` });
    // A reader of the same union does not issue certificates: no such card.
    const reader = await signIn(t, 'training.reader', fed.unionA2);
    expect(cardsOf(json<Workbench>(await call(t, reader, { method: 'GET', url: '/api/workbench' })))['training.certificatesToIssue']).toBeUndefined();
  });
});

describe('the members trend', () => {
  it('counts joins and ends month by month in China time and walks the active count back from today', async () => {
    const union = fed.unionB;
    const thisMonth = chinaDate().slice(0, 7);
    // Two members joined this month, one of whom has left; one joined long ago.
    const a = await makePerson(t, union);
    const b = await makePerson(t, union);
    const old = await makePerson(t, union);
    await t.pool.query(`UPDATE memberships SET joined_on = $2 WHERE person_id = ANY($1::bigint[])`, [[a.id, b.id], `${thisMonth}-01`]);
    await t.pool.query(`UPDATE memberships SET joined_on = '2001-01-01' WHERE person_id = $1`, [old.id]);
    const admin = await signIn(t, 'people.admin', union);
    expect((await call(t, admin, { method: 'POST', url: `/api/persons/${b.id}/leave`, payload: { date: chinaDate(), note: '退休' } })).statusCode).toBe(200);

    const reader = await signIn(t, 'people.reader', fed.provinceB);
    const response = await call(t, reader, { method: 'GET', url: `/api/orgs/${fed.provinceB.id}/figures/trend` });
    expect(response.statusCode).toBe(200);
    const trend = json<FiguresTrend>(response);
    expect(trend.months).toHaveLength(12);
    const last = trend.months.at(-1)!;
    expect(last).toEqual({ month: thisMonth, joined: 2, ended: 1, activeAtEnd: 2 });
    // The month before: only the old member.
    expect(trend.months.at(-2)!.activeAtEnd).toBe(1);
    expect(trend.months[0]!.month < thisMonth).toBe(true);

    // Outside the caller's subtree: not found, as a missing organization.
    const other = await call(t, reader, { method: 'GET', url: `/api/orgs/${fed.provinceA.id}/figures/trend` });
    const missing = await call(t, reader, { method: 'GET', url: '/api/orgs/999999999/figures/trend' });
    expect(other.statusCode).toBe(404);
    expect(json(other).code).toBe(json(missing).code);
  });
});
