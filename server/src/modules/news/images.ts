import type { Readable } from 'node:stream';
import { MEDIA_TYPES, type FileStore } from '../../files/file-store.ts';
import { resizeImage } from '../../files/image-sizes.ts';
import { NEWS_IMAGE_MAX_BYTES, NEWS_IMAGE_WIDTHS, type NewsImage } from '@workers-home/contract';
import { inTransaction, type Pool, type Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { badRequest } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';
import { findOrg } from '../orgs/service.ts';
import { imageAttributes, mediaUrl, type Variant } from './body.ts';
import { mayWrite } from './policy.ts';

const FIELD = 'body.file';

export function toImage(row: { id: number; orgId: number; width: number; height: number; variants: Variant[] }): NewsImage {
  const attributes = imageAttributes(row.variants);
  return {
    id: row.id, orgId: row.orgId, width: row.width, height: row.height,
    sizes: row.variants.map((v) => ({ width: v.width, url: mediaUrl(v.key) })), src: attributes.src!, srcset: attributes.srcset!,
  };
}

/**
 * A photo for an organization's articles: its type read from the content (JPEG, PNG or WebP),
 * at most NEWS_IMAGE_MAX_BYTES, resized once into the portal's widths without its metadata;
 * the original (with its EXIF) is not kept. Nothing is written when any step fails.
 */
export async function uploadImage(pool: Pool, files: FileStore, ctx: WriteContext, orgId: number, content: Readable): Promise<NewsImage> {
  const org = await findOrg(pool, orgId);
  if (!org || !mayWrite(ctx.caller, org.path)) throw badRequest('querystring.orgId', 'orgs.org.not_found', { id: orgId });
  return inTransaction(pool, (db) => storePhoto(db, files, ctx, { id: org.id, path: org.path }, content));
}

/** Stores, resizes and records one photo of an organization (the upload's and the demo's way), in the caller's transaction. */
export async function storePhoto(db: Queryable, files: FileStore, ctx: WriteContext | null, org: { id: number; path: string }, content: Readable | Buffer): Promise<NewsImage> {
  const original = await files.save(content, { field: FIELD, accept: MEDIA_TYPES.image, maxBytes: NEWS_IMAGE_MAX_BYTES });
  let variants: Variant[] = [];
  try {
    const resized = await resizeImage(files, original, NEWS_IMAGE_WIDTHS, FIELD, NEWS_IMAGE_MAX_BYTES);
    variants = resized.variants.map(({ width, height, key, bytes }) => ({ width, height, key, bytes }));
    const inserted = await db.query<{ id: number }>(
      'INSERT INTO news_images (org_id, width, height, variants, sha256, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::int',
      [org.id, resized.width, resized.height, JSON.stringify(variants), original.sha256, ctx?.caller.accountId ?? null]);
    const image = toImage({ id: inserted.rows[0]!.id, orgId: org.id, width: resized.width, height: resized.height, variants });
    await recordAudit(db, ctx, { action: 'upload', entity: 'news_image', entityId: image.id, orgPath: org.path, after: { width: image.width, height: image.height, sha256: original.sha256 } });
    return image;
  } catch (error) {
    await Promise.all(variants.map((v) => files.remove(v.key)));
    throw error;
  } finally {
    await files.remove(original.key);
  }
}
