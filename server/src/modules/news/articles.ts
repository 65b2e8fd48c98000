import type { z } from 'zod';
import type { Article, ArticleAction, ArticleCreate, ArticleListQuery, ArticleSummary, ArticleUpdate, ArticleVersion } from '@workers-home/contract';
import { inTransaction, paged, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { badRequest, conflict } from '../../errors.ts';
import { scopeOf, type Caller } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { findOrg } from '../orgs/service.ts';
import { authorizeArticle, mayPublish, mayWrite, newsPolicy, type ArticleRef } from './policy.ts';
import { cleanBody } from './body.ts';
import { portalCache } from './portal-cache.ts';
import { ensureNewsroom } from './newsrooms.ts';

/** The columns of an Article, from news_articles a joined with its org o and newsroom n. */
export const ARTICLE_COLUMNS = `a.id, a.org_id AS "orgId", o.name AS "orgName", n.slug AS "orgSlug", a.status, a.version,
  a.intro_title AS "introTitle", a.title, a.subtitle, a.source, a.reporters, a.correspondents, a.photographers,
  a.editor_in_charge AS "editorInCharge", a.channel, a.tags, a.summary, a.body_html AS "bodyHtml", a.cover_image_id::int AS "coverImageId",
  to_json(a.published_at)#>>'{}' AS "publishedAt", a.return_comment AS "returnComment",
  to_json(a.updated_at)#>>'{}' AS "updatedAt", to_json(a.created_at)#>>'{}' AS "createdAt",
  CASE WHEN a.status = 'published' THEN '/news/' || n.slug || '/articles/' || a.id END AS url, a.reprint_of::int AS "reprintOf", ro.name AS "reprintFrom"`;
/** An article a with its org o and newsroom n, and for a reprint the organization ro of the original. */
const FROM = `news_articles a JOIN orgs o ON o.id = a.org_id JOIN news_newsrooms n ON n.org_id = a.org_id
  LEFT JOIN news_articles original ON original.id = a.reprint_of LEFT JOIN orgs ro ON ro.id = original.org_id`;

export async function loadArticle(db: Queryable, id: number): Promise<Article | undefined> {
  const result = await db.query<Article>(`SELECT ${ARTICLE_COLUMNS} FROM ${FROM} WHERE a.id = $1`, [id]);
  return result.rows[0];
}

export async function listArticles(db: Queryable, caller: Caller, query: z.infer<typeof ArticleListQuery>) {
  const where = ['o.path <@ ANY($1::ltree[])'];
  const params: unknown[] = [scopeOf(caller, newsPolicy.write)];
  if (query.orgId !== undefined) { params.push(query.orgId); where.push(`a.org_id = $${params.length}`); }
  if (query.status !== undefined) { params.push(query.status); where.push(`a.status = $${params.length}`); }
  if (query.channel !== undefined) { params.push(query.channel); where.push(`a.channel = $${params.length}`); }
  if (query.q) { params.push(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`); where.push(`a.title ILIKE $${params.length}`); }
  return paged<ArticleSummary>(db, {
    select: `a.id, a.org_id AS "orgId", o.name AS "orgName", a.status, a.version, a.intro_title AS "introTitle", a.title, a.channel,
      to_json(a.published_at)#>>'{}' AS "publishedAt", to_json(a.updated_at)#>>'{}' AS "updatedAt",
      CASE WHEN a.status = 'published' THEN '/news/' || n.slug || '/articles/' || a.id END AS url,
      a.reprint_of::int AS "reprintOf", ro.name AS "reprintFrom"`,
    from: `${FROM} WHERE ${where.join(' AND ')}`,
    orderBy: 'a.updated_at DESC, a.id DESC',
  }, params, query);
}

export async function getArticle(db: Queryable, caller: Caller, id: number): Promise<Article> {
  await authorizeArticle(db, caller, id, 'read');
  return (await loadArticle(db, id))!;
}

type Fields = Partial<z.infer<typeof ArticleCreate>>;

/** The stored form of the fields given: the body sanitized, the cover checked to be one of the organization's photos. */
async function storedFields(db: Queryable, orgId: number, input: Fields) {
  if (input.coverImageId) {
    const image = await db.query('SELECT 1 FROM news_images WHERE id = $1 AND org_id = $2', [input.coverImageId, orgId]);
    if (!image.rowCount) throw badRequest('body.coverImageId', 'news.image.not_found', { id: input.coverImageId });
  }
  const body = input.bodyHtml === undefined ? undefined : await cleanBody(db, orgId, input.bodyHtml);
  return { ...input, ...(body ? { bodyHtml: body.html, plainText: body.text } : {}), firstImageId: body?.firstImageId ?? null };
}

const COLUMN_OF: Record<string, string> = {
  introTitle: 'intro_title', title: 'title', subtitle: 'subtitle', source: 'source', reporters: 'reporters', correspondents: 'correspondents',
  photographers: 'photographers', editorInCharge: 'editor_in_charge', channel: 'channel', tags: 'tags', summary: 'summary',
  bodyHtml: 'body_html', plainText: 'plain_text', coverImageId: 'cover_image_id',
};

export async function recordVersion(db: Queryable, ctx: WriteContext | null, article: Article, action: string, comment: string | null = null) {
  await db.query(
    'INSERT INTO news_article_versions (article_id, version, action, status, comment, actor_id, snapshot) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [article.id, article.version, action, article.status, comment, ctx?.caller.accountId ?? null, JSON.stringify(article)],
  );
}

export async function createArticle(pool: Pool, ctx: WriteContext, input: z.infer<typeof ArticleCreate>): Promise<Article> {
  return inTransaction(pool, async (db) => {
    const org = await findOrg(db, input.orgId);
    if (!org || !mayWrite(ctx.caller, org.path)) throw badRequest('body.orgId', 'orgs.org.not_found', { id: input.orgId });
    if (org.status !== 'active') throw badRequest('body.orgId', 'orgs.org.closed', { id: input.orgId });
    await ensureNewsroom(db, org.id);
    const fields = await storedFields(db, org.id, input);
    const entries = Object.entries(fields).filter(([key, value]) => value !== undefined && key in COLUMN_OF);
    const columns = ['org_id', 'created_by', ...entries.map(([key]) => COLUMN_OF[key]!)];
    const values = [org.id, ctx.caller.accountId, ...entries.map(([, value]) => value)];
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO news_articles (${columns.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`, values);
    await coverFromBody(db, inserted.rows[0]!.id, fields.firstImageId);
    const article = (await loadArticle(db, inserted.rows[0]!.id))!;
    await recordVersion(db, ctx, article, 'create');
    await recordAudit(db, ctx, { action: 'create', entity: 'news_article', entityId: article.id, orgPath: org.path, after: auditView(article) });
    return article;
  });
}

/** An article without a cover photo takes its body's first (for lists, Open Graph and feed enclosures). */
async function coverFromBody(db: Queryable, id: number, imageId: number | null) {
  if (imageId !== null) await db.query('UPDATE news_articles SET cover_image_id = $2 WHERE id = $1 AND cover_image_id IS NULL', [id, imageId]);
}

/**
 * What the audit log keeps of an article: its stored fields but the body (every version keeps
 * that); not reprintFrom, a name looked up for the console (reprintOf is the stored link).
 */
const auditView = ({ bodyHtml: _body, reprintFrom: _from, ...rest }: Article) => rest;

function assertVersion(article: ArticleRef, version: number) {
  if (article.version !== version) throw conflict('body.version', 'news.article.stale', { version: article.version });
}

/**
 * Editors change drafts and returned articles; the chief editor also what waits for them and
 * what is published (a correction: the portal shows it at once). Withdrawn articles stay as they were.
 */
export async function updateArticle(pool: Pool, ctx: WriteContext, id: number, input: z.infer<typeof ArticleUpdate>): Promise<Article> {
  const result = await inTransaction(pool, async (db) => {
    const ref = await authorizeArticle(db, ctx.caller, id, 'write', true);
    assertVersion(ref, input.version);
    const editable = mayPublish(ctx.caller, ref.orgPath) ? ['draft', 'returned', 'submitted', 'scheduled', 'published'] : ['draft', 'returned'];
    if (!editable.includes(ref.status)) throw conflict('status', 'news.article.state', { status: ref.status });
    const before = (await loadArticle(db, id))!;
    const fields = await storedFields(db, ref.orgId, input);
    const entries = Object.entries(fields).filter(([key, value]) => value !== undefined && key in COLUMN_OF);
    const sets = entries.map(([key], i) => `${COLUMN_OF[key]} = $${i + 2}`);
    await db.query(`UPDATE news_articles SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1`, [id, ...entries.map(([, v]) => v)]);
    await coverFromBody(db, id, fields.firstImageId);
    const after = (await loadArticle(db, id))!;
    await recordVersion(db, ctx, after, 'update');
    await recordAudit(db, ctx, { action: 'update', entity: 'news_article', entityId: id, orgPath: ref.orgPath, before: auditView(before), after: auditView(after) });
    return after;
  });
  if (result.status === 'published') portalCache.clear();
  return result;
}

/** What each action needs, from which states, and the state it leaves. */
const STEPS = {
  submit: { from: ['draft', 'returned'], publisher: false },
  publish: { from: ['draft', 'submitted', 'returned'], publisher: true },
  return: { from: ['submitted', 'scheduled'], publisher: true },
  withdraw: { from: ['published', 'scheduled'], publisher: true },
} as const;

export interface Scheduler {
  schedule(db: Queryable, articleId: number, version: number, at: Date): Promise<void>;
}

/** One step of the workflow, versioned and audited in one transaction. */
export async function actOnArticle(pool: Pool, ctx: WriteContext, id: number, input: ArticleAction, scheduler: Scheduler, now = new Date()): Promise<Article> {
  const step = STEPS[input.action];
  const result = await inTransaction(pool, async (db) => {
    const ref = await authorizeArticle(db, ctx.caller, id, step.publisher ? 'publish' : 'write', true);
    assertVersion(ref, input.version);
    if (!(step.from as readonly string[]).includes(ref.status)) throw conflict('status', 'news.article.state', { status: ref.status });
    const before = (await loadArticle(db, id))!;
    let action: string = input.action;
    let comment: string | null = null;
    switch (input.action) {
      case 'submit':
        await db.query(`UPDATE news_articles SET status = 'submitted', return_comment = NULL WHERE id = $1`, [id]);
        break;
      case 'publish': {
        const at = input.at ? new Date(input.at) : null;
        if (at && at.getTime() <= now.getTime()) throw badRequest('body.at', 'news.article.publish_at_past');
        // now() outside coalesce: Citus evaluates it once on the coordinator, and not inside a conditional.
        if (at) await db.query(`UPDATE news_articles SET status = 'scheduled', published_at = $2, return_comment = NULL WHERE id = $1`, [id, at]);
        else await db.query(`UPDATE news_articles SET status = 'published', published_at = now(), return_comment = NULL WHERE id = $1`, [id]);
        if (at) { action = 'schedule'; await scheduler.schedule(db, id, ref.version + 1, at); }
        break;
      }
      case 'return':
        comment = input.comment;
        await db.query(`UPDATE news_articles SET status = 'returned', published_at = NULL, return_comment = $2 WHERE id = $1`, [id, comment]);
        break;
      case 'withdraw':
        comment = input.comment ?? null;
        await db.query(`UPDATE news_articles SET status = 'withdrawn' WHERE id = $1`, [id]);
        break;
    }
    await db.query('UPDATE news_articles SET version = version + 1, updated_at = now() WHERE id = $1', [id]);
    const after = (await loadArticle(db, id))!;
    await recordVersion(db, ctx, after, action, comment);
    await recordAudit(db, ctx, { action, entity: 'news_article', entityId: id, orgPath: ref.orgPath, before: { status: before.status, version: before.version }, after: { status: after.status, version: after.version, publishedAt: after.publishedAt, comment } });
    return after;
  });
  portalCache.clear();
  return result;
}

/**
 * The scheduled publication of an article comes due (the durable job): published if it is
 * still the version that was scheduled, else nothing (it was returned, withdrawn or rescheduled).
 */
export async function publishScheduled(pool: Pool, articleId: number, version: number): Promise<boolean> {
  const done = await inTransaction(pool, async (db) => {
    const ref = await db.query<{ orgPath: string }>(
      `UPDATE news_articles a SET status = 'published', version = version + 1, updated_at = now()
         FROM orgs o WHERE o.id = a.org_id AND a.id = $1 AND a.status = 'scheduled' AND a.version = $2 RETURNING o.path::text AS "orgPath"`, [articleId, version]);
    if (!ref.rowCount) return false;
    const after = (await loadArticle(db, articleId))!;
    await recordVersion(db, null, after, 'publish', 'scheduled');
    await recordAudit(db, null, { action: 'publish', entity: 'news_article', entityId: articleId, orgPath: ref.rows[0]!.orgPath, after: { status: after.status, version: after.version, publishedAt: after.publishedAt } });
    return true;
  });
  if (done) portalCache.clear();
  return done;
}

export async function listVersions(db: Queryable, caller: Caller, id: number): Promise<ArticleVersion[]> {
  await authorizeArticle(db, caller, id, 'read');
  const result = await db.query<ArticleVersion>(
    `SELECT v.version, v.status, v.action, v.comment, ac.display_name AS actor, to_json(v.at)#>>'{}' AS at,
            v.snapshot->>'title' AS title, v.snapshot->>'bodyHtml' AS "bodyHtml"
       FROM news_article_versions v LEFT JOIN accounts ac ON ac.id = v.actor_id
      WHERE v.article_id = $1 ORDER BY v.version DESC`, [id]);
  return result.rows;
}
