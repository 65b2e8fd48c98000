import type { FormInstance } from 'antd';
import type { FieldError } from '@workers-home/contract';
import { errorText, isErrorCode } from '@workers-home/contract/messages';
import { ApiError } from '../api/client.ts';
import type { Translate } from './locale.tsx';

/** Something the API said, by its stable code (contract/src/messages), in the reader's language. */
export interface CodedText {
  code?: unknown;
  params?: Record<string, string | number> | undefined;
  message?: string;
}

/**
 * The text of an error code in the reader's language. A code this build does not know
 * (a newer server) falls back to the server's English message.
 */
export function codeText(said: CodedText, t: Translate): string {
  return isErrorCode(said.code) ? errorText(said.code, said.params, t.locale) : (said.message ?? t('error.generic'));
}

/** A field error of the API in the reader's language. */
export const fieldErrorText = (error: FieldError, t: Translate) => codeText(error, t);

/** A whole problem in a sentence, for a toast or an error block. */
export function problemText(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('error.generic');
  if (error.status === 0) return t('error.network');
  if (error.status === 401) return t('error.signedOut');
  if (error.status >= 500) return t('error.server', { id: error.problem?.requestId ?? '' });
  const fields = error.fieldErrors;
  if (fields.length) return fields.map((f) => fieldErrorText(f, t)).join('; ');
  const code = error.problem?.code;
  if (error.status === 403 && (!isErrorCode(code) || code === 'request.forbidden')) return t('error.forbidden');
  if (error.status === 429 && (!isErrorCode(code) || code === 'request.rate_limited')) return t('error.rateLimited');
  if (isErrorCode(code) && code !== 'request.not_found') return codeText({ code, params: error.problem?.params }, t);
  if (error.status === 404) return t('error.notFound');
  return error.problem?.detail ?? t('error.generic');
}

/**
 * Puts the server's field errors on the form's fields ('body.membership.orgId' ->
 * ['membership', 'orgId']). Returns the errors that match no field on this form, so the
 * caller can show them elsewhere.
 */
export function showServerErrors(form: FormInstance, error: unknown, t: Translate, knownFields: ReadonlyArray<string>): string[] {
  if (!(error instanceof ApiError)) return [t('error.generic')];
  const rest: string[] = [];
  const byField = new Map<string, string[]>();
  for (const fieldError of error.fieldErrors) {
    const name = fieldError.field.replace(/^body\./, '');
    const message = fieldErrorText(fieldError, t);
    if (knownFields.includes(name)) byField.set(name, [...(byField.get(name) ?? []), message]);
    else rest.push(message);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name: name.split('.'), errors })));
  if (!error.fieldErrors.length) rest.push(problemText(error, t));
  return rest;
}

/** Renames the server's field names to the form's (e.g. 'body.grant.role' -> 'body.role'). */
export function renameErrorFields(error: unknown, renames: Record<string, string>): unknown {
  if (error instanceof ApiError) {
    for (const fieldError of error.fieldErrors) fieldError.field = renames[fieldError.field] ?? fieldError.field;
  }
  return error;
}
