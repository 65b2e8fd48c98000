import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES, ERROR_TEXTS, errorText, issueError, MESSAGE_LOCALES, type ErrorCode } from './errors.ts';
import { MobilePhone, NationalIdNumber, PersonFields } from '../people.ts';
import { Username } from '../auth.ts';
import { RegionCode } from '../orgs.ts';

type Element = { type: number; value?: string; options?: Record<string, { value: Element[] }> };

/** The argument names an ICU message uses, nested ones (in plural and select branches) included. */
function argumentsOf(elements: Element[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type !== 0 && element.type !== 7 && element.value) into.add(element.value);
    for (const option of Object.values(element.options ?? {})) argumentsOf(option.value, into);
  }
  return into;
}

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('the error catalogue', () => {
  it.each(MESSAGE_LOCALES)('has a text in %s for every code, using exactly the code\'s parameters', (locale) => {
    const problems: string[] = [];
    for (const code of codes) {
      const text = (ERROR_TEXTS[locale] as Partial<Record<ErrorCode, string>>)[code];
      if (!text) { problems.push(`${code}: no text`); continue; }
      const used = [...argumentsOf(new IntlMessageFormat(text, locale, undefined, { ignoreTag: true }).getAst())].sort();
      const declared = [...ERROR_CODES[code]].sort();
      if (used.join() !== declared.join()) problems.push(`${code}: uses {${used.join(', ')}}, declares {${declared.join(', ')}}`);
    }
    expect(problems).toEqual([]);
  });

  it('has no text for a code it does not declare', () => {
    for (const locale of MESSAGE_LOCALES) expect(Object.keys(ERROR_TEXTS[locale]).filter((c) => !(c in ERROR_CODES))).toEqual([]);
  });

  it('renders plurals and parameters', () => {
    expect(errorText('training.session.attended', { count: 1 })).toBe('1 trainee already attended this session; undo their check-ins first');
    expect(errorText('training.session.attended', { count: 3 })).toBe('3 trainees already attended this session; undo their check-ins first');
    expect(errorText('validation.max_length', { max: 50 }, 'zh-CN')).toBe('最多 50 个字符');
    expect(errorText('people.id_number.length_actual', { length: 17 }, 'zh-CN')).toBe('应为 18 位（现为 17 位）');
    expect(errorText('training.capacity.full', { mode: 'onsite', taken: 3, capacity: 3, adding: 1 })).toBe('the on site places are full (3 of 3 taken)');
    // Years and ids are shown as given, not as grouped numbers.
    expect(errorText('training.plan.title_taken', { year: 2024 })).toBe('this organization already has a 2024 plan with this title');
    expect(errorText('orgs.org.not_found', { id: 123456 }, 'zh-CN')).toBe('组织 123456 不存在');
    expect(errorText('orgs.org.has_members', { count: 1234 })).toBe('it still has 1,234 active members; transfer them first');
  });
});

/** The code zod's first issue maps to, as the server and the web's form rules map it. */
function codeOf(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  return issueError({ code: issue.code, message: issue.message, details: issue as unknown as Record<string, unknown>, absent: value === undefined });
}

describe('zod issues as error codes', () => {
  it('maps the kinds of issue', () => {
    expect(codeOf(z.string(), undefined)).toEqual({ code: 'validation.required' });
    expect(codeOf(z.string(), 5)).toEqual({ code: 'validation.type', params: { expected: 'string' } });
    expect(codeOf(z.string().min(1), '')).toEqual({ code: 'validation.required' });
    expect(codeOf(z.string().min(10), 'short')).toEqual({ code: 'validation.min_length', params: { min: 10 } });
    expect(codeOf(z.string().max(5), 'too long')).toEqual({ code: 'validation.max_length', params: { max: 5 } });
    expect(codeOf(z.number().max(5), 6)).toEqual({ code: 'validation.too_big', params: { max: 5 } });
    expect(codeOf(z.number().int(), 1.5)).toEqual({ code: 'validation.integer' });
    expect(codeOf(z.iso.date(), '2024-02-30')).toEqual({ code: 'validation.date' });
    expect(codeOf(z.enum(['male', 'female']), 'x')).toEqual({ code: 'validation.one_of', params: { options: 'male, female' } });
    expect(codeOf(z.object({}).strict(), { x: 1 })).toEqual({ code: 'validation.unknown_field' });
  });

  it('keeps the contract\'s own codes for its refinements', () => {
    expect(codeOf(NationalIdNumber, '11010519491231002')).toEqual({ code: 'people.id_number.length' });
    expect(codeOf(NationalIdNumber, '110105194912310020')).toEqual({ code: 'people.id_number.check_digit' });
    expect(codeOf(MobilePhone, '1234')).toEqual({ code: 'people.mobile.format' });
    expect(codeOf(Username, 'a!')).toEqual({ code: 'auth.username.format' });
    expect(codeOf(RegionCode, '12')).toEqual({ code: 'orgs.region_code.format' });
    expect(codeOf(PersonFields.shape.name, '')).toEqual({ code: 'validation.required' });
  });
});
