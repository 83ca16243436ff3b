// A list that reads on a phone: a table on a wide screen, one card per row on a narrow one (390 px), same data and pager.
import { Card, Grid, List, Table, type TableProps } from 'antd';
import type { ReactNode } from 'react';

interface Props<T> extends TableProps<T> { card: (row: T) => ReactNode; emptyText: string; }

export function ResponsiveTable<T extends object>({ card, emptyText, ...table }: Props<T>) {
  const screens = Grid.useBreakpoint();
  if (screens.md) return <Table<T> size="small" scroll={{ x: 'max-content' }} locale={{ emptyText }} {...table} />;
  const pagination = table.pagination || undefined;
  return (
    <List<T> loading={table.loading as boolean} dataSource={(table.dataSource ?? []) as T[]} locale={{ emptyText }} className="card-list"
      pagination={pagination ? { current: pagination.current, pageSize: pagination.pageSize, total: pagination.total, size: 'small', simple: true,
        onChange: (page, size) => pagination.onChange?.(page, size) } : false}
      renderItem={(row) => <List.Item style={{ padding: '4px 0' }}><Card size="small" style={{ width: '100%' }} data-testid="list-card">{card(row)}</Card></List.Item>} />
  );
}
