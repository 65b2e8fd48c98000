import { PROBLEM_TYPES, type FieldError, type ProblemType } from '@workers-home/contract';

/** An error the client caused or may act on; answered as problem+json with its status. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly type: ProblemType,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
  }
}

export const badRequest = (field: string, message: string) =>
  new AppError(400, PROBLEM_TYPES.validation, 'Invalid input', `${field}: ${message}`, [{ field, message }]);
export const notFound = (what: string) => new AppError(404, PROBLEM_TYPES.notFound, 'Not found', `${what} was not found`);
export const forbidden = (detail: string) => new AppError(403, PROBLEM_TYPES.forbidden, 'Forbidden', detail);
export const conflict = (field: string, message: string) =>
  new AppError(409, PROBLEM_TYPES.conflict, 'Conflict', `${field}: ${message}`, [{ field, message }]);
export const unauthenticated = () =>
  new AppError(401, PROBLEM_TYPES.unauthenticated, 'Not signed in', 'Sign in to use this endpoint');
