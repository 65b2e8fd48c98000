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
 * The name and console link of each entry's record, from the modules' audit subjects (the id
 * being the entry's leading number); entries that carry a person and get no other name are
 * named by the person and, without a link of their own, link to them. One statement for the
 * page, each entry's subject an uncorrelated subquery of its own: on Citus the records lie in
 * their provinces and Citus plans no subquery correlated with the audit log's rows.
 */
async function subjectsOf(db: Queryable, entries: Array<{ entity: string; entityId: string | null; personId: number | null }>, subjects: Readonly<Record<string, AuditSubject>>) {
  const person = subjects.person;
  const columns = entries.flatMap((entry, i) => {
    const id = /^\d{1,18}/.exec(entry.entityId ?? '')?.[0];
    const own = subjects[entry.entity];
    // The ids are digits read from the entry (above) or its person's id: safe to write into the statement.
    const of = (sql: string | undefined, key: string | null | undefined) => (sql && key ? sql.replaceAll('{id}', `${key}::bigint`) : null);
    const personId = entry.personId === null ? null : String(entry.personId);
    const pick = (field: 'name' | 'link') => {
      const parts = [of(own?.[field], id), of(person?.[field], personId)].filter((p): p is string => p !== null);
      return parts.length ? `coalesce(${parts.join(', ')}, NULL)::text` : 'NULL::text';
    };
    return [`${pick('name')} AS s${i}`, `${pick('link')} AS l${i}`];
  });
  if (columns.length === 0) return [];
  const row = (await db.query<Record<string, string | null>>(`SELECT ${columns.join(', ')}`)).rows[0]!;
  return entries.map((_, i) => ({ subject: row[`s${i}`] ?? null, link: row[`l${i}`] ?? null }));
}

/**
 * Entries about organizations in the caller's subtrees. Entries with no organization
 * (installation-wide events) are shown only to those whose scope includes a root.
 */
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
  if (query.actorId) {
    const shown = (await db.query<{ shown: boolean }>(
      'SELECT ho.path <@ ANY ($2::ltree[]) AS shown FROM accounts ac JOIN orgs ho ON ho.id = ac.home_org_id WHERE ac.id = $1', [query.actorId, scope])).rows[0]?.shown;
    if (shown) add('a.actor_id = ?', query.actorId);
    else where.push('false');
  }
  if (query.personId) add('a.person_id = ?', query.personId);
  if (query.from) add(`a.at >= ?::date`, query.from);
  if (query.to) add(`a.at < ?::date + 1`, query.to);
  // The entries first, then their actors (accounts live on the coordinator) and their records.
  const page = await paged<Omit<z.infer<typeof AuditEntry>, 'actorName' | 'subject' | 'link'>>(db, {
    select: `a.id, to_json(a.at)#>>'{}' AS at, a.actor_id AS "actorId", a.action, a.entity,
             a.entity_id AS "entityId", subpath(a.org_path, -1)::text::bigint AS "orgId", eo.name AS "orgName", a.person_id AS "personId", a.before, a.after`,
    from: `audit_log a LEFT JOIN orgs eo ON eo.id = subpath(a.org_path, -1)::text::bigint WHERE ${where.join(' AND ')}`,
    orderBy: 'a.at DESC, a.id DESC',
  }, params, query);
  // An actor homed outside the reader's subtrees (an admin above, another province's staff
  // who decided a transfer) is shown without name or id.
  const actors = new Map((await db.query<{ id: number; name: string; shown: boolean }>(
    `SELECT ac.id, ac.display_name AS name, coalesce(ho.path <@ ANY ($2::ltree[]), false) AS shown
     FROM accounts ac LEFT JOIN orgs ho ON ho.id = ac.home_org_id WHERE ac.id = ANY ($1::bigint[])`,
    [[...new Set(page.items.flatMap((e) => (e.actorId === null ? [] : [e.actorId])))], scope])).rows.map((r) => [Number(r.id), r]));
  const named = await subjectsOf(db, page.items, subjects);
  return {
    ...page,
    items: page.items.map((entry, i) => {
      const actor = entry.actorId === null ? undefined : actors.get(Number(entry.actorId));
      return { ...entry, actorId: actor?.shown ? entry.actorId : null, actorName: actor?.shown ? actor.name : null, subject: named[i]!.subject, link: named[i]!.link };
    }),
  };
}
