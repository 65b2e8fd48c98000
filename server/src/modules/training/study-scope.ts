import type { Queryable } from '../../db/pool.ts';
import { forbidden, notFound } from '../../errors.ts';
import { canReach, isWithin, scopeOf, type Caller } from '../../plugins/access.ts';
import { trainingPolicy } from './policy.ts';

/** A class as the study side needs it: who owns it and whom it is meant for (DESIGN.md, scope rules). */
export interface ClassRef {
  id: number;
  orgId: number;
  orgPath: string;
  orgName: string;
  title: string;
  status: 'draft' | 'open' | 'running' | 'closed';
  startsOn: string;
  endsOn: string;
  classHours: number | null;
  competencyModel: boolean;
  /** The audience organizations' paths (the class's own org when none is named). */
  audiencePaths: string[];
}

export async function loadClass(db: Queryable, id: number): Promise<ClassRef | undefined> {
  const row = await db.query<ClassRef>(
    `SELECT c.id, c.org_id AS "orgId", o.path::text AS "orgPath", o.name AS "orgName", c.title, c.status,
            c.starts_on AS "startsOn", c.ends_on AS "endsOn", c.class_hours::float8 AS "classHours", c.competency_model AS "competencyModel",
            CASE WHEN cardinality(c.audience_org_ids) = 0 THEN ARRAY[o.path::text]
                 ELSE ARRAY(SELECT a.path::text FROM orgs a WHERE a.id = ANY(c.audience_org_ids)) END AS "audiencePaths"
     FROM training_classes c JOIN orgs o ON o.id = c.org_id WHERE c.id = $1`,
    [id],
  );
  return row.rows[0];
}

/** Owners hold an organize role reaching the class's organizer organization. */
export const isOwner = (caller: Caller, cls: ClassRef) => canReach(caller, trainingPolicy.organize, cls.orgPath);

/**
 * The enrolments a caller sees in a class: null for all of them (a reader of the organizer's
 * subtree), otherwise the subtrees (ltree paths) the trainees' organizations must lie in.
 * Undefined when the class is not visible at all.
 */
export function enrolmentScope(caller: Caller, cls: ClassRef, roles: readonly string[] = trainingPolicy.read): string[] | null | undefined {
  const scope = scopeOf(caller, roles as typeof trainingPolicy.read);
  if (scope.some((root) => isWithin(cls.orgPath, root))) return null;
  if (cls.status === 'draft') return undefined;
  const meantFor = scope.filter((root) => cls.audiencePaths.some((audience) => isWithin(root, audience) || isWithin(audience, root)));
  return meantFor.length ? meantFor : undefined;
}

/** A class the caller may see, with the enrolments they see; anything else is "not found". */
export async function visibleClass(db: Queryable, caller: Caller, id: number, roles: readonly string[] = trainingPolicy.read) {
  const cls = await loadClass(db, id);
  const scope = cls ? enrolmentScope(caller, cls, roles) : undefined;
  if (!cls || scope === undefined) throw notFound(`Class ${id}`);
  return { cls, scope };
}

/** A class the caller owns: visible but not owned is 403, invisible is 404. */
export async function ownedClass(db: Queryable, caller: Caller, id: number): Promise<ClassRef> {
  const { cls } = await visibleClass(db, caller, id);
  if (!isOwner(caller, cls)) throw forbidden('needs the admin or organizer role on the organization that runs this class');
  return cls;
}

/** SQL condition limiting enrolments (alias `eo` for the trainee's org) to a scope; bind $n to the scope (null: the whole class). */
export const scopeCondition = (param: number) => `($${param}::ltree[] IS NULL OR eo.path <@ ANY($${param}::ltree[]))`;

/** The signed-in trainee's person, or a clear 403 for an account with none. */
export function personOf(caller: Caller): number {
  if (caller.personId === null) throw forbidden('this account is not linked to a person on the roster; ask your union to link it');
  return caller.personId;
}
