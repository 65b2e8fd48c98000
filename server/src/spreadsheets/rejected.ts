import { errorText, PROBLEM_TYPES, type ErrorCode, type ErrorParamsArgs } from '@workers-home/contract';
import { AppError } from '../errors.ts';

/** A rejected row of an imported spreadsheet: its column, the error code and the code's English text. */
export interface RowProblem { row: number; field: string; code: ErrorCode; params?: Record<string, string | number>; reason: string }

export function rowProblem<C extends ErrorCode>(row: number, field: string, code: C, ...params: ErrorParamsArgs<C>): RowProblem {
  const values = params[0] as Record<string, string | number> | undefined;
  return { row, field, code, ...(values ? { params: values } : {}), reason: errorText(code, values) };
}

/**
 * A spreadsheet refused whole: 422 with every rejected row (the problem's `rows`); nothing was
 * written. Its code is the one bad thing (header, unreadable file), else the module's own
 * "this many rows cannot be …" code.
 */
export class SpreadsheetRejected extends AppError {
  constructor(readonly rows: RowProblem[], detail: string, rowsCode: ErrorCode, title: string) {
    const only = rows.length === 1 && (rows[0]!.field === 'header' || rows[0]!.field === 'file') ? rows[0]! : undefined;
    const code: ErrorCode = only ? only.code : rowsCode;
    const params = only ? only.params : { count: rows.length };
    const error = { field: 'body.file', code, ...(params ? { params } : {}), message: detail.replace(/^body\.file: /, '') };
    super(422, PROBLEM_TYPES.validation, title, code, detail, [error], params, { rows });
  }
}
