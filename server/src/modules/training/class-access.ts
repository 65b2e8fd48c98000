import type { Queryable } from '../../db/pool.ts';
import { forbidden, notFound } from '../../errors.ts';
import { canReach, isWithin, scopeOf, type Caller } from '../../plugins/access.ts';
import type { ClassStatus } from '@workers-home/contract';
import { trainingPolicy } from './policy.ts';

/**
 * Who may do what with a class (DESIGN.md, "Scope rules"):
 * - owners hold an organize role reaching the class's organizer organization;
 * - readers reaching that organization see the whole class, drafts included;
 * - callers whose subtrees overlap an audience organization's subtree (the organizer
 *   organization when the class names no audience) see the class once it is no longer a draft,
 *   and only the enrolments of organizations they reach.
 * Anything else is "not found".
 */
export interface ClassRow {
  id: number;
  orgId: number;
  orgPath: string;
  title: string;
  status: ClassStatus;
  startsOn: string;
  endsOn: string;
  capacityOnsite: number;
  capacityLive: number;
  livePresenceShare: number;
  /** Paths of the audience organizations (the organizer organization when none are named). */
  audiencePaths: string[];
}

/** The audience of class c: the organizations it names, or its own organization when it names none. */
const AUDIENCE = `CASE WHEN cardinality(c.audience_org_ids) = 0 THEN ARRAY[c.org_id] ELSE c.audience_org_ids END`;

export async function findClass(db: Queryable, id: number, lock = false): Promise<ClassRow | undefined> {
  const result = await db.query<ClassRow>(
    `SELECT c.id, c.org_id AS "orgId", o.path::text AS "orgPath", c.title, c.status, c.starts_on AS "startsOn", c.ends_on AS "endsOn",
            c.capacity_onsite AS "capacityOnsite", c.capacity_live AS "capacityLive", c.live_presence_share::float8 AS "livePresenceShare",
            ARRAY(SELECT a.path::text FROM orgs a WHERE a.id = ANY(${AUDIENCE})) AS "audiencePaths"
     FROM training_classes c JOIN orgs o ON o.id = c.org_id WHERE c.id = $1${lock ? ' FOR UPDATE OF c' : ''}`,
    [id],
  );
  return result.rows[0];
}

const overlap = (a: string, b: string) => isWithin(a, b) || isWithin(b, a);

export const isOwner = (caller: Caller, cls: Pick<ClassRow, 'orgPath'>) => canReach(caller, trainingPolicy.organize, cls.orgPath);
/** Readers reaching the organizer organization see every enrolment of the class. */
export const seesWholeClass = (caller: Caller, cls: Pick<ClassRow, 'orgPath'>) => canReach(caller, trainingPolicy.read, cls.orgPath);

function inAudience(caller: Caller, roles: typeof trainingPolicy.read, cls: Pick<ClassRow, 'status' | 'audiencePaths'>) {
  return cls.status !== 'draft' && scopeOf(caller, roles).some((root) => cls.audiencePaths.some((path) => overlap(root, path)));
}

export const canSeeClass = (caller: Caller, cls: ClassRow) => seesWholeClass(caller, cls) || inAudience(caller, trainingPolicy.read, cls);
/** Owners, and organizers of an audience subtree (for their own people). */
export const canEnrolIn = (caller: Caller, cls: ClassRow) => isOwner(caller, cls) || inAudience(caller, trainingPolicy.organize, cls);

/** A class the caller may see, or 404. */
export async function visibleClass(db: Queryable, caller: Caller, id: number, lock = false): Promise<ClassRow> {
  const cls = await findClass(db, id, lock);
  if (!cls || !canSeeClass(caller, cls)) throw notFound(`Training class ${id}`);
  return cls;
}

/** A class the caller owns: 404 when they cannot see it, 403 when they see but do not own it. */
export async function ownedClass(db: Queryable, caller: Caller, id: number, lock = false): Promise<ClassRow> {
  const cls = await visibleClass(db, caller, id, lock);
  if (!isOwner(caller, cls)) throw forbidden('needs the organizer (or admin) role on the organization that runs this class');
  return cls;
}

/**
 * The class of one trainee's record (an enrolment, a certificate), for a write only its owners
 * make: a caller who sees the class through its audience but not this trainee gets the same
 * "not found" as for a record that does not exist (`missing`); one who sees the trainee, 403.
 */
export async function ownedClassOfTrainee(db: Queryable, caller: Caller, classId: number, traineeOrgPath: string, missing: () => Error, lock = false): Promise<ClassRow> {
  const cls = await findClass(db, classId, lock);
  if (!cls || !canSeeClass(caller, cls)) throw missing();
  if (isOwner(caller, cls)) return cls;
  if (!canReach(caller, trainingPolicy.read, traineeOrgPath)) throw missing();
  throw forbidden('needs the organizer (or admin) role on the organization that runs this class');
}

/** A class the caller may enrol people in and check them in manually. */
export async function enrollableClass(db: Queryable, caller: Caller, id: number, lock = false): Promise<ClassRow> {
  const cls = await visibleClass(db, caller, id, lock);
  if (!canEnrolIn(caller, cls)) throw forbidden('needs the organizer (or admin) role on the class\'s organization or on an organization it is meant for');
  return cls;
}

/**
 * The SQL condition for "the caller may see class c" (c joined with its organizer org o),
 * with the caller's read roots bound as `$n` (an ltree[]): the list's WHERE clause.
 */
export function visibleClassSql(rootsParam: string): string {
  return `(o.path <@ ANY(${rootsParam}) OR (c.status <> 'draft' AND EXISTS (
            SELECT 1 FROM orgs a WHERE a.id = ANY(${AUDIENCE})
              AND (a.path <@ ANY(${rootsParam}) OR a.path @> ANY(${rootsParam})))))`;
}

/** The roots within which the caller sees enrolments of a class: everything for whole-class readers. */
export function enrolmentRoots(caller: Caller, cls: ClassRow): string[] | null {
  return seesWholeClass(caller, cls) ? null : scopeOf(caller, trainingPolicy.read);
}
