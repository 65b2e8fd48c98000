import type { z } from 'zod';
import { maskNationalId, type TransferRequest, type TransferRequestCreate, type TransferRequestListQuery } from '@workers-home/contract';
import { inTransaction, paged, type Pool, type Queryable } from '../../db/pool.ts';
import type { Services, WriteContext } from '../../context.ts';
import { badRequest, conflict, forbidden, notFound } from '../../errors.ts';
import { afterwardsForgetCallers, canReach, scopeOf, type Caller } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { findOrg } from '../orgs/service.ts';
import { lockRosterRow, moveHome } from '../../db/home-province.ts';
import { accountsFollowMemberships } from '../auth/service.ts';
import { lookupTransaction } from './id-number-lookups.ts';
import { peoplePolicy } from './policy.ts';

/**
 * 会员关系转接 (membership transfer between subtrees). A person's identity is national: a
 * union that meets an ID number whose membership is active in a union outside its subtree
 * cannot adopt or edit that person. Its admin files a request; an admin reaching the union
 * that holds the person (that union's, or any above it, up to the two unions' lowest common
 * ancestor) approves or declines it with a reason; on approval the membership moves with its
 * history, as a transfer does. The asking side sees the person's name masked and not where
 * they are until the request is approved.
 */

interface RequestRow {
  id: number;
  status: TransferRequest['status'];
  personId: number;
  provinceId: number;
  personName: string;
  idNumberMasked: string;
  fromOrgId: number;
  fromOrgName: string;
  fromPath: string;
  toOrgId: number;
  toOrgName: string;
  toPath: string;
  date: string;
  note: string | null;
  cardNumber: string | null;
  fromMembershipId: number;
  requestedBy: string | null;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

const COLUMNS = `r.id, r.status, r.person_id AS "personId", r.province_id AS "provinceId", p.name AS "personName", p.id_number_masked AS "idNumberMasked",
  r.from_org_id AS "fromOrgId", fo.name AS "fromOrgName", fo.path::text AS "fromPath",
  r.to_org_id AS "toOrgId", tor.name AS "toOrgName", tor.path::text AS "toPath",
  r.transfer_on::text AS date, r.note, r.card_number AS "cardNumber", r.from_membership_id AS "fromMembershipId",
  ra.username AS "requestedBy", to_json(r.requested_at)#>>'{}' AS "requestedAt",
  da.username AS "decidedBy", to_json(r.decided_at)#>>'{}' AS "decidedAt", r.reason`;
const FROM = `transfer_requests r JOIN persons p ON p.province_id = r.province_id AND p.id = r.person_id JOIN orgs fo ON fo.id = r.from_org_id JOIN orgs tor ON tor.id = r.to_org_id
  LEFT JOIN accounts ra ON ra.id = r.requested_by LEFT JOIN accounts da ON da.id = r.decided_by`;

const maskName = (name: string) => [...name][0] + '*'.repeat(Math.max(1, [...name].length - 1));

/** The request as `caller` may see it (see the module comment). */
function present(caller: Caller, row: RequestRow): TransferRequest {
  const holding = canReach(caller, peoplePolicy.write, row.fromPath);
  const asking = canReach(caller, peoplePolicy.write, row.toPath);
  const known = holding || row.status === 'approved';
  return {
    id: row.id, status: row.status,
    personId: known ? row.personId : null,
    personName: known ? row.personName : maskName(row.personName),
    idNumberMasked: row.idNumberMasked,
    fromOrgId: holding ? row.fromOrgId : null, fromOrgName: holding ? row.fromOrgName : null,
    toOrgId: row.toOrgId, toOrgName: row.toOrgName, date: row.date, note: row.note,
    requestedBy: asking ? row.requestedBy : null, requestedAt: row.requestedAt,
    decidedBy: holding ? row.decidedBy : null, decidedAt: row.decidedAt, reason: row.reason,
    canDecide: holding && row.status === 'pending',
    canCancel: asking && row.status === 'pending',
  };
}

/** A request one of whose two unions the caller reaches; anything else is "not found". */
async function visibleRequest(db: Queryable, caller: Caller, id: number, lock = false): Promise<RequestRow> {
  if (lock) await lockRosterRow(db, 'transfer_requests', id);
  const row = (await db.query<RequestRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE r.id = $1`, [id])).rows[0];
  if (!row || !(canReach(caller, peoplePolicy.write, row.fromPath) || canReach(caller, peoplePolicy.write, row.toPath))) {
    throw notFound(`Transfer request ${id}`);
  }
  return row;
}

export async function getTransferRequest(db: Queryable, caller: Caller, id: number) {
  return present(caller, await visibleRequest(db, caller, id));
}

export async function listTransferRequests(db: Queryable, caller: Caller, query: z.infer<typeof TransferRequestListQuery>) {
  const scope = scopeOf(caller, peoplePolicy.write);
  const incoming = 'fo.path <@ ANY($1::ltree[])';
  const outgoing = 'tor.path <@ ANY($1::ltree[])';
  const where = [{ incoming, outgoing, all: `(${incoming} OR ${outgoing})` }[query.direction]];
  const params: unknown[] = [scope];
  if (query.status !== 'all') {
    params.push(query.status);
    where.push(`r.status = $${params.length}`);
  }
  const page = await paged<RequestRow>(db, { select: COLUMNS, from: `${FROM} WHERE ${where.join(' AND ')}`, orderBy: 'r.requested_at DESC, r.id DESC' }, params, query);
  return { ...page, items: page.items.map((row) => present(caller, row)) };
}

/**
 * Files a request for the person holding `idNumber`, into one of the caller's grassroots
 * unions. Finding the holder outside the caller's subtrees is a held-elsewhere answer: it is
 * recorded (and spends the allowance) the moment it is known, before any other check could
 * answer differently for a held number; the transfer date is checked against the person's
 * membership only when the holding side decides.
 */
export async function createTransferRequest({ pool, secrets }: Services, ctx: WriteContext, input: z.infer<typeof TransferRequestCreate>) {
  return lookupTransaction(pool, ctx, 'body.idNumber', async (db, disclosed) => {
    const union = await findOrg(db, input.toOrgId);
    if (!union || !canReach(ctx.caller, peoplePolicy.write, union.path)) throw badRequest('body.toOrgId', 'orgs.org.not_found', { id: input.toOrgId });
    if (union.level !== 'grassroots') throw badRequest('body.toOrgId', 'people.org.grassroots_only');
    if (union.status !== 'active') throw badRequest('body.toOrgId', 'orgs.org.closed', { id: input.toOrgId });
    const holder = (await db.query<{ personId: number; provinceId: number; membershipId: number; orgId: number; path: string }>(
      `SELECT p.id AS "personId", p.province_id AS "provinceId", m.id AS "membershipId", m.org_id AS "orgId", o.path::text AS path
       FROM persons p JOIN memberships m ON m.province_id = p.province_id AND m.person_id = p.id AND m.status = 'active' JOIN orgs o ON o.id = m.org_id
       WHERE p.id_number_hash = $1`,
      [secrets.lookupHash(input.idNumber)],
    )).rows[0];
    if (!holder) throw conflict('body.idNumber', 'people.transfer.not_held');
    if (canReach(ctx.caller, peoplePolicy.write, holder.path)) {
      throw conflict('body.idNumber', 'people.transfer.member_in_subtree', { personId: holder.personId });
    }
    await disclosed(union.path, maskNationalId(input.idNumber));
    const pending = await db.query('SELECT 1 FROM transfer_requests WHERE person_id = $1 AND status = \'pending\'', [holder.personId]);
    if (pending.rowCount) throw conflict('body.idNumber', 'people.transfer.pending');
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO transfer_requests (province_id, person_id, from_membership_id, from_org_id, to_org_id, transfer_on, note, card_number, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [holder.provinceId, holder.personId, holder.membershipId, holder.orgId, union.id, input.date, input.note ?? null, input.cardNumber ?? null, ctx.caller.accountId],
    );
    const id = inserted.rows[0]!.id;
    const row = await visibleRequest(db, ctx.caller, id);
    // The asking side's entry names no person until the request is approved.
    await recordAudit(db, ctx, { action: 'request', entity: 'transfer_request', entityId: id, orgPath: union.path, after: { toOrgId: union.id, date: input.date } });
    await recordAudit(db, ctx, { action: 'request', entity: 'transfer_request', entityId: id, orgPath: holder.path, personId: holder.personId, after: { fromOrgId: holder.orgId, date: input.date } });
    return present(ctx.caller, row);
  });
}

async function decidable(db: Queryable, caller: Caller, id: number) {
  const row = await visibleRequest(db, caller, id, true);
  if (!canReach(caller, peoplePolicy.write, row.fromPath)) throw forbidden('only an admin of the union that holds this person (or above it) may decide');
  if (row.status !== 'pending') throw conflict('params.id', 'people.transfer.decided', { status: row.status });
  return row;
}

/** Approves: the membership moves, as a transfer does (the old one ends, the new one begins, history kept). */
export async function approveTransferRequest(pool: Pool, ctx: WriteContext, id: number, reason: string | undefined) {
  return afterwardsForgetCallers(inTransaction(pool, async (db) => {
    const row = await decidable(db, ctx.caller, id);
    const current = (await db.query<{ id: number; joinedOn: string }>(
      `SELECT id, joined_on::text AS "joinedOn" FROM memberships WHERE province_id = $2 AND person_id = $1 AND status = 'active' FOR UPDATE`,
      [row.personId, row.provinceId])).rows[0];
    if (current?.id !== row.fromMembershipId) throw conflict('params.id', 'people.transfer.membership_changed');
    if (row.date < current.joinedOn) throw conflict('params.id', 'people.transfer.date_before_membership', { date: row.date, joinedOn: current.joinedOn });
    const target = await findOrg(db, row.toOrgId);
    if (target?.status !== 'active') throw conflict('params.id', 'people.transfer.union_closed');
    await db.query(`UPDATE memberships SET status = 'transferred_out', ended_on = $2, note = $3 WHERE id = $1`, [current.id, row.date, row.note]);
    // Into another province, the person's rows (this request among them) move there first.
    await moveHome(db, [row.personId], target.path);
    await db.query(
      `INSERT INTO memberships (person_id, org_id, org_path, province_id, joined_on, card_number, note) VALUES ($1, $2, $3::ltree::text, province_of($3::ltree), $4, $5, $6)`,
      [row.personId, target.id, target.path, row.date, row.cardNumber, row.note],
    );
    await accountsFollowMemberships(db, [row.personId]);
    await db.query(`UPDATE transfer_requests SET status = 'approved', decided_by = $2, decided_at = now(), reason = $3 WHERE id = $1`, [id, ctx.caller.accountId, reason ?? null]);
    const change = { before: { status: 'pending', orgId: row.fromOrgId }, after: { status: 'approved', orgId: row.toOrgId, date: row.date, reason: reason ?? null } };
    await recordAudit(db, ctx, { action: 'approve', entity: 'transfer_request', entityId: id, orgPath: row.fromPath, personId: row.personId, ...change });
    // The asking side's entry does not name the union the person came from.
    await recordAudit(db, ctx, { action: 'approve', entity: 'transfer_request', entityId: id, orgPath: row.toPath, personId: row.personId, before: { status: 'pending' }, after: change.after });
    return present(ctx.caller, { ...row, status: 'approved' });
  }));
}

export async function declineTransferRequest(pool: Pool, ctx: WriteContext, id: number, reason: string) {
  return inTransaction(pool, async (db) => {
    const row = await decidable(db, ctx.caller, id);
    await db.query(`UPDATE transfer_requests SET status = 'declined', decided_by = $2, decided_at = now(), reason = $3 WHERE id = $1`, [id, ctx.caller.accountId, reason]);
    const change = { before: { status: 'pending' }, after: { status: 'declined', reason } };
    await recordAudit(db, ctx, { action: 'decline', entity: 'transfer_request', entityId: id, orgPath: row.fromPath, personId: row.personId, ...change });
    await recordAudit(db, ctx, { action: 'decline', entity: 'transfer_request', entityId: id, orgPath: row.toPath, ...change });
    return present(ctx.caller, (await visibleRequest(db, ctx.caller, id)));
  });
}

/** The asking side withdraws its request while it waits. */
export async function cancelTransferRequest(pool: Pool, ctx: WriteContext, id: number) {
  return inTransaction(pool, async (db) => {
    const row = await visibleRequest(db, ctx.caller, id, true);
    if (!canReach(ctx.caller, peoplePolicy.write, row.toPath)) throw forbidden('only the union that asked (or one above it) may cancel this request');
    if (row.status !== 'pending') throw conflict('params.id', 'people.transfer.decided', { status: row.status });
    await db.query(`UPDATE transfer_requests SET status = 'cancelled', decided_by = $2, decided_at = now() WHERE id = $1`, [id, ctx.caller.accountId]);
    const change = { before: { status: 'pending' }, after: { status: 'cancelled' } };
    await recordAudit(db, ctx, { action: 'cancel', entity: 'transfer_request', entityId: id, orgPath: row.toPath, ...change });
    await recordAudit(db, ctx, { action: 'cancel', entity: 'transfer_request', entityId: id, orgPath: row.fromPath, personId: row.personId, ...change });
    return present(ctx.caller, (await visibleRequest(db, ctx.caller, id)));
  });
}
