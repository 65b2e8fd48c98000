import { useCallback } from 'react';
import { useLocale, type Params } from '../../../shared/i18n/locale.tsx';
import { trainingEn } from './messages-en.ts';
import { trainingZhCN, type TrainingMessageKey } from './messages-zh-cn.ts';

const DICTIONARIES = { 'zh-CN': trainingZhCN, en: trainingEn } as const;

export type TrainingTranslate = (key: TrainingMessageKey, params?: Params) => string;

/** The training module's translations, in the reader's language. */
export function useTrainingT(): TrainingTranslate {
  const { locale } = useLocale();
  return useCallback((key, params) => {
    const text: string = DICTIONARIES[locale][key];
    return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`)) : text;
  }, [locale]);
}
