import { useMemo } from 'react';
import { useLocale, type Params } from '../../../shared/i18n/locale.tsx';
import { createTranslator } from '../../../shared/i18n/translator.ts';
import { trainingEn } from './en.ts';
import { trainingZhCN, type TrainingMessageKey } from './zh-CN.ts';

const DICTIONARIES = { 'zh-CN': trainingZhCN, en: trainingEn } as const;

export type TrainingTranslate = (key: TrainingMessageKey, params?: Params) => string;

/** The training module's translations, in the reader's language. */
export function useTrainingT(): TrainingTranslate {
  const { locale } = useLocale();
  return useMemo(() => createTranslator<TrainingMessageKey>(DICTIONARIES[locale], locale), [locale]);
}
