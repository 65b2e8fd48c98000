import type { z } from 'zod';
import type { AuditEntry, AuditQuery } from '@workers-home/contract';
import { paged, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import type { AuditSubject } from '../../house/module.ts';
import { scopeOf, type Caller } from '../../plugins/access.ts';
import { auditPolicy } from './policy.ts';

export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string | number | null;
  /** Path of the organization the entity belongs to; scopes who may read the entry. */
  orgPath: string | null;
  personId?: number | null;
  before?: unknown;
  after?: unknown;
}

/** Appends one entry; call it inside the transaction of the write it describes. */
export async function recordAudit(db: Queryable, ctx: WriteContext | null, record: AuditRecord): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor_id, action, entity, entity_id, org_path, province_id, person_id, before, after, request_id)
     VALUES ($1, $2, $3, $4, $5::ltree, coalesce(province_of($5::ltree), 0), $6, $7, $8, $9)`,
    [
      ctx?.caller.accountId ?? null,
      record.action,
      record.entity,
      record.entityId === null ? null : String(record.entityId),
      record.orgPath,
      record.personId ?? null,
      record.before === undefined ? null : JSON.stringify(record.before),
      record.after === undefined ? null : JSON.stringify(record.after),
      ctx?.requestId ?? null,
    ],
  );
}

/**
 * Entries about organizations in the caller's subtrees. Entries with no organization
 * (installation-wide events) are shown only to those whose scope includes a root.
 */
/**
 * The name and console link of each entry's record, from the modules' audit subjects: one CASE
 * over the entity, the id being the entry's leading number (`k.id`); entries that carry a person
 * and get no other name are named by the person and, without a link of their own, link to them.
 */
function subjectColumns(subjects: Readonly<Record<string, AuditSubject>>): string {
  const expression = (pick: (s: AuditSubject) => string | undefined) => {
    const branches = Object.entries(subjects).flatMap(([entity, subject]) => {
      const sql = pick(subject);
      return sql ? [`WHEN '${entity.replaceAll("'", "''")}' THEN ${sql.replaceAll('{id}', 'k.id')}`] : [];
    });
    return branches.length ? `CASE a.entity ${branches.join(' ')} END` : 'NULL::text';
  };
  const person = subjects.person;
  const byPerson = (sql: string | undefined) => (sql ? sql.replaceAll('{id}', 'a.person_id') : 'NULL::text');
  return `coalesce(${expression((s) => s.name)}, ${byPerson(person?.name)}) AS subject,
          coalesce(${expression((s) => s.link)}, ${byPerson(person?.link)}) AS link`;
}

export async function listAudit(db: Queryable, caller: Caller, query: z.infer<typeof AuditQuery>, subjects: Readonly<Record<string, AuditSubject>> = {}) {
  const scope = scopeOf(caller, auditPolicy.read);
  const holdsRoot = scope.some((p) => !p.includes('.'));
  const where = [`(a.org_path <@ ANY($1::ltree[]) OR (a.org_path IS NULL AND $2))`];
  const params: unknown[] = [scope, holdsRoot];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (query.entity) add('a.entity = ?', query.entity);
  if (query.entityId) add('a.entity_id = ?', query.entityId);
  // Only actors the reader may see by name: an actor homed elsewhere is not a filter either.
  if (query.actorId) add('a.actor_id = ? AND ho.path <@ ANY($1::ltree[])', query.actorId);
  if (query.personId) add('a.person_id = ?', query.personId);
  if (query.from) add(`a.at >= ?::date`, query.from);
  if (query.to) add(`a.at < ?::date + 1`, query.to);
  return paged<z.infer<typeof AuditEntry>>(db, {
    // An actor homed outside the reader's subtrees (an admin above, another province's staff
    // who decided a transfer) is shown without name or id.
    select: `a.id, to_json(a.at)#>>'{}' AS at, CASE WHEN ho.path <@ ANY($1::ltree[]) THEN a.actor_id END AS "actorId",
             CASE WHEN ho.path <@ ANY($1::ltree[]) THEN ac.display_name END AS "actorName", a.action, a.entity,
             a.entity_id AS "entityId", subpath(a.org_path, -1)::text::bigint AS "orgId", eo.name AS "orgName", a.person_id AS "personId", a.before, a.after,
             ${subjectColumns(subjects)}`,
    from: `audit_log a LEFT JOIN accounts ac ON ac.id = a.actor_id LEFT JOIN orgs ho ON ho.id = ac.home_org_id
           LEFT JOIN orgs eo ON eo.id = subpath(a.org_path, -1)::text::bigint
           CROSS JOIN LATERAL (SELECT substring(a.entity_id FROM '^[0-9]{1,18}')::bigint AS id) k
           WHERE ${where.join(' AND ')}`,
    orderBy: 'a.at DESC, a.id DESC',
  }, params, query);
}
