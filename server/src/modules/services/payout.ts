import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Batch, BatchCreate, BatchListQuery, BatchPaid } from '@workers-home/contract';
import { inTransaction, paged, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import { canReach, scopeOf, type Caller } from '../../plugins/access.ts';
import { chinaDate } from '../../china-time.ts';
import { toXlsx } from '../../spreadsheets/write.ts';
import { recordAudit } from '../audit/service.ts';
import { findOrg } from '../orgs/service.ts';
import { yuan } from './money.ts';
import { planVisible, findPlanRef, servicesPolicy } from './policy.ts';

const BATCH_COLUMNS = `b.id::int, b.plan_id::int AS "planId", p.name AS "planName", b.org_id::int AS "orgId", o.name AS "orgName", b.status, b.claims,
  b.total_fen AS "totalFen", b.progress::float8 AS progress, b.paid_on AS "paidOn", b.reference, to_json(b.created_at)#>>'{}' AS "createdAt",
  coalesce(a.display_name, a.username) AS "createdBy"`;
const BATCH_FROM = 'services_batches b JOIN services_plans p ON p.id = b.plan_id JOIN orgs o ON o.id = b.org_id LEFT JOIN accounts a ON a.id = b.created_by';

/** Approved claims of the plan whose member's union lies in the organization's subtree, none decided by the payer. */
const PAYABLE = `FROM services_claims c JOIN orgs u ON u.id = c.org_id
  WHERE c.plan_id = $1 AND c.status = 'approved' AND u.path <@ $2::ltree
    AND NOT EXISTS (SELECT 1 FROM services_claim_events e WHERE e.province_id = c.province_id AND e.claim_id = c.id AND e.actor_id = $3 AND e.action IN ('approve', 'adjust'))`;

export async function getBatch(db: Queryable, caller: Caller, id: number): Promise<Batch & { orgPath: string }> {
  const result = await db.query<Batch & { orgPath: string }>(`SELECT ${BATCH_COLUMNS}, o.path::text AS "orgPath" FROM ${BATCH_FROM} WHERE b.id = $1`, [id]);
  const batch = result.rows[0];
  if (!batch || !canReach(caller, servicesPolicy.pay, batch.orgPath)) throw notFound(`Payout batch ${id}`);
  return batch;
}

/** A batch as the API answers it (the organization's path is for scoping only). */
export const withoutPath = ({ orgPath: _path, ...batch }: Batch & { orgPath: string }): Batch => batch;

export async function listBatches(db: Queryable, caller: Caller, query: z.infer<typeof BatchListQuery>) {
  const where = ['o.path <@ ANY($1::ltree[])'];
  const params: unknown[] = [scopeOf(caller, servicesPolicy.pay)];
  if (query.planId !== undefined) { params.push(query.planId); where.push(`b.plan_id = $${params.length}`); }
  if (query.status !== undefined) { params.push(query.status); where.push(`b.status = $${params.length}`); }
  return paged<Batch>(db, { select: BATCH_COLUMNS, from: `${BATCH_FROM} WHERE ${where.join(' AND ')}`, orderBy: 'b.created_at DESC, b.id DESC' }, params, query);
}

/**
 * Starts a payout batch of a plan for an organization of the payer's subtrees: the batch row
 * (status building) and its job are created together; the job gathers the claims. While one
 * batch of the plan and organization builds, another is a 409; with nothing to pay, a 409 too.
 */
export async function createBatch(pool: Pool, ctx: WriteContext, input: z.infer<typeof BatchCreate>, enqueue: (db: Queryable, batchId: number) => Promise<unknown>): Promise<Batch> {
  const id = await inTransaction(pool, async (db) => {
    const org = await findOrg(db, input.orgId);
    if (!org || !canReach(ctx.caller, servicesPolicy.pay, org.path)) throw badRequest('body.orgId', 'orgs.org.not_found', { id: input.orgId });
    const plan = await findPlanRef(db, input.planId);
    if (!plan || !planVisible(ctx.caller, servicesPolicy.pay, plan.orgPath)) throw badRequest('body.planId', 'services.plan.not_found', { id: input.planId });
    const any = await db.query(`SELECT 1 ${PAYABLE} LIMIT 1`, [plan.id, org.path, ctx.caller.accountId]);
    if (!any.rowCount) throw conflict('body.planId', 'services.batch.empty');
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO services_batches (plan_id, org_id, created_by) VALUES ($1, $2, $3)
       ON CONFLICT (plan_id, org_id) WHERE status = 'building' DO NOTHING RETURNING id::int`, [plan.id, org.id, ctx.caller.accountId]);
    if (!inserted.rows[0]) throw conflict('body.planId', 'services.batch.building');
    const batchId = inserted.rows[0].id;
    await enqueue(db, batchId);
    await recordAudit(db, ctx, { action: 'create', entity: 'services_batch', entityId: batchId, orgPath: org.path, after: { planId: plan.id, status: 'building' } });
    return batchId;
  });
  return getBatch(pool, ctx.caller, id);
}

const CHUNK = 5000;

/**
 * The batch job: in one transaction, takes the payable claims chunk by chunk (each becomes
 * in_batch with an event), then marks the batch ready with its count and total. Progress is
 * written beside it on its own connection, so the page shows it while the work is uncommitted.
 * A server killed meanwhile rolls everything back: the retried job starts from nothing, and no
 * claim is ever half in a batch.
 */
export async function buildBatch(pool: Pool, batchId: number): Promise<void> {
  await inTransaction(pool, async (db) => {
    // Not a row lock on the batch: its progress is written meanwhile on another connection.
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('services-batch'), $1::int)`, [batchId]);
    const batch = (await db.query<{ planId: number; orgPath: string; createdBy: number; status: string }>(
      `SELECT b.plan_id::int AS "planId", o.path::text AS "orgPath", b.created_by::int AS "createdBy", b.status
         FROM services_batches b JOIN orgs o ON o.id = b.org_id WHERE b.id = $1`, [batchId])).rows[0];
    if (!batch || batch.status !== 'building') return;
    const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n ${PAYABLE}`, [batch.planId, batch.orgPath, batch.createdBy])).rows[0]!.n;
    let done = 0;
    for (;;) {
      const taken = await db.query<{ n: number }>(
        `WITH taken AS (
           UPDATE services_claims c SET status = 'in_batch', batch_id = $4, version = version + 1
            WHERE (c.province_id, c.id) IN (SELECT c.province_id, c.id ${PAYABLE} ORDER BY c.id LIMIT ${CHUNK} FOR UPDATE OF c SKIP LOCKED)
           RETURNING c.id, c.province_id, c.approved_fen
         ), events AS (
           INSERT INTO services_claim_events (claim_id, province_id, actor_id, action, from_status, to_status, amount_fen)
           SELECT id, province_id, $3, 'batch', 'approved', 'in_batch', approved_fen FROM taken
         )
         SELECT count(*)::int AS n FROM taken`, [batch.planId, batch.orgPath, batch.createdBy, batchId]);
      const n = taken.rows[0]!.n;
      if (n === 0) break;
      done += n;
      await pool.query('UPDATE services_batches SET progress = $2 WHERE id = $1', [batchId, total ? Math.min(0.99, done / total) : 0.99]);
    }
    if (done === 0) {
      await db.query(`UPDATE services_batches SET status = 'failed', error = 'empty', progress = 1 WHERE id = $1`, [batchId]);
      return;
    }
    const sum = await db.query<{ claims: number; fen: number }>('SELECT count(*)::int AS claims, coalesce(sum(approved_fen), 0)::bigint AS fen FROM services_claims WHERE batch_id = $1', [batchId]);
    await db.query(`UPDATE services_batches SET status = 'ready', claims = $2, total_fen = $3, progress = 1 WHERE id = $1`, [batchId, sum.rows[0]!.claims, sum.rows[0]!.fen]);
    await recordAudit(db, null, { action: 'batch', entity: 'services_batch', entityId: batchId, orgPath: batch.orgPath, before: { status: 'building' }, after: { status: 'ready', claims: sum.rows[0]!.claims, totalFen: sum.rows[0]!.fen } });
  });
}

/** A batch whose job can no longer run (it failed for good) is marked failed; its claims were never taken. */
export async function failBatch(db: Queryable, batchId: number, error: string): Promise<void> {
  await db.query(`UPDATE services_batches SET status = 'failed', error = $2 WHERE id = $1 AND status = 'building'`, [batchId, error]);
}

/** Records a ready batch paid: its claims become paid, the plan's ledger pays out the batch's total. */
export async function markPaid(pool: Pool, ctx: WriteContext, id: number, input: z.infer<typeof BatchPaid>, now = new Date()): Promise<Batch> {
  await inTransaction(pool, async (db) => {
    const batch = await getBatch(db, ctx.caller, id);
    await db.query('SELECT 1 FROM services_batches WHERE id = $1 FOR UPDATE', [id]);
    const status = (await db.query<{ status: string }>('SELECT status FROM services_batches WHERE id = $1', [id])).rows[0]!.status;
    if (status !== 'ready') throw conflict('status', 'services.batch.state', { status });
    if (input.paidOn > chinaDate(now)) throw badRequest('body.paidOn', 'services.statement.future');
    await db.query(`UPDATE services_batches SET status = 'paid', paid_on = $2, reference = $3, paid_by = $4 WHERE id = $1`, [id, input.paidOn, input.reference, ctx.caller.accountId]);
    await db.query(
      `WITH paid AS (
         UPDATE services_claims SET status = 'paid', paid_at = now(), version = version + 1 WHERE batch_id = $1 AND status = 'in_batch'
         RETURNING id, province_id, approved_fen
       )
       INSERT INTO services_claim_events (claim_id, province_id, actor_id, action, from_status, to_status, amount_fen, reason)
       SELECT id, province_id, $2, 'pay', 'in_batch', 'paid', approved_fen, $3 FROM paid`, [id, ctx.caller.accountId, input.reference]);
    await db.query(`INSERT INTO services_ledger (plan_id, kind, amount_fen, batch_id) VALUES ($1, 'benefit', $2, $3)`, [batch.planId, batch.totalFen, id]);
    await recordAudit(db, ctx, { action: 'pay', entity: 'services_batch', entityId: id, orgPath: batch.orgPath, before: { status: 'ready' }, after: { status: 'paid', paidOn: input.paidOn, reference: input.reference, totalFen: batch.totalFen } });
  });
  return withoutPath(await getBatch(pool, ctx.caller, id));
}

/** The bank transfer list of a batch: one row per claim with the payee's name, masked ID number, bank, account and amount (yuan). */
export async function transferList(db: Queryable, caller: Caller, id: number): Promise<{ file: Readable; name: string }> {
  const batch = await getBatch(db, caller, id);
  const rows = await db.query<{ claimId: number; name: string; idMasked: string; orgName: string; bankName: string; bankAccount: string; fen: number }>(
    `SELECT c.id::int AS "claimId", pe.name, pe.id_number_masked AS "idMasked", o.name AS "orgName", c.bank_name AS "bankName", c.bank_account AS "bankAccount", c.approved_fen AS fen
       FROM services_claims c JOIN persons pe ON pe.province_id = c.province_id AND pe.id = c.person_id JOIN orgs o ON o.id = c.org_id WHERE c.batch_id = $1 ORDER BY c.id`, [id]);
  const lines: Array<Array<string | null>> = rows.rows.map((r, i) => [String(i + 1), r.name, r.idMasked, r.orgName, r.bankName, r.bankAccount, yuan(r.fen), String(r.claimId)]);
  lines.push(['合计', null, null, null, null, null, yuan(batch.totalFen), `${batch.claims} 笔`]);
  const file = toXlsx(['序号', '姓名', '身份证号', '所在工会', '开户银行', '银行账号', '金额（元）', '理赔编号'], '转账清单', lines);
  return { file, name: `payout-batch-${id}.xlsx` };
}
