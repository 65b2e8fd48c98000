import type { z } from 'zod';
import { LEVEL_RANK, type Org, type OrgChildrenQuery, type OrgClose, type OrgCreate, type OrgMove, type OrgSearchQuery, type OrgUpdate } from '@workers-home/contract';
import { inTransaction, paged, type Pool, type Queryable } from '../../db/pool.ts';
import { escapeLike } from '../../db/sql.ts';
import type { WriteContext } from '../../context.ts';
import { badRequest, conflict, forbidden, notFound } from '../../errors.ts';
import { afterwardsForgetCallers, canReach, scopeOf, type Caller } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { orgPolicy } from './policy.ts';

type OrgRow = Org & { path: string };

const ORG_COLUMNS = `o.id, o.parent_id AS "parentId", o.name, o.short_name AS "shortName", o.level, o.kind,
  o.region_code AS "regionCode", o.status, o.closed_on AS "closedOn", nlevel(o.path) AS depth, o.path::text AS path,
  (SELECT count(*)::int FROM orgs c WHERE c.parent_id = o.id AND c.status = 'active') AS "childCount"`;

const toOrg = ({ path: _path, ...org }: OrgRow): Org => org;

export async function findOrg(db: Queryable, id: number, lock = false): Promise<OrgRow | undefined> {
  // Prepared once per connection: most requests look up an organization first.
  const result = await db.query<OrgRow>(lock
    ? { text: `SELECT ${ORG_COLUMNS} FROM orgs o WHERE o.id = $1 FOR UPDATE`, values: [id] }
    : { name: 'find-org', text: `SELECT ${ORG_COLUMNS} FROM orgs o WHERE o.id = $1`, values: [id] });
  return result.rows[0];
}

/** Loads an organization the caller may read; one outside their subtrees is "not found", never "forbidden". */
export async function readableOrg(db: Queryable, caller: Caller, id: number, roles = orgPolicy.read): Promise<OrgRow> {
  const org = await findOrg(db, id);
  if (!org || !canReach(caller, roles, org.path)) throw notFound(`Organization ${id}`);
  return org;
}

/** Loads an organization the caller may change (admin over `ofPath`, the org itself or its parent). */
async function writableOrg(db: Queryable, caller: Caller, id: number, field: string, needParent = false): Promise<OrgRow> {
  const org = await findOrg(db, id, true);
  if (!org || !canReach(caller, orgPolicy.read, org.path)) throw notFound(`Organization ${id}`);
  const parentPath = org.path.split('.').slice(0, -1).join('.');
  const target = needParent ? parentPath : org.path;
  if (!target || !canReach(caller, orgPolicy.write, target)) {
    throw forbidden(needParent
      ? `${field}: changing where an organization stands needs the admin role on its parent`
      : `${field}: needs the admin role on this organization`);
  }
  return org;
}

export async function listRoots(db: Queryable, caller: Caller): Promise<Org[]> {
  const scope = scopeOf(caller, orgPolicy.read);
  const rows = await db.query<OrgRow>(`SELECT ${ORG_COLUMNS} FROM orgs o WHERE o.path = ANY($1::ltree[]) ORDER BY o.path`, [scope]);
  return rows.rows.map(toOrg);
}

export async function getOrgDetail(db: Queryable, caller: Caller, id: number) {
  const org = await readableOrg(db, caller, id);
  const counts = await db.query<{ organizations: number; grassrootsUnions: number; activeMembers: number; cadres: number }>(
    `SELECT
       (SELECT count(*)::int FROM orgs o WHERE o.path <@ $1::ltree AND o.status = 'active') AS organizations,
       (SELECT count(*)::int FROM orgs o WHERE o.path <@ $1::ltree AND o.status = 'active' AND o.level = 'grassroots') AS "grassrootsUnions",
       (SELECT count(*)::int FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE o.path <@ $1::ltree AND m.status = 'active') AS "activeMembers",
       (SELECT count(*)::int FROM cadre_positions c JOIN orgs o ON o.id = c.org_id WHERE o.path <@ $1::ltree AND c.until IS NULL) AS cadres`,
    [org.path],
  );
  return { ...toOrg(org), subtree: counts.rows[0]! };
}

export async function listChildren(db: Queryable, caller: Caller, id: number, query: z.infer<typeof OrgChildrenQuery>) {
  await readableOrg(db, caller, id);
  const from = `orgs o WHERE o.parent_id = $1 ${query.includeClosed ? '' : `AND o.status = 'active'`}`;
  const result = await paged<OrgRow>(db, { select: ORG_COLUMNS, from, orderBy: `o.level <> 'grassroots' DESC, o.name` }, [id], query);
  return { ...result, items: result.items.map(toOrg) };
}

/** Breadcrumbs: the organization's ancestors that lie within the caller's subtrees, top first, then itself. */
export async function listAncestors(db: Queryable, caller: Caller, id: number): Promise<Org[]> {
  const org = await readableOrg(db, caller, id);
  const rows = await db.query<OrgRow>(
    `SELECT ${ORG_COLUMNS} FROM orgs o
     WHERE o.path @> $1::ltree AND o.path <@ ANY($2::ltree[])
     ORDER BY nlevel(o.path)`,
    [org.path, scopeOf(caller, orgPolicy.read)],
  );
  return rows.rows.map(toOrg);
}

export async function searchOrgs(db: Queryable, caller: Caller, query: z.infer<typeof OrgSearchQuery>) {
  const roots = query.within ? [(await readableOrg(db, caller, query.within)).path] : scopeOf(caller, orgPolicy.read);
  const where = ['o.path <@ ANY($1::ltree[])'];
  const params: unknown[] = [roots];
  if (!query.includeClosed) where.push(`o.status = 'active'`);
  if (query.level) {
    params.push(query.level);
    where.push(`o.level = $${params.length}`);
  }
  if (query.q) {
    params.push(`%${escapeLike(query.q)}%`);
    where.push(`(o.name ILIKE $${params.length} OR o.short_name ILIKE $${params.length})`);
  }
  const result = await paged<OrgRow>(db, { select: ORG_COLUMNS, from: `orgs o WHERE ${where.join(' AND ')}`, orderBy: 'nlevel(o.path), o.name' }, params, query);
  return { ...result, items: result.items.map(toOrg) };
}

function assertLevelBelow(parent: OrgRow, level: Org['level'], field: string) {
  if (parent.status !== 'active') throw badRequest(field, 'orgs.org.closed', { id: parent.id });
  if (LEVEL_RANK[level] <= LEVEL_RANK[parent.level]) {
    throw badRequest(field, 'orgs.org.level_order', { level, parentLevel: parent.level });
  }
}

async function assertNameFree(db: Queryable, parentId: number, name: string, exceptId: number | null) {
  const taken = await db.query('SELECT 1 FROM orgs WHERE parent_id = $1 AND name = $2 AND status = $3 AND id IS DISTINCT FROM $4', [parentId, name, 'active', exceptId]);
  if (taken.rowCount) throw conflict('body.name', 'orgs.org.name_taken');
}

export async function createOrg(pool: Pool, ctx: WriteContext, input: z.infer<typeof OrgCreate>): Promise<Org> {
  return inTransaction(pool, async (db) => {
    const parent = await findOrg(db, input.parentId, true);
    if (!parent || !canReach(ctx.caller, orgPolicy.read, parent.path)) throw badRequest('body.parentId', 'orgs.org.not_found', { id: input.parentId });
    if (!canReach(ctx.caller, orgPolicy.write, parent.path)) throw forbidden('body.parentId: needs the admin role on the parent organization');
    assertLevelBelow(parent, input.level, 'body.parentId');
    await assertNameFree(db, parent.id, input.name, null);
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO orgs (parent_id, name, short_name, level, kind, region_code) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [parent.id, input.name, input.shortName ?? null, input.level, input.kind, input.regionCode ?? null],
    );
    const org = (await findOrg(db, inserted.rows[0]!.id))!;
    await recordAudit(db, ctx, { action: 'create', entity: 'org', entityId: org.id, orgPath: org.path, after: toOrg(org) });
    return toOrg(org);
  });
}

export async function updateOrg(pool: Pool, ctx: WriteContext, id: number, input: z.infer<typeof OrgUpdate>): Promise<Org> {
  return inTransaction(pool, async (db) => {
    const before = await writableOrg(db, ctx.caller, id, 'params.id');
    if (before.status === 'closed') throw conflict('params.id', 'orgs.org.closed_unchangeable');
    if (input.name !== undefined && before.parentId !== null) await assertNameFree(db, before.parentId, input.name, id);
    await db.query(
      `UPDATE orgs SET
         name = coalesce($2, name),
         short_name = CASE WHEN $3 THEN $4 ELSE short_name END,
         kind = coalesce($5, kind),
         region_code = CASE WHEN $6 THEN $7 ELSE region_code END,
         updated_at = now()
       WHERE id = $1`,
      [id, input.name ?? null, input.shortName !== undefined, input.shortName ?? null, input.kind ?? null, input.regionCode !== undefined, input.regionCode ?? null],
    );
    const after = (await findOrg(db, id))!;
    await recordAudit(db, ctx, { action: 'update', entity: 'org', entityId: id, orgPath: after.path, before: toOrg(before), after: toOrg(after) });
    return toOrg(after);
  });
}

/**
 * Moves an organization and its whole subtree under a new parent: one UPDATE rewrites
 * every descendant's path. Moves are serialized by an advisory lock so two concurrent
 * moves can never build a cycle.
 */
export async function moveOrg(pool: Pool, ctx: WriteContext, id: number, input: z.infer<typeof OrgMove>): Promise<Org> {
  return afterwardsForgetCallers(inTransaction(pool, async (db) => {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('workers-home:orgs:move'))`);
    const org = await writableOrg(db, ctx.caller, id, 'params.id', true);
    const parent = await findOrg(db, input.parentId, true);
    if (!parent || !canReach(ctx.caller, orgPolicy.read, parent.path)) throw badRequest('body.parentId', 'orgs.org.not_found', { id: input.parentId });
    if (!canReach(ctx.caller, orgPolicy.write, parent.path)) throw forbidden('body.parentId: needs the admin role on the new parent organization');
    if (parent.path === org.path || parent.path.startsWith(org.path + '.')) {
      throw badRequest('body.parentId', 'orgs.org.move_under_itself');
    }
    if (parent.id === org.parentId) return toOrg(org);
    if (org.status === 'closed') throw conflict('params.id', 'orgs.org.closed_unmovable');
    assertLevelBelow(parent, org.level, 'body.parentId');
    await assertNameFree(db, parent.id, org.name, org.id);
    await db.query(`UPDATE orgs SET path = $2::ltree || subpath(path, nlevel($1::ltree) - 1) WHERE path <@ $1::ltree`, [org.path, parent.path]);
    await db.query('UPDATE orgs SET parent_id = $2, updated_at = now() WHERE id = $1', [org.id, parent.id]);
    // Memberships, claims… carry their union's path (a subtree as one index range) or province:
    // every table that declares such a copy (org_path_copies) follows the move.
    await db.query(`SELECT rewrite_org_path_copies($2::ltree || $1::text)`, [String(org.id), parent.path]);
    // Into another province, the subtree's members go with it: a person's rows live in their home
    // province, that of their active membership (migration 0066).
    await db.query(
      `SELECT move_persons_to_province(array_agg(m.person_id), province_of($1::ltree)) FROM memberships m JOIN orgs o ON o.id = m.org_id
       WHERE o.path <@ ($1::ltree || $2::text) AND m.status = 'active' AND province_of($1::ltree) <> province_of($3::ltree)`,
      [parent.path, String(org.id), org.path]);
    const after = (await findOrg(db, id))!;
    await recordAudit(db, ctx, {
      action: 'move', entity: 'org', entityId: id, orgPath: after.path,
      before: { parentId: org.parentId }, after: { parentId: parent.id },
    });
    return toOrg(after);
  }));
}

export async function closeOrg(pool: Pool, ctx: WriteContext, id: number, input: z.infer<typeof OrgClose>): Promise<Org> {
  return afterwardsForgetCallers(inTransaction(pool, async (db) => {
    const org = await writableOrg(db, ctx.caller, id, 'params.id', true);
    if (org.status === 'closed') return toOrg(org);
    const busy = await db.query<{ children: number; members: number }>(
      `SELECT (SELECT count(*)::int FROM orgs WHERE parent_id = $1 AND status = 'active') AS children,
              (SELECT count(*)::int FROM memberships WHERE org_id = $1 AND status = 'active') AS members`,
      [id],
    );
    const { children, members } = busy.rows[0]!;
    if (children > 0) throw conflict('params.id', 'orgs.org.has_children', { count: children });
    if (members > 0) throw conflict('params.id', 'orgs.org.has_members', { count: members });
    await db.query(`UPDATE orgs SET status = 'closed', closed_on = ${input.closedOn ? '$2::date' : 'current_date'}, updated_at = now() WHERE id = $1`,
      input.closedOn ? [id, input.closedOn] : [id]);
    const after = (await findOrg(db, id))!;
    await recordAudit(db, ctx, { action: 'close', entity: 'org', entityId: id, orgPath: after.path, before: toOrg(org), after: toOrg(after) });
    return toOrg(after);
  }));
}
