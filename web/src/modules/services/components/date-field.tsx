import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import { useDayjsLocale } from '../../../shared/i18n/dayjs-locale.ts';

/**
 * A calendar day as the form keeps it ('2026-11-20'), picked in antd's calendar in the page's
 * language (a native date input speaks the browser's language instead). A picked day is a
 * calendar day: no time zone ever shifts it.
 */
export function DateField({ value, onChange, min, max, id, 'aria-label': ariaLabel, disabled }: {
  value?: string | undefined;
  onChange?: (value: string | undefined) => void;
  min?: string | undefined;
  max?: string | undefined;
  id?: string;
  'aria-label'?: string;
  disabled?: boolean;
}) {
  useDayjsLocale();
  return (
    <DatePicker
      id={id}
      aria-label={ariaLabel}
      disabled={disabled}
      format="YYYY-MM-DD"
      value={value ? dayjs(value, 'YYYY-MM-DD') : null}
      onChange={(day) => onChange?.(day ? day.format('YYYY-MM-DD') : undefined)}
      disabledDate={(day) => { const text = day.format('YYYY-MM-DD'); return (min !== undefined && text < min) || (max !== undefined && text > max); }}
      // Enter picks the typed day instead of submitting the form around the picker.
      onKeyDown={(event) => { if (event.key === 'Enter') event.preventDefault(); }}
      style={{ width: '100%' }}
    />
  );
}
