import { useLocale, type Locale } from '../i18n/locale.tsx';
import './language-switch.css';

const LANGUAGES: ReadonlyArray<{ locale: Locale; name: string }> = [
  { locale: 'zh-CN', name: '中文' },
  { locale: 'en', name: 'English' },
];

/**
 * 中文 | English, each written in its own language so anyone can find theirs. Plain buttons, not
 * antd's Segmented: the member app's first page shows it before antd has loaded.
 */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useLocale();
  return (
    <div role="group" aria-label={t('language.label')} className="wh-language">
      {LANGUAGES.map((language) => (
        // Each name marked with its language (WCAG 3.1.2), so screen readers say it right.
        <button key={language.locale} type="button" lang={language.locale} aria-pressed={locale === language.locale}
          className="wh-language-option" onClick={() => setLocale(language.locale)}>
          {language.name}
        </button>
      ))}
    </div>
  );
}
