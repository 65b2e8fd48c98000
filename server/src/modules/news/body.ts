import { NEWS_IMAGE_WIDTHS } from '@workers-home/contract';
import type { Queryable } from '../../db/pool.ts';
import { plainText, sanitizeRichText } from '../../rich-text/sanitize.ts';

/** A stored size of a news photo, as the portal serves it. */
export const mediaUrl = (key: string) => `/news/media/${key}.jpg`;
const MEDIA = /^\/news\/media\/([0-9a-f]{32})\.jpg$/;
const MEDIA_IN_TEXT = /\/news\/media\/([0-9a-f]{32})\.jpg/g;

export interface Variant { width: number; height: number; key: string; bytes?: number }

/** The <img> attributes of a photo: the middle size as src, every size in srcset. */
export function imageAttributes(variants: Variant[]): Record<string, string> {
  const middle = variants.find((v) => v.width >= NEWS_IMAGE_WIDTHS[1]) ?? variants[variants.length - 1]!;
  return {
    src: mediaUrl(middle.key),
    srcset: variants.map((v) => `${mediaUrl(v.key)} ${v.width}w`).join(', '),
    sizes: '(max-width: 720px) 100vw, 720px',
    width: String(middle.width),
    height: String(middle.height),
  };
}

/**
 * A body as stored: sanitized (allow-list), its photos only the organization's own, each
 * given every size it was resized to; and its text, for search.
 */
export async function cleanBody(db: Queryable, orgId: number, html: string): Promise<{ html: string; text: string; firstImageId: number | null }> {
  const keys = [...new Set([...html.matchAll(MEDIA_IN_TEXT)].map((m) => m[1]!))];
  const byKey = new Map<string, Variant[]>();
  const idOf = new Map<string, number>();
  if (keys.length) {
    const images = await db.query<{ id: number; variants: Variant[] }>(
      `SELECT id::int, variants FROM news_images WHERE org_id = $1 AND EXISTS (SELECT 1 FROM jsonb_array_elements(variants) v WHERE v->>'key' = ANY($2::text[]))`, [orgId, keys]);
    for (const { id, variants } of images.rows) for (const v of variants) { byKey.set(v.key, variants); idOf.set(v.key, id); }
  }
  const clean = sanitizeRichText(html, {
    imageSource: MEDIA,
    image: (src) => {
      const variants = byKey.get(MEDIA.exec(src)?.[1] ?? '');
      return variants ? imageAttributes(variants) : {};
    },
  });
  // An image of another organization (or none) is left out: its source did not match one of ours.
  const kept = clean.replace(/<img [^>]*src="\/news\/media\/([0-9a-f]{32})\.jpg"[^>]*>/g, (tag, key: string) => (byKey.has(key) ? tag : ''));
  const first = /<img [^>]*src="\/news\/media\/([0-9a-f]{32})\.jpg"/.exec(kept)?.[1];
  return { html: kept, text: plainText(kept), firstImageId: first ? idOf.get(first) ?? null : null };
}
