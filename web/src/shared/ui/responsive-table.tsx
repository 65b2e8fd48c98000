import type { Key, ReactNode } from 'react';
import { Card, Checkbox, Empty, Grid, Pagination, Spin, Table, type TableProps } from 'antd';
import type { TableColumnType as ColumnType } from 'antd';
import type { SorterResult } from 'antd/es/table/interface.js';
import './responsive-table.css';

type Column<R> = ColumnType<R>;

export type ResponsiveTableProps<T> = TableProps<T> & {
  /** The column (by key, or by dataIndex when it has no key) whose cell is a card's title on a phone; the first column otherwise. */
  cardTitle?: string;
  /** The accessible name of the list of cards (the table's aria-label is used on a desktop). */
  'aria-label'?: string;
};

function columnId(column: Column<Row>): string {
  if (column.key !== undefined) return String(column.key);
  const path: unknown[] = Array.isArray(column.dataIndex) ? column.dataIndex : column.dataIndex === undefined ? [] : [column.dataIndex];
  return path.map((part) => (typeof part === 'string' || typeof part === 'number' ? String(part) : '')).join('.');
}

function cellValue(row: Row, column: Column<Row>): unknown {
  const path = column.dataIndex === undefined ? [] : Array.isArray(column.dataIndex) ? column.dataIndex : [column.dataIndex];
  let value: unknown = row;
  for (const part of path) value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[String(part)];
  return path.length === 0 ? undefined : value;
}

/** A plain text for a checkbox's name: the title cell's value when it is text, else the row's key. */
function labelOf(value: unknown, key: Key): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : String(key);
}

function cell(row: Row, column: Column<Row>, index: number): ReactNode {
  const value = cellValue(row, column);
  if (column.render) {
    const rendered = column.render(value, row, index) as ReactNode | { children?: ReactNode };
    return rendered && typeof rendered === 'object' && 'children' in rendered && !('$$typeof' in rendered) ? rendered.children : (rendered as ReactNode);
  }
  return value === null || value === undefined || value === '' ? '—' : (value as ReactNode);
}

/**
 * A table on a desktop; on a phone (narrower than antd's `md` breakpoint) a list of cards, each with the
 * row's main field as its title and the other columns as "label: value". Row selection and pagination
 * work the same way in both: the same `rowSelection` and `pagination` props, the same `onChange` for paging.
 * Column headers never break inside a word.
 */
export function ResponsiveTable<T extends object>(props: ResponsiveTableProps<T>) {
  const screens = Grid.useBreakpoint();
  // Before the first measurement useBreakpoint answers {}: render the table, as on a desktop.
  const phone = screens.md === false;
  if (!phone) {
    const tableProps: TableProps<T> & { cardTitle?: string } = { ...props };
    delete tableProps.cardTitle;
    return <Table<T> {...tableProps} className={['wh-responsive-table', props.className].filter(Boolean).join(' ')} />;
  }
  return <CardList {...(props as unknown as ResponsiveTableProps<Row>)} />;
}

type Row = Record<string, unknown>;
type T = Row;

function CardList({ columns = [], dataSource = [], rowKey, rowSelection, pagination, loading, locale, onChange, cardTitle, 'aria-label': ariaLabel }: ResponsiveTableProps<Row>) {
  const visible = (columns as Array<Column<T>>).filter((c) => !c.hidden);
  const titleColumn = visible.find((c) => columnId(c) === cardTitle) ?? visible[0];
  const rest = visible.filter((c) => c !== titleColumn);
  const keyOf = (row: T, index: number): Key =>
    typeof rowKey === 'function' ? rowKey(row, index) : ((row as Record<string, unknown>)[String(rowKey ?? 'key')] as Key);
  const selected = new Set(rowSelection?.selectedRowKeys ?? []);
  const rows = dataSource;

  const toggle = (key: Key, checked: boolean) => {
    if (!rowSelection?.onChange) return;
    const keys = checked ? [...selected, key] : [...selected].filter((k) => k !== key);
    const keySet = new Set(keys);
    rowSelection.onChange(keys, rows.filter((row, i) => keySet.has(keyOf(row, i))), { type: 'single' });
  };

  const paging = pagination === false ? undefined : pagination;
  const changePage = (current: number, pageSize: number) => {
    paging?.onChange?.(current, pageSize);
    if (onChange) {
      // The current sort stays as it is: only the page changed.
      const sorted = visible.find((c) => c.sortOrder);
      const sorter: SorterResult<T> = sorted ? { column: sorted, columnKey: sorted.key, field: sorted.dataIndex as never, order: sorted.sortOrder ?? null } : {};
      onChange({ ...paging, current, pageSize }, {}, sorter, { action: 'paginate', currentDataSource: [...rows] });
    }
  };
  const spinning = typeof loading === 'object' ? Boolean(loading.spinning) : Boolean(loading);
  const emptyText = typeof locale?.emptyText === 'function' ? locale.emptyText() : locale?.emptyText;

  return (
    <Spin spinning={spinning}>
      <ul className="wh-card-list" aria-label={ariaLabel}>
        {rows.length === 0 && (
          <li className="wh-card-list-empty">{emptyText ?? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}</li>
        )}
        {rows.map((row, index) => {
          const key = keyOf(row, index);
          const title = titleColumn ? cell(row, titleColumn, index) : null;
          return (
            <li key={String(key)}>
              <Card
                size="small"
                className={selected.has(key) ? 'wh-card-selected' : undefined}
                title={
                  <span className="wh-card-list-title">
                    {rowSelection && (
                      <Checkbox
                        checked={selected.has(key)}
                        onChange={(e) => toggle(key, e.target.checked)}
                        aria-label={typeof title === 'string' ? title : labelOf(titleColumn ? cellValue(row, titleColumn) : undefined, key)}
                      />
                    )}
                    {title}
                  </span>
                }
              >
                <dl className="wh-card-list-fields">
                  {rest.map((column) => (
                    <div key={columnId(column)}>
                      <dt>{typeof column.title === 'function' ? null : (column.title)}</dt>
                      <dd>{cell(row, column, index)}</dd>
                    </div>
                  ))}
                </dl>
              </Card>
            </li>
          );
        })}
      </ul>
      {paging && !(paging.hideOnSinglePage && (paging.total ?? rows.length) <= (paging.pageSize ?? 10)) && (
        <Pagination
          className="wh-card-list-pagination"
          simple
          size="small"
          current={paging.current}
          pageSize={paging.pageSize ?? 10}
          total={paging.total ?? rows.length}
          showTotal={paging.showTotal}
          showSizeChanger={false}
          onChange={changePage}
        />
      )}
    </Spin>
  );
}
