import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { CHINA_TIME_ZONE, isDateOnly } from './china-time.ts';
import { errorText, type ErrorCode } from '@workers-home/contract/messages';
import { CATALOGUE, type MessageKey } from './catalogue.ts';
import { createTranslator, type Params } from './translator.ts';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'wh.locale';

/** The saved choice, else the browser's first language we speak, else Chinese. */
export function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'zh-CN' || saved === 'en') return saved;
  for (const language of navigator.languages) {
    if (language.toLowerCase().startsWith('zh')) return 'zh-CN';
    if (language.toLowerCase().startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export type { Params } from './translator.ts';
export type { MessageKey } from './catalogue.ts';
/** `t(key, params)`, knowing its language (server-messages.ts renders error codes in it). */
export interface Translate {
  (key: MessageKey, params?: Params): string;
  readonly locale: Locale;
}

export interface LocaleContextValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  /** An error code of the API (contract/src/messages) in the reader's language. */
  errorText: (code: ErrorCode, params?: Params) => string;
  formatNumber: (value: number) => string;
  /** A calendar date ('2024-03-01') as the reader writes it; an instant ('2024-03-01T23:44:00Z'), its day in China time. */
  formatDate: (isoDate: string | null | undefined) => string;
  /** An instant in China time. */
  formatDateTime: (isoTimestamp: string | null | undefined) => string;
}

const LocaleContext = createContext<LocaleContextValue | null>(null);

/** The reader's language and its formats; antd's own texts follow it in AntdProvider (shared/ui/antd-provider.tsx). */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLocaleState(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<LocaleContextValue>(() => {
    const t = Object.assign(createTranslator(CATALOGUE[locale], locale), { locale });
    const numbers = new Intl.NumberFormat(locale);
    // A calendar date ('2024-12-05') is shown as written (formatted at UTC midnight in UTC); an
    // instant is shown on China's clock, whatever the browser's zone (china-time.ts).
    const calendarDates = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    const instantDates = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: CHINA_TIME_ZONE });
    const dateTimes = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: CHINA_TIME_ZONE });
    return {
      locale,
      setLocale,
      t,
      errorText: (code, params) => errorText(code, params, locale),
      formatNumber: (n) => numbers.format(n),
      formatDate: (iso) => (!iso ? '—' : isDateOnly(iso) ? calendarDates.format(new Date(`${iso}T00:00:00Z`)) : instantDates.format(new Date(iso))),
      formatDateTime: (iso) => (iso ? dateTimes.format(new Date(iso)) : '—'),
    };
  }, [locale, setLocale]);

  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleContextValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale needs a LocaleProvider');
  return value;
}

export const useT = () => useLocale().t;
