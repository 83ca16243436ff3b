// 统计分析 (001 第二十二条): authorisations and use of tables, files and interfaces per department and period, and the
// overdue authorisations, from GET /api/statistics/exchange and /overdue (JSON; CSV and xlsx downloads from the server).
import { useState } from 'react';
import { Button, Card, Col, DatePicker, Empty, Row, Segmented, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import dayjs, { type Dayjs } from 'dayjs';
import { api, query } from '../api';
import { ErrorAlert, fmt } from '../ui';
import { useLoad } from '../useLoad';

interface DepartmentRow {
  orgUnitId: string; orgUnitName: string; side: string; sideName: string; kind: string; kindName: string;
  granted: number; inForce: number; uses: number; refused: number; bytes: number;
}
interface Report { from: string; to: string; rows: DepartmentRow[] }
interface OverdueRow {
  kind: string; kindName: string; exchangeName: string; providerOrgUnitId: string | null; providerName: string | null;
  consumerOrgUnitId: string | null; consumerName: string | null; subject: string; dueAt: string; daysOverdue: number;
  instanceId: string | null; authorizationId: string | null;
}

type Measure = 'granted' | 'inForce' | 'uses' | 'refused';
const measures: { value: Measure; label: string }[] = [
  { value: 'granted', label: '期间授权' }, { value: 'inForce', label: '期末有效授权' }, { value: 'uses', label: '使用次数' }, { value: 'refused', label: '拒绝次数' },
];
const sideColors: Record<string, string> = { provider: '#1f4e9c', consumer: '#52c41a' };

const bytes = (n: number) => (n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(1)} GB` : n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);

/** Per department, the chosen measure as provider and as consumer, as horizontal bars. */
function DepartmentBars({ rows, measure }: { rows: DepartmentRow[]; measure: Measure }) {
  const byUnit = [...rows.reduce((m, r) => {
    const unit = m.get(r.orgUnitId) ?? { id: r.orgUnitId, name: r.orgUnitName, provider: 0, consumer: 0 };
    if (r.side === 'provider') unit.provider += r[measure]; else unit.consumer += r[measure];
    return m.set(r.orgUnitId, unit);
  }, new Map<string, { id: string; name: string; provider: number; consumer: number }>()).values()]
    .filter((u) => u.provider + u.consumer > 0).sort((a, b) => b.provider + b.consumer - (a.provider + a.consumer));
  if (byUnit.length === 0) return <Empty description="统计期间内没有数据" />;
  const max = Math.max(1, ...byUnit.map((u) => Math.max(u.provider, u.consumer)));
  return (
    <div data-testid="statistics-chart">
      <Space style={{ marginBottom: 8 }}><Tag color={sideColors.provider}>作为提供方</Tag><Tag color={sideColors.consumer}>作为使用方</Tag></Space>
      {byUnit.map((u) => (
        <div key={u.id} className="stat-bar-row" data-testid="statistics-bar">
          <div className="stat-bar-label" title={u.name}>{u.name}</div>
          <div className="stat-bar-track">
            {(['provider', 'consumer'] as const).map((side) => (
              <Tooltip key={side} title={`${side === 'provider' ? '作为提供方' : '作为使用方'}：${u[side]}`}>
                <div className="stat-bar" style={{ width: `${(u[side] / max) * 100}%`, background: sideColors[side] }}>
                  {u[side] > 0 && <span>{u[side]}</span>}
                </div>
              </Tooltip>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}

export function StatisticsPage() {
  const [period, setPeriod] = useState<[Dayjs, Dayjs]>(() => [dayjs().startOf('year'), dayjs()]);
  const [measure, setMeasure] = useState<Measure>('granted');
  const range = { from: period[0].format('YYYY-MM-DD'), to: period[1].format('YYYY-MM-DD') };
  const report = useLoad(() => api.get<Report>('/api/statistics/exchange' + query(range)), [range.from, range.to]);
  const overdue = useLoad(() => api.get<OverdueRow[]>('/api/statistics/overdue'), []);
  const rows = report.data?.rows ?? [];
  const sum = (key: Measure, side = 'provider') => rows.filter((r) => r.side === side).reduce((n, r) => n + r[key], 0);
  const exchangeExport = (format: string) => '/api/statistics/exchange' + query({ ...range, format });
  return (
    <div>
      <h2 className="page-title">统计分析</h2>
      <ErrorAlert error={report.error ?? overdue.error} />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <span>统计期间</span>
          <DatePicker.RangePicker id="statistics-period" value={period} allowClear={false}
            onChange={(v) => { if (v?.[0] && v[1]) setPeriod([v[0], v[1]]); }} />
          <Button icon={<DownloadOutlined />} href={exchangeExport('csv')} data-testid="export-csv">导出 CSV</Button>
          <Button icon={<DownloadOutlined />} href={exchangeExport('xlsx')} data-testid="export-xlsx">导出 Excel</Button>
        </Space>
      </Card>
      <Row gutter={12} style={{ marginBottom: 12 }}>
        <Col span={6}><Card size="small"><Statistic title="期间新增授权" value={sum('granted')} /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title="期末有效授权" value={sum('inForce')} /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title="使用次数（提供方计）" value={sum('uses')} /></Card></Col>
        <Col span={6}><Card size="small"><Statistic title="逾期事项" value={overdue.data?.length ?? '—'} valueStyle={{ color: '#cf1322' }} /></Card></Col>
      </Row>
      <Card size="small" title="各单位共享授权与使用" style={{ marginBottom: 12 }} loading={report.loading && !report.data}
        extra={<Segmented size="small" value={measure} onChange={(v) => setMeasure(v as Measure)} options={measures} />}>
        <DepartmentBars rows={rows} measure={measure} />
        <Table<DepartmentRow> size="small" style={{ marginTop: 12 }} rowKey={(r) => `${r.orgUnitId}-${r.side}-${r.kind}`} dataSource={rows}
          data-testid="statistics-table" pagination={{ pageSize: 20, hideOnSinglePage: true }} locale={{ emptyText: '统计期间内没有数据' }} columns={[
            { title: '单位', dataIndex: 'orgUnitName', width: 240 },
            { title: '角色', dataIndex: 'sideName', width: 90 },
            { title: '方式', dataIndex: 'kindName', width: 90 },
            { title: '期间授权', dataIndex: 'granted', width: 90 },
            { title: '期末有效', dataIndex: 'inForce', width: 90 },
            { title: '使用次数', dataIndex: 'uses', width: 90 },
            { title: '拒绝次数', dataIndex: 'refused', width: 90 },
            { title: '数据量', dataIndex: 'bytes', width: 100, render: (v: number) => bytes(v) },
          ]} />
      </Card>
      <Card size="small" title="逾期授权（督办）" data-testid="overdue"
        extra={<Space>
          <Button size="small" icon={<DownloadOutlined />} href="/api/statistics/overdue?format=csv">导出 CSV</Button>
          <Button size="small" icon={<DownloadOutlined />} href="/api/statistics/overdue?format=xlsx">导出 Excel</Button>
        </Space>}>
        <Typography.Paragraph type="secondary">按 001 第二十二条，对未在规定时限内完成授权、授权期满仍在使用的事项进行督办。</Typography.Paragraph>
        <Table<OverdueRow> size="small" rowKey={(r) => `${r.kind}-${r.instanceId ?? r.authorizationId ?? r.subject}`} dataSource={overdue.data ?? []}
          loading={overdue.loading} locale={{ emptyText: '没有逾期事项' }} columns={[
            { title: '类型', dataIndex: 'kindName', width: 150, render: (v) => <Tag color="red">{v}</Tag> },
            { title: '事项', dataIndex: 'subject', render: (v, r) => (r.instanceId ? <Link to={`/applications/${r.instanceId}`}>{v}</Link> : v) },
            { title: '方式', dataIndex: 'exchangeName', width: 90 },
            { title: '提供单位', dataIndex: 'providerName', width: 200, render: (v) => v ?? '—' },
            { title: '使用单位', dataIndex: 'consumerName', width: 200, render: (v) => v ?? '—' },
            { title: '时限', dataIndex: 'dueAt', width: 140, render: (v) => fmt(v) },
            { title: '逾期（工作日）', dataIndex: 'daysOverdue', width: 120 },
          ]} />
      </Card>
    </div>
  );
}
