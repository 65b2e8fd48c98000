import { MODULE_ACCESS, type ArticleStatus } from '@workers-home/contract';
import type { Queryable } from '../../db/pool.ts';
import { forbidden, notFound } from '../../errors.ts';
import { canReach, type Caller } from '../../plugins/access.ts';

/**
 * News's one access path. Roles, within the subtrees where they are held:
 * - write (news.editor, news.chief-editor): see the newsroom's articles and reports, write,
 *   upload photos, submit for review, answer reports;
 * - publish (news.chief-editor): publish (now or at a time), return with a comment, withdraw.
 * An article outside the caller's subtrees is "not found", exactly like one that does not exist.
 */
export const newsPolicy = MODULE_ACCESS.news;

export type ArticleAction = 'read' | 'write' | 'publish';

export interface ArticleRef {
  id: number;
  orgId: number;
  orgPath: string;
  status: ArticleStatus;
  version: number;
}

export async function findArticleRef(db: Queryable, id: number, lock = false): Promise<ArticleRef | undefined> {
  const result = await db.query<ArticleRef>(
    `SELECT a.id, a.org_id AS "orgId", o.path::text AS "orgPath", a.status, a.version
       FROM news_articles a JOIN orgs o ON o.id = a.org_id WHERE a.id = $1${lock ? ' FOR UPDATE OF a' : ''}`, [id]);
  return result.rows[0];
}

export const mayWrite = (caller: Caller, orgPath: string) => canReach(caller, newsPolicy.write, orgPath);
export const mayPublish = (caller: Caller, orgPath: string) => canReach(caller, newsPolicy.publish, orgPath);

/** The article, if the caller may do this with it: unseen is 404; seen but not theirs to publish, 403. */
export async function authorizeArticle(db: Queryable, caller: Caller, id: number, action: ArticleAction, lock = false): Promise<ArticleRef> {
  const article = await findArticleRef(db, id, lock);
  if (!article || !mayWrite(caller, article.orgPath)) throw notFound(`News article ${id}`);
  if (action === 'publish' && !mayPublish(caller, article.orgPath)) {
    throw forbidden('needs the chief editor role (news.chief-editor) on the article\'s organization');
  }
  return article;
}
