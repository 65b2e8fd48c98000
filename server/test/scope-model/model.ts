/**
 * The reference model of the scope promise: plain objects, no SQL. A federation is a tree of
 * organizations (each with its ltree path as text), people with memberships and positions,
 * accounts with role grants, and training objects. The model answers, for a caller and the
 * roles a route accepts, which rows the caller reaches ("inside") and which lie wholly
 * outside every subtree the caller holds any role on ("outside").
 */
import type { Role } from '@workers-home/contract';
import type { Session } from '../helpers.ts';

export interface MOrg { id: number; path: string; parentId: number | null; level: string; name: string }
export interface MMembership { id: number; orgId: number; status: 'active' | 'transferred_out' | 'left' }
export interface MPerson { id: number; idNumber: string; name: string; memberships: MMembership[] }
export interface MGrant { id: number; role: Role; orgId: number }
export interface MAccount { id: number; username: string; personId: number | null; grants: MGrant[]; session?: Session }
export interface MPosition { id: number; personId: number; orgId: number }
export interface MPlan { id: number; orgId: number }
export interface MClass { id: number; orgId: number; status: 'draft' | 'open' | 'running' | 'closed'; audience: number[] }
export interface MSession { id: number; classId: number }
export interface MEnrolment { id: number; classId: number; personId: number; orgId: number }
export interface MCourse { id: number; classId: number; orgId: number }
export interface MMaterial { id: number; courseId: number }
export interface MCertificate { id: number; enrolmentId: number; number: string }
export interface MCertJob { id: number; classId: number }
export interface MImportJob { id: number; orgId: number }
/** A news article, report or photo: each belongs to its newsroom's organization. */
export interface MNewsItem { id: number; orgId: number }

/** Huigong Bao: a plan (issued by an organization), a union's statement, a member's claim with a document, a payout batch. */
export interface MAidPlan { id: number; orgId: number; enrolled: number[] }
export interface MStatement { id: number; orgId: number }
export interface MClaim { id: number; orgId: number; personId: number; planId: number }
export interface MDocument { id: number; claimId: number; uploaderId: number }
export interface MBatch { id: number; orgId: number }

export interface World {
  orgs: MOrg[];
  persons: MPerson[];
  accounts: MAccount[];
  positions: MPosition[];
  plans: MPlan[];
  classes: MClass[];
  sessions: MSession[];
  enrolments: MEnrolment[];
  courses: MCourse[];
  materials: MMaterial[];
  certificates: MCertificate[];
  certJobs: MCertJob[];
  importJobs: MImportJob[];
  articles: MNewsItem[];
  reports: MNewsItem[];
  images: MNewsItem[];
  aidPlans: MAidPlan[];
  statements: MStatement[];
  claims: MClaim[];
  documents: MDocument[];
  batches: MBatch[];
}

export const emptyWorld = (): World => ({
  orgs: [], persons: [], accounts: [], positions: [], plans: [], classes: [], sessions: [], enrolments: [], courses: [], materials: [],
  certificates: [], certJobs: [], importJobs: [], articles: [], reports: [], images: [],
  aidPlans: [], statements: [], claims: [], documents: [], batches: [],
});

export const isWithin = (path: string, root: string) => path === root || path.startsWith(root + '.');

export class Model {
  constructor(readonly w: World) {}

  org(id: number): MOrg { return this.w.orgs.find((o) => o.id === id)!; }
  path(orgId: number): string { return this.org(orgId).path; }
  within(orgId: number, rootId: number): boolean { return isWithin(this.path(orgId), this.path(rootId)); }
  /** The organizations on which `caller` holds one of `roles` (nested ones kept: harmless). */
  roots(caller: MAccount, roles: readonly Role[] | 'any'): number[] {
    return caller.grants.filter((g) => roles === 'any' || roles.includes(g.role)).map((g) => g.orgId);
  }
  reaches(caller: MAccount, roles: readonly Role[] | 'any', orgId: number): boolean {
    return this.roots(caller, roles).some((r) => this.within(orgId, r));
  }
  /** Lies in no subtree on which the caller holds any role at all. */
  whollyOutside(caller: MAccount, orgId: number): boolean { return !this.reaches(caller, 'any', orgId); }
  /** Overlaps a caller root: the org is within a root, or a root is within it (audience visibility). */
  overlapsAny(caller: MAccount, roles: readonly Role[] | 'any', orgId: number): boolean {
    return this.roots(caller, roles).some((r) => this.within(orgId, r) || this.within(r, orgId));
  }
  /** The province (depth-2 ancestor) of an organization, or the root itself. */
  province(orgId: number): string { return this.path(orgId).split('.').slice(0, 2).join('.'); }
  /** Same province as one of the caller's roots (a "sibling" rather than a far-away "outside"). */
  nearCaller(caller: MAccount, orgId: number): boolean {
    return caller.grants.some((g) => this.path(g.orgId).includes('.') && this.province(g.orgId) === this.province(orgId));
  }

  person(id: number) { return this.w.persons.find((p) => p.id === id)!; }
  cls(id: number) { return this.w.classes.find((c) => c.id === id)!; }
  audience(c: MClass): number[] { return c.audience.length ? c.audience : [c.orgId]; }
  activeUnion(p: MPerson): number | undefined { return p.memberships.find((m) => m.status === 'active')?.orgId; }
  personOrgs(p: MPerson): number[] {
    return [...p.memberships.map((m) => m.orgId), ...this.w.positions.filter((c) => c.personId === p.id).map((c) => c.orgId)];
  }
  /** Where an account belongs: a member's current union, or else the organization of its first grant (migration 0032). */
  accountHome(a: MAccount): number | undefined {
    const union = a.personId === null ? undefined : this.activeUnion(this.person(a.personId));
    return union ?? a.grants[0]?.orgId;
  }
}
