import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.ts';
import { DEMO_PASSWORD } from '../src/demo/federation.ts';
import { completionOfEnrolment } from '../src/modules/training/completion.ts';
import { call, createTestApp, json, type Session, type TestApp } from './helpers.ts';

/** The demo's training classes answer the seeds' questions through the real API. */
let t: TestApp;
const sessions = new Map<string, Session>();
const classes = new Map<string, number>();

async function login(username: string, n: number): Promise<Session> {
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `127.9.0.${n}`, payload: { username, password: DEMO_PASSWORD } });
  expect(response.statusCode, response.body).toBe(200);
  const cookie = response.cookies.find((c) => c.name === 'wh_session')!;
  return { accountId: 0, username, cookie: `wh_session=${cookie.value}` };
}

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.pool, t.secrets);
  sessions.set('admin', await login('admin', 1));
  sessions.set('member', await login('member', 2));
  for (const row of (await t.pool.query<{ id: number; title: string }>('SELECT id, title FROM training_classes')).rows) classes.set(row.title, row.id);
});
afterAll(async () => { await t.close(); });

type Report = { totals: { enrolled: number; onsite: number; live: number; present: number; completed: number }; byLevel: Array<{ level: string; enrolled: number }>; byPosition: Array<{ title: string; present: number }>; sessions: Array<{ kind: string }> };

describe('demo training', () => {
  it('answers seed 001: more than 200 people took part in Shanghai, including assembly members, industrial union chairs, party secretaries and heads', async () => {
    const report = json<Report>(await call(t, sessions.get('admin')!, { url: `/api/training/classes/${classes.get('上海工会学习贯彻中国工会十八大精神培训班')}/report` }));
    expect(report.totals.present).toBeGreaterThan(200);
    const titles = report.byPosition.filter((p) => p.present > 0).map((p) => p.title);
    for (const title of ['市总工会第十五届委员会委员', '区局产业工会主席', '党组织书记', '机关部门负责人', '直属单位负责人']) expect(titles).toContain(title);
    expect(report.sessions.map((s) => s.kind)).toEqual(['opening', 'lecture', 'policy', 'policy', 'discussion']);
  });

  it('has the ACFTU class with on-site trainees, several hundred live, supporting courses and completions', async () => {
    const id = classes.get('全国总工会新任省级工会领导班子成员专题培训班')!;
    const admin = sessions.get('admin')!;
    const report = json<Report>(await call(t, admin, { url: `/api/training/classes/${id}/report` }));
    expect(report.totals.onsite).toBeGreaterThanOrEqual(30);
    expect(report.totals.live).toBeGreaterThanOrEqual(300);
    expect(report.totals.completed).toBeGreaterThan(report.totals.enrolled / 2);
    expect(report.byLevel.map((l) => l.level)).toEqual(expect.arrayContaining(['provincial', 'industrial']));
    expect(report.sessions[0]!.kind).toBe('opening');
    expect(report.sessions.at(-1)!.kind).toBe('closing');
    const courses = json<{ total: number }>(await call(t, admin, { url: `/api/training/courses?classId=${id}` }));
    expect(courses.total).toBe(2);
    const competency = json<{ respondents: number; aspects: Array<{ average: number | null }> }>(await call(t, admin, { url: `/api/training/classes/${id}/competency` }));
    expect(competency.respondents).toBeGreaterThan(30);
    expect(competency.aspects.every((a) => a.average !== null)).toBe(true);
    const plan = await t.pool.query(`SELECT 1 FROM training_plans p JOIN training_classes c ON c.plan_id = p.id WHERE c.id = $1 AND p.title = '2024年全总干部教育培训计划'`, [id]);
    expect(plan.rowCount).toBe(1);
  });

  it('enrols the demo member in the ACFTU class (completed, so a certificate can be issued) and in a class running now', async () => {
    const member = sessions.get('member')!;
    const courses = json<{ items: Array<{ classTitle: string | null; studiedMinutes: number; requiredMinutes: number }> }>(await call(t, member, { url: '/api/my/training/courses' }));
    const acftuCourses = courses.items.filter((c) => c.classTitle === '全国总工会新任省级工会领导班子成员专题培训班');
    expect(acftuCourses).toHaveLength(2);
    for (const c of acftuCourses) expect(c.studiedMinutes).toBe(c.requiredMinutes);
    const id = classes.get('全国总工会新任省级工会领导班子成员专题培训班')!;
    const personId = (await t.pool.query<{ person_id: number }>(`SELECT person_id FROM accounts WHERE username = 'member'`)).rows[0]!.person_id;
    const enrolment = await t.pool.query<{ id: number }>(`SELECT id FROM training_enrolments WHERE class_id = $1 AND person_id = $2 AND mode = 'live'`, [id, personId]);
    expect(await completionOfEnrolment(t.pool, id, enrolment.rows[0]!.id)).toMatchObject({ status: 'completed', mode: 'live' });
    const running = await t.pool.query(
      `SELECT 1 FROM training_sessions s JOIN training_enrolments e ON e.class_id = s.class_id JOIN training_classes c ON c.id = s.class_id
       WHERE e.person_id = $1 AND e.mode = 'onsite' AND c.status = 'running' AND s.place IS NOT NULL AND s.starts_at <= now() AND s.ends_at > now()`, [personId]);
    expect(running.rowCount).toBe(1);
  });
});

describe('demo transfer request', () => {
  it('has one request from Inner Mongolia waiting for zhongmou.admin, who sees the person; Inner Mongolia sees the name masked', async () => {
    type Requests = { items: Array<{ personName: string; personId: number | null; fromOrgName: string | null; canDecide: boolean; status: string }> };
    const zhongmou = await login('zhongmou.admin', 3);
    const incoming = json<Requests>(await call(t, zhongmou, { url: '/api/transfer-requests?direction=incoming' }));
    expect(incoming.items).toHaveLength(1);
    expect(incoming.items[0]).toMatchObject({ status: 'pending', canDecide: true, fromOrgName: '中牟县人民医院工会' });
    const nmg = await login('nmg.admin', 4);
    const outgoing = json<Requests>(await call(t, nmg, { url: '/api/transfer-requests?direction=outgoing' }));
    expect(outgoing.items).toHaveLength(1);
    expect(outgoing.items[0]).toMatchObject({ personId: null, fromOrgName: null, canDecide: false });
    expect(outgoing.items[0]!.personName).toMatch(/^.\*+$/);
  });
});
