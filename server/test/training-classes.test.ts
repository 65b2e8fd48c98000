import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ical from 'node-ical';
import type { ClassDetail, TrainingClass, TrainingPlan, TrainingSession } from '@workers-home/contract';
import { call, createTestApp, expectProblem, json, makeFederation, signIn, type Session, type TestApp } from './helpers.ts';
import { chinaDate, insertEnrolment, makeTrainee } from './training-helpers.ts';

let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let provinceOrganizer: Session;
let countyOrganizer: Session;
let siblingAdmin: Session;

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  provinceOrganizer = await signIn(t, 'organizer', f.provinceA);
  countyOrganizer = await signIn(t, 'organizer', f.countyA1);
  siblingAdmin = await signIn(t, 'admin', f.provinceB);
});
afterAll(async () => { await t.close(); });

const at = (date: string, time: string) => `${date}T${time}:00+08:00`;
/** The events of an .ics file as node-ical (a parser nobody here wrote) reads them. */
/** A property node-ical gives as a string, or as { val, params } when it has parameters. */
const text = (value: unknown) => (typeof value === 'string' ? value : (value as { val: string }).val);
const eventsOf = (body: string) => Object.values(ical.sync.parseICS(body)).filter((c): c is ical.VEvent => c?.type === 'VEVENT');

async function createClass(session: Session, body: Record<string, unknown> = {}): Promise<ClassDetail> {
  const response = await call(t, session, {
    method: 'POST', url: '/api/training/classes',
    payload: { orgId: f.provinceA.id, title: '全省工会干部学习贯彻中国工会十八大精神培训班', startsOn: '2026-11-05', endsOn: '2026-11-08', capacityOnsite: 60, capacityLive: 200, ...body },
  });
  expect(response.statusCode, response.body).toBe(201);
  return json<ClassDetail>(response);
}

describe('plans', () => {
  it('creates, lists, reads and edits a plan within the organizer\'s subtree; a title is unique per organization and year', async () => {
    const created = await call(t, provinceOrganizer, { method: 'POST', url: '/api/training/plans', payload: { orgId: f.provinceA.id, year: 2024, title: '2024年干部教育培训计划' } });
    expect(created.statusCode, created.body).toBe(201);
    const plan = json<TrainingPlan>(created);
    expect(plan).toMatchObject({ orgId: f.provinceA.id, year: 2024, classCount: 0 });
    expectProblem(await call(t, provinceOrganizer, { method: 'POST', url: '/api/training/plans', payload: { orgId: f.provinceA.id, year: 2024, title: '2024年干部教育培训计划' } }), 409, 'body.title');
    expectProblem(await call(t, provinceOrganizer, { method: 'POST', url: '/api/training/plans', payload: { orgId: f.provinceA.id, year: 1999, title: 'x' } }), 400, 'body.year');
    expectProblem(await call(t, countyOrganizer, { method: 'POST', url: '/api/training/plans', payload: { orgId: f.provinceA.id, year: 2024, title: 'x' } }), 400, 'body.orgId');
    const provinceAuditor = await signIn(t, 'auditor', f.provinceA);
    expectProblem(await call(t, provinceAuditor, { method: 'POST', url: '/api/training/plans', payload: { orgId: f.provinceA.id, year: 2024, title: 'x' } }), 403);
    const list = json<{ items: TrainingPlan[] }>(await call(t, provinceOrganizer, { url: '/api/training/plans?year=2024' }));
    expect(list.items.map((p) => p.id)).toContain(plan.id);
    const edited = await call(t, provinceOrganizer, { method: 'PATCH', url: `/api/training/plans/${plan.id}`, payload: { note: '全年 12 期' } });
    expect(json<TrainingPlan>(edited).note).toBe('全年 12 期');
    expect((await call(t, siblingAdmin, { url: `/api/training/plans/${plan.id}` })).statusCode).toBe(404);
    expect((await call(t, null, { url: '/api/training/plans' })).statusCode).toBe(401);
    const audit = await t.pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'training_plan' AND entity_id = $1 ORDER BY id`, [String(plan.id)]);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'update']);
  });
});

describe('classes', () => {
  it('creates a draft with its counts, edits it, and checks dates, plan and audience', async () => {
    const plan = json<TrainingPlan>(await call(t, provinceOrganizer, { method: 'POST', url: '/api/training/plans', payload: { orgId: f.provinceA.id, year: 2026, title: '2026年培训计划' } }));
    const cls = await createClass(provinceOrganizer, { planId: plan.id, theme: '学习贯彻', hostInstitution: '中国劳动关系学院', venue: '北京', audienceOrgIds: [f.countyA1.id], classHours: 24 });
    expect(cls).toMatchObject({ status: 'draft', planTitle: '2026年培训计划', owned: true, capacityOnsite: 60, capacityLive: 200, audienceOrgIds: [f.countyA1.id], classHours: 24,
      counts: { enrolledOnsite: 0, enrolledLive: 0, seatsTakenOnsite: 0, seatsTakenLive: 0, sessions: 0 } });
    expectProblem(await call(t, provinceOrganizer, { method: 'POST', url: '/api/training/classes', payload: { orgId: f.provinceA.id, title: 'x', startsOn: '2026-11-05', endsOn: '2026-11-04' } }), 400, 'body.endsOn');
    expectProblem(await call(t, provinceOrganizer, { method: 'POST', url: '/api/training/classes', payload: { orgId: f.provinceA.id, title: 'x', startsOn: '2026-11-05', endsOn: '2026-11-06', audienceOrgIds: [f.provinceB.id] } }), 400, 'body.audienceOrgIds.0');
    expectProblem(await call(t, provinceOrganizer, { method: 'POST', url: '/api/training/classes', payload: { orgId: f.provinceA.id, title: 'x', startsOn: '2026-11-05', endsOn: '2026-11-06', capacityOnsite: -1 } }), 400, 'body.capacityOnsite');
    expectProblem(await call(t, provinceOrganizer, { method: 'POST', url: '/api/training/classes', payload: { orgId: f.provinceA.id, title: 'x', startsOn: '2026-11-05', endsOn: '2026-11-06', livePresenceShare: 1.5 } }), 400, 'body.livePresenceShare');
    expectProblem(await call(t, provinceOrganizer, { method: 'POST', url: '/api/training/classes', payload: { orgId: f.provinceB.id, title: 'x', startsOn: '2026-11-05', endsOn: '2026-11-06' } }), 400, 'body.orgId');
    expectProblem(await call(t, countyOrganizer, { method: 'POST', url: '/api/training/classes', payload: { orgId: f.countyA1.id, planId: plan.id, title: 'x', startsOn: '2026-11-05', endsOn: '2026-11-06' } }), 400, 'body.planId');
    const edited = await call(t, provinceOrganizer, { method: 'PATCH', url: `/api/training/classes/${cls.id}`, payload: { venue: '呼和浩特', capacityLive: 300 } });
    expect(json<ClassDetail>(edited)).toMatchObject({ venue: '呼和浩特', capacityLive: 300 });
    expectProblem(await call(t, provinceOrganizer, { method: 'PATCH', url: `/api/training/classes/${cls.id}`, payload: { endsOn: '2026-11-01' } }), 400, 'body.endsOn');
    expectProblem(await call(t, provinceOrganizer, { method: 'PATCH', url: `/api/training/classes/${cls.id}`, payload: { orgId: f.provinceB.id } }), 400, 'body.orgId');
    // A county organizer (in the audience) may not edit the province's class.
    expectProblem(await call(t, countyOrganizer, { method: 'PATCH', url: `/api/training/classes/${cls.id}`, payload: { venue: 'x' } }), 404);
  });

  it('moves one status step at a time, back one step too', async () => {
    const cls = await createClass(provinceOrganizer);
    const move = (status: string) => call(t, provinceOrganizer, { method: 'POST', url: `/api/training/classes/${cls.id}/status`, payload: { status } });
    expectProblem(await move('running'), 409, 'body.status');
    expect(json<ClassDetail>(await move('open')).status).toBe('open');
    expect(json<ClassDetail>(await move('running')).status).toBe('running');
    expect(json<ClassDetail>(await move('open')).status).toBe('open');
    expect(json<ClassDetail>(await move('running')).status).toBe('running');
    expect(json<ClassDetail>(await move('closed')).status).toBe('closed');
    expectProblem(await move('draft'), 409, 'body.status');
    expectProblem(await move('finished'), 400, 'body.status');
    const audit = await t.pool.query<{ after: { status: string } }>(`SELECT after FROM audit_log WHERE entity = 'training_class' AND action = 'status' AND entity_id = $1 ORDER BY id`, [String(cls.id)]);
    expect(audit.rows.map((r) => r.after.status)).toEqual(['open', 'running', 'open', 'running', 'closed']);
  });

  it('shows a class to its audience only once it is open, and every enrolment only to readers of the organizer organization', async () => {
    const cls = await createClass(provinceOrganizer, { audienceOrgIds: [f.countyA1.id] });
    const countyAuditor = await signIn(t, 'auditor', f.countyA1);
    const otherCounty = await signIn(t, 'organizer', f.countyA2);
    expect((await call(t, countyAuditor, { url: `/api/training/classes/${cls.id}` })).statusCode).toBe(404);
    const draftList = json<{ items: TrainingClass[] }>(await call(t, countyAuditor, { url: '/api/training/classes' }));
    expect(draftList.items.some((c) => c.id === cls.id)).toBe(false);
    await call(t, provinceOrganizer, { method: 'POST', url: `/api/training/classes/${cls.id}/status`, payload: { status: 'open' } });
    const seen = json<ClassDetail>(await call(t, countyAuditor, { url: `/api/training/classes/${cls.id}` }));
    expect(seen.owned).toBe(false);
    expect((await call(t, otherCounty, { url: `/api/training/classes/${cls.id}` })).statusCode).toBe(404);
    expect((await call(t, siblingAdmin, { url: `/api/training/classes/${cls.id}` })).statusCode).toBe(404);
    // Counts: the county sees its own trainees; seats taken are the whole class's.
    const a = await makeTrainee(t, f.unionA1);
    const b = await makeTrainee(t, f.unionA2);
    await insertEnrolment(t, cls.id, a.personId, f.unionA1, 'onsite');
    await insertEnrolment(t, cls.id, b.personId, f.unionA2, 'live');
    const county = json<ClassDetail>(await call(t, countyAuditor, { url: `/api/training/classes/${cls.id}` }));
    expect(county.counts).toMatchObject({ enrolledOnsite: 1, enrolledLive: 0, seatsTakenOnsite: 1, seatsTakenLive: 1 });
    const owner = json<ClassDetail>(await call(t, provinceOrganizer, { url: `/api/training/classes/${cls.id}` }));
    expect(owner.counts).toMatchObject({ enrolledOnsite: 1, enrolledLive: 1 });
    const list = json<{ items: Array<{ personId: number }> }>(await call(t, countyAuditor, { url: `/api/training/classes/${cls.id}/enrolments` }));
    expect(list.items.map((e) => e.personId)).toEqual([a.personId]);
  });

  it('lists with filters and answers bad filters naming the field', async () => {
    const cls = await createClass(provinceOrganizer, { title: '新任领导班子成员专题培训班' });
    const found = json<{ items: TrainingClass[] }>(await call(t, provinceOrganizer, { url: `/api/training/classes?q=${encodeURIComponent('领导班子')}&status=draft&year=2026` }));
    expect(found.items.map((c) => c.id)).toEqual([cls.id]);
    expectProblem(await call(t, provinceOrganizer, { url: '/api/training/classes?status=finished' }), 400, 'query.status');
    expectProblem(await call(t, provinceOrganizer, { url: '/api/training/classes/abc' }), 400, 'params.id');
  });
});

describe('timetable', () => {
  it('adds sessions within the class dates, flags overlaps, edits and removes them', async () => {
    const cls = await createClass(provinceOrganizer);
    const add = (body: Record<string, unknown>) => call(t, provinceOrganizer, { method: 'POST', url: `/api/training/classes/${cls.id}/sessions`, payload: body });
    const opening = await add({ kind: 'opening', topic: '开班动员', startsAt: at('2026-11-05', '09:00'), endsAt: at('2026-11-05', '10:00'), place: '第一报告厅',
      speakers: [{ name: '李主任', title: '组织部部长', org: '全国总工会' }] });
    expect(opening.statusCode, opening.body).toBe(201);
    const lecture = json<TrainingSession>(await add({ kind: 'lecture', topic: '新就业形态劳动者权益保障', startsAt: at('2026-11-05', '09:30'), endsAt: at('2026-11-05', '11:30'), place: '第一报告厅', streamUrl: 'https://live.example.cn/s/2' }));
    const live = json<TrainingSession>(await add({ kind: 'live', topic: '直播：政策解读', startsAt: at('2026-11-06', '14:00'), endsAt: at('2026-11-06', '16:00'), streamUrl: 'https://live.example.cn/s/3' }));
    const sessions = json<TrainingSession[]>(await call(t, provinceOrganizer, { url: `/api/training/classes/${cls.id}/sessions` }));
    const openingId = json<TrainingSession>(opening).id;
    expect(sessions.map((s) => [s.id, s.overlapsWith])).toEqual([[openingId, [lecture.id]], [lecture.id, [openingId]], [live.id, []]]);
    expect(sessions[0]!.speakers).toEqual([{ name: '李主任', title: '组织部部长', org: '全国总工会' }]);

    expectProblem(await add({ kind: 'lecture', topic: 'x', startsAt: at('2026-11-04', '09:00'), endsAt: at('2026-11-04', '10:00'), place: 'x' }), 400, 'body.startsAt');
    expectProblem(await add({ kind: 'lecture', topic: 'x', startsAt: at('2026-11-08', '23:00'), endsAt: at('2026-11-09', '01:00'), place: 'x' }), 400, 'body.endsAt');
    expectProblem(await add({ kind: 'lecture', topic: 'x', startsAt: at('2026-11-05', '10:00'), endsAt: at('2026-11-05', '09:00'), place: 'x' }), 400, 'body.endsAt');
    expectProblem(await add({ kind: 'lecture', topic: 'x', startsAt: at('2026-11-05', '09:00'), endsAt: at('2026-11-05', '10:00') }), 400, 'body.place');
    expectProblem(await add({ kind: 'live', topic: 'x', startsAt: at('2026-11-05', '09:00'), endsAt: at('2026-11-05', '10:00'), place: 'x' }), 400, 'body.streamUrl');
    expectProblem(await add({ kind: 'banquet', topic: 'x', startsAt: at('2026-11-05', '09:00'), endsAt: at('2026-11-05', '10:00'), place: 'x' }), 400, 'body.kind');
    expectProblem(await add({ kind: 'lecture', topic: 'x', startsAt: '2026-11-05 09:00', endsAt: at('2026-11-05', '10:00'), place: 'x' }), 400, 'body.startsAt');
    expectProblem(await add({ kind: 'lecture', topic: 'x', startsAt: at('2026-11-05', '09:00'), endsAt: at('2026-11-05', '10:00'), streamUrl: 'javascript:alert(1)' }), 400, 'body.streamUrl');

    const moved = await call(t, provinceOrganizer, { method: 'PATCH', url: `/api/training/sessions/${lecture.id}`, payload: { startsAt: at('2026-11-05', '10:00') } });
    expect(json<TrainingSession>(moved).overlapsWith).toEqual([]);
    expectProblem(await call(t, provinceOrganizer, { method: 'PATCH', url: `/api/training/sessions/${lecture.id}`, payload: { endsAt: at('2026-11-05', '08:00') } }), 400, 'body.endsAt');
    // The class cannot shrink past its sessions.
    expectProblem(await call(t, provinceOrganizer, { method: 'PATCH', url: `/api/training/classes/${cls.id}`, payload: { endsOn: '2026-11-05' } }), 409, 'body.endsOn');
    expect((await call(t, provinceOrganizer, { method: 'DELETE', url: `/api/training/sessions/${live.id}` })).statusCode).toBe(204);
    expect((await call(t, siblingAdmin, { method: 'DELETE', url: `/api/training/sessions/${lecture.id}` })).statusCode).toBe(404);
    expect((await call(t, countyOrganizer, { method: 'DELETE', url: `/api/training/sessions/${lecture.id}` })).statusCode).toBe(404);
    const detail = json<ClassDetail>(await call(t, provinceOrganizer, { url: `/api/training/classes/${cls.id}` }));
    expect(detail.counts.sessions).toBe(2);
    const audit = await t.pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'training_session' AND entity_id = $1 ORDER BY id`, [String(live.id)]);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'delete']);
  });

  it('refuses to remove a session someone attended', async () => {
    const cls = await createClass(provinceOrganizer, { startsOn: chinaDate(-1), endsOn: chinaDate(1) });
    const session = json<TrainingSession>(await call(t, provinceOrganizer, { method: 'POST', url: `/api/training/classes/${cls.id}/sessions`,
      payload: { kind: 'lecture', topic: '专题讲座', startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3600_000).toISOString(), place: '报告厅' } }));
    const trainee = await makeTrainee(t, f.unionA1);
    const enrolment = await insertEnrolment(t, cls.id, trainee.personId, f.unionA1);
    await t.pool.query(
      `INSERT INTO training_attendance (session_id, enrolment_id, province_id, method) SELECT $1, id, province_id, 'manual' FROM training_enrolments WHERE id = $2`,
      [session.id, enrolment]);
    expectProblem(await call(t, provinceOrganizer, { method: 'DELETE', url: `/api/training/sessions/${session.id}` }), 409, 'params.id');
    expect((await t.pool.query('SELECT 1 FROM training_sessions WHERE id = $1', [session.id])).rowCount).toBe(1);
  });
});

describe('iCalendar', () => {
  it('exports a class timetable that a real iCalendar parser reads back, event by event', async () => {
    const cls = await createClass(provinceOrganizer, { title: '工会干部培训班' });
    const add = (body: Record<string, unknown>) => call(t, provinceOrganizer, { method: 'POST', url: `/api/training/classes/${cls.id}/sessions`, payload: body });
    const a = json<TrainingSession>(await add({ kind: 'opening', topic: '开班仪式', startsAt: at('2026-11-05', '09:00'), endsAt: at('2026-11-05', '10:00'), place: '第一报告厅', speakers: [{ name: '王书记', title: '党组书记', org: '上海市总工会' }] }));
    const b = json<TrainingSession>(await add({ kind: 'live', topic: '工会法解读', startsAt: at('2026-11-06', '14:00'), endsAt: at('2026-11-06', '16:30'), streamUrl: 'https://live.example.cn/s/9' }));
    const response = await call(t, provinceOrganizer, { url: `/api/training/classes/${cls.id}/timetable.ics` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/calendar/);
    const events = eventsOf(response.body);
    expect(events).toHaveLength(2);
    const byUid = new Map(events.map((e) => [e.uid, e]));
    const first = byUid.get(`training-session-${a.id}@workers-home`)!;
    expect(text(first.summary)).toBe('开班仪式（开班仪式）');
    expect(text(first.location)).toBe('第一报告厅');
    expect(first.start.toISOString()).toBe('2026-11-05T01:00:00.000Z');
    expect(first.end?.toISOString()).toBe('2026-11-05T02:00:00.000Z');
    expect(text(first.description)).toContain('王书记');
    const second = byUid.get(`training-session-${b.id}@workers-home`)!;
    expect(text(second.summary)).toBe('工会法解读（直播课）');
    expect(second.start.toISOString()).toBe('2026-11-06T06:00:00.000Z');
    expect(second.url).toMatchObject({ val: 'https://live.example.cn/s/9' });
    expect((await call(t, siblingAdmin, { url: `/api/training/classes/${cls.id}/timetable.ics` })).statusCode).toBe(404);
  });

  it('gives each trainee a feed of the sessions of their classes, on an address that cannot be changed to another person\'s', async () => {
    const cls = await createClass(provinceOrganizer, { title: '直播班' });
    const add = (body: Record<string, unknown>) => call(t, provinceOrganizer, { method: 'POST', url: `/api/training/classes/${cls.id}/sessions`, payload: body });
    const onsiteOnly = json<TrainingSession>(await add({ kind: 'onsite_teaching', topic: '现场教学', startsAt: at('2026-11-05', '09:00'), endsAt: at('2026-11-05', '11:00'), place: '满洲里口岸' }));
    const streamed = json<TrainingSession>(await add({ kind: 'lecture', topic: '专题讲座', startsAt: at('2026-11-05', '14:00'), endsAt: at('2026-11-05', '16:00'), place: '报告厅', streamUrl: 'https://live.example.cn/s/5' }));
    await call(t, provinceOrganizer, { method: 'POST', url: `/api/training/classes/${cls.id}/status`, payload: { status: 'open' } });
    const trainee = await makeTrainee(t, f.unionA1);
    await insertEnrolment(t, cls.id, trainee.personId, f.unionA1, 'live');
    const { url } = json<{ url: string }>(await call(t, trainee.session, { url: '/api/my/training/feed-url' }));
    const path = new URL(url).pathname;
    const feed = await call(t, null, { url: path });
    expect(feed.statusCode).toBe(200);
    const events = eventsOf(feed.body);
    // A live trainee is expected at streamed sessions only.
    expect(events.map((e) => e.uid)).toEqual([`training-session-${streamed.id}@workers-home`]);
    expect(events.some((e) => e.uid === `training-session-${onsiteOnly.id}@workers-home`)).toBe(false);
    const token = path.split('/').pop()!.replace(/\.ics$/, '');
    const personId = token.split('-', 1)[0]!;
    expectProblem(await call(t, null, { url: `/api/training/feeds/${Number(personId) + 1}-${token.slice(personId.length + 1)}.ics` }), 404);
    expectProblem(await call(t, null, { url: `/api/training/feeds/${personId}-${'A'.repeat(24)}.ics` }), 404);
    // An account without a member record has no feed.
    expectProblem(await call(t, provinceOrganizer, { url: '/api/my/training/feed-url' }), 403);
  });
});
