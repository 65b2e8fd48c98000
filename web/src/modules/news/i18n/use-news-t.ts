import { useMemo } from 'react';
import { useLocale, type Params } from '../../../shared/i18n/locale.tsx';
import { createTranslator } from '../../../shared/i18n/translator.ts';
import { newsEn } from './en.ts';
import { newsZhCN, type NewsMessageKey } from './zh-CN.ts';

const DICTIONARIES = { 'zh-CN': newsZhCN, en: newsEn } as const;

export type NewsTranslate = (key: NewsMessageKey, params?: Params) => string;

/** The news module's translations, in the reader's language (loaded with its pages only). */
export function useNewsT(): NewsTranslate {
  const { locale } = useLocale();
  return useMemo(() => createTranslator<NewsMessageKey>(DICTIONARIES[locale], locale), [locale]);
}
