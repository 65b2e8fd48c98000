import type { FormRule } from 'antd';
import type { z } from 'zod';
import { issueError } from '@workers-home/contract/messages';
import type { Translate } from '../i18n/locale.tsx';
import { codeText } from '../i18n/server-messages.ts';

/**
 * An antd form rule that checks a value with the contract's own zod schema: the form
 * refuses what the server would refuse, with the same code, so the same (translated) text.
 */
export function schemaRule(schema: z.ZodType, t: Translate, { optional = false } = {}): FormRule {
  return {
    validator: (_rule, value: unknown) => {
      if (optional && (value === undefined || value === null || value === '')) return Promise.resolve();
      const result = schema.safeParse(value);
      if (result.success) return Promise.resolve();
      const issue = result.error.issues[0]!;
      const coded = issueError({ code: issue.code, message: issue.message, details: issue as unknown as Record<string, unknown>, absent: value === undefined });
      return Promise.reject(new Error(codeText(coded, t)));
    },
  };
}
