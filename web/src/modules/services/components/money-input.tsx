import { Input } from 'antd';
import type { Rule } from 'antd/es/form/index.js';
import { parseYuan } from '../../../shared/money.ts';
import type { ServicesTranslate } from '../i18n/use-services-t.ts';

/** Yuan typed as text ("50", "1200.50"); the form keeps the text and the page converts it to fen with parseYuan. */
export function YuanInput(props: { value?: string; onChange?: (value: string) => void; id?: string; 'aria-label'?: string; disabled?: boolean }) {
  return <Input {...props} prefix="¥" inputMode="decimal" autoComplete="off" onChange={(e) => props.onChange?.(e.target.value)} style={{ width: '100%' }} />;
}

/** A rule that the text is an amount of yuan with at most two decimals. */
export const yuanRule = (t: ServicesTranslate, required = true): Rule => ({
  validator: (_, value: string | undefined) => {
    if (!value?.trim()) return required ? Promise.reject(new Error(t('plan.invalidAmount'))) : Promise.resolve();
    return parseYuan(value) === null ? Promise.reject(new Error(t('plan.invalidAmount'))) : Promise.resolve();
  },
});
