import { MODULE_ACCESS, type ClassStatus, type Role } from '@workers-home/contract';
import type { Queryable } from '../../db/pool.ts';
import { forbidden, notFound } from '../../errors.ts';
import { canReach, isWithin, scopeOf, type Caller } from '../../plugins/access.ts';

/**
 * Training's one access path: who may do what with a class and which of its trainees they see
 * (DESIGN.md, "Scope rules"). Every route, list and service of the module asks here.
 *
 * Roles, always within the subtrees where they are held:
 * - read: see classes organized in, or meant for, the caller's subtrees, and their reports;
 * - organize: plan classes, keep timetables, enrol trainees, run check-in, issue certificates.
 * Trainees use the 'signed-in' routes under /api/my/… with their own person only (personOf).
 */
export const trainingPolicy = MODULE_ACCESS.training;

/**
 * What a caller may do with a class:
 * - read: see it (owners and readers of its organizer organization: always; readers whose
 *   subtrees overlap its audience: once it is not a draft);
 * - own: change it, its timetable, courses, scores and certificates (an organize role reaching
 *   the organizer organization);
 * - enrol: enrol and check in people (owners, and organizers of an audience subtree for their own people).
 */
export type ClassAction = 'read' | 'own' | 'enrol';

export interface ClassRow {
  id: number;
  orgId: number;
  orgPath: string;
  orgName: string;
  title: string;
  status: ClassStatus;
  startsOn: string;
  endsOn: string;
  capacityOnsite: number;
  capacityLive: number;
  livePresenceShare: number;
  classHours: number | null;
  competencyModel: boolean;
  /** Paths of the audience organizations (the organizer organization when none are named). */
  audiencePaths: string[];
}

/**
 * A class as one caller sees it: `scope` is null when they see every trainee (readers of the
 * organizer's subtree), else the subtrees (ltree paths) the trainees' organizations must lie in.
 */
export type VisibleClass = ClassRow & { scope: string[] | null };

/** The audience of class c: the organizations it names, or its own organization when it names none. */
const AUDIENCE = `CASE WHEN cardinality(c.audience_org_ids) = 0 THEN ARRAY[c.org_id] ELSE c.audience_org_ids END`;

/** The columns of a ClassRow, from training_classes c joined with its organizer org o. */
export const CLASS_ROW_COLUMNS = `c.id, c.org_id AS "orgId", o.path::text AS "orgPath", o.name AS "orgName", c.title, c.status, c.starts_on AS "startsOn", c.ends_on AS "endsOn",
  c.capacity_onsite AS "capacityOnsite", c.capacity_live AS "capacityLive", c.live_presence_share::float8 AS "livePresenceShare",
  c.class_hours::float8 AS "classHours", c.competency_model AS "competencyModel",
  ARRAY(SELECT a.path::text FROM orgs a WHERE a.id = ANY(${AUDIENCE})) AS "audiencePaths"`;

export async function findClass(db: Queryable, id: number, lock = false): Promise<ClassRow | undefined> {
  const result = await db.query<ClassRow>(
    `SELECT ${CLASS_ROW_COLUMNS} FROM training_classes c JOIN orgs o ON o.id = c.org_id WHERE c.id = $1${lock ? ' FOR UPDATE OF c' : ''}`, [id]);
  return result.rows[0];
}

const overlap = (a: string, b: string) => isWithin(a, b) || isWithin(b, a);

export const isOwner = (caller: Caller, cls: Pick<ClassRow, 'orgPath'>) => canReach(caller, trainingPolicy.organize, cls.orgPath);

function inAudience(caller: Caller, roles: readonly Role[], cls: Pick<ClassRow, 'status' | 'audiencePaths'>) {
  return cls.status !== 'draft' && scopeOf(caller, roles).some((root) => cls.audiencePaths.some((path) => overlap(root, path)));
}

/** An organizer may enrol, and check in by hand, a trainee of this organization. */
export const mayEnrolFrom = (caller: Caller, cls: Pick<ClassRow, 'audiencePaths'>, orgPath: string) =>
  canReach(caller, trainingPolicy.organize, orgPath) && cls.audiencePaths.some((root) => isWithin(orgPath, root));

/**
 * The trainees a caller sees in a class: null for all (a reader of the organizer's subtree),
 * else every subtree where they hold a read role (they see those people anywhere in the
 * roster); undefined when the class is not visible to them at all.
 */
export function enrolmentScope(caller: Caller, cls: ClassRow): string[] | null | undefined {
  if (canReach(caller, trainingPolicy.read, cls.orgPath)) return null;
  return inAudience(caller, trainingPolicy.read, cls) ? scopeOf(caller, trainingPolicy.read) : undefined;
}

/** May the caller do this with the class? */
export function allow(caller: Caller, action: ClassAction, cls: ClassRow): boolean {
  switch (action) {
    case 'read': return enrolmentScope(caller, cls) !== undefined;
    case 'own': return isOwner(caller, cls);
    case 'enrol': return isOwner(caller, cls) || inAudience(caller, trainingPolicy.organize, cls);
  }
}

const REFUSED: Record<Exclude<ClassAction, 'read'>, string> = {
  own: 'needs the organizer (or admin) role on the organization that runs this class',
  enrol: 'needs the organizer (or admin) role on the class\'s organization or on an organization it is meant for',
};

/**
 * The class, if the caller may do the action: a class they cannot see is "not found", exactly
 * like one that does not exist; one they see but may not act on is 403.
 */
export async function authorizeClass(db: Queryable, caller: Caller, id: number, action: ClassAction, { lock = false, missing = (): Error => notFound(`Training class ${id}`) } = {}): Promise<VisibleClass> {
  return authorize(caller, action, await findClass(db, id, lock), missing);
}

/** authorizeClass for a class row the caller loaded already (with more columns: CLASS_ROW_COLUMNS and its own). */
export function authorize<T extends ClassRow>(caller: Caller, action: ClassAction, cls: T | undefined, missing: () => Error): T & { scope: string[] | null } {
  const scope = cls ? enrolmentScope(caller, cls) : undefined;
  if (!cls || scope === undefined) throw missing();
  if (action !== 'read' && !allow(caller, action, cls)) throw forbidden(REFUSED[action]);
  return { ...cls, scope };
}

/**
 * The class of one trainee's record (an enrolment, a certificate, a score), for a write only
 * its owners make: a caller who sees the class through its audience but not this trainee gets
 * the same `missing` answer as for a record that does not exist; one who sees the trainee, 403.
 */
export async function authorizeTraineeRecord(db: Queryable, caller: Caller, classId: number, traineeOrgPath: string, missing: () => Error, lock = false): Promise<VisibleClass> {
  const cls = await authorizeClass(db, caller, classId, 'read', { lock, missing });
  if (isOwner(caller, cls)) return cls;
  if (!inScope(cls.scope, traineeOrgPath)) throw missing();
  throw forbidden(REFUSED.own);
}

/** Whether a trainee's organization lies within a class's visible scope. */
export const inScope = (scope: string[] | null, orgPath: string) => scope === null || scope.some((root) => isWithin(orgPath, root));

/**
 * The SQL condition for "the caller may see class c" (c joined with its organizer org o),
 * with the caller's read roots bound as `$n` (an ltree[]): the class list's WHERE clause.
 */
export function visibleClassSql(rootsParam: string): string {
  return `(o.path <@ ANY(${rootsParam}) OR (c.status <> 'draft' AND EXISTS (
            SELECT 1 FROM orgs a WHERE a.id = ANY(${AUDIENCE})
              AND (a.path <@ ANY(${rootsParam}) OR a.path @> ANY(${rootsParam})))))`;
}

/** SQL condition limiting enrolments (alias `eo` for the trainee's org) to a scope; bind $n to the scope (null: the whole class). */
export const scopeCondition = (param: number, alias = 'eo') => `($${param}::ltree[] IS NULL OR ${alias}.path <@ ANY($${param}::ltree[]))`;

/** The signed-in trainee's person; an account linked to none gets a clear 403. */
export { personOf } from '../../plugins/access.ts';
