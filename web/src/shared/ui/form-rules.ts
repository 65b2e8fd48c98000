import type { FormRule } from 'antd';
import type { z } from 'zod';
import type { Translate } from '../i18n/locale.tsx';
import { translateServerMessage } from '../i18n/server-messages.ts';

/**
 * An antd form rule that checks a value with the contract's own zod schema: the form
 * refuses what the server would refuse, with the same (translated) message.
 */
export function schemaRule(schema: z.ZodType, t: Translate, { optional = false } = {}): FormRule {
  return {
    validator: (_rule, value: unknown) => {
      if (optional && (value === undefined || value === null || value === '')) return Promise.resolve();
      const result = schema.safeParse(value);
      return result.success ? Promise.resolve() : Promise.reject(new Error(translateServerMessage(result.error.issues[0]?.message ?? '', t)));
    },
  };
}
