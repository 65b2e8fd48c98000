import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, STAFF_ROLES, type Role } from '@workers-home/contract';
import { call, createTestApp, makeFederation, makePerson, signIn, validIdNumber, type Session, type TestApp } from './helpers.ts';
import { importFile, multipart, rosterCsv } from './import-helpers.ts';
import { trainingTargets } from './training-helpers.ts';
import { studyTargets } from './training-fixtures.ts';
import { servicesTargets } from './services-fixtures.ts';

/**
 * The declared access table (the README's "How access works"), checked against the running
 * app for every route x role x position: a holder of the role on the target's own union,
 * on an ancestor (the province), on a sibling county, and anonymous. A route missing here
 * fails the test.
 */
const STAFF: Role[] = STAFF_ROLES;
const ORGS_ADMIN: Role[] = ['orgs.admin'];
const PEOPLE_READERS: Role[] = ['people.admin', 'people.reader'];
const PEOPLE_ADMIN: Role[] = ['people.admin'];
const AUTH_ADMIN: Role[] = ['auth.admin'];
const TRAINING_READERS: Role[] = ['training.organizer', 'training.reader'];
const TRAINING_ORGANIZERS: Role[] = ['training.organizer'];
const NEWS_WRITERS: Role[] = ['news.editor', 'news.chief-editor'];
const NEWS_CHIEFS: Role[] = ['news.chief-editor'];
const SERVICES_READERS: Role[] = ['services.manager', 'services.reviewer', 'services.payer'];
const SERVICES_MANAGERS: Role[] = ['services.manager'];
const SERVICES_REVIEWERS: Role[] = ['services.reviewer'];
const SERVICES_PAYERS: Role[] = ['services.payer'];
type Who = Role[] | 'signed-in' | 'public';
/** Routes that change where an organization stands: the role must be held on its parent, not on the organization itself. */
const ON_PARENT = new Set(['POST /api/orgs/:id/move', 'POST /api/orgs/:id/close']);
const DENIALS = ['urn:workers-home:problem:unauthenticated', 'urn:workers-home:problem:forbidden'];
/** A trainee's own routes (/api/my/…) answer an account without a linked person with a 403 that says so (training DESIGN.md). */
const PERSONAL = /^[A-Z]+ \/api\/my\/(training|services)\//;
const TABLE: Record<string, Who> = {
  'GET /api/health': 'public',
  'GET /api/openapi.json': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'signed-in',
  'GET /api/auth/me': 'signed-in',
  'POST /api/auth/password': 'signed-in',
  'GET /api/me/person': 'signed-in',
  'GET /api/orgs/roots': STAFF,
  'GET /api/orgs': STAFF,
  'GET /api/orgs/:id': STAFF,
  'GET /api/orgs/:id/children': STAFF,
  'GET /api/orgs/:id/ancestors': STAFF,
  'POST /api/orgs': ORGS_ADMIN,
  'PATCH /api/orgs/:id': ORGS_ADMIN,
  'POST /api/orgs/:id/move': ORGS_ADMIN,
  'POST /api/orgs/:id/close': ORGS_ADMIN,
  'GET /api/members': PEOPLE_READERS,
  'GET /api/members/export.xlsx': PEOPLE_READERS,
  'GET /api/orgs/:id/figures': STAFF,
  'GET /api/orgs/:id/figures/trend': STAFF,
  'GET /api/workbench': STAFF,
  'POST /api/member-imports': PEOPLE_ADMIN,
  'GET /api/member-imports': PEOPLE_READERS,
  'GET /api/member-imports/template.xlsx': PEOPLE_ADMIN,
  'GET /api/member-imports/:id': PEOPLE_READERS,
  'GET /api/member-imports/:id/rejects': PEOPLE_READERS,
  'GET /api/member-imports/:id/rejects.csv': PEOPLE_READERS,
  'GET /api/member-exports': PEOPLE_ADMIN,
  'GET /api/persons/:id': PEOPLE_READERS,
  'GET /api/cadre-positions': PEOPLE_READERS,
  'POST /api/persons': PEOPLE_ADMIN,
  'PATCH /api/persons/:id': PEOPLE_ADMIN,
  'POST /api/persons/:id/reveal-id-number': PEOPLE_ADMIN,
  'POST /api/persons/bulk-transfer': PEOPLE_ADMIN,
  'POST /api/persons/bulk-leave': PEOPLE_ADMIN,
  'POST /api/persons/:id/transfer': PEOPLE_ADMIN,
  'POST /api/persons/:id/leave': PEOPLE_ADMIN,
  'POST /api/persons/:id/join': PEOPLE_ADMIN,
  'POST /api/cadre-positions': PEOPLE_ADMIN,
  'POST /api/cadre-positions/:id/end': PEOPLE_ADMIN,
  'GET /api/accounts': AUTH_ADMIN,
  'POST /api/accounts': AUTH_ADMIN,
  'GET /api/grants': AUTH_ADMIN,
  'POST /api/grants': AUTH_ADMIN,
  'DELETE /api/grants/:id': AUTH_ADMIN,
  'POST /api/accounts/:id/disable': AUTH_ADMIN,
  'POST /api/accounts/:id/enable': AUTH_ADMIN,
  'POST /api/accounts/:id/password': AUTH_ADMIN,
  'POST /api/transfer-requests': PEOPLE_ADMIN,
  'GET /api/transfer-requests': PEOPLE_ADMIN,
  'GET /api/transfer-requests/:id': PEOPLE_ADMIN,
  'POST /api/transfer-requests/:id/approve': PEOPLE_ADMIN,
  'POST /api/transfer-requests/:id/decline': PEOPLE_ADMIN,
  'POST /api/transfer-requests/:id/cancel': PEOPLE_ADMIN,
  'GET /api/audit': ['audit.reader'],
  // training-core
  'GET /api/training/plans': TRAINING_READERS,
  'POST /api/training/plans': TRAINING_ORGANIZERS,
  'GET /api/training/plans/:id': TRAINING_READERS,
  'PATCH /api/training/plans/:id': TRAINING_ORGANIZERS,
  'GET /api/training/classes': TRAINING_READERS,
  'POST /api/training/classes': TRAINING_ORGANIZERS,
  'GET /api/training/classes/:id': TRAINING_READERS,
  'PATCH /api/training/classes/:id': TRAINING_ORGANIZERS,
  'POST /api/training/classes/:id/status': TRAINING_ORGANIZERS,
  'GET /api/training/classes/:id/sessions': TRAINING_READERS,
  'POST /api/training/classes/:id/sessions': TRAINING_ORGANIZERS,
  'PATCH /api/training/sessions/:id': TRAINING_ORGANIZERS,
  'DELETE /api/training/sessions/:id': TRAINING_ORGANIZERS,
  'GET /api/training/classes/:id/timetable.ics': TRAINING_READERS,
  'GET /api/my/training/feed-url': 'signed-in',
  'GET /api/training/feeds/:token.ics': 'public',
  'GET /api/training/classes/:id/enrolments': TRAINING_READERS,
  'POST /api/training/classes/:id/enrolments': TRAINING_ORGANIZERS,
  'GET /api/training/classes/:id/candidates': TRAINING_ORGANIZERS,
  'POST /api/training/classes/:id/enrolments/withdraw': TRAINING_ORGANIZERS,
  'PATCH /api/training/enrolments/:id': TRAINING_ORGANIZERS,
  'POST /api/training/classes/:id/enrolments/import': TRAINING_ORGANIZERS,
  'GET /api/training/sessions/:id/checkin-code': TRAINING_ORGANIZERS,
  'GET /api/training/sessions/:id/attendance': TRAINING_READERS,
  'POST /api/training/sessions/:id/attendance': TRAINING_ORGANIZERS,
  'POST /api/training/sessions/:id/attendance/bulk': TRAINING_ORGANIZERS,
  'GET /api/training/sessions/:id/attendance.xlsx': TRAINING_READERS,
  'GET /api/training/classes/:id/progress.xlsx': TRAINING_READERS,
  'POST /api/training/sessions/:id/attendance/import': TRAINING_ORGANIZERS,
  'DELETE /api/training/sessions/:id/attendance/:enrolmentId': TRAINING_ORGANIZERS,
  'GET /api/my/training/classes': 'signed-in',
  'GET /api/my/training/classes/:id': 'signed-in',
  'POST /api/my/training/check-in': 'signed-in',
  'POST /api/my/training/sessions/:id/presence': 'signed-in',
  // training-study
  'GET /api/training/courses': TRAINING_READERS,
  'POST /api/training/courses': TRAINING_ORGANIZERS,
  'GET /api/training/courses/:id': TRAINING_READERS,
  'PATCH /api/training/courses/:id': TRAINING_ORGANIZERS,
  'POST /api/training/courses/:id/materials': TRAINING_ORGANIZERS,
  'PATCH /api/training/materials/:id': TRAINING_ORGANIZERS,
  'GET /api/my/training/courses': 'signed-in',
  'GET /api/my/training/courses/:id': 'signed-in',
  'POST /api/my/training/materials/:id/study': 'signed-in',
  'GET /api/training/classes/:id/progress': TRAINING_READERS,
  'PUT /api/training/enrolments/:id/assessment': TRAINING_ORGANIZERS,
  'PUT /api/my/training/classes/:id/competency': 'signed-in',
  'GET /api/training/classes/:id/competency': TRAINING_READERS,
  'POST /api/training/classes/:id/certificates': TRAINING_ORGANIZERS,
  'GET /api/training/certificate-jobs/:id': TRAINING_ORGANIZERS,
  'GET /api/training/classes/:id/certificates': TRAINING_READERS,
  'GET /api/training/certificates/:id.pdf': TRAINING_READERS,
  'POST /api/training/certificates/:id/revoke': TRAINING_ORGANIZERS,
  'GET /api/my/training/certificates': 'signed-in',
  'GET /api/my/training/certificates/:id.pdf': 'signed-in',
  'GET /api/verify/:number': 'public',
  'GET /api/training/classes/:id/report': TRAINING_READERS,
  'GET /api/training/classes/:id/report.xlsx': TRAINING_READERS,
  'DELETE /api/training/materials/:id': TRAINING_ORGANIZERS,
  'DELETE /api/training/courses/:id': TRAINING_ORGANIZERS,
  'GET /api/news/articles': NEWS_WRITERS,
  'POST /api/news/articles': NEWS_WRITERS,
  'GET /api/news/articles/:id': NEWS_WRITERS,
  'PATCH /api/news/articles/:id': NEWS_WRITERS,
  'POST /api/news/articles/:id/actions': NEWS_WRITERS,
  'GET /api/news/articles/:id/versions': NEWS_WRITERS,
  'POST /api/news/articles/:id/reprint': NEWS_WRITERS,
  'GET /api/news/articles/:id/reprint-targets': NEWS_WRITERS,
  'POST /api/news/images': NEWS_WRITERS,
  'GET /api/news/reports': NEWS_WRITERS,
  'POST /api/news/reports/:id/answer': NEWS_WRITERS,
  'PUT /api/news/newsrooms/:id': NEWS_CHIEFS,
  'GET /api/services/plans': SERVICES_READERS,
  'POST /api/services/plans': SERVICES_MANAGERS,
  'GET /api/services/plans/:id': SERVICES_READERS,
  'PATCH /api/services/plans/:id': SERVICES_MANAGERS,
  'POST /api/services/plans/:id/copy': SERVICES_MANAGERS,
  'GET /api/services/plans/:id/report.xlsx': SERVICES_READERS,
  'POST /api/services/plans/:id/enrolments': SERVICES_MANAGERS,
  'GET /api/services/plans/:id/enrolments': SERVICES_READERS,
  'POST /api/services/plans/:id/enrolments/import': SERVICES_MANAGERS,
  'GET /api/services/plans/:id/statements': SERVICES_READERS,
  'GET /api/services/statements/:id': SERVICES_READERS,
  'GET /api/services/statements/:id/notice.xlsx': SERVICES_READERS,
  'GET /api/services/statements/:id/notice.pdf': SERVICES_READERS,
  'POST /api/services/statements/:id/payment': SERVICES_MANAGERS,
  'POST /api/services/documents': 'signed-in',
  'GET /api/services/documents/:id': 'signed-in',
  'GET /api/services/claims': SERVICES_READERS,
  'POST /api/services/claims': SERVICES_MANAGERS,
  'GET /api/services/claims/:id': SERVICES_READERS,
  'POST /api/services/claims/:id/review': SERVICES_REVIEWERS,
  'GET /api/services/batches': SERVICES_PAYERS,
  'POST /api/services/batches': SERVICES_PAYERS,
  'GET /api/services/batches/:id': SERVICES_PAYERS,
  'GET /api/services/batches/:id/transfers.xlsx': SERVICES_PAYERS,
  'POST /api/services/batches/:id/paid': SERVICES_PAYERS,
  'GET /api/my/services/coverage': 'signed-in',
  'GET /api/my/services/claims': 'signed-in',
  'POST /api/my/services/claims': 'signed-in',
  'GET /api/my/services/claims/:id': 'signed-in',
  'POST /api/my/services/claims/:id/resubmit': 'signed-in',
  'POST /api/my/services/claims/:id/appeal': 'signed-in',
};

let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let target: { person: number; position: number; grant: number; importJob: number };
let study: Awaited<ReturnType<typeof studyTargets>>;
const sessions = new Map<string, Session>();

let loginProbes = 0;

/** Requests aimed at county A1 and below; bodies are harmless for whoever gets through. */
function request(key: string): { url: string; payload?: Record<string, unknown> | Buffer; headers?: Record<string, string> } {
  const union = f.unionA1.id;
  const requests: Record<string, { url: string; payload?: Record<string, unknown> | Buffer; headers?: Record<string, string> }> = {
    'GET /api/health': { url: '/api/health' },
    'GET /api/openapi.json': { url: '/api/openapi.json' },
    // A new unknown username each time: this table checks access, not the sign-in throttle (auth.test.ts).
    'POST /api/auth/login': { url: '/api/auth/login', payload: { username: `nobody-${++loginProbes}`, password: 'nothing' } },
    'POST /api/auth/logout': { url: '/api/auth/logout' },
    'GET /api/auth/me': { url: '/api/auth/me' },
    'POST /api/auth/password': { url: '/api/auth/password', payload: { currentPassword: 'wrong', newPassword: 'whatever-long' } },
    'GET /api/me/person': { url: '/api/me/person' },
    'GET /api/orgs/roots': { url: '/api/orgs/roots' },
    'GET /api/orgs': { url: `/api/orgs?within=${f.countyA1.id}` },
    'GET /api/orgs/:id': { url: `/api/orgs/${union}` },
    'GET /api/orgs/:id/children': { url: `/api/orgs/${f.countyA1.id}/children` },
    'GET /api/orgs/:id/ancestors': { url: `/api/orgs/${union}/ancestors` },
    'POST /api/orgs': { url: '/api/orgs', payload: { parentId: f.countyA1.id, name: f.unionA1.name, level: 'grassroots', kind: 'enterprise_union' } }, // a name taken: 409 for whoever may
    'PATCH /api/orgs/:id': { url: `/api/orgs/${union}`, payload: { shortName: '甲' } },
    'POST /api/orgs/:id/move': { url: `/api/orgs/${union}/move`, payload: { parentId: f.countyA1.id } }, // already there: no change
    'POST /api/orgs/:id/close': { url: `/api/orgs/${union}/close`, payload: {} }, // has a member: 409
    'GET /api/members': { url: `/api/members?orgId=${union}` },
    'GET /api/members/export.xlsx': { url: `/api/members/export.xlsx?orgId=${union}` },
    'GET /api/orgs/:id/figures': { url: `/api/orgs/${union}/figures` },
    'GET /api/orgs/:id/figures/trend': { url: `/api/orgs/${union}/figures/trend` },
    'GET /api/workbench': { url: '/api/workbench' },
    'POST /api/member-imports': { url: `/api/member-imports?orgId=${union}`, ...multipart('roster.csv', 'not,a,roster\n') }, // refused as a file: 400 for whoever may
    'GET /api/member-imports': { url: '/api/member-imports' },
    'GET /api/member-imports/template.xlsx': { url: `/api/member-imports/template.xlsx?orgId=${union}` },
    'GET /api/member-imports/:id': { url: `/api/member-imports/${target.importJob}` },
    'GET /api/member-imports/:id/rejects': { url: `/api/member-imports/${target.importJob}/rejects` },
    'GET /api/member-imports/:id/rejects.csv': { url: `/api/member-imports/${target.importJob}/rejects.csv` },
    'GET /api/member-exports': { url: `/api/member-exports?orgId=${union}&format=csv&status=all` },
    'GET /api/persons/:id': { url: `/api/persons/${target.person}` },
    'GET /api/cadre-positions': { url: `/api/cadre-positions?orgId=${union}` },
    'POST /api/persons': { url: '/api/persons', payload: { name: '新人', gender: 'female', idNumber: '11010519491231002X', membership: { orgId: union, joinedOn: '1950-01-01' } } },
    'PATCH /api/persons/:id': { url: `/api/persons/${target.person}`, payload: { employer: '中牟县人民医院' } },
    'POST /api/persons/:id/reveal-id-number': { url: `/api/persons/${target.person}/reveal-id-number` },
    'POST /api/persons/bulk-transfer': { url: '/api/persons/bulk-transfer', payload: { personIds: [target.person], toOrgId: union, date: '2025-01-01' } }, // same union: 400
    'POST /api/persons/bulk-leave': { url: '/api/persons/bulk-leave', payload: { personIds: [target.person], date: '1900-01-01' } }, // before joining: 400
    'POST /api/persons/:id/transfer': { url: `/api/persons/${target.person}/transfer`, payload: { toOrgId: union, date: '2025-01-01' } }, // same union: 400
    'POST /api/persons/:id/leave': { url: `/api/persons/${target.person}/leave`, payload: { date: '1900-01-01' } }, // before joining: 400
    'POST /api/persons/:id/join': { url: `/api/persons/${target.person}/join`, payload: { orgId: union, joinedOn: '2025-01-01' } }, // already a member: 409
    'POST /api/cadre-positions': { url: '/api/cadre-positions', payload: { personId: target.person, orgId: union, title: '委员', since: '2024-01-01' } },
    'POST /api/cadre-positions/:id/end': { url: `/api/cadre-positions/${target.position}/end`, payload: { until: '1900-01-01' } }, // before it began: 400
    'GET /api/accounts': { url: '/api/accounts' },
    'POST /api/accounts': { url: '/api/accounts', payload: { username: 'x', displayName: 'x', password: 'short', grant: { role: 'member', orgId: union } } }, // invalid: 400
    'GET /api/grants': { url: `/api/grants?orgId=${union}` },
    'POST /api/grants': { url: '/api/grants', payload: { accountId: 99999999, role: 'member', orgId: union } }, // no such account: 400
    'DELETE /api/grants/:id': { url: `/api/grants/${target.grant}` },
    'POST /api/accounts/:id/disable': { url: '/api/accounts/99999999/disable' }, // no such account: 404
    'POST /api/accounts/:id/enable': { url: '/api/accounts/99999999/enable' },
    'POST /api/accounts/:id/password': { url: '/api/accounts/99999999/password', payload: { newPassword: 'a-new-long-password' } },
    'POST /api/transfer-requests': { url: '/api/transfer-requests', payload: { idNumber: 'not-an-id', toOrgId: union, date: '2025-06-01' } }, // invalid: 400
    'GET /api/transfer-requests': { url: '/api/transfer-requests' },
    'GET /api/transfer-requests/:id': { url: '/api/transfer-requests/99999999' },
    'POST /api/transfer-requests/:id/approve': { url: '/api/transfer-requests/99999999/approve', payload: {} },
    'POST /api/transfer-requests/:id/decline': { url: '/api/transfer-requests/99999999/decline', payload: { reason: 'x' } },
    'POST /api/transfer-requests/:id/cancel': { url: '/api/transfer-requests/99999999/cancel' },
    'GET /api/audit': { url: '/api/audit' },
    // training-core: aimed at a class of union A1; bodies change nothing for whoever gets through
    'GET /api/training/plans': { url: '/api/training/plans' },
    'POST /api/training/plans': { url: '/api/training/plans', payload: { orgId: union, year: 2026, title: '年度培训计划' } }, // title taken: 409
    'GET /api/training/plans/:id': { url: `/api/training/plans/${training.plan}` },
    'PATCH /api/training/plans/:id': { url: `/api/training/plans/${training.plan}`, payload: { title: '年度培训计划' } },
    'GET /api/training/classes': { url: '/api/training/classes' },
    'POST /api/training/classes': { url: '/api/training/classes', payload: { orgId: union, title: 'x', startsOn: '2026-02-02', endsOn: '2026-02-01' } }, // ends first: 400
    'GET /api/training/classes/:id': { url: `/api/training/classes/${training.cls}` },
    'PATCH /api/training/classes/:id': { url: `/api/training/classes/${training.cls}`, payload: { venue: '中国劳动关系学院' } },
    'POST /api/training/classes/:id/status': { url: `/api/training/classes/${training.cls}/status`, payload: { status: 'open' } }, // already open: no change
    'GET /api/training/classes/:id/sessions': { url: `/api/training/classes/${training.cls}/sessions` },
    'POST /api/training/classes/:id/sessions': { url: `/api/training/classes/${training.cls}/sessions`, payload: { kind: 'lecture', topic: 'x', startsAt: '2020-01-01T09:00:00+08:00', endsAt: '2020-01-01T10:00:00+08:00', place: 'x' } }, // outside the class dates: 400
    'PATCH /api/training/sessions/:id': { url: `/api/training/sessions/${training.session}`, payload: { endsAt: '2020-01-01T10:00:00+08:00' } }, // before its start: 400
    'DELETE /api/training/sessions/:id': { url: `/api/training/sessions/${training.session}` }, // attended: 409
    'GET /api/training/classes/:id/timetable.ics': { url: `/api/training/classes/${training.cls}/timetable.ics` },
    'GET /api/my/training/feed-url': { url: '/api/my/training/feed-url' },
    'GET /api/training/feeds/:token.ics': { url: `/api/training/feeds/${training.person}-AAAAAAAAAAAAAAAAAAAAAAAA.ics` },
    'GET /api/training/classes/:id/enrolments': { url: `/api/training/classes/${training.cls}/enrolments` },
    'POST /api/training/classes/:id/enrolments': { url: `/api/training/classes/${training.cls}/enrolments`, payload: { idNumber: training.idNumber, mode: 'onsite' } }, // enrolled: 409
    'POST /api/training/classes/:id/enrolments/withdraw': { url: `/api/training/classes/${training.cls}/enrolments/withdraw`, payload: { enrolmentIds: [99999999] } }, // not in the class: 400
    'GET /api/training/sessions/:id/attendance.xlsx': { url: `/api/training/sessions/${training.session}/attendance.xlsx` },
    'GET /api/training/classes/:id/progress.xlsx': { url: `/api/training/classes/${training.cls}/progress.xlsx` },
    'GET /api/training/classes/:id/candidates': { url: `/api/training/classes/${training.cls}/candidates?q=${encodeURIComponent('张')}` },
    'PATCH /api/training/enrolments/:id': { url: `/api/training/enrolments/${training.enrolment}`, payload: { mode: 'onsite' } },
    'POST /api/training/classes/:id/enrolments/import': { url: `/api/training/classes/${training.cls}/enrolments/import?dryRun=true`, ...multipart('trainees.csv', 'not,a,list\n') }, // wrong columns: 422
    'GET /api/training/sessions/:id/checkin-code': { url: `/api/training/sessions/${training.session}/checkin-code` },
    'GET /api/training/sessions/:id/attendance': { url: `/api/training/sessions/${training.session}/attendance` },
    'POST /api/training/sessions/:id/attendance': { url: `/api/training/sessions/${training.session}/attendance`, payload: { enrolmentId: training.enrolment } }, // already in: 200
    'POST /api/training/sessions/:id/attendance/bulk': { url: `/api/training/sessions/${training.session}/attendance/bulk`, payload: { enrolmentIds: [training.enrolment] } }, // already in: 200
    'POST /api/training/sessions/:id/attendance/import': { url: `/api/training/sessions/${training.session}/attendance/import?dryRun=true`, ...multipart('attendance.csv', 'not,a,list\n') }, // wrong columns: 422
    'DELETE /api/training/sessions/:id/attendance/:enrolmentId': { url: `/api/training/sessions/${training.session}/attendance/${training.otherEnrolment}` }, // none to undo: 404
    'GET /api/my/training/classes': { url: '/api/my/training/classes' },
    'GET /api/my/training/classes/:id': { url: `/api/my/training/classes/${training.cls}` },
    'POST /api/my/training/check-in': { url: '/api/my/training/check-in', payload: { sessionId: training.session, code: '000000' } },
    'POST /api/my/training/sessions/:id/presence': { url: `/api/my/training/sessions/${training.session}/presence`, payload: { seconds: 30 } },
    // training-study
    'GET /api/training/courses': { url: `/api/training/courses?classId=${study.classId}` },
    'POST /api/training/courses': { url: '/api/training/courses', payload: { classId: study.classId, title: '配套课程' } },
    'GET /api/training/courses/:id': { url: `/api/training/courses/${study.courseId}` },
    'PATCH /api/training/courses/:id': { url: `/api/training/courses/${study.courseId}`, payload: { title: '配套课程' } },
    'POST /api/training/courses/:id/materials': { url: `/api/training/courses/${study.courseId}/materials`, payload: { kind: 'video', title: '第二讲', requiredMinutes: 5 } }, // no url: 400
    'PATCH /api/training/materials/:id': { url: `/api/training/materials/${study.materialId}`, payload: { requiredMinutes: 5 } },
    'GET /api/my/training/courses': { url: '/api/my/training/courses' },
    'GET /api/my/training/courses/:id': { url: `/api/my/training/courses/${study.courseId}` },
    'POST /api/my/training/materials/:id/study': { url: `/api/my/training/materials/${study.materialId}/study`, payload: { seconds: 30 } },
    'GET /api/training/classes/:id/progress': { url: `/api/training/classes/${study.classId}/progress` },
    'PUT /api/training/enrolments/:id/assessment': { url: `/api/training/enrolments/${study.enrolmentId}/assessment`, payload: { score: 80 } },
    'PUT /api/my/training/classes/:id/competency': { url: `/api/my/training/classes/${study.classId}/competency`, payload: { scores: { political: 1 } } }, // incomplete: 400
    'GET /api/training/classes/:id/competency': { url: `/api/training/classes/${study.classId}/competency` },
    'POST /api/training/classes/:id/certificates': { url: `/api/training/classes/${study.classId}/certificates` },
    'GET /api/training/certificate-jobs/:id': { url: `/api/training/certificate-jobs/${study.jobId}` },
    'GET /api/training/classes/:id/certificates': { url: `/api/training/classes/${study.classId}/certificates` },
    'GET /api/training/certificates/:id.pdf': { url: `/api/training/certificates/${study.certificateId}.pdf` },
    'POST /api/training/certificates/:id/revoke': { url: `/api/training/certificates/${study.certificateId}/revoke`, payload: { reason: '' } }, // empty: 400
    'GET /api/my/training/certificates': { url: '/api/my/training/certificates' },
    'GET /api/my/training/certificates/:id.pdf': { url: `/api/my/training/certificates/${study.certificateId}.pdf` },
    'GET /api/verify/:number': { url: `/api/verify/${study.certificateNumber}` },
    'GET /api/training/classes/:id/report': { url: `/api/training/classes/${study.classId}/report` },
    'GET /api/training/classes/:id/report.xlsx': { url: `/api/training/classes/${study.classId}/report.xlsx` },
    'DELETE /api/training/materials/:id': { url: '/api/training/materials/99999999' }, // none: 404
    'DELETE /api/training/courses/:id': { url: '/api/training/courses/99999999' }, // none: 404
    // news: a published article of union A1 and a report on it
    'GET /api/news/articles': { url: '/api/news/articles' },
    'POST /api/news/articles': { url: '/api/news/articles', payload: { orgId: union, title: '稿件', channel: 'no-such-channel' } }, // invalid: 400
    'GET /api/news/articles/:id': { url: `/api/news/articles/${news.article}` },
    'PATCH /api/news/articles/:id': { url: `/api/news/articles/${news.article}`, payload: { version: 999, title: '改' } }, // stale: 409
    'POST /api/news/articles/:id/actions': { url: `/api/news/articles/${news.article}/actions`, payload: { action: 'submit', version: 999 } }, // stale: 409
    'GET /api/news/articles/:id/versions': { url: `/api/news/articles/${news.article}/versions` },
    'POST /api/news/articles/:id/reprint': { url: `/api/news/articles/${news.article}/reprint`, payload: { toOrgId: union } }, // its own organization: 400
    'GET /api/news/articles/:id/reprint-targets': { url: `/api/news/articles/${news.article}/reprint-targets` },
    'POST /api/news/images': { url: `/api/news/images?orgId=${union}`, ...multipart('photo.jpg', 'not a photo') }, // not an image: 415
    'GET /api/news/reports': { url: '/api/news/reports' },
    'POST /api/news/reports/:id/answer': { url: `/api/news/reports/${news.report}/answer`, payload: { answer: '' } }, // empty: 400
    'PUT /api/news/newsrooms/:id': { url: `/api/news/newsrooms/${union}`, payload: { slug: 'Not Valid', hotline: null, email: null } }, // invalid: 400
    // services: a plan of union A1 (enrolment closed), its member's claim in review with a document, a paid batch
    'GET /api/services/plans': { url: '/api/services/plans' },
    'POST /api/services/plans': { url: '/api/services/plans', payload: { orgId: union, name: '方案' } }, // incomplete: 400
    'GET /api/services/plans/:id': { url: `/api/services/plans/${svc.plan}` },
    'PATCH /api/services/plans/:id': { url: `/api/services/plans/${svc.plan}`, payload: { name: '惠工保（矩阵）' } },
    'POST /api/services/plans/:id/copy': { url: `/api/services/plans/${svc.plan}/copy` },
    'GET /api/services/plans/:id/report.xlsx': { url: `/api/services/plans/${svc.plan}/report.xlsx` },
    'POST /api/services/plans/:id/enrolments': { url: `/api/services/plans/${svc.plan}/enrolments`, payload: { orgId: union, all: true } }, // window closed: 409
    'GET /api/services/plans/:id/enrolments': { url: `/api/services/plans/${svc.plan}/enrolments` },
    'POST /api/services/plans/:id/enrolments/import': { url: `/api/services/plans/${svc.plan}/enrolments/import?orgId=${union}`, ...multipart('members.csv', '姓名,身份证号\n') }, // window closed: 409
    'GET /api/services/plans/:id/statements': { url: `/api/services/plans/${svc.plan}/statements` },
    'GET /api/services/statements/:id': { url: `/api/services/statements/${svc.statement}` },
    'GET /api/services/statements/:id/notice.xlsx': { url: `/api/services/statements/${svc.statement}/notice.xlsx` },
    'GET /api/services/statements/:id/notice.pdf': { url: `/api/services/statements/${svc.statement}/notice.pdf` },
    'POST /api/services/statements/:id/payment': { url: `/api/services/statements/${svc.statement}/payment`, payload: { paidOn: '2026-01-01', amountFen: 3000, reference: 'R' } }, // paid: 409
    'POST /api/services/documents': { url: '/api/services/documents?kind=invoice', ...multipart('invoice.jpg', 'not a photo') }, // not a photo: 415
    'GET /api/services/documents/:id': { url: `/api/services/documents/${svc.document}` },
    'GET /api/services/claims': { url: '/api/services/claims' },
    'POST /api/services/claims': { url: '/api/services/claims', payload: { planId: svc.plan, personId: svc.person, hospital: '医院', admittedOn: '2026-03-05', dischargedOn: '2026-03-01', diagnosis: '诊断', bankName: '银行', bankAccount: '6222021001012345678', documents: [], requestKey: 'matrix-key' } }, // discharge first: 400
    'GET /api/services/claims/:id': { url: `/api/services/claims/${svc.claim}` },
    'POST /api/services/claims/:id/review': { url: `/api/services/claims/${svc.claim}/review`, payload: { action: 'approve', version: 999 } }, // stale: 409
    'GET /api/services/batches': { url: '/api/services/batches' },
    'POST /api/services/batches': { url: '/api/services/batches', payload: { planId: svc.plan, orgId: union } }, // nothing approved: 409
    'GET /api/services/batches/:id': { url: `/api/services/batches/${svc.batch}` },
    'GET /api/services/batches/:id/transfers.xlsx': { url: `/api/services/batches/${svc.batch}/transfers.xlsx` },
    'POST /api/services/batches/:id/paid': { url: `/api/services/batches/${svc.batch}/paid`, payload: { paidOn: '2026-03-01', reference: 'x' } }, // paid: 409
    'GET /api/my/services/coverage': { url: '/api/my/services/coverage' },
    'GET /api/my/services/claims': { url: '/api/my/services/claims' },
    'POST /api/my/services/claims': { url: '/api/my/services/claims', payload: { planId: svc.plan, hospital: '医院', admittedOn: '2026-03-05', dischargedOn: '2026-03-01', diagnosis: '诊断', bankName: '银行', bankAccount: '6222021001012345678', documents: [], requestKey: 'matrix-key' } },
    'GET /api/my/services/claims/:id': { url: `/api/my/services/claims/${svc.claim}` },
    'POST /api/my/services/claims/:id/resubmit': { url: `/api/my/services/claims/${svc.claim}/resubmit`, payload: { version: 1, documents: [{ id: svc.document, kind: 'invoice' }] } },
    'POST /api/my/services/claims/:id/appeal': { url: `/api/my/services/claims/${svc.claim}/appeal`, payload: { version: 1, reason: '申诉' } },
  };
  return requests[key]!;
}

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  const person = await makePerson(t, f.unionA1);
  const position = await t.pool.query<{ id: number }>(`INSERT INTO cadre_positions (province_id, person_id, org_id, title, since) SELECT province_id, id, $2, '主席', '2020-01-01' FROM persons WHERE id = $1 RETURNING id`, [person.id, f.unionA1.id]);
  const holder = await signIn(t, 'member', f.unionA1);
  const grant = await t.pool.query<{ id: number }>('SELECT id FROM role_grants WHERE account_id = $1', [holder.accountId]);
  const importer = await signIn(t, 'admin', f.provinceA);
  const job = await importFile(t, importer, f.unionA1.id, 'roster.csv', rosterCsv([{ name: '导入甲', idNumber: validIdNumber() }], false));
  target = { person: person.id, position: position.rows[0]!.id, grant: grant.rows[0]!.id, importJob: job.id };
  study = await studyTargets(t.pool, f.unionA1, f.unionA1, person.id);
  for (const role of ROLES) {
    sessions.set(`${role}@own`, await signIn(t, role, f.unionA1));
    sessions.set(`${role}@ancestor`, await signIn(t, role, f.provinceA));
    sessions.set(`${role}@sibling`, await signIn(t, role, f.countyA2));
  }
});
afterAll(async () => { await t.close(); });

// training-core
let training: Awaited<ReturnType<typeof trainingTargets>>;
beforeAll(async () => { training = await trainingTargets(t, f.unionA1); });

// news
let news: { article: number; report: number };
beforeAll(async () => {
  await t.pool.query(`INSERT INTO news_newsrooms (org_id, slug) VALUES ($1, 'matrix-a1')`, [f.unionA1.id]);
  const article = await t.pool.query<{ id: number }>(`INSERT INTO news_articles (org_id, title, channel, status, published_at) VALUES ($1, '矩阵稿件', 'notices', 'published', now()) RETURNING id`, [f.unionA1.id]);
  const report = await t.pool.query<{ id: number }>(`INSERT INTO news_reports (article_id, org_id, reason, description, address_hash) VALUES ($1, $2, 'other', '举报', '\\x00') RETURNING id`, [article.rows[0]!.id, f.unionA1.id]);
  news = { article: article.rows[0]!.id, report: report.rows[0]!.id };
});

// services
let svc: Awaited<ReturnType<typeof servicesTargets>>;
beforeAll(async () => { svc = await servicesTargets(t, f.unionA1, sessions.get('services.manager@own')!); });

const allows = (who: Who, role: Role) => who === 'public' || who === 'signed-in' || who.includes(role);

describe('access matrix', () => {
  it('declares every registered route', () => {
    const registered = t.app.routeTable.filter((r) => r.url.startsWith('/api') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`);
    expect(registered.filter((r) => !(r in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((r) => !registered.includes(r))).toEqual([]);
    // The table and the routes' own declarations agree.
    for (const route of t.app.routeTable.filter((r) => r.url.startsWith('/api') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD')) {
      const declared = route.access;
      const expected = TABLE[`${route.method} ${route.url}`]!;
      expect(typeof declared === 'string' ? declared : [...declared].sort(), `${route.method} ${route.url}`).toEqual(typeof expected === 'string' ? expected : [...expected].sort());
    }
  });

  it.each(Object.keys(TABLE).filter((k) => k !== 'POST /api/auth/logout'))('%s answers each role and position as declared', async (key) => {
    const [method] = key.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'];
    const who = TABLE[key]!;
    const anonymous = await call(t, null, { method, ...request(key) });
    expect(anonymous.statusCode < 500).toBe(true);
    if (who !== 'public') expect(anonymous.statusCode, `${key} anonymous`).toBe(401);
    for (const role of ROLES) {
      for (const position of ['own', 'ancestor', 'sibling'] as const) {
        const response = await call(t, sessions.get(`${role}@${position}`)!, { method, ...request(key) });
        const label = `${key} as ${role}@${position}: ${response.body.slice(0, 200)}`;
        expect(response.statusCode, label).toBeLessThan(500);
        if (!allows(who, role)) {
          expect(response.statusCode, label).toBe(403);
        } else if (position === 'sibling' && Array.isArray(who)) {
          // Allowed role, other subtree: nothing of county A1 (403/404/400, or an empty list).
          if (response.statusCode === 200) expect(JSON.stringify(response.json()), label).not.toContain(`"orgId":${f.unionA1.id}`);
          else expect([400, 403, 404], label).toContain(response.statusCode);
        } else if (position === 'own' && ON_PARENT.has(key)) {
          expect(response.statusCode, label).toBe(403);
        } else if (PERSONAL.test(key) && response.statusCode === 403) {
          expect(response.json<{ detail: string }>().detail, label).toContain('not linked to a person');
        } else {
          const type = response.statusCode >= 400 ? response.json<{ type: string }>().type : '';
          expect(DENIALS, label).not.toContain(type);
        }
      }
    }
  });

  it('POST /api/auth/logout signs out any signed-in account, and no one else', async () => {
    expect((await call(t, null, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(401);
    for (const role of ROLES) {
      const session = await signIn(t, role, f.unionA1);
      expect((await call(t, session, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
      expect((await call(t, session, { url: '/api/auth/me' })).statusCode).toBe(401);
    }
  });
});
