import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useLocale } from './locale.tsx';

/**
 * antd's date pickers format with dayjs's global locale. Only pages with a date picker
 * call this, so dayjs stays out of the first pages' JavaScript.
 */
export function useDayjsLocale() {
  const { locale } = useLocale();
  const wanted = locale === 'zh-CN' ? 'zh-cn' : 'en';
  if (dayjs.locale() !== wanted) dayjs.locale(wanted);
}
