import { z } from 'zod';
import { Id, IsoDate, Pagination } from './common.ts';

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  orgId: z.number().int().nullable(),
  /** The organization the entry belongs to (its subtree decides who reads it). */
  orgName: z.string().nullable(),
  personId: z.number().int().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  /** The record's name as people know it (a person's name, a class's title), while it exists. */
  subject: z.string().nullable(),
  /** The console path that opens the record. */
  link: z.string().nullable(),
});
export const AuditQuery = Pagination.extend({
  entity: z.string().trim().max(40).optional(),
  entityId: z.string().trim().max(40).optional(),
  actorId: Id.optional(),
  personId: Id.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
}).strict();

export type AuditEntry = z.infer<typeof AuditEntry>;
