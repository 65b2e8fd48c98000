import type { Readable } from 'node:stream';
import { CLAIM_DOCUMENT_MAX_BYTES, type ClaimDocument, type ClaimDocumentKind } from '@workers-home/contract';
import type { Pool, Queryable } from '../../db/pool.ts';
import type { WriteContext } from '../../context.ts';
import { MEDIA_TYPES, type FileStore } from '../../files/file-store.ts';
import { notFound } from '../../errors.ts';
import { canReach, type Caller } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { servicesPolicy } from './policy.ts';

/** What a claim document may be, by its content: a photo or a PDF. */
export const DOCUMENT_RULES = { field: 'body.file', accept: [...MEDIA_TYPES.image, ...MEDIA_TYPES.pdf], maxBytes: CLAIM_DOCUMENT_MAX_BYTES };

/**
 * Stores a document a member (or staff filing for one) will attach to a claim: its type read
 * from the content, at most CLAIM_DOCUMENT_MAX_BYTES. It belongs to the uploader until a
 * claim takes it; nothing is recorded when the file is refused.
 */
export async function uploadDocument(pool: Pool, files: FileStore, ctx: WriteContext, kind: ClaimDocumentKind, content: Readable): Promise<ClaimDocument> {
  const stored = await files.save(content, DOCUMENT_RULES);
  try {
    const inserted = await pool.query<{ id: number }>(
      'INSERT INTO services_documents (uploaded_by, kind, media_type, bytes, file_key) VALUES ($1, $2, $3, $4, $5) RETURNING id::int',
      [ctx.caller.accountId, kind, stored.mediaType, stored.bytes, stored.key]);
    const id = inserted.rows[0]!.id;
    await recordAudit(pool, ctx, { action: 'upload', entity: 'services_document', entityId: id, orgPath: null, after: { kind, mediaType: stored.mediaType, bytes: stored.bytes, sha256: stored.sha256 } });
    return { id, kind, mediaType: stored.mediaType, bytes: stored.bytes, url: `/api/services/documents/${id}` };
  } catch (error) {
    await files.remove(stored.key);
    throw error;
  }
}

/**
 * A document for whoever may see it: its uploader, the member whose claim holds it, and staff
 * who may read that claim (its member's union within their subtrees); anyone else: "not found".
 */
export async function openDocument(db: Queryable, files: FileStore, caller: Caller, id: number): Promise<{ mediaType: string; bytes: number; stream: Readable }> {
  const result = await db.query<{ uploadedBy: number; mediaType: string; bytes: number; fileKey: string; personId: number | null; orgPath: string | null }>(
    `SELECT d.uploaded_by::int AS "uploadedBy", d.media_type AS "mediaType", d.bytes, d.file_key AS "fileKey", c.person_id::int AS "personId", o.path::text AS "orgPath"
       FROM services_documents d LEFT JOIN services_claims c ON c.id = d.claim_id LEFT JOIN orgs o ON o.id = c.org_id WHERE d.id = $1`, [id]);
  const doc = result.rows[0];
  const allowed = doc && (doc.uploadedBy === caller.accountId || (doc.personId !== null && doc.personId === caller.personId)
    || (doc.orgPath !== null && canReach(caller, servicesPolicy.read, doc.orgPath)));
  if (!allowed) throw notFound(`Document ${id}`);
  return { mediaType: doc.mediaType, bytes: doc.bytes, stream: await files.open(doc.fileKey) };
}
