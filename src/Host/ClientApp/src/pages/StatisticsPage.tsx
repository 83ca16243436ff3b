import { Button, Card, Col, Progress, Row, Statistic, Table, Typography } from 'antd';
import { api } from '../api';
import type { CatalogSummary, Page, TaskView } from '../types';
import { DueBadge, ErrorAlert } from '../ui';
import { useLoad } from '../useLoad';

function toCsv(rows: (string | number)[][]): string {
  return '\uFEFF' + rows.map((r) => r.map((c) => `"${String(c).replace(/"/g, '""')}"`).join(',')).join('\r\n');
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a'); a.href = url; a.download = name; a.click(); URL.revokeObjectURL(url);
}

/**
 * 统计分析 for the bureau (001 第二十二条): published resources per provider and share type, and the overdue steps it
 * chases. Built from the catalog and inbox endpoints; the API has no statistics endpoint yet.
 */
export function StatisticsPage() {
  const catalog = useLoad(async () => {
    const found = await api.get<Page<{ version: CatalogSummary; providerName: string } | CatalogSummary>>('/api/catalog/entries?pageSize=100');
    return { ...found, items: found.items.map((i) => ('version' in i ? { ...i.version, providerName: i.providerName } : i)) };
  }, []);
  const overdue = useLoad(() => api.get<Page<TaskView>>('/api/tasks/todo?overdue=true&pageSize=200'), []);
  const entries = catalog.data?.items ?? [];
  const byProvider = [...entries.reduce((m, e) => {
    const row = m.get(e.providerName) ?? { provider: e.providerName, total: 0, unconditional: 0, conditional: 0, notShared: 0 };
    row.total++; if (e.shareType === 1) row.unconditional++; else if (e.shareType === 2) row.conditional++; else row.notShared++;
    return m.set(e.providerName, row);
  }, new Map<string, { provider: string; total: number; unconditional: number; conditional: number; notShared: number }>()).values()].sort((a, b) => b.total - a.total);
  const max = Math.max(1, ...byProvider.map((r) => r.total));
  const exportCsv = () => download('资源统计.csv', toCsv([['提供单位', '资源数', '无条件共享', '有条件共享', '不予共享'], ...byProvider.map((r) => [r.provider, r.total, r.unconditional, r.conditional, r.notShared])]));
  return (
    <div>
      <ErrorAlert error={catalog.error ?? overdue.error} />
      <Row gutter={12} style={{ marginBottom: 12 }}>
        <Col span={6}><Card size="small"><Statistic title="已发布资源" value={catalog.data?.total ?? '—'} /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title="无条件共享" value={entries.filter((e) => e.shareType === 1).length} /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title="有条件共享" value={entries.filter((e) => e.shareType === 2).length} /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title="超期待办" value={overdue.data?.total ?? '—'} valueStyle={{ color: '#cf1322' }} /></Card></Col>
      </Row>
      <Card size="small" title="各单位资源与共享类型" extra={<Button onClick={exportCsv} data-testid="export">导出 CSV</Button>} style={{ marginBottom: 12 }}>
        <Table size="small" rowKey="provider" pagination={false} dataSource={byProvider} columns={[
          { title: '提供单位', dataIndex: 'provider', width: 260 },
          { title: '资源数', dataIndex: 'total', render: (v) => <Progress percent={(v / max) * 100} format={() => v} size="small" /> },
          { title: '无条件', dataIndex: 'unconditional', width: 80 }, { title: '有条件', dataIndex: 'conditional', width: 80 }, { title: '不予共享', dataIndex: 'notShared', width: 90 },
        ]} />
      </Card>
      <Card size="small" title="超期未办（督办）">
        <Typography.Paragraph type="secondary">按 001 第二十二条，对超期未授权事项进行督办。</Typography.Paragraph>
        <Table<TaskView> size="small" rowKey="id" dataSource={overdue.data?.items ?? []} locale={{ emptyText: '没有超期事项' }} columns={[
          { title: '事项', dataIndex: 'title' }, { title: '流程', dataIndex: 'processName' }, { title: '办理单位', dataIndex: 'orgUnitId' },
          { title: '时限', render: (_, t) => <DueBadge dueAt={t.dueAt} level={t.level} /> },
        ]} />
      </Card>
    </div>
  );
}
