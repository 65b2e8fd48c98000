import { ERROR_CODES, isErrorCode, type ErrorCode, type ErrorParams } from './error-codes.ts';
import { errorsEn } from './errors-en.ts';
import { errorsZhCN } from './errors-zh-cn.ts';
import { Message } from './format.ts';

export * from './error-codes.ts';
export { errorsEn, errorsZhCN };
export * from './format.ts';

export const MESSAGE_LOCALES = ['zh-CN', 'en'] as const;
export type MessageLocale = (typeof MESSAGE_LOCALES)[number];

export const ERROR_TEXTS: Record<MessageLocale, Record<ErrorCode, string>> = { 'zh-CN': errorsZhCN, en: errorsEn };

const formats = new Map<string, Message>();

/** The text of an error code in a language: `errorText('validation.max_length', { max: 50 }, 'zh-CN')` → '最多 50 个字符'. */
export function errorText(code: ErrorCode, params?: Record<string, string | number>, locale: MessageLocale = 'en'): string {
  const key = `${locale}\u0000${code}`;
  let message = formats.get(key);
  if (!message) {
    message = new Message(ERROR_TEXTS[locale][code], locale);
    formats.set(key, message);
  }
  return message.render(params);
}

/** An error code with its parameters, as the API answers it. */
export interface CodedError {
  code: ErrorCode;
  params?: Record<string, string | number>;
}

/**
 * For a zod refinement that carries its own code: `.refine(isMobilePhone, coded('people.mobile.format'))`.
 * The English message is the catalogue's; `params.code` is what the API and the web read.
 */
export function coded<C extends ErrorCode>(code: C, ...args: keyof ErrorParams<C> extends never ? [] : [ErrorParams<C>]) {
  const params = (args[0] ?? {}) as Record<string, string | number>;
  return { message: errorText(code, params), params: { code, ...params } };
}

// English texts of parameterless codes, for a schema check that can only carry a message (`.max(40, text)`).
const CODE_OF_TEXT = new Map<string, ErrorCode>(
  (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => ERROR_CODES[c].length === 0).map((c) => [errorsEn[c], c]),
);

/** What a zod issue carries, seen through fastify-type-provider-zod or zod itself. */
export interface IssueLike {
  code: string;
  message?: string;
  /** The issue's own fields (expected, origin, minimum, maximum, format, keys, values, params…). */
  details: Record<string, unknown>;
  /** True when the checked value was absent (undefined). */
  absent?: boolean;
}

const num = (value: unknown) => (typeof value === 'number' || typeof value === 'bigint' ? Number(value) : Number(value ?? 0));

/**
 * Maps a zod issue to an error code. Order: a refinement's own code (`params.code`), a
 * message that is a parameterless code's English text, then the issue's kind.
 */
export function issueError(issue: IssueLike): CodedError {
  const own = (issue.details.params as Record<string, unknown> | undefined) ?? undefined;
  if (own && isErrorCode(own.code)) {
    const { code, ...params } = own as { code: ErrorCode } & Record<string, string | number>;
    return Object.keys(params).length ? { code, params } : { code };
  }
  if (issue.absent && issue.code === 'invalid_type') return { code: 'validation.required' };
  const byText = issue.message ? CODE_OF_TEXT.get(issue.message) : undefined;
  if (byText) return { code: byText };
  const d = issue.details;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = typeof d.expected === 'string' ? d.expected : 'value';
      if (expected === 'int') return { code: 'validation.integer' };
      return { code: 'validation.type', params: { expected } };
    }
    case 'too_small': {
      const min = num(d.minimum);
      if (d.origin === 'string') return min <= 1 ? { code: 'validation.required' } : { code: 'validation.min_length', params: { min } };
      if (d.origin === 'array' || d.origin === 'set') return { code: 'validation.min_items', params: { min } };
      return { code: 'validation.too_small', params: { min } };
    }
    case 'too_big': {
      const max = num(d.maximum);
      if (d.origin === 'string') return { code: 'validation.max_length', params: { max } };
      if (d.origin === 'array' || d.origin === 'set') return { code: 'validation.max_items', params: { max } };
      return { code: 'validation.too_big', params: { max } };
    }
    case 'invalid_format': {
      const format = typeof d.format === 'string' ? d.format : '';
      if (format === 'date') return { code: 'validation.date' };
      if (format === 'datetime') return { code: 'validation.datetime' };
      if (format === 'url') return { code: 'validation.url' };
      if (format === 'email') return { code: 'validation.email' };
      return { code: 'validation.format' };
    }
    case 'unrecognized_keys':
      return { code: 'validation.unknown_field' };
    case 'invalid_value': {
      const values = Array.isArray(d.values) ? d.values : [];
      return { code: 'validation.one_of', params: { options: values.map(String).join(', ') } };
    }
    default:
      return { code: 'validation.invalid' };
  }
}
