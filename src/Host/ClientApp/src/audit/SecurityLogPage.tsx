// 审计员 · 安全审计日志: sign-ins, lockouts, account and role changes, publications, exports…; searched on the server,
// exported as CSV or Excel (the export is itself logged). Nothing here can change or delete a row.
import { Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag } from 'antd';
import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router-dom';
import { useState } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { api, query, type Page } from '../api';
import { ErrorAlert } from '../ui';
import { useLoad } from '../useLoad';

interface SecurityEvent { sequence: number; at: string; kind: string; kindName: string; result: string; resultName: string; actor: string | null;
  sourceAddress: string | null; object: string | null; detail: string | null }
interface Filters { period?: [Dayjs | null, Dayjs | null] | null; actor?: string; kind?: string; result?: string; object?: string }

const resultColors: Record<string, string> = { success: 'green', failure: 'red', refused: 'orange' };
const keys = ['from', 'to', 'actor', 'kind', 'result', 'object'] as const;

export function SecurityLogPage() {
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1);
  const filter = Object.fromEntries(keys.map((k) => [k, params.get(k)]));
  const kinds = useLoad(() => api.get<{ kinds: { kind: string; name: string }[]; results: { result: string; name: string }[] }>('/api/security-log/kinds'), []);
  const found = useLoad(() => api.get<Page<SecurityEvent>>('/api/security-log' + query({ ...filter, page, pageSize: 50 })), [params.toString()]);
  const [initial] = useState<Filters>(() => ({
    actor: params.get('actor') ?? undefined, kind: params.get('kind') ?? undefined, result: params.get('result') ?? undefined, object: params.get('object') ?? undefined,
    period: params.get('from') ? [dayjs(params.get('from')), params.get('to') ? dayjs(params.get('to')).subtract(1, 'day') : null] : null,
  }));
  const search = (v: Filters) => {
    const next: Record<string, string> = {};
    if (v.actor?.trim()) next.actor = v.actor.trim();
    if (v.kind) next.kind = v.kind;
    if (v.result) next.result = v.result;
    if (v.object?.trim()) next.object = v.object.trim();
    if (v.period?.[0]) next.from = v.period[0].startOf('day').format();
    if (v.period?.[1]) next.to = v.period[1].add(1, 'day').startOf('day').format();
    setParams(next);
  };
  const exportUrl = (format: 'csv' | 'xlsx') => '/api/security-log/export' + query({ ...filter, format });
  return (
    <div>
      <h2 className="page-title">审计 · 安全审计日志</h2>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form layout="inline" initialValues={initial} onFinish={search} data-testid="security-log-filters">
          <Form.Item name="period" label="时间"><DatePicker.RangePicker id="log-period" allowEmpty={[true, true]} /></Form.Item>
          <Form.Item name="actor" label="操作人"><Input id="log-actor" placeholder="用户名" style={{ width: 140 }} /></Form.Item>
          <Form.Item name="kind" label="事件"><Select id="log-kind" allowClear style={{ width: 160 }} placeholder="全部"
            options={(kinds.data?.kinds ?? []).map((k) => ({ value: k.kind, label: k.name }))} /></Form.Item>
          <Form.Item name="result" label="结果"><Select id="log-result" allowClear style={{ width: 100 }} placeholder="全部"
            options={(kinds.data?.results ?? []).map((r) => ({ value: r.result, label: r.name }))} /></Form.Item>
          <Form.Item name="object" label="对象"><Input id="log-object" placeholder="如 user:gaj.admin" style={{ width: 180 }} /></Form.Item>
          <Form.Item><Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="log-search">查询</Button>
            <Button icon={<DownloadOutlined />} href={exportUrl('csv')} data-testid="log-export-csv">导出 CSV</Button>
            <Button icon={<DownloadOutlined />} href={exportUrl('xlsx')}>导出 Excel</Button>
          </Space></Form.Item>
        </Form>
      </Card>
      <ErrorAlert error={found.error} />
      <Table<SecurityEvent> size="small" rowKey="sequence" loading={found.loading} dataSource={found.data?.items ?? []} data-testid="security-log"
        locale={{ emptyText: '没有符合条件的记录' }}
        pagination={{ current: page, pageSize: 50, total: found.data?.total ?? 0, showSizeChanger: false, showTotal: (t) => `共 ${t} 条`,
          onChange: (p) => { const next = new URLSearchParams(params); next.set('page', String(p)); setParams(next); } }}
        columns={[
          { title: '序号', dataIndex: 'sequence', width: 80 },
          { title: '时间', dataIndex: 'at', width: 160, render: (v) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
          { title: '事件', dataIndex: 'kindName', width: 120 },
          { title: '结果', dataIndex: 'result', width: 70, render: (_, r) => <Tag color={resultColors[r.result]}>{r.resultName}</Tag> },
          { title: '操作人', dataIndex: 'actor', width: 130, render: (v) => v ?? '—' },
          { title: '来源地址', dataIndex: 'sourceAddress', width: 130, render: (v) => v ?? '—' },
          { title: '对象', dataIndex: 'object', width: 200, render: (v) => v ?? '—' },
          { title: '说明', dataIndex: 'detail', render: (v) => v ?? '' },
        ]} />
    </div>
  );
}
