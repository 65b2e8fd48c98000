import type { z } from 'zod';
import type { Newsroom as NewsroomView, NewsroomSettings } from '@workers-home/contract';
import { inTransaction, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { conflict, forbidden, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';
import { findOrg } from '../orgs/service.ts';
import { mayPublish, mayWrite } from './policy.ts';
import { portalCache } from './portal-cache.ts';

export interface Newsroom {
  orgId: number;
  slug: string;
  name: string;
  hotline: string | null;
  email: string | null;
}

/** The organization's newsroom, made with its first article (its address: org-<id> until the chief editor names it). */
export async function ensureNewsroom(db: Queryable, orgId: number): Promise<void> {
  await db.query(`INSERT INTO news_newsrooms (org_id, slug) VALUES ($1::bigint, 'org-' || $1::bigint) ON CONFLICT (org_id) DO NOTHING`, [orgId]);
}

export async function newsroomBySlug(db: Queryable, slug: string): Promise<Newsroom | undefined> {
  const result = await db.query<Newsroom>(
    `SELECT n.org_id::int AS "orgId", n.slug, o.name, n.hotline, n.email FROM news_newsrooms n JOIN orgs o ON o.id = n.org_id WHERE n.slug = $1`, [slug]);
  return result.rows[0];
}

/** Newsrooms with something published, for the portal's home. */
export async function publishingNewsrooms(db: Queryable): Promise<Newsroom[]> {
  const result = await db.query<Newsroom>(
    `SELECT n.org_id::int AS "orgId", n.slug, o.name, n.hotline, n.email FROM news_newsrooms n JOIN orgs o ON o.id = n.org_id
      WHERE EXISTS (SELECT 1 FROM news_articles a WHERE a.org_id = n.org_id AND a.status = 'published') ORDER BY nlevel(o.path), o.id`);
  return result.rows;
}

/** The chief editor names the newsroom's portal address and its hotline and e-mail for reports. */
export async function updateNewsroom(pool: Pool, ctx: WriteContext, orgId: number, input: z.infer<typeof NewsroomSettings>): Promise<NewsroomView> {
  return inTransaction(pool, async (db) => {
    const org = await findOrg(db, orgId);
    if (!org || !mayWrite(ctx.caller, org.path)) throw notFound(`Organization ${orgId}`);
    if (!mayPublish(ctx.caller, org.path)) throw forbidden('needs the chief editor role (news.chief-editor) on the organization');
    const taken = await db.query('SELECT 1 FROM news_newsrooms WHERE slug = $1 AND org_id <> $2', [input.slug, orgId]);
    if (taken.rowCount) throw conflict('body.slug', 'news.newsroom.slug_taken');
    await db.query(
      `INSERT INTO news_newsrooms (org_id, slug, hotline, email) VALUES ($1, $2, $3, $4)
       ON CONFLICT (org_id) DO UPDATE SET slug = excluded.slug, hotline = excluded.hotline, email = excluded.email`,
      [orgId, input.slug, input.hotline, input.email]);
    await recordAudit(db, ctx, { action: 'update', entity: 'news_newsroom', entityId: orgId, orgPath: org.path, after: input });
    portalCache.clear();
    return { ...input, orgId, orgName: org.name, url: `/news/${input.slug}/` };
  });
}
