import { z } from 'zod';

/** Database ids travel as positive integers. */
export const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const IdParams = z.object({ id: Id }).strict();
export const IsoDate = z.iso.date();
export const Pagination = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

/**
 * A list read by keyset (a queue that grows while it is read): each answer's `next` is the
 * `after` of the page that follows it, so every page costs what the first does.
 */
export const CursorPagination = z.object({
  after: z.string().max(64).regex(/^[0-9A-Za-z._-]+$/).optional().meta({ description: 'The `next` of the page before; absent for the first page' }),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export function cursorPageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    totalAtLeast: z.boolean().optional().meta({ description: 'Present and true when more items match than were counted: `total` is then a lower bound' }),
    pageSize: z.number().int(),
    next: z.string().nullable().meta({ description: 'The `after` of the next page; null on the last page' }),
  });
}

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    totalAtLeast: z.boolean().optional().meta({ description: 'Present and true when more items match than were counted: `total` is then a lower bound (a broad search: narrow it to count every match)' }),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

const ErrorParams = z.record(z.string(), z.union([z.string(), z.number()]));

export const ProblemSchema = z.object({
  type: z.string(),
  code: z.string().meta({ description: 'Stable error code (e.g. validation.max_length, people.id_number.check_digit); translate and branch on it', examples: ['people.id_number.check_digit'] }),
  params: ErrorParams.optional().meta({ description: 'The parameters of `code`, e.g. { "max": 50 }' }),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().meta({ description: 'English prose for API users; do not parse it' }),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(z.object({
    field: z.string(),
    code: z.string().meta({ description: 'Stable error code of this field' }),
    params: ErrorParams.optional(),
    message: z.string().meta({ description: 'English text of `code`' }),
  })).optional(),
});

/** The problem responses every authenticated route can answer. */
export const standardProblems = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
} as const;
