/**
 * The kinds of ids a route takes, and for each kind and caller the four zones the harness
 * draws ids from: inside the caller's reach, a sibling subtree, far outside (an ancestor or
 * another province), and nowhere (an id that does not exist).
 */
import { MODULE_ACCESS, type Role } from '@workers-home/contract';
import type { MAccount, Model } from './model.ts';

export type Kind =
  | 'org' | 'person' | 'currentPerson' | 'idNumber' | 'account' | 'grant' | 'position' | 'importJob' | 'plan' | 'class' | 'session' | 'enrolment'
  | 'course' | 'material' | 'certificate' | 'certJob' | 'transferRequest' | 'article' | 'report' | 'image'
  | 'myClass' | 'mySession' | 'myCourse' | 'myMaterial' | 'myCertificate'
  | 'aidPlan' | 'statement' | 'claim' | 'document' | 'batch' | 'myAidPlan' | 'myClaim';

export type Zone = 'inside' | 'sibling' | 'outside' | 'nowhere';

export interface Instance {
  id: number;
  /** What goes into the request: the id, or for `idNumber` the national ID number. */
  value: string | number;
  /** Reached by the caller under the route's roles: a read of it must answer 200. */
  inside: boolean;
  /** Lies wholly outside every subtree the caller holds any role on (trainee kinds: not the caller's own). */
  outside: boolean;
  /** When outside: in the same province as one of the caller's grants. */
  near: boolean;
}

/** Ids that exist nowhere (identity columns start at 1; a test run never reaches these). */
export const NOWHERE_ID = 1_987_654_321;

type Roles = readonly Role[];

function orgInstance(m: Model, c: MAccount, roles: Roles, id: number, value: string | number = id): Instance {
  return { id, value, inside: m.reaches(c, roles, id), outside: m.whollyOutside(c, id), near: m.nearCaller(c, id) };
}

/** An entity anchored at several organizations: inside if any is reached, outside if none is touched. */
function anchored(m: Model, c: MAccount, roles: Roles, id: number, anchors: number[], insideAnchors = anchors, value: string | number = id): Instance {
  return {
    id, value,
    inside: insideAnchors.some((o) => m.reaches(c, roles, o)),
    outside: anchors.every((o) => m.whollyOutside(c, o)),
    near: anchors.some((o) => m.nearCaller(c, o)),
  };
}

/** A class: inside for readers of its organizer organization; outside when neither it nor its audience touches the caller. */
function classInstance(m: Model, c: MAccount, roles: Roles, classId: number, id = classId): Instance {
  const cls = m.cls(classId);
  return {
    id, value: id,
    inside: m.reaches(c, roles, cls.orgId),
    outside: m.whollyOutside(c, cls.orgId) && m.audience(cls).every((a) => !m.overlapsAny(c, 'any', a)),
    near: m.nearCaller(c, cls.orgId),
  };
}

/** The classes the caller's own person is enrolled in (trainee routes). */
function myClassIds(m: Model, c: MAccount): Set<number> {
  return new Set(m.w.enrolments.filter((e) => c.personId !== null && e.personId === c.personId).map((e) => e.classId));
}

function mine(id: number, own: boolean): Instance {
  return { id, value: id, inside: own, outside: !own, near: false };
}

export function instances(m: Model, kind: Kind, c: MAccount, roles: Roles): Instance[] {
  const w = m.w;
  switch (kind) {
    case 'org': return w.orgs.map((o) => orgInstance(m, c, roles, o.id));
    case 'person': return w.persons.map((p) => anchored(m, c, roles, p.id, m.personOrgs(p)));
    case 'currentPerson':
      // Where a person is a member now: an account linked to them is for that union's admins only.
      return w.persons.map((p) => { const u = m.activeUnion(p); return anchored(m, c, roles, p.id, u === undefined ? m.personOrgs(p) : [u]); });
    case 'idNumber':
      // Only people with a current membership: a number of someone with none may be claimed (they join).
      return w.persons.filter((p) => m.activeUnion(p) !== undefined).map((p) => anchored(m, c, roles, p.id, m.personOrgs(p), m.personOrgs(p), p.idNumber));
    case 'account': return w.accounts.filter((a) => a.grants.length).map((a) => anchored(m, c, roles, a.id, a.grants.map((g) => g.orgId)));
    case 'grant': return w.accounts.flatMap((a) => a.grants).map((g) => ({ ...orgInstance(m, c, roles, g.orgId), id: g.id, value: g.id }));
    case 'position': return w.positions.map((p) => ({ ...orgInstance(m, c, roles, p.orgId), id: p.id, value: p.id }));
    case 'importJob': return w.importJobs.map((j) => ({ ...orgInstance(m, c, roles, j.orgId), id: j.id, value: j.id }));
    case 'plan': return w.plans.map((p) => ({ ...orgInstance(m, c, roles, p.orgId), id: p.id, value: p.id }));
    case 'class': return w.classes.map((cl) => classInstance(m, c, roles, cl.id));
    case 'session': return w.sessions.map((s) => classInstance(m, c, roles, s.classId, s.id));
    case 'certJob': return w.certJobs.map((j) => classInstance(m, c, roles, j.classId, j.id));
    case 'course': return w.courses.map((k) => classInstance(m, c, roles, k.classId, k.id));
    case 'material': return w.materials.map((x) => classInstance(m, c, roles, w.courses.find((k) => k.id === x.courseId)!.classId, x.id));
    case 'enrolment': return w.enrolments.map((e) => enrolmentInstance(m, c, roles, e.id, e.id));
    case 'certificate': return w.certificates.map((x) => enrolmentInstance(m, c, roles, x.enrolmentId, x.id));
    case 'transferRequest': return [];
    case 'article': return w.articles.map((a) => ({ ...orgInstance(m, c, roles, a.orgId), id: a.id, value: a.id }));
    case 'report': return w.reports.map((r) => ({ ...orgInstance(m, c, roles, r.orgId), id: r.id, value: r.id }));
    case 'image': return w.images.map((i) => ({ ...orgInstance(m, c, roles, i.orgId), id: i.id, value: i.id }));
    case 'myClass': { const own = myClassIds(m, c); return w.classes.map((k) => mine(k.id, own.has(k.id))); }
    case 'mySession': { const own = myClassIds(m, c); return w.sessions.map((s) => mine(s.id, own.has(s.classId))); }
    case 'myCourse': { const own = myClassIds(m, c); return w.courses.map((k) => mine(k.id, own.has(k.classId))); }
    case 'myMaterial': { const own = myClassIds(m, c); return w.materials.map((x) => mine(x.id, own.has(w.courses.find((k) => k.id === x.courseId)!.classId))); }
    case 'aidPlan':
      // A plan applies to its issuer's subtree: readable there and by those whose subtrees lie below its issuer.
      return w.aidPlans.map((p) => ({ id: p.id, value: p.id, inside: m.overlapsAny(c, roles, p.orgId), outside: !m.overlapsAny(c, 'any', p.orgId), near: m.nearCaller(c, p.orgId) }));
    case 'statement': return w.statements.map((x) => ({ ...orgInstance(m, c, roles, x.orgId), id: x.id, value: x.id }));
    case 'claim': return w.claims.map((x) => ({ ...orgInstance(m, c, roles, x.orgId), id: x.id, value: x.id }));
    case 'document': return w.documents.map((d) => {
      // Its uploader, the member whose claim holds it, and readers of that claim see it ('signed-in' route: the services readers' roles).
      const claim = w.claims.find((x) => x.id === d.claimId)!;
      const own = d.uploaderId === c.id || claim.personId === c.personId;
      return { id: d.id, value: d.id, inside: own || m.reaches(c, MODULE_ACCESS.services.read, claim.orgId), outside: !own && m.whollyOutside(c, claim.orgId), near: m.nearCaller(c, claim.orgId) };
    });
    case 'batch': return w.batches.map((x) => ({ ...orgInstance(m, c, roles, x.orgId), id: x.id, value: x.id }));
    case 'myAidPlan': return w.aidPlans.map((p) => mine(p.id, c.personId !== null && p.enrolled.includes(c.personId)));
    case 'myClaim': return w.claims.map((x) => mine(x.id, x.personId === c.personId));
    case 'myCertificate': return w.certificates.map((x) => mine(x.id, w.enrolments.find((e) => e.id === x.enrolmentId)!.personId === c.personId));
  }
}

/** An enrolment (or its certificate): inside for readers of its class's organization; outside when neither the class's nor the trainee's organization is touched. */
function enrolmentInstance(m: Model, c: MAccount, roles: Roles, enrolmentId: number, id: number): Instance {
  const e = m.w.enrolments.find((x) => x.id === enrolmentId)!;
  const cls = m.cls(e.classId);
  return {
    id, value: id,
    inside: m.reaches(c, roles, cls.orgId),
    outside: m.whollyOutside(c, cls.orgId) && m.whollyOutside(c, e.orgId),
    near: m.nearCaller(c, e.orgId),
  };
}
