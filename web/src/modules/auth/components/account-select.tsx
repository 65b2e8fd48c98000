import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useT } from '../../../shared/i18n/locale.tsx';
import { accountsQuery } from '../api.ts';

/** Picks an account holding a role in the caller's subtrees, by username or name. */
export function AccountSelect({ value, onChange, id, placeholder, allowClear, style, 'aria-label': ariaLabel }: {
  value?: number | undefined;
  onChange?: (id: number | undefined) => void;
  id?: string;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  'aria-label'?: string;
}) {
  const t = useT();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const accounts = useQuery(accountsQuery(q));
  return (
    <Select<number>
      id={id}
      aria-label={ariaLabel}
      allowClear={allowClear}
      style={style}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      value={value}
      onChange={(next) => onChange?.(next ?? undefined)}
      loading={accounts.isFetching}
      placeholder={placeholder ?? t('grants.accountPlaceholder')}
      notFoundContent={t('grants.noAccounts')}
      options={(accounts.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.displayName} (${a.username})` }))}
    />
  );
}
