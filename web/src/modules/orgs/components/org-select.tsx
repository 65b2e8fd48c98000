import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { OrgLevel } from '@workers-home/contract';
import { useT } from '../../../shared/i18n/locale.tsx';
import { orgQuery, orgSearchQuery } from '../api.ts';

/**
 * Picks an organization by typing part of its name (searched on the server, within the caller's subtrees).
 * Opened before anything is typed, it lists the caller's own organizations (of the level asked for).
 */
export function OrgSelect({ value, onChange, level, placeholder, id, allowClear = true, style, 'aria-label': ariaLabel }: {
  value?: number | undefined;
  onChange?: (id: number | undefined) => void;
  level?: OrgLevel;
  placeholder?: string;
  id?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  'aria-label'?: string;
}) {
  const t = useT();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const search = useQuery(orgSearchQuery({ q, level, browse: opened }));
  const current = useQuery({ ...orgQuery(value ?? 0), enabled: value !== undefined });
  const options = (search.data?.items ?? []).map((org) => ({ value: org.id, label: org.name }));
  if (value !== undefined && current.data && !options.some((o) => o.value === value)) options.unshift({ value, label: current.data.name });

  return (
    <Select<number>
      id={id}
      aria-label={ariaLabel}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      onOpenChange={(open) => { if (open) setOpened(true); }}
      value={value}
      onChange={(next) => onChange?.(next ?? undefined)}
      allowClear={allowClear}
      placeholder={placeholder ?? t('orgs.selectPlaceholder')}
      loading={search.isFetching}
      notFoundContent={q ? t('orgs.searchNone') : t('orgs.typeToSearch')}
      options={options}
      style={{ minWidth: 220, ...style }}
    />
  );
}
