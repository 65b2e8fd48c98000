import { z } from 'zod';
import { Id, Pagination } from './common.ts';
import { MESSAGE_LOCALES } from './messages/errors.ts';

export const ImportJobStatus = z.enum(['queued', 'running', 'succeeded', 'rejected', 'failed']);
export const ImportJobPhase = z.enum(['queued', 'reading', 'checking', 'writing', 'done']);

/**
 * A member import: poll it for progress. `succeeded` means the valid rows were written
 * (all of them, or with `acceptValid` those that passed); `rejected` means some rows
 * were invalid and nothing was written (see the rejects report); `failed` means the
 * file could not be read (`error` says why) and nothing was written.
 */
export const ImportJob = z.object({
  id: z.number().int(),
  orgId: z.number().int(),
  orgName: z.string(),
  fileName: z.string(),
  fileFormat: z.enum(['csv', 'xlsx']).nullable(),
  acceptValid: z.boolean(),
  status: ImportJobStatus,
  phase: ImportJobPhase,
  /** Share of the file read, 0..1 (reading is most of the work). */
  progress: z.number(),
  bytesTotal: z.number().int(),
  bytesRead: z.number().int(),
  rowsRead: z.number().int(),
  rowsRejected: z.number().int(),
  personsCreated: z.number().int(),
  personsUpdated: z.number().int(),
  membershipsCreated: z.number().int(),
  rowsUnchanged: z.number().int(),
  ignoredColumns: z.array(z.string()),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;

export const ImportStartQuery = z.object({
  /** The organization imported into: rows without a union column go to it (then it must be grassroots); rows naming a union must lie in its subtree. */
  orgId: Id,
  /** Write the valid rows even when some are rejected (default: all or nothing). */
  acceptValid: z.stringbool().default(false),
}).strict();

/** The language of the rejects report's reasons (default: the request's Accept-Language, else English). */
/** The template is made for the organization imported into: a grassroots union's name fills the example's union column. */
export const ImportTemplateQuery = z.object({ orgId: Id }).strict();

export const ImportRejectsQuery = z.object({ lang: z.enum(MESSAGE_LOCALES).optional() }).strict();

/** One reason a row was rejected: its column (the import's English column name, e.g. `id_number`) and an error code. */
export const ImportRejectReason = z.object({
  field: z.string().nullable(),
  code: z.string().nullable(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
  /** The English reason of a row rejected before reasons had codes (code null). */
  text: z.string().nullable(),
});
/** A rejected row of an import, with every reason found (the ID number masked). */
export const ImportReject = z.object({
  rowNumber: z.number().int(),
  name: z.string().nullable(),
  idNumberMasked: z.string().nullable(),
  union: z.string().nullable(),
  reasons: z.array(ImportRejectReason),
});
export type ImportReject = z.infer<typeof ImportReject>;
export const ImportRejectListQuery = Pagination;

export const ImportJobListQuery = Pagination.extend({ orgId: Id.optional() }).strict();

export const MemberRosterExportQuery = z.object({
  orgId: Id,
  format: z.enum(['csv', 'xlsx']).default('csv'),
  status: z.enum(['active', 'transferred_out', 'left', 'all']).default('active'),
}).strict();
