import type { Queryable } from '../../db/pool.ts';
import type { Variant } from './body.ts';

/** A published article as the portal shows it. */
export interface PublishedArticle {
  id: number;
  orgId: number;
  orgName: string;
  slug: string;
  introTitle: string | null;
  title: string;
  subtitle: string | null;
  source: string | null;
  reporters: string[];
  correspondents: string[];
  photographers: string[];
  editorInCharge: string | null;
  channel: string;
  tags: string[];
  summary: string | null;
  bodyHtml: string;
  publishedAt: Date;
  updatedAt: Date;
  cover: Variant[] | null;
}

export const PAGE_SIZE = 10;

const COLUMNS = `a.id::int, a.org_id::int AS "orgId", o.name AS "orgName", n.slug, a.intro_title AS "introTitle", a.title, a.subtitle, a.source,
  a.reporters, a.correspondents, a.photographers, a.editor_in_charge AS "editorInCharge", a.channel, a.tags,
  coalesce(a.summary, left(a.plain_text, 120)) AS summary, a.published_at AS "publishedAt", a.updated_at AS "updatedAt",
  (SELECT i.variants FROM news_images i WHERE i.id = a.cover_image_id) AS cover`;
const FROM = `news_articles a JOIN orgs o ON o.id = a.org_id JOIN news_newsrooms n ON n.org_id = a.org_id`;

export interface ListFilter {
  orgId?: number;
  channel?: string;
  /** Search words: every character pair of them must be in the article (news_grams). */
  q?: string;
  page: number;
  pageSize?: number;
}

/** The grams a search asks for: each pair of neighbouring characters of each word (single characters alone). */
export function queryGrams(q: string): string[] {
  const grams = new Set<string>();
  for (const word of q.toLowerCase().split(/\s+/).filter(Boolean)) {
    const chars = [...word];
    if (chars.length === 1) grams.add(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  }
  return [...grams];
}

export async function listPublished(db: Queryable, filter: ListFilter): Promise<{ items: Omit<PublishedArticle, 'bodyHtml'>[]; total: number }> {
  const where = [`a.status = 'published'`];
  const params: unknown[] = [];
  if (filter.orgId !== undefined) { params.push(filter.orgId); where.push(`a.org_id = $${params.length}`); }
  if (filter.channel !== undefined) { params.push(filter.channel); where.push(`a.channel = $${params.length}`); }
  if (filter.q !== undefined) { params.push(queryGrams(filter.q)); where.push(`a.search_grams @> $${params.length}::text[]`); }
  const size = filter.pageSize ?? PAGE_SIZE;
  params.push(size, (filter.page - 1) * size);
  const result = await db.query<Omit<PublishedArticle, 'bodyHtml'> & { total: string }>(
    `SELECT ${COLUMNS}, count(*) OVER () AS total FROM ${FROM} WHERE ${where.join(' AND ')}
      ORDER BY a.published_at DESC, a.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  return { items: result.rows.map(({ total: _total, ...row }) => row), total: Number(result.rows[0]?.total ?? 0) };
}

export async function publishedArticle(db: Queryable, slug: string, id: number): Promise<PublishedArticle | undefined> {
  const result = await db.query<PublishedArticle>(`SELECT ${COLUMNS}, a.body_html AS "bodyHtml" FROM ${FROM} WHERE a.id = $1 AND n.slug = $2 AND a.status = 'published'`, [id, slug]);
  return result.rows[0];
}

export interface Neighbour { id: number; title: string; slug: string }

/** The newsroom's articles published just before and after this one, and a few more of its channel. */
export async function neighbours(db: Queryable, article: PublishedArticle): Promise<{ previous?: Neighbour; next?: Neighbour; related: Neighbour[] }> {
  const base = `SELECT a.id::int, a.title, n.slug FROM ${FROM} WHERE a.status = 'published' AND a.org_id = $1 AND a.id <> $3`;
  const [previous, next, related] = await Promise.all([
    db.query<Neighbour>(`${base} AND (a.published_at, a.id) < ($2, $3) ORDER BY a.published_at DESC, a.id DESC LIMIT 1`, [article.orgId, article.publishedAt, article.id]),
    db.query<Neighbour>(`${base} AND (a.published_at, a.id) > ($2, $3) ORDER BY a.published_at, a.id LIMIT 1`, [article.orgId, article.publishedAt, article.id]),
    db.query<Neighbour>(`${base} AND a.channel = $4 AND $2::timestamptz IS NOT NULL ORDER BY a.published_at DESC, a.id DESC LIMIT 4`, [article.orgId, article.publishedAt, article.id, article.channel]),
  ]);
  return { previous: previous.rows[0], next: next.rows[0], related: related.rows };
}

/** Every published article's address and last change, for sitemap.xml. */
export async function sitemapEntries(db: Queryable): Promise<Array<{ slug: string; id: number; updatedAt: Date }>> {
  const result = await db.query<{ slug: string; id: number; updatedAt: Date }>(
    `SELECT n.slug, a.id::int, a.updated_at AS "updatedAt" FROM ${FROM} WHERE a.status = 'published' ORDER BY a.published_at DESC LIMIT 50000`);
  return result.rows;
}

/** Whether a stored file is one of the news photos (the portal serves nothing else). */
export async function isNewsMedia(db: Queryable, key: string): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM news_images WHERE variants @> $1::jsonb LIMIT 1', [JSON.stringify([{ key }])]);
  return (result.rowCount ?? 0) > 0;
}
