import { Select } from 'antd';
import { CODE_LISTS, type CodedField } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';

/**
 * Chooses a value of a national code list (民族, 政治面貌, 学历, 就业形态), searchable by its Chinese
 * name, English label, other names or number. The value is the Chinese name, as stored; a value stored
 * before the lists existed, not in the list, still shows as it is.
 */
export function CodeListSelect({ field, value, onChange, id, 'aria-label': ariaLabel }: {
  field: CodedField;
  value?: string | undefined;
  onChange?: (value: string | undefined) => void;
  id?: string;
  'aria-label'?: string;
}) {
  const { locale } = useLocale();
  const options = CODE_LISTS[field].map((entry) => ({
    value: entry.zh,
    label: locale === 'en' ? entry.en : entry.zh,
    search: [entry.zh, entry.en, entry.code, ...(entry.aliases ?? [])].join(' ').toLowerCase(),
  }));
  return (
    <Select<string>
      id={id}
      aria-label={ariaLabel}
      value={value}
      onChange={(next) => onChange?.(next ?? undefined)}
      allowClear
      showSearch={{ filterOption: (input, option) => Boolean((option as { search?: string } | undefined)?.search?.includes(input.trim().toLowerCase())) }}
      options={options}
      style={{ width: '100%' }}
    />
  );
}

/** A stored code-list value in the reader's language (unknown values as they are). */
export function useCodeListLabel() {
  const { locale } = useLocale();
  return (field: CodedField, value: string | null): string | null => {
    if (value === null) return null;
    const entry = CODE_LISTS[field].find((e) => e.zh === value);
    return entry ? (locale === 'en' ? entry.en : entry.zh) : value;
  };
}
