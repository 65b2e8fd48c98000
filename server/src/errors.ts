import { errorText, PROBLEM_TYPES, type CodedError, type ErrorCode, type ErrorParamsArgs, type FieldError, type ProblemType } from '@workers-home/contract';

type Params = Record<string, string | number>;

/** A field error of the catalogue: its code, parameters and English message. */
export function fieldError<C extends ErrorCode>(field: string, code: C, ...params: ErrorParamsArgs<C>): FieldError {
  const values = params[0] as Params | undefined;
  return { field, code, ...(values ? { params: values } : {}), message: errorText(code, values) };
}

/** An error the client caused or may act on; answered as problem+json with its status and code. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly type: ProblemType,
    readonly title: string,
    readonly code: ErrorCode,
    detail: string,
    readonly errors?: FieldError[],
    readonly params?: Params,
    /** Extension members of the problem (RFC 9457), e.g. an import's rejected rows. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
  }
}

const onField = (status: number, type: ProblemType, title: string, error: FieldError) =>
  new AppError(status, type, title, error.code, `${error.field}: ${error.message}`, [error], error.params);

export const badRequest = <C extends ErrorCode>(field: string, code: C, ...params: ErrorParamsArgs<C>) =>
  onField(400, PROBLEM_TYPES.validation, 'Invalid input', fieldError(field, code, ...params));
export const conflict = <C extends ErrorCode>(field: string, code: C, ...params: ErrorParamsArgs<C>) =>
  onField(409, PROBLEM_TYPES.conflict, 'Conflict', fieldError(field, code, ...params));
/** 429 on a field, e.g. the daily allowance of ID numbers held elsewhere; `detail` says more than the code's text. */
export const tooManyOnField = (error: FieldError, detail: string) =>
  new AppError(429, PROBLEM_TYPES.rateLimited, 'Too many requests', error.code, detail, [error], error.params);
export const tooMany = <C extends ErrorCode>(code: C, ...params: ErrorParamsArgs<C>) =>
  new AppError(429, PROBLEM_TYPES.rateLimited, 'Too many requests', code, errorText(code, params[0]), undefined, params[0]);
/** `what` names the thing in the English detail ("Person 7 was not found"); the code is request.not_found. */
export const notFound = (what: string) => new AppError(404, PROBLEM_TYPES.notFound, 'Not found', 'request.not_found', `${what} was not found`);
/** `detail` explains in English which role is missing; `code` is request.forbidden unless a more telling one is given. */
export const forbidden = (detail: string, code: ErrorCode = 'request.forbidden', params?: Params) =>
  new AppError(403, PROBLEM_TYPES.forbidden, 'Forbidden', code, detail, undefined, params);
export const unauthenticated = () =>
  new AppError(401, PROBLEM_TYPES.unauthenticated, 'Not signed in', 'auth.unauthenticated', errorText('auth.unauthenticated'));
/** 403 on a field whose value the caller may not use (e.g. a check-in code of a class they are not enrolled in). */
export const forbiddenOnField = (error: FieldError) =>
  new AppError(403, PROBLEM_TYPES.forbidden, 'Forbidden', error.code, `${error.field}: ${error.message}`, [error], error.params);
/** A 400 from a code chosen at run time (e.g. returned by a check). */
export const badRequestFrom = (field: string, error: CodedError) =>
  onField(400, PROBLEM_TYPES.validation, 'Invalid input', { field, code: error.code, ...(error.params ? { params: error.params } : {}), message: errorText(error.code, error.params) });
