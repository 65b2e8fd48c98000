import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { forgetCallers } from '../src/plugins/access.ts';
import { call, createTestApp, grantRoles, makeFederation, makePerson, signIn, validIdNumber, type Session, type TestApp } from './helpers.ts';
import { importFile, multipart, rosterCsv } from './import-helpers.ts';
import { trainingTargets } from './training-helpers.ts';
import { studyTargets } from './training-fixtures.ts';
import { servicesTargets } from './services-fixtures.ts';

/**
 * For every API route: an admin of province B asks about province A's organizations,
 * people, positions, grants and audit entries. The answer must be 403 or 404, or a list
 * with none of A's rows. The table must name every registered route, so a new route
 * without an entry here fails this test.
 */
let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let sibling: Session;
let ids: { person: number; position: number; grant: number; account: number; importJob: number; transfer: number };
let study: Awaited<ReturnType<typeof studyTargets>>;
const hiddenOrgIds = new Set<number>();
const hiddenPersonIds = new Set<number>();

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  for (const org of [f.provinceA, f.countyA1, f.countyA2, f.unionA1, f.unionA1b, f.unionA2]) hiddenOrgIds.add(org.id);
  const person = await makePerson(t, f.unionA1);
  hiddenPersonIds.add(person.id);
  const adminA = await signIn(t, 'admin', f.provinceA);
  await call(t, adminA, { method: 'PATCH', url: `/api/orgs/${f.unionA1.id}`, payload: { shortName: '甲' } });
  const position = await t.pool.query<{ id: number }>(`INSERT INTO cadre_positions (province_id, person_id, org_id, title, since) SELECT province_id, id, $2, '主席', '2020-01-01' FROM persons WHERE id = $1 RETURNING id`, [person.id, f.countyA1.id]);
  const grant = await t.pool.query<{ id: number }>('SELECT id FROM role_grants WHERE account_id = $1', [adminA.accountId]);
  const job = await importFile(t, adminA, f.unionA1.id, 'roster.csv', rosterCsv([{ name: '导入甲', idNumber: validIdNumber() }], false));
  // A transfer request inside province A: county A1 asks for a member of county A2.
  const countyAdmin = await signIn(t, 'admin', f.countyA1);
  const held = await makePerson(t, f.unionA2);
  hiddenPersonIds.add(held.id);
  const transfer = await call(t, countyAdmin, { method: 'POST', url: '/api/transfer-requests', payload: { idNumber: held.idNumber, toOrgId: f.unionA1.id, date: '2025-06-01' } });
  expect(transfer.statusCode, transfer.body).toBe(201);
  ids = { person: person.id, position: position.rows[0]!.id, grant: grant.rows[0]!.id, account: adminA.accountId, importJob: job.id, transfer: transfer.json<{ id: number }>().id };
  sibling = await signIn(t, 'admin', f.provinceB);
  study = await studyTargets(t.pool, f.provinceA, f.unionA1, person.id);
});
afterAll(async () => { await t.close(); });

type Check = (response: LightMyRequestResponse) => void;
const denied: Check = (r) => expect([400, 403, 404], r.body).toContain(r.statusCode);
const noHiddenRows: Check = (r) => {
  expect(r.statusCode, r.body).toBe(200);
  const body = r.json<{ items?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>>();
  const rows = Array.isArray(body) ? body : body.items ?? [];
  for (const row of rows) {
    for (const key of ['id', 'orgId', 'parentId']) if (typeof row[key] === 'number' && key !== 'id') expect(hiddenOrgIds.has(row[key]), JSON.stringify(row)).toBe(false);
    if (typeof row.personId === 'number') expect(hiddenPersonIds.has(row.personId), JSON.stringify(row)).toBe(false);
  }
};
const ownOnly: Check = (r) => expect(r.statusCode).toBeLessThan(500);

const routes: Record<string, () => { url: string; payload?: unknown; headers?: Record<string, string>; check: Check; ownSession?: boolean }> = {
  'GET /api/orgs/roots': () => ({ url: '/api/orgs/roots', check: noHiddenRows }),
  'GET /api/orgs': () => ({ url: '/api/orgs?pageSize=200', check: noHiddenRows }),
  'GET /api/orgs/:id': () => ({ url: `/api/orgs/${f.countyA1.id}`, check: denied }),
  'GET /api/orgs/:id/children': () => ({ url: `/api/orgs/${f.provinceA.id}/children`, check: denied }),
  'GET /api/orgs/:id/ancestors': () => ({ url: `/api/orgs/${f.unionA1.id}/ancestors`, check: denied }),
  'POST /api/orgs': () => ({ url: '/api/orgs', payload: { parentId: f.countyA1.id, name: 'x', level: 'grassroots', kind: 'enterprise_union' }, check: denied }),
  'PATCH /api/orgs/:id': () => ({ url: `/api/orgs/${f.unionA1.id}`, payload: { name: 'x' }, check: denied }),
  'POST /api/orgs/:id/move': () => ({ url: `/api/orgs/${f.countyA1.id}/move`, payload: { parentId: f.provinceB.id }, check: denied }),
  'POST /api/orgs/:id/close': () => ({ url: `/api/orgs/${f.unionA1b.id}/close`, payload: {}, check: denied }),
  'GET /api/members': () => ({ url: '/api/members?status=all&pageSize=200', check: noHiddenRows }),
  'GET /api/members/export.xlsx': () => ({ url: `/api/members/export.xlsx?orgId=${f.unionA1.id}`, check: denied }),
  'GET /api/orgs/:id/figures': () => ({ url: `/api/orgs/${f.countyA1.id}/figures`, check: denied }),
  'POST /api/member-imports': () => ({ url: `/api/member-imports?orgId=${f.unionA1.id}`, ...multipart('roster.csv', rosterCsv([{ name: '闯入', idNumber: validIdNumber() }], false)), check: denied }),
  'GET /api/member-imports': () => ({ url: '/api/member-imports?pageSize=100', check: noHiddenRows }),
  'GET /api/member-imports/:id': () => ({ url: `/api/member-imports/${ids.importJob}`, check: denied }),
  'GET /api/member-imports/:id/rejects.csv': () => ({ url: `/api/member-imports/${ids.importJob}/rejects.csv`, check: denied }),
  'GET /api/member-exports': () => ({ url: `/api/member-exports?orgId=${f.provinceA.id}&format=csv&status=all`, check: denied }),
  'POST /api/persons': () => ({ url: '/api/persons', payload: { name: 'x', gender: 'male', idNumber: '11010519491231002X', membership: { orgId: f.unionA1.id, joinedOn: '2020-01-01' } }, check: denied }),
  'GET /api/persons/:id': () => ({ url: `/api/persons/${ids.person}`, check: denied }),
  'PATCH /api/persons/:id': () => ({ url: `/api/persons/${ids.person}`, payload: { name: 'x' }, check: denied }),
  'POST /api/persons/:id/reveal-id-number': () => ({ url: `/api/persons/${ids.person}/reveal-id-number`, check: denied }),
  'POST /api/persons/:id/transfer': () => ({ url: `/api/persons/${ids.person}/transfer`, payload: { toOrgId: f.unionB.id, date: '2025-01-01' }, check: denied }),
  'POST /api/persons/:id/leave': () => ({ url: `/api/persons/${ids.person}/leave`, payload: { date: '2025-01-01' }, check: denied }),
  'POST /api/persons/:id/join': () => ({ url: `/api/persons/${ids.person}/join`, payload: { orgId: f.unionB.id, joinedOn: '2025-01-01' }, check: denied }),
  'GET /api/cadre-positions': () => ({ url: `/api/cadre-positions?orgId=${f.countyA1.id}`, check: denied }),
  'POST /api/cadre-positions': () => ({ url: '/api/cadre-positions', payload: { personId: ids.person, orgId: f.unionB.id, title: '主席', since: '2024-01-01' }, check: denied }),
  'POST /api/cadre-positions/:id/end': () => ({ url: `/api/cadre-positions/${ids.position}/end`, payload: { until: '2025-01-01' }, check: denied }),
  'GET /api/me/person': () => ({ url: '/api/me/person', check: ownOnly }),
  'POST /api/auth/login': () => ({ url: '/api/auth/login', payload: { username: 'nobody', password: 'nothing' }, check: (r) => expect(r.statusCode).toBe(401) }),
  'POST /api/auth/logout': () => ({ url: '/api/auth/logout', check: ownOnly, ownSession: true }),
  'GET /api/auth/me': () => ({ url: '/api/auth/me', check: (r) => expect(JSON.stringify(r.json())).not.toContain(`"orgId":${f.provinceA.id}`) }),
  'POST /api/auth/password': () => ({ url: '/api/auth/password', payload: { currentPassword: 'wrong', newPassword: 'whatever-long' }, check: (r) => expect(r.statusCode).toBe(400) }),
  'GET /api/accounts': () => ({ url: '/api/accounts?pageSize=200', check: (r) => expect(r.json<{ items: Array<{ id: number }> }>().items.some((a) => a.id === ids.account)).toBe(false) }),
  'POST /api/accounts': () => ({ url: '/api/accounts', payload: { username: 'intruder', displayName: 'x', password: 'a-long-password', grant: { role: 'admin', orgId: f.provinceA.id } }, check: denied }),
  'GET /api/grants': () => ({ url: '/api/grants?pageSize=200', check: noHiddenRows }),
  'POST /api/grants': () => ({ url: '/api/grants', payload: { accountId: sibling.accountId, role: 'admin', orgId: f.provinceA.id }, check: denied }),
  'DELETE /api/grants/:id': () => ({ url: `/api/grants/${ids.grant}`, check: denied }),
  'POST /api/accounts/:id/disable': () => ({ url: `/api/accounts/${ids.account}/disable`, check: denied }),
  'POST /api/accounts/:id/enable': () => ({ url: `/api/accounts/${ids.account}/enable`, check: denied }),
  'POST /api/accounts/:id/password': () => ({ url: `/api/accounts/${ids.account}/password`, payload: { newPassword: 'a-new-long-password' }, check: denied }),
  'POST /api/transfer-requests': () => ({ url: '/api/transfer-requests', payload: { idNumber: validIdNumber(), toOrgId: f.unionA1.id, date: '2025-06-01' }, check: denied }),
  'GET /api/transfer-requests': () => ({
    url: '/api/transfer-requests?direction=all&status=all&pageSize=200',
    check: (r) => {
      expect(r.statusCode, r.body).toBe(200);
      for (const row of r.json<{ items: Array<{ id: number; fromOrgId: number | null; toOrgId: number }> }>().items) {
        expect(row.id).not.toBe(ids.transfer);
        expect(hiddenOrgIds.has(row.toOrgId) || (row.fromOrgId !== null && hiddenOrgIds.has(row.fromOrgId)), JSON.stringify(row)).toBe(false);
      }
    },
  }),
  'GET /api/transfer-requests/:id': () => ({ url: `/api/transfer-requests/${ids.transfer}`, check: denied }),
  'POST /api/transfer-requests/:id/approve': () => ({ url: `/api/transfer-requests/${ids.transfer}/approve`, payload: {}, check: denied }),
  'POST /api/transfer-requests/:id/decline': () => ({ url: `/api/transfer-requests/${ids.transfer}/decline`, payload: { reason: '不同意' }, check: denied }),
  'POST /api/transfer-requests/:id/cancel': () => ({ url: `/api/transfer-requests/${ids.transfer}/cancel`, check: denied }),
  'GET /api/audit': () => ({ url: '/api/audit?pageSize=200', check: (r) => expect(r.json<{ items: Array<{ orgId: number | null }> }>().items.some((e) => e.orgId !== null && hiddenOrgIds.has(e.orgId))).toBe(false) }),
  'GET /api/health': () => ({ url: '/api/health', check: ownOnly }),
  'GET /api/openapi.json': () => ({ url: '/api/openapi.json', check: ownOnly }),
  // training-core
  'GET /api/training/plans': () => ({ url: '/api/training/plans?pageSize=200', check: noHiddenRows }),
  'POST /api/training/plans': () => ({ url: '/api/training/plans', payload: { orgId: f.unionA1.id, year: 2026, title: '闯入计划' }, check: denied }),
  'GET /api/training/plans/:id': () => ({ url: `/api/training/plans/${training.plan}`, check: denied }),
  'PATCH /api/training/plans/:id': () => ({ url: `/api/training/plans/${training.plan}`, payload: { title: 'x' }, check: denied }),
  'GET /api/training/classes': () => ({ url: '/api/training/classes?pageSize=200', check: noHiddenRows }),
  'POST /api/training/classes': () => ({ url: '/api/training/classes', payload: { orgId: f.unionA1.id, title: 'x', startsOn: '2026-01-01', endsOn: '2026-01-02' }, check: denied }),
  'GET /api/training/classes/:id': () => ({ url: `/api/training/classes/${training.cls}`, check: denied }),
  'PATCH /api/training/classes/:id': () => ({ url: `/api/training/classes/${training.cls}`, payload: { title: 'x' }, check: denied }),
  'POST /api/training/classes/:id/status': () => ({ url: `/api/training/classes/${training.cls}/status`, payload: { status: 'running' }, check: denied }),
  'GET /api/training/classes/:id/sessions': () => ({ url: `/api/training/classes/${training.cls}/sessions`, check: denied }),
  'POST /api/training/classes/:id/sessions': () => ({ url: `/api/training/classes/${training.cls}/sessions`, payload: { kind: 'lecture', topic: 'x', startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3600_000).toISOString(), place: 'x' }, check: denied }),
  'PATCH /api/training/sessions/:id': () => ({ url: `/api/training/sessions/${training.session}`, payload: { topic: 'x' }, check: denied }),
  'DELETE /api/training/sessions/:id': () => ({ url: `/api/training/sessions/${training.emptySession}`, check: denied }),
  'GET /api/training/classes/:id/timetable.ics': () => ({ url: `/api/training/classes/${training.cls}/timetable.ics`, check: denied }),
  'GET /api/my/training/feed-url': () => ({ url: '/api/my/training/feed-url', check: ownOnly }),
  'GET /api/training/feeds/:token.ics': () => ({ url: `/api/training/feeds/${training.person}-AAAAAAAAAAAAAAAAAAAAAAAA.ics`, check: denied }),
  'GET /api/training/classes/:id/enrolments': () => ({ url: `/api/training/classes/${training.cls}/enrolments`, check: denied }),
  'POST /api/training/classes/:id/enrolments': () => ({ url: `/api/training/classes/${training.cls}/enrolments`, payload: { idNumber: training.idNumber, mode: 'onsite' }, check: denied }),
  'PATCH /api/training/enrolments/:id': () => ({ url: `/api/training/enrolments/${training.enrolment}`, payload: { status: 'withdrawn' }, check: denied }),
  'POST /api/training/classes/:id/enrolments/import': () => ({ url: `/api/training/classes/${training.cls}/enrolments/import`, ...multipart('trainees.csv', `姓名,身份证号,方式\n闯入,${training.idNumber},线下\n`), check: denied }),
  'GET /api/training/sessions/:id/checkin-code': () => ({ url: `/api/training/sessions/${training.session}/checkin-code`, check: denied }),
  'GET /api/training/sessions/:id/attendance': () => ({ url: `/api/training/sessions/${training.session}/attendance`, check: denied }),
  'POST /api/training/sessions/:id/attendance': () => ({ url: `/api/training/sessions/${training.session}/attendance`, payload: { enrolmentId: training.otherEnrolment }, check: denied }),
  'DELETE /api/training/sessions/:id/attendance/:enrolmentId': () => ({ url: `/api/training/sessions/${training.session}/attendance/${training.enrolment}`, check: denied }),
  'GET /api/my/training/classes': () => ({ url: '/api/my/training/classes', check: ownOnly }),
  'GET /api/my/training/classes/:id': () => ({ url: `/api/my/training/classes/${training.cls}`, check: denied }),
  'POST /api/my/training/check-in': () => ({ url: '/api/my/training/check-in', payload: { sessionId: training.session, code: '000000' }, check: denied }),
  'POST /api/my/training/sessions/:id/presence': () => ({ url: `/api/my/training/sessions/${training.session}/presence`, payload: { seconds: 30 }, check: denied }),
  // training-study
  'GET /api/training/courses': () => ({ url: '/api/training/courses?pageSize=200', check: noHiddenRows }),
  'POST /api/training/courses': () => ({ url: '/api/training/courses', payload: { classId: study.classId, title: '闯入' }, check: denied }),
  'GET /api/training/courses/:id': () => ({ url: `/api/training/courses/${study.courseId}`, check: denied }),
  'PATCH /api/training/courses/:id': () => ({ url: `/api/training/courses/${study.courseId}`, payload: { title: 'x' }, check: denied }),
  'POST /api/training/courses/:id/materials': () => ({ url: `/api/training/courses/${study.courseId}/materials`, payload: { kind: 'page', title: 'x', body: 'x', requiredMinutes: 1 }, check: denied }),
  'PATCH /api/training/materials/:id': () => ({ url: `/api/training/materials/${study.materialId}`, payload: { requiredMinutes: 1 }, check: denied }),
  'GET /api/my/training/courses': () => ({ url: '/api/my/training/courses', check: ownOnly }),
  'GET /api/my/training/courses/:id': () => ({ url: `/api/my/training/courses/${study.courseId}`, check: denied }),
  'POST /api/my/training/materials/:id/study': () => ({ url: `/api/my/training/materials/${study.materialId}/study`, payload: { seconds: 30 }, check: denied }),
  'GET /api/training/classes/:id/progress': () => ({ url: `/api/training/classes/${study.classId}/progress`, check: denied }),
  'PUT /api/training/enrolments/:id/assessment': () => ({ url: `/api/training/enrolments/${study.enrolmentId}/assessment`, payload: { score: 1 }, check: denied }),
  'PUT /api/my/training/classes/:id/competency': () => ({ url: `/api/my/training/classes/${study.classId}/competency`, payload: { scores: { political: 1, leadership: 1, management: 1, professionalism: 1, communication: 1, execution: 1, innovation: 1, teamwork: 1, standardization: 1, digital: 1 } }, check: denied }),
  'GET /api/training/classes/:id/competency': () => ({ url: `/api/training/classes/${study.classId}/competency`, check: denied }),
  'POST /api/training/classes/:id/certificates': () => ({ url: `/api/training/classes/${study.classId}/certificates`, check: denied }),
  'GET /api/training/certificate-jobs/:id': () => ({ url: `/api/training/certificate-jobs/${study.jobId}`, check: denied }),
  'GET /api/training/classes/:id/certificates': () => ({ url: `/api/training/classes/${study.classId}/certificates`, check: denied }),
  'GET /api/training/certificates/:id.pdf': () => ({ url: `/api/training/certificates/${study.certificateId}.pdf`, check: denied }),
  'POST /api/training/certificates/:id/revoke': () => ({ url: `/api/training/certificates/${study.certificateId}/revoke`, payload: { reason: 'x' }, check: denied }),
  'GET /api/my/training/certificates': () => ({ url: '/api/my/training/certificates', check: ownOnly }),
  'GET /api/my/training/certificates/:id.pdf': () => ({ url: `/api/my/training/certificates/${study.certificateId}.pdf`, check: denied }),
  'GET /api/verify/:number': () => ({ url: `/api/verify/${study.certificateNumber}`, check: (r) => expect(r.json<{ holder: string }>().holder).toBe('张*') }),
  'GET /api/training/classes/:id/report': () => ({ url: `/api/training/classes/${study.classId}/report`, check: denied }),
  'GET /api/training/classes/:id/report.xlsx': () => ({ url: `/api/training/classes/${study.classId}/report.xlsx`, check: denied }),
  'DELETE /api/training/materials/:id': () => ({ url: `/api/training/materials/${study.materialId}`, check: denied }),
  'DELETE /api/training/courses/:id': () => ({ url: `/api/training/courses/${study.courseId}`, check: denied }),
  'POST /api/persons/bulk-transfer': () => ({ url: '/api/persons/bulk-transfer', payload: { personIds: [ids.person], toOrgId: f.unionB.id, date: '2025-01-01' }, check: denied }),
  'POST /api/persons/bulk-leave': () => ({ url: '/api/persons/bulk-leave', payload: { personIds: [ids.person], date: '2025-01-01' }, check: denied }),
  'GET /api/member-imports/template.xlsx': () => ({ url: `/api/member-imports/template.xlsx?orgId=${f.unionA1.id}`, check: denied }),
  'GET /api/member-imports/:id/rejects': () => ({ url: `/api/member-imports/${ids.importJob}/rejects`, check: denied }),
  'GET /api/orgs/:id/figures/trend': () => ({ url: `/api/orgs/${f.countyA1.id}/figures/trend`, check: denied }),
  // The caller's own subtree's cards: counted there only (workbench.test.ts checks the counts).
  'GET /api/workbench': () => ({ url: '/api/workbench', check: (r) => { expect(r.statusCode).toBe(200); for (const root of r.json<{ roots: Array<{ id: number }> }>().roots) expect(hiddenOrgIds.has(root.id)).toBe(false); } }),
  'GET /api/training/classes/:id/candidates': () => ({ url: `/api/training/classes/${training.cls}/candidates?q=${encodeURIComponent('张')}`, check: denied }),
  'POST /api/training/classes/:id/enrolments/withdraw': () => ({ url: `/api/training/classes/${training.cls}/enrolments/withdraw`, payload: { enrolmentIds: [training.otherEnrolment] }, check: denied }),
  'GET /api/training/sessions/:id/attendance.xlsx': () => ({ url: `/api/training/sessions/${training.session}/attendance.xlsx`, check: denied }),
  'POST /api/training/sessions/:id/attendance/bulk': () => ({ url: `/api/training/sessions/${training.session}/attendance/bulk`, payload: { enrolmentIds: [training.otherEnrolment] }, check: denied }),
  'POST /api/training/sessions/:id/attendance/import': () => ({ url: `/api/training/sessions/${training.session}/attendance/import`, ...multipart('attendance.csv', Buffer.from(`姓名,身份证号\n某人,${training.idNumber}\n`)), check: denied }),
  'GET /api/training/classes/:id/progress.xlsx': () => ({ url: `/api/training/classes/${training.cls}/progress.xlsx`, check: denied }),
  // news: the sibling also holds the chief editor's role on province B
  'GET /api/news/articles': () => ({ url: '/api/news/articles?pageSize=200', check: noHiddenRows }),
  'POST /api/news/articles': () => ({ url: '/api/news/articles', payload: { orgId: f.unionA1.id, title: '越界稿件', channel: 'notices' }, check: denied }),
  'GET /api/news/articles/:id': () => ({ url: `/api/news/articles/${news.article}`, check: denied }),
  'PATCH /api/news/articles/:id': () => ({ url: `/api/news/articles/${news.article}`, payload: { version: 1, title: '改' }, check: denied }),
  'POST /api/news/articles/:id/actions': () => ({ url: `/api/news/articles/${news.article}/actions`, payload: { action: 'withdraw', version: 1 }, check: denied }),
  'GET /api/news/articles/:id/versions': () => ({ url: `/api/news/articles/${news.article}/versions`, check: denied }),
  'POST /api/news/articles/:id/reprint': () => ({ url: `/api/news/articles/${news.article}/reprint`, payload: { toOrgId: f.provinceA.id }, check: denied }),
  'GET /api/news/articles/:id/reprint-targets': () => ({ url: `/api/news/articles/${news.article}/reprint-targets`, check: denied }),
  'POST /api/news/images': () => ({ url: `/api/news/images?orgId=${f.unionA1.id}`, ...multipart('photo.jpg', Buffer.from('not a photo')), check: denied }),
  'GET /api/news/reports': () => ({ url: '/api/news/reports?pageSize=200', check: noHiddenRows }),
  'POST /api/news/reports/:id/answer': () => ({ url: `/api/news/reports/${news.report}/answer`, payload: { answer: '越界答复', close: true }, check: denied }),
  'PUT /api/news/newsrooms/:id': () => ({ url: `/api/news/newsrooms/${f.unionA1.id}`, payload: { slug: 'taken-over', hotline: null, email: null }, check: denied }),
  // services: the sibling also holds every services role on province B
  'GET /api/services/plans': () => ({ url: '/api/services/plans?pageSize=200', check: noHiddenRows }),
  'POST /api/services/plans': () => ({ url: '/api/services/plans', payload: { orgId: f.unionA1.id, name: '越界方案', planYear: 2026, coverageStart: '2026-01-01', coverageEnd: '2026-12-31', enrolStart: '2026-01-01', enrolEnd: '2026-12-31', minAge: null, maxAge: null, contributionFen: 100, waitingDays: 0, reviewLevels: ['grassroots'], sampling: null, rules: { dailyAllowanceFen: 100, deductibleDays: 0, perStayCapFen: 100, perYearCapFen: 100, maxStaysPerYear: 1, minStayDays: 0, requiredDocuments: [] } }, check: denied }),
  'GET /api/services/plans/:id': () => ({ url: `/api/services/plans/${svc.plan}`, check: denied }),
  'PATCH /api/services/plans/:id': () => ({ url: `/api/services/plans/${svc.plan}`, payload: { name: '改' }, check: denied }),
  'POST /api/services/plans/:id/copy': () => ({ url: `/api/services/plans/${svc.plan}/copy`, check: denied }),
  'GET /api/services/plans/:id/report.xlsx': () => ({ url: `/api/services/plans/${svc.plan}/report.xlsx`, check: denied }),
  'POST /api/services/plans/:id/enrolments': () => ({ url: `/api/services/plans/${svc.plan}/enrolments`, payload: { orgId: f.unionA1.id, all: true }, check: denied }),
  'GET /api/services/plans/:id/enrolments': () => ({ url: `/api/services/plans/${svc.plan}/enrolments`, check: denied }),
  'POST /api/services/plans/:id/enrolments/import': () => ({ url: `/api/services/plans/${svc.plan}/enrolments/import?orgId=${f.unionA1.id}`, ...multipart('members.csv', Buffer.from('姓名,身份证号\n')), check: denied }),
  'GET /api/services/plans/:id/statements': () => ({ url: `/api/services/plans/${svc.plan}/statements`, check: denied }),
  'GET /api/services/statements/:id': () => ({ url: `/api/services/statements/${svc.statement}`, check: denied }),
  'GET /api/services/statements/:id/notice.xlsx': () => ({ url: `/api/services/statements/${svc.statement}/notice.xlsx`, check: denied }),
  'GET /api/services/statements/:id/notice.pdf': () => ({ url: `/api/services/statements/${svc.statement}/notice.pdf`, check: denied }),
  'POST /api/services/statements/:id/payment': () => ({ url: `/api/services/statements/${svc.statement}/payment`, payload: { paidOn: '2026-01-01', amountFen: 3000, reference: 'R' }, check: denied }),
  'POST /api/services/documents': () => ({ url: '/api/services/documents?kind=invoice', ...multipart('invoice.jpg', Buffer.from('not a photo')), check: (r) => expect(r.statusCode).toBe(415) }),
  'GET /api/services/documents/:id': () => ({ url: `/api/services/documents/${svc.document}`, check: denied }),
  'GET /api/services/claims': () => ({ url: '/api/services/claims?pageSize=200', check: noHiddenRows }),
  'POST /api/services/claims': () => ({ url: '/api/services/claims', payload: { planId: svc.plan, personId: svc.person, hospital: '医院', admittedOn: '2026-03-01', dischargedOn: '2026-03-05', diagnosis: '诊断', bankName: '银行', bankAccount: '6222021001012345678', documents: [], requestKey: 'scope-key' }, check: denied }),
  'GET /api/services/claims/:id': () => ({ url: `/api/services/claims/${svc.claim}`, check: denied }),
  'POST /api/services/claims/:id/review': () => ({ url: `/api/services/claims/${svc.claim}/review`, payload: { action: 'approve', version: 1 }, check: denied }),
  'GET /api/services/batches': () => ({ url: '/api/services/batches?pageSize=200', check: noHiddenRows }),
  'POST /api/services/batches': () => ({ url: '/api/services/batches', payload: { planId: svc.plan, orgId: f.unionA1.id }, check: denied }),
  'GET /api/services/batches/:id': () => ({ url: `/api/services/batches/${svc.batch}`, check: denied }),
  'GET /api/services/batches/:id/transfers.xlsx': () => ({ url: `/api/services/batches/${svc.batch}/transfers.xlsx`, check: denied }),
  'POST /api/services/batches/:id/paid': () => ({ url: `/api/services/batches/${svc.batch}/paid`, payload: { paidOn: '2026-03-01', reference: 'x' }, check: denied }),
  // The member's own routes: the sibling is no member, so nothing of anyone's.
  'GET /api/my/services/coverage': () => ({ url: '/api/my/services/coverage', check: denied }),
  'GET /api/my/services/claims': () => ({ url: '/api/my/services/claims', check: denied }),
  'POST /api/my/services/claims': () => ({ url: '/api/my/services/claims', payload: { planId: svc.plan, hospital: '医院', admittedOn: '2026-03-01', dischargedOn: '2026-03-05', diagnosis: '诊断', bankName: '银行', bankAccount: '6222021001012345678', documents: [], requestKey: 'scope-key' }, check: denied }),
  'GET /api/my/services/claims/:id': () => ({ url: `/api/my/services/claims/${svc.claim}`, check: denied }),
  'POST /api/my/services/claims/:id/resubmit': () => ({ url: `/api/my/services/claims/${svc.claim}/resubmit`, payload: { version: 1, documents: [{ id: svc.document, kind: 'invoice' }] }, check: denied }),
  'POST /api/my/services/claims/:id/appeal': () => ({ url: `/api/my/services/claims/${svc.claim}/appeal`, payload: { version: 1, reason: '申诉' }, check: denied }),
};

// services: union A1's plan, claim, document and batch; the sibling holds every services role on province B
let svc: Awaited<ReturnType<typeof servicesTargets>>;
beforeAll(async () => {
  svc = await servicesTargets(t, f.unionA1, await signIn(t, 'services.manager', f.unionA1));
  hiddenPersonIds.add(svc.person);
  // (The sibling's admin preset already holds services.manager there.)
  for (const role of ['services.reviewer', 'services.payer'] as const) await grantRoles(t, sibling.accountId, role, f.provinceB);
  forgetCallers();
});

// news: a published article of union A1 with a report; the sibling holds the chief editor's role in province B
let news: { article: number; report: number };
beforeAll(async () => {
  await t.pool.query(`INSERT INTO news_newsrooms (org_id, slug) VALUES ($1, 'scope-a1')`, [f.unionA1.id]);
  const article = await t.pool.query<{ id: number }>(`INSERT INTO news_articles (org_id, title, channel, status, published_at) VALUES ($1, '甲的稿件', 'notices', 'published', now()) RETURNING id`, [f.unionA1.id]);
  const report = await t.pool.query<{ id: number }>(`INSERT INTO news_reports (article_id, org_id, reason, description, address_hash) VALUES ($1, $2, 'other', '举报', '\\x00') RETURNING id`, [article.rows[0]!.id, f.unionA1.id]);
  news = { article: article.rows[0]!.id, report: report.rows[0]!.id };
  await grantRoles(t, sibling.accountId, 'news.chief-editor', f.provinceB);
  forgetCallers();
});

// training-core
let training: Awaited<ReturnType<typeof trainingTargets>>;
beforeAll(async () => {
  training = await trainingTargets(t, f.unionA1);
  hiddenPersonIds.add(training.person);
});

describe('a caller from a sibling subtree', () => {
  it('has an entry in this table for every API route', () => {
    const registered = t.app.routeTable
      .filter((r) => r.url.startsWith('/api') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url}`);
    expect(registered.filter((r) => !(r in routes))).toEqual([]);
  });

  it.each(Object.keys(routes))('%s never reaches province A', async (key) => {
    const [method] = key.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'];
    const { url, payload, headers, check, ownSession } = routes[key]!();
    const caller = ownSession ? await signIn(t, 'admin', f.provinceB) : sibling;
    const response = await call(t, caller, { method, url, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}), ...(headers ? { headers } : {}) });
    expect(response.statusCode).toBeLessThan(500);
    check(response);
    // Whatever was asked, province A is as it was.
    const stillThere = await t.pool.query('SELECT 1 FROM orgs WHERE id = $1 AND parent_id = $2 AND status = $3', [f.countyA1.id, f.provinceA.id, 'active']);
    expect(stillThere.rowCount).toBe(1);
  });
});
