/**
 * Lists, searches and exports against the model: each returns only rows within the caller's
 * reach, and the simple ones equal the model row by row.
 */
import { MODULE_ACCESS } from '@workers-home/contract';
import type { MAccount, Model } from './model.ts';

const STAFF = MODULE_ACCESS.orgs.read;
const READERS = MODULE_ACCESS.people.read;
const ADMIN = MODULE_ACCESS.auth.manage;
const PEOPLE_ADMIN = MODULE_ACCESS.people.write;
const TRAINING_READERS = MODULE_ACCESS.training.read;
const TRAINING_ORGANIZERS = MODULE_ACCESS.training.organize;
const NEWS_WRITERS = MODULE_ACCESS.news.write;
const SERVICES_READERS = MODULE_ACCESS.services.read;
const SERVICES_PAYERS = MODULE_ACCESS.services.pay;

type Row = Record<string, unknown>;
export interface ListCheck {
  /** The request, or null when this caller has nothing to ask it about. */
  url(m: Model, c: MAccount): string | null;
  /** Problems found (empty: fine). */
  check(m: Model, c: MAccount, rows: Row[], raw: string): string[];
  trainee?: boolean;
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
function equal(label: string, got: number[], want: number[]): string[] {
  const g = sorted(got), w = sorted(want);
  return JSON.stringify(g) === JSON.stringify(w) ? [] : [`${label}: got ${JSON.stringify(g)}, model ${JSON.stringify(w)}`];
}
function subset(label: string, got: number[], allowed: number[]): string[] {
  const extra = got.filter((x) => !allowed.includes(x));
  return extra.length ? [`${label}: rows outside the caller's reach ${JSON.stringify(extra)}`] : [];
}
const ids = (rows: Row[], key = 'id') => rows.map((r) => Number(r[key]));

const visibleClasses = (m: Model, c: MAccount) => m.w.classes.filter((k) => m.reaches(c, TRAINING_READERS, k.orgId)
  || (k.status !== 'draft' && m.audience(k).some((a) => m.overlapsAny(c, TRAINING_READERS, a))));
const enrolledClasses = (m: Model, c: MAccount) => m.w.classes.filter((k) => k.status !== 'draft' && m.w.enrolments.some((e) => e.classId === k.id && e.personId === c.personId));

export const LIST_CHECKS: Record<string, ListCheck> = {
  'GET /api/orgs/roots': {
    url: () => '/api/orgs/roots',
    check: (m, c, rows) => subset('roots', ids(rows), m.w.orgs.filter((o) => m.reaches(c, STAFF, o.id)).map((o) => o.id)),
  },
  'GET /api/orgs': {
    url: () => '/api/orgs?pageSize=200',
    check: (m, c, rows) => equal('orgs', ids(rows), m.w.orgs.filter((o) => m.reaches(c, STAFF, o.id)).map((o) => o.id)),
  },
  'GET /api/orgs/{id}/children': {
    url: (m, c) => { const r = m.roots(c, STAFF)[0]; return r === undefined ? null : `/api/orgs/${r}/children?pageSize=200`; },
    check: (m, c, rows) => equal('children', ids(rows), m.w.orgs.filter((o) => o.parentId === m.roots(c, STAFF)[0]).map((o) => o.id)),
  },
  'GET /api/members': {
    url: () => '/api/members?status=all&pageSize=200',
    check: (m, c, rows) => equal('members', ids(rows, 'membershipId'),
      m.w.persons.flatMap((p) => p.memberships).filter((x) => m.reaches(c, READERS, x.orgId)).map((x) => x.id)),
  },
  'GET /api/member-imports': {
    url: () => '/api/member-imports?pageSize=200',
    check: (m, c, rows) => equal('member-imports', ids(rows), m.w.importJobs.filter((j) => m.reaches(c, READERS, j.orgId)).map((j) => j.id)),
  },
  'GET /api/member-exports': {
    url: (m, c) => { const r = m.roots(c, PEOPLE_ADMIN)[0]; return r === undefined ? null : `/api/member-exports?orgId=${r}&format=csv&status=all`; },
    check: (m, c, _rows, raw) => {
      const root = m.roots(c, PEOPLE_ADMIN)[0]!;
      const want = m.w.persons.flatMap((p) => p.memberships.filter((x) => m.within(x.orgId, root)).map(() => p.idNumber)).sort();
      const got = raw.split(/\r?\n/).slice(1).filter(Boolean).map((line) => (line.match(/\d{17}[\dX]/) ?? ['?'])[0]).sort();
      return JSON.stringify(got) === JSON.stringify(want) ? [] : [`member-exports of ${root}: ID numbers ${JSON.stringify(got)}, model ${JSON.stringify(want)}`];
    },
  },
  'GET /api/accounts': {
    url: () => '/api/accounts?pageSize=200',
    // Homed within the caller's admin subtrees, and holding no role outside them.
    check: (m, c, rows) => equal('accounts', ids(rows), m.w.accounts.filter((a) => {
      const home = m.accountHome(a);
      return home !== undefined && m.reaches(c, ADMIN, home) && a.grants.every((g) => m.reaches(c, ADMIN, g.orgId));
    }).map((a) => a.id)),
  },
  'GET /api/transfer-requests': {
    // The model's federations file no transfer requests: every caller's list is empty in every direction.
    url: () => '/api/transfer-requests?direction=all&status=all&pageSize=200',
    check: (_m, _c, rows) => equal('transfer-requests', ids(rows), []),
  },
  'GET /api/grants': {
    url: () => '/api/grants?pageSize=200',
    check: (m, c, rows) => equal('grants', ids(rows), m.w.accounts.flatMap((a) => a.grants).filter((g) => m.reaches(c, ADMIN, g.orgId)).map((g) => g.id)),
  },
  'GET /api/audit': {
    url: () => '/api/audit?pageSize=200',
    check: (m, c, rows) => subset('audit orgIds', rows.map((r) => r.orgId).filter((o): o is number => typeof o === 'number'),
      m.w.orgs.filter((o) => m.reaches(c, MODULE_ACCESS.audit.read, o.id)).map((o) => o.id)),
  },
  'GET /api/cadre-positions': {
    url: (m, c) => { const p = m.w.positions.find((x) => m.reaches(c, READERS, x.orgId)); return p ? `/api/cadre-positions?orgId=${p.orgId}&pageSize=200` : null; },
    check: (m, c, rows) => {
      const org = m.w.positions.find((x) => m.reaches(c, READERS, x.orgId))!.orgId;
      return equal(`cadre-positions of ${org}`, ids(rows), m.w.positions.filter((x) => x.orgId === org).map((x) => x.id));
    },
  },
  'GET /api/news/articles': {
    url: () => '/api/news/articles?pageSize=200',
    check: (m, c, rows) => equal('articles', ids(rows), m.w.articles.filter((a) => m.reaches(c, NEWS_WRITERS, a.orgId)).map((a) => a.id)),
  },
  'GET /api/news/articles/{id}/reprint-targets': {
    // The newsrooms above an article the caller reaches (a newsroom: the organization of an article), nearest first; none beside or below it.
    url: (m, c) => { const a = m.w.articles.find((x) => m.reaches(c, NEWS_WRITERS, x.orgId)); return a ? `/api/news/articles/${a.id}/reprint-targets` : null; },
    check: (m, c, rows) => {
      const article = m.w.articles.find((x) => m.reaches(c, NEWS_WRITERS, x.orgId))!;
      const newsrooms = new Set(m.w.articles.map((x) => x.orgId));
      const above = m.w.orgs.filter((o) => o.id !== article.orgId && m.within(article.orgId, o.id) && newsrooms.has(o.id))
        .sort((a, b) => b.path.split('.').length - a.path.split('.').length).map((o) => o.id);
      const got = ids(rows, 'orgId');
      return JSON.stringify(got) === JSON.stringify(above) ? [] : [`reprint targets of article ${article.id}: got ${JSON.stringify(got)}, model ${JSON.stringify(above)}`];
    },
  },
  'GET /api/news/reports': {
    url: () => '/api/news/reports?pageSize=200',
    check: (m, c, rows) => equal('reports', ids(rows), m.w.reports.filter((r) => m.reaches(c, NEWS_WRITERS, r.orgId)).map((r) => r.id)),
  },
  'GET /api/services/plans': {
    url: () => '/api/services/plans?pageSize=200',
    check: (m, c, rows) => equal('aid plans', ids(rows), m.w.aidPlans.filter((p) => m.overlapsAny(c, SERVICES_READERS, p.orgId)).map((p) => p.id)),
  },
  'GET /api/services/claims': {
    url: () => '/api/services/claims?pageSize=200',
    check: (m, c, rows) => equal('claims', ids(rows), m.w.claims.filter((x) => m.reaches(c, SERVICES_READERS, x.orgId)).map((x) => x.id)),
  },
  'GET /api/services/batches': {
    url: () => '/api/services/batches?pageSize=200',
    check: (m, c, rows) => equal('batches', ids(rows), m.w.batches.filter((x) => m.reaches(c, SERVICES_PAYERS, x.orgId)).map((x) => x.id)),
  },
  'GET /api/my/services/claims': {
    trainee: true,
    url: () => '/api/my/services/claims',
    check: (m, c, rows) => equal('my claims', ids(rows), m.w.claims.filter((x) => x.personId === c.personId).map((x) => x.id)),
  },
  'GET /api/my/services/coverage': {
    trainee: true,
    url: () => '/api/my/services/coverage',
    check: (m, c, rows) => equal('my coverage', ids(rows, 'planId'), m.w.aidPlans.filter((p) => c.personId !== null && p.enrolled.includes(c.personId)).map((p) => p.id)),
  },
  'GET /api/training/plans': {
    url: () => '/api/training/plans?pageSize=200',
    check: (m, c, rows) => equal('plans', ids(rows), m.w.plans.filter((p) => m.reaches(c, TRAINING_READERS, p.orgId)).map((p) => p.id)),
  },
  'GET /api/training/classes': {
    url: () => '/api/training/classes?pageSize=200',
    check: (m, c, rows) => equal('classes', ids(rows), visibleClasses(m, c).map((k) => k.id)),
  },
  'GET /api/training/courses': {
    url: () => '/api/training/courses?pageSize=200',
    check: (m, c, rows) => subset('courses', ids(rows), m.w.courses.filter((k) => visibleClasses(m, c).some((v) => v.id === k.classId)).map((k) => k.id)),
  },
  'GET /api/training/classes/{id}/enrolments': {
    // A class seen through its audience: only the caller's own people.
    url: (m, c) => { const k = visibleClasses(m, c).find((x) => !m.reaches(c, TRAINING_READERS, x.orgId)); return k ? `/api/training/classes/${k.id}/enrolments?pageSize=200` : null; },
    check: (m, c, rows) => {
      const k = visibleClasses(m, c).find((x) => !m.reaches(c, TRAINING_READERS, x.orgId))!;
      return equal(`enrolments of audience class ${k.id}`, ids(rows), m.w.enrolments.filter((e) => e.classId === k.id && m.reaches(c, TRAINING_READERS, e.orgId)).map((e) => e.id));
    },
  },
  'GET /api/training/classes/{id}/candidates': {
    // People the caller may enrol in a class they organize for: current members of unions within both their organizer reach and the class's audience.
    url: (m, c) => {
      const k = visibleClasses(m, c).find((x) => x.status !== 'draft' && m.audience(x).some((a) => m.overlapsAny(c, TRAINING_ORGANIZERS, a)));
      const someone = k && m.w.persons.find((p) => p.memberships.some((x) => x.status === 'active' && m.reaches(c, TRAINING_ORGANIZERS, x.orgId)));
      return k && someone ? `/api/training/classes/${k.id}/candidates?q=${encodeURIComponent([...someone.name][0]!)}&pageSize=50` : null;
    },
    check: (m, c, rows) => {
      const k = visibleClasses(m, c).find((x) => x.status !== 'draft' && m.audience(x).some((a) => m.overlapsAny(c, TRAINING_ORGANIZERS, a)))!;
      const allowed = m.w.persons.filter((p) => p.memberships.some((x) => x.status === 'active' && m.reaches(c, TRAINING_ORGANIZERS, x.orgId)
        && m.audience(k).some((a) => m.within(x.orgId, a)))).map((p) => p.id);
      return subset(`candidates of class ${k.id}`, ids(rows, 'personId'), allowed);
    },
  },
  'GET /api/my/training/classes': {
    trainee: true,
    url: () => '/api/my/training/classes',
    check: (m, c, rows) => equal('my classes', ids(rows, 'classId'), enrolledClasses(m, c).map((k) => k.id)),
  },
  'GET /api/my/training/courses': {
    trainee: true,
    url: () => '/api/my/training/courses?pageSize=200',
    check: (m, c, rows) => subset('my courses', ids(rows), m.w.courses.filter((k) => enrolledClasses(m, c).some((e) => e.id === k.classId)).map((k) => k.id)),
  },
  'GET /api/my/training/certificates': {
    trainee: true,
    url: () => '/api/my/training/certificates?pageSize=200',
    check: (m, c, rows) => equal('my certificates', ids(rows),
      m.w.certificates.filter((x) => m.w.enrolments.find((e) => e.id === x.enrolmentId)!.personId === c.personId).map((x) => x.id)),
  },
};

