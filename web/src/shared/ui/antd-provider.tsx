import type { ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import type { Locale as AntdLocale } from 'antd/es/locale/index.js';
import zhCNAntdModule from 'antd/es/locale/zh_CN.js';
import enUSAntdModule from 'antd/es/locale/en_US.js';
import 'antd/dist/antd.css';
import './antd-overrides.css';
import { useLocale } from '../i18n/locale.tsx';

// antd's locale files are ES modules without "type": "module": a bundler sees the default export,
// Node's resolution (the repository-wide type check) the namespace around it.
const antdLocale = (module: unknown) => ((module as { default?: AntdLocale }).default ?? module) as AntdLocale;
const ANTD_LOCALES = { 'zh-CN': antdLocale(zhCNAntdModule), en: antdLocale(enUSAntdModule) };

// Union red; secondary texts darker than antd's defaults so they read at WCAG AA contrast (4.5:1).
const THEME = {
  token: {
    colorPrimary: '#c8102e', colorLink: '#0958d9', colorError: '#cf1322', borderRadius: 6,
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)', colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.6)', colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
  },
  zeroRuntime: true,
};

/**
 * Ant Design for the pages inside it: its stylesheet (the zero-runtime theme's, about 1 MB of
 * CSS), the union's theme, and its own texts in the reader's language. The console is inside it
 * from the start; the member app's first page is not, and loads it with its other pages.
 */
export function AntdProvider({ children }: { children: ReactNode }) {
  const { locale } = useLocale();
  return (
    <ConfigProvider locale={ANTD_LOCALES[locale]} theme={THEME}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
