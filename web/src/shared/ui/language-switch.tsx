import { Segmented } from 'antd';
import { useLocale, type Locale } from '../i18n/locale.tsx';

/** 中文 | English, each written in its own language so anyone can find theirs. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useLocale();
  return (
    <Segmented<Locale>
      aria-label={t('language.label')}
      size="small"
      value={locale}
      onChange={setLocale}
      // Each name marked with its language (WCAG 3.1.2), so screen readers say it right.
      options={[{ label: <span lang="zh-CN">中文</span>, value: 'zh-CN' }, { label: <span lang="en">English</span>, value: 'en' }]}
    />
  );
}
