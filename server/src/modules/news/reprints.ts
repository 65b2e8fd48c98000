import type { Reprint, ReprintTarget } from '@workers-home/contract';
import { inTransaction, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { badRequest, conflict } from '../../errors.ts';
import type { Caller } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { loadArticle, recordVersion } from './articles.ts';
import { authorizeArticle } from './policy.ts';

/**
 * Reprints (转载): a published article proposed to the newsroom of an organization above its
 * own (its city's, its province's) becomes a copy there, waiting for that newsroom's chief
 * editor, with its bylines and source kept and a link to the original.
 */

/**
 * The newsrooms an article may be proposed to: those of the active organizations above its
 * own, nearest first, each saying whether the article was proposed there already. Newsrooms
 * are public (the portal lists them), so this names nothing else of the tree above; an
 * article the caller does not see is 404, as everywhere in news.
 */
export async function listReprintTargets(db: Queryable, caller: Caller, id: number): Promise<ReprintTarget[]> {
  const article = await authorizeArticle(db, caller, id, 'read');
  const result = await db.query<ReprintTarget>(
    `SELECT above.id::int AS "orgId", above.name, n.slug,
            EXISTS (SELECT 1 FROM news_articles copy WHERE copy.reprint_of = $1 AND copy.org_id = above.id) AS proposed
       FROM orgs above JOIN news_newsrooms n ON n.org_id = above.id
      WHERE above.path @> $2::ltree AND above.path <> $2::ltree AND above.status = 'active'
      ORDER BY nlevel(above.path) DESC`, [id, article.orgPath]);
  return result.rows;
}

/**
 * Proposes an article to the newsroom of an organization above its own (one that runs a
 * newsroom: those reprintTargets lists). Any other organization (or one that does not exist) is the same 400: the proposer learns nothing about
 * organizations outside their subtree. A second proposal to the same newsroom is a 409 on
 * `toOrgId` (one copy waits there already, or was decided on); the original's row lock keeps
 * two proposals at once from both getting through.
 */
export async function proposeReprint(pool: Pool, ctx: WriteContext, id: number, toOrgId: number): Promise<Reprint> {
  return inTransaction(pool, async (db) => {
    const ref = await authorizeArticle(db, ctx.caller, id, 'write', true);
    if (ref.status !== 'published') throw conflict('status', 'news.article.state', { status: ref.status });
    const target = await db.query<{ id: number; path: string }>(
      `SELECT t.id::int, t.path::text FROM orgs t JOIN news_newsrooms n ON n.org_id = t.id
       WHERE t.id = $1 AND t.path @> $2::ltree AND t.path <> $2::ltree AND t.status = 'active'`, [toOrgId, ref.orgPath]);
    const to = target.rows[0];
    if (!to) throw badRequest('body.toOrgId', 'news.reprint.target', { id: toOrgId });
    const earlier = await db.query('SELECT 1 FROM news_articles WHERE reprint_of = $1 AND org_id = $2', [id, to.id]);
    if (earlier.rowCount) throw conflict('body.toOrgId', 'news.reprint.proposed');
    const copy = await db.query<{ id: number }>(
      `INSERT INTO news_articles (org_id, status, intro_title, title, subtitle, source, reporters, correspondents, photographers, editor_in_charge, channel, tags,
         summary, body_html, plain_text, cover_image_id, reprint_of, created_by)
       SELECT $2, 'submitted', a.intro_title, a.title, a.subtitle, coalesce(a.source, o.name), a.reporters, a.correspondents, a.photographers, a.editor_in_charge,
         a.channel, a.tags, a.summary, a.body_html, a.plain_text, a.cover_image_id, a.id, $3
       FROM news_articles a JOIN orgs o ON o.id = a.org_id WHERE a.id = $1 RETURNING id::int`, [id, to.id, ctx.caller.accountId]);
    const article = (await loadArticle(db, copy.rows[0]!.id))!;
    // The version's snapshot links the original (reprintOf); the console says "转载自 …" from it.
    await recordVersion(db, ctx, article, 'create');
    await recordAudit(db, ctx, { action: 'reprint', entity: 'news_article', entityId: article.id, orgPath: to.path, after: { reprintOf: id, orgId: to.id } });
    return { id: article.id, orgId: to.id };
  });
}
