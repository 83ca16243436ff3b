// 统计分析 (001 第二十二条): the cases of the period (CaseStatistics), authorisations and use of tables, files and interfaces
// per department and period, and the overdue authorisations, from GET /api/statistics/cases, /exchange and /overdue (JSON;
// CSV and xlsx downloads from the server). One period picker drives every section.
import { useState } from 'react';
import { Button, Card, Col, DatePicker, Empty, Row, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import dayjs, { type Dayjs } from 'dayjs';
import { api, query } from '../api';
import { ErrorAlert, fmt } from '../ui';
import { useLoad } from '../useLoad';
import { CaseStatistics } from './CaseStatistics';
import { Chart, valueLabel } from './Chart';

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

const bytes = (n: number) => (n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(1)} GB` : n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);

/** Per department, the chosen measure as provider and as consumer, as horizontal bars (ECharts). */
function DepartmentBars({ rows, measure }: { rows: DepartmentRow[]; measure: Measure }) {
  const byUnit = [...rows.reduce((m, r) => {
    const unit = m.get(r.orgUnitId) ?? { id: r.orgUnitId, name: r.orgUnitName, provider: 0, consumer: 0 };
    if (r.side === 'provider') unit.provider += r[measure]; else unit.consumer += r[measure];
    return m.set(r.orgUnitId, unit);
  }, new Map<string, { id: string; name: string; provider: number; consumer: number }>()).values()]
    .filter((u) => u.provider + u.consumer > 0).sort((a, b) => a.provider + a.consumer - (b.provider + b.consumer));
  if (byUnit.length === 0) return <Empty description="统计期间内没有数据" />;
  const label = measures.find((m) => m.value === measure)?.label ?? '';
  return <Chart testId="statistics-chart" label={`各单位作为提供方与使用方的${label}`} height={Math.max(160, 40 * byUnit.length + 60)} option={{
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, legend: { top: 0 },
    grid: { left: 8, right: 32, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: byUnit.map((u) => u.name), axisLabel: { width: 200, overflow: 'truncate' } },
    series: [
      { name: '作为提供方', type: 'bar', data: byUnit.map((u) => u.provider), label: valueLabel('right') },
      { name: '作为使用方', type: 'bar', data: byUnit.map((u) => u.consumer), label: valueLabel('right') },
    ],
  }} />;
}

const presets: { label: string; value: [Dayjs, Dayjs] }[] = [
  { label: '本月', value: [dayjs().startOf('month'), dayjs()] },
  { label: '上月', value: [dayjs().subtract(1, 'month').startOf('month'), dayjs().subtract(1, 'month').endOf('month')] },
  { label: '本季度', value: [dayjs().startOf('month').subtract(dayjs().month() % 3, 'month'), dayjs()] },
  { label: '本年', value: [dayjs().startOf('year'), dayjs()] },
  { label: '近 30 天', value: [dayjs().subtract(29, 'day'), dayjs()] },
];

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
          <DatePicker.RangePicker id="statistics-period" value={period} allowClear={false} presets={presets}
            onChange={(v) => { if (v?.[0] && v[1]) setPeriod([v[0], v[1]]); }} />
        </Space>
      </Card>
      <CaseStatistics from={range.from} to={range.to} />
      <Row gutter={12} style={{ marginBottom: 12 }}>
        <Col xs={12} xl={6}><Card size="small"><Statistic title="期间新增授权" value={sum('granted')} /></Card></Col>
        <Col xs={12} xl={6}><Card size="small"><Statistic title="期末有效授权" value={sum('inForce')} /></Card></Col>
        <Col xs={12} xl={6}><Card size="small"><Statistic title="使用次数（提供方计）" value={sum('uses')} /></Card></Col>
        <Col xs={12} xl={6}><Card size="small"><Statistic title="逾期授权事项" value={overdue.data?.length ?? '—'} valueStyle={{ color: '#cf1322' }} /></Card></Col>
      </Row>
      <Card size="small" title="各单位共享授权与使用" style={{ marginBottom: 12 }} loading={report.loading && !report.data}
        extra={<Space>
          <Segmented size="small" value={measure} onChange={(v) => setMeasure(v as Measure)} options={measures} />
          <Button size="small" icon={<DownloadOutlined />} href={exchangeExport('csv')} data-testid="export-csv">导出 CSV</Button>
          <Button size="small" icon={<DownloadOutlined />} href={exchangeExport('xlsx')} data-testid="export-xlsx">导出 Excel</Button>
        </Space>}>
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
        <Typography.Paragraph type="secondary">按《共享交换平台管理暂行办法》第二十二条，对未在规定时限内完成授权、授权期满仍在使用的事项进行督办。</Typography.Paragraph>
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
