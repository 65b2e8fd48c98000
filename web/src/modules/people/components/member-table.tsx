import { useState } from 'react';
import { Flex } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { MemberRow } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import { ResponsiveTable } from '../../../shared/ui/responsive-table.tsx';
import { ErrorBlock } from '../../../shared/ui/states.tsx';
import { memberListQuery } from '../api.ts';
import { useMemberColumns } from './member-columns.tsx';

/** The current members of one organization's subtree, on the organization page. */
export function MemberTable({ orgId }: { orgId: number; compact?: boolean }) {
  const { t } = useLocale();
  const [page, setPage] = useState(1);
  const members = useQuery(memberListQuery({ orgId }, page, 10));
  const columns = useMemberColumns({});
  if (members.error) return <ErrorBlock error={members.error} onRetry={() => void members.refetch()} />;
  return (
    <>
      <Flex justify="end" style={{ marginBottom: 8 }}>
        <Link to={`/members?orgId=${orgId}`}>{t('orgs.openInMemberList')}</Link>
      </Flex>
      <ResponsiveTable<MemberRow>
        rowKey="membershipId"
        aria-label={t('people.listTitle')}
        size="middle"
        loading={members.isFetching}
        columns={columns.filter((c) => c.key !== 'idNumber' && c.key !== 'phone')}
        dataSource={members.data?.items ?? []}
        locale={{ emptyText: t('people.noMembers') }}
        pagination={{
          current: page, pageSize: 10, total: members.data?.total ?? 0, onChange: setPage, showSizeChanger: false,
          showTotal: (total) => t('people.total', { count: total }),
        }}
        scroll={{ x: 800 }}
      />
    </>
  );
}
