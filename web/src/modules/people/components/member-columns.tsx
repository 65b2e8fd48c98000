import type { TableColumnsType } from 'antd';
import { Link } from 'react-router';
import type { MemberRow } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { GENDER_LABEL } from './people-labels.ts';
import { StatusBadge } from './status-badge.tsx';

/** The member list's columns; sortable ones carry `sorter` and are sorted on the server. */
export function useMemberColumns({ sort, order, showUnion = true }: { sort?: string; order?: 'asc' | 'desc'; showUnion?: boolean }): TableColumnsType<MemberRow> {
  const { t, formatDate } = useLocale();
  const sortOrder = (key: string): 'descend' | 'ascend' | null => (sort === key ? (order === 'desc' ? 'descend' : 'ascend') : null);
  return [
    {
      title: t('people.field.name'), dataIndex: 'name', key: 'name', sorter: true, sortOrder: sortOrder('name'), width: 120,
      render: (name: string, row) => <Link to={`/members/${row.personId}`}>{name}</Link>,
    },
    { title: t('people.field.gender'), dataIndex: 'gender', key: 'gender', width: 70, render: (g: MemberRow['gender']) => t(GENDER_LABEL[g]) },
    { title: t('people.field.birthDate'), dataIndex: 'birthDate', key: 'birthDate', sorter: true, sortOrder: sortOrder('birthDate'), width: 150, render: (d: string | null) => formatDate(d) },
    { title: t('people.field.idNumber'), dataIndex: 'idNumberMasked', key: 'idNumber', width: 190, render: (v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span> },
    { title: t('people.field.phone'), dataIndex: 'phone', key: 'phone', width: 130, render: (v: string | null) => v ?? '—' },
    ...(showUnion ? [{
      title: t('people.field.union'), dataIndex: 'orgName', key: 'union', ellipsis: true, sorter: true, sortOrder: sortOrder('union'),
      render: (name: string, row: MemberRow) => <Link to={`/orgs/${row.orgId}`}>{name}</Link>,
    }] : []),
    {
      title: t('people.field.status'), dataIndex: 'status', key: 'status', width: 100,
      render: (s: MemberRow['status']) => <StatusBadge status={s} />,
    },
    { title: t('people.field.joinedOn'), dataIndex: 'joinedOn', key: 'joinedOn', sorter: true, sortOrder: sortOrder('joinedOn'), width: 150, render: (d: string) => formatDate(d) },
  ];
}
