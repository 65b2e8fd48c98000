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
      options={[{ label: '中文', value: 'zh-CN' }, { label: 'English', value: 'en' }]}
    />
  );
}
