import type { ErrorCode } from './messages/error-codes.ts';

/**
 * Errors are answered as RFC 9457 problem details (`application/problem+json`).
 * `type` and `code` are stable: clients branch on them, never on `title` or `detail`.
 */
export const PROBLEM_TYPES = {
  validation: 'urn:workers-home:problem:validation',
  unauthenticated: 'urn:workers-home:problem:unauthenticated',
  forbidden: 'urn:workers-home:problem:forbidden',
  notFound: 'urn:workers-home:problem:not-found',
  conflict: 'urn:workers-home:problem:conflict',
  invalidCredentials: 'urn:workers-home:problem:invalid-credentials',
  payloadTooLarge: 'urn:workers-home:problem:payload-too-large',
  unsupportedMediaType: 'urn:workers-home:problem:unsupported-media-type',
  rateLimited: 'urn:workers-home:problem:rate-limited',
  internal: 'urn:workers-home:problem:internal',
} as const;

export type ProblemType = (typeof PROBLEM_TYPES)[keyof typeof PROBLEM_TYPES];

export interface FieldError {
  /** Where the bad value is: `body.idNumber`, `query.page`, `params.id`. */
  field: string;
  /** What is wrong, stable: `validation.max_length` (see messages/error-codes.ts). */
  code: ErrorCode;
  /** The code's parameters: `{ max: 50 }`. */
  params?: Record<string, string | number>;
  /** The code's English text, for API users; clients translate by `code`. */
  message: string;
}

export interface Problem {
  type: ProblemType;
  /** What went wrong, stable (see messages/error-codes.ts); with field errors, the first one's code. */
  code: ErrorCode;
  params?: Record<string, string | number>;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  requestId?: string;
}
