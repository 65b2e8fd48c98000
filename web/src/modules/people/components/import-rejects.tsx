import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { isErrorCode, type ImportReject } from '@workers-home/contract';
import { useLocale } from '../../../shared/i18n/locale.tsx';
import type { MessageKey } from '../../../shared/i18n/catalogue.ts';
import { ResponsiveTable } from '../../../shared/ui/responsive-table.tsx';
import { ErrorBlock } from '../../../shared/ui/states.tsx';
import { importRejectsQuery } from '../api.ts';

/** The import's column names (import-rows.ts, COLUMN_LABEL) as the form's field labels. */
const COLUMN_LABEL: Record<string, MessageKey> = {
  name: 'people.field.name', gender: 'people.field.gender', ethnicity: 'people.field.ethnicity', birth_date: 'people.field.birthDate',
  id_number: 'people.field.idNumber', phone: 'people.field.phone', political_status: 'people.field.politicalStatus',
  education: 'people.field.education', employer: 'people.field.employer', joined_on: 'people.field.joinedOn',
  card_number: 'people.field.cardNumber', employment_form: 'people.field.employmentForm', union: 'people.field.union',
};

/** Every rejected row of an import with every reason found, in the reader's language, a page at a time. */
export function ImportRejects({ jobId }: { jobId: number }) {
  const { t, errorText, formatNumber } = useLocale();
  const [page, setPage] = useState(1);
  const rejects = useQuery(importRejectsQuery(jobId, page));
  if (rejects.error) return <ErrorBlock error={rejects.error} onRetry={() => void rejects.refetch()} />;
  const column = (field: string | null) => (field && COLUMN_LABEL[field] ? t(COLUMN_LABEL[field]) : field ?? '—');
  return (
    <ResponsiveTable<ImportReject>
      rowKey="rowNumber"
      size="small"
      aria-label={t('people.importReasons')}
      cardTitle="row"
      loading={rejects.isFetching}
      dataSource={rejects.data?.items ?? []}
      pagination={{
        current: page, pageSize: 10, total: rejects.data?.total ?? 0, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true,
        showTotal: (total) => t('people.importRejectedRows', { count: total }),
      }}
      columns={[
        { key: 'row', title: t('people.importColumn.row'), dataIndex: 'rowNumber', width: 90, render: (n: number) => t('people.importRowNumber', { row: formatNumber(n) }) },
        { key: 'name', title: t('people.field.name'), dataIndex: 'name', width: 120, render: (name: string | null) => name ?? '—' },
        {
          key: 'reasons', title: t('people.importColumn.reasons'),
          render: (_: unknown, row: ImportReject) => (
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {row.reasons.map((reason, i) => (
                <li key={i}>
                  <strong>{column(reason.field)}</strong>{t('people.importReasonSeparator')}
                  {isErrorCode(reason.code) ? errorText(reason.code, reason.params ?? undefined) : reason.text}
                </li>
              ))}
            </ul>
          ),
        },
      ]}
    />
  );
}
