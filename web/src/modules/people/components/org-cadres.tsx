import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { CadrePosition } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { ResponsiveTable } from '../../../shared/ui/responsive-table.tsx';
import { ErrorBlock } from '../../../shared/ui/states.tsx';
import { cadresQuery } from '../api.ts';

/** The current cadre positions of one organization (its leading group). */
export function OrgCadres({ orgId }: { orgId: number }) {
  const { t, formatDate } = useLocale();
  const [page, setPage] = useState(1);
  const cadres = useQuery(cadresQuery(orgId, page));
  if (cadres.error) return <ErrorBlock error={cadres.error} onRetry={() => void cadres.refetch()} />;
  return (
    <ResponsiveTable<CadrePosition>
      rowKey="id"
      aria-label={t('people.cadreList')}
      size="middle"
      loading={cadres.isFetching}
      dataSource={cadres.data?.items ?? []}
      locale={{ emptyText: t('people.noCadres') }}
      pagination={{ current: page, pageSize: 20, total: cadres.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true }}
      columns={[
        { title: t('people.field.name'), dataIndex: 'personName', key: 'name', render: (name: string, row) => <Link to={`/members/${row.personId}`}>{name}</Link> },
        { title: t('people.field.title'), dataIndex: 'title' },
        { title: t('people.field.since'), dataIndex: 'since', render: (d: string) => formatDate(d) },
      ]}
    />
  );
}
