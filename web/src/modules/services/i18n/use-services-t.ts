import { useMemo } from 'react';
import { useLocale, type Params } from '../../../shared/i18n/locale.tsx';
import { createTranslator } from '../../../shared/i18n/translator.ts';
import { servicesEn } from './en.ts';
import { servicesZhCN, type ServicesMessageKey } from './zh-CN.ts';

const DICTIONARIES = { 'zh-CN': servicesZhCN, en: servicesEn } as const;

export type ServicesTranslate = (key: ServicesMessageKey, params?: Params) => string;

/** The services module's translations, in the reader's language (loaded with its pages only). */
export function useServicesT(): ServicesTranslate {
  const { locale } = useLocale();
  return useMemo(() => createTranslator<ServicesMessageKey>(DICTIONARIES[locale], locale), [locale]);
}
