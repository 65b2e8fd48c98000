import type { z } from 'zod';
import type { Report, ReportAnswer, ReportListQuery, ReportReason } from '@workers-home/contract';
import { inTransaction, paged, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { conflict, notFound, tooMany } from '../../errors.ts';
import { scopeOf, type Caller } from '../../plugins/access.ts';
import type { Secrets } from '../../plugins/secrets.ts';
import { recordAudit } from '../audit/service.ts';
import { mayWrite, newsPolicy } from './policy.ts';

/** Reports one address may file in an hour (a reader reports a few articles at most). */
export const REPORTS_PER_HOUR = 5;

const COLUMNS = `r.id::int, r.article_id::int AS "articleId", a.title AS "articleTitle", r.org_id::int AS "orgId", r.reason, r.description, r.contact, r.status, r.answer,
  to_json(r.created_at)#>>'{}' AS "createdAt", to_json(r.answered_at)#>>'{}' AS "answeredAt"`;
const FROM = 'news_reports r JOIN news_articles a ON a.id = r.article_id JOIN orgs o ON o.id = r.org_id';

export interface ReportInput {
  reason: ReportReason;
  description: string;
  contact: string | null;
}

/**
 * A reader's report on a published article, throttled by a keyed hash of their address (the
 * address itself is not kept). The count and the insert run under a lock on that hash, so a
 * burst of parallel posts cannot slip past the limit.
 */
export async function fileReport(pool: Pool, secrets: Secrets, articleId: number, address: string, input: ReportInput): Promise<number> {
  const addressHash = secrets.lookupHash(`news-report:${address}`);
  return inTransaction(pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [addressHash.toString('base64')]);
    const recent = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM news_reports WHERE address_hash = $1 AND created_at > now() - interval '1 hour'`, [addressHash]);
    if (recent.rows[0]!.n >= REPORTS_PER_HOUR) throw tooMany('news.report.too_many');
    const article = await db.query<{ orgId: number; orgPath: string }>(
      `SELECT a.org_id AS "orgId", o.path::text AS "orgPath" FROM news_articles a JOIN orgs o ON o.id = a.org_id WHERE a.id = $1 AND a.status = 'published'`, [articleId]);
    const found = article.rows[0];
    if (!found) throw notFound(`News article ${articleId}`);
    const inserted = await db.query<{ id: number }>(
      'INSERT INTO news_reports (article_id, org_id, reason, description, contact, address_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::int',
      [articleId, found.orgId, input.reason, input.description, input.contact, addressHash]);
    const id = inserted.rows[0]!.id;
    await recordAudit(db, null, { action: 'report', entity: 'news_report', entityId: id, orgPath: found.orgPath, after: { articleId, reason: input.reason } });
    return id;
  });
}

export async function listReports(db: Queryable, caller: Caller, query: z.infer<typeof ReportListQuery>) {
  const where = ['o.path <@ ANY($1::ltree[])'];
  const params: unknown[] = [scopeOf(caller, newsPolicy.write)];
  if (query.orgId !== undefined) { params.push(query.orgId); where.push(`r.org_id = $${params.length}`); }
  if (query.status !== undefined) { params.push(query.status); where.push(`r.status = $${params.length}`); }
  return paged<Report>(db, { select: COLUMNS, from: `${FROM} WHERE ${where.join(' AND ')}`, orderBy: `r.status = 'open' DESC, r.created_at, r.id` }, params, query);
}

/** The newsroom answers a report (and may close it); a closed report takes no more answers. */
export async function answerReport(pool: Pool, ctx: WriteContext, id: number, input: z.infer<typeof ReportAnswer>): Promise<Report> {
  return inTransaction(pool, async (db) => {
    const found = await db.query<Report & { orgPath: string }>(`SELECT ${COLUMNS}, o.path::text AS "orgPath" FROM ${FROM} WHERE r.id = $1 FOR UPDATE OF r`, [id]);
    const report = found.rows[0];
    if (!report || !mayWrite(ctx.caller, report.orgPath)) throw notFound(`Report ${id}`);
    if (report.status === 'closed') throw conflict('status', 'news.report.closed');
    await db.query(`UPDATE news_reports SET answer = $2, status = $3, answered_by = $4, answered_at = now() WHERE id = $1`,
      [id, input.answer, input.close ? 'closed' : 'answered', ctx.caller.accountId]);
    const after = (await db.query<Report>(`SELECT ${COLUMNS} FROM ${FROM} WHERE r.id = $1`, [id])).rows[0]!;
    await recordAudit(db, ctx, { action: input.close ? 'close' : 'answer', entity: 'news_report', entityId: id, orgPath: report.orgPath, before: { status: report.status }, after: { status: after.status, answer: after.answer } });
    return after;
  });
}
