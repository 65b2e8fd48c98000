import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { useQueries, useQuery } from '@tanstack/react-query';
import { orgQuery, orgSearchQuery } from '../../orgs/index.ts';
import { useTrainingT } from '../i18n/use-training-t.ts';

/**
 * The organizations a class is meant for (their subtrees' organizers may enrol their own
 * people). Empty means the organizer organization's own subtree.
 */
export function AudienceSelect({ value, onChange, id }: { value?: number[]; onChange?: (ids: number[]) => void; id?: string }) {
  const t = useTrainingT();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const search = useQuery(orgSearchQuery({ q }));
  const chosen = useQueries({ queries: (value ?? []).map((orgId) => orgQuery(orgId)) });
  const options = (search.data?.items ?? []).map((org) => ({ value: org.id, label: org.name }));
  for (const [index, orgId] of (value ?? []).entries()) {
    if (!options.some((o) => o.value === orgId)) options.push({ value: orgId, label: chosen[index]?.data?.name ?? `#${orgId}` });
  }
  return (
    <Select<number[]>
      id={id}
      mode="multiple"
      value={value ?? []}
      onChange={(ids) => onChange?.(ids)}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      options={options}
      loading={search.isFetching}
      placeholder={t('field.audienceOrgsPlaceholder')}
      notFoundContent={null}
    />
  );
}
