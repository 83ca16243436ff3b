// 审计 · 流程实例检索: process, applicant, department, status, period, overdue; paged on the server.
import { useState } from 'react';
import { Button, Card, DatePicker, Form, Input, Select, Switch, Table, Tag } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router-dom';
import dayjs, { type Dayjs } from 'dayjs';
import { api, query, type Page } from '../api';
import { ErrorAlert, fmt, statusTag } from '../ui';
import { useLoad } from '../useLoad';
import type { AuditInstanceRow } from './types';
import { StreamVerifyCard } from './StreamVerifyCard';

export const auditStatuses = [
  { value: 'Running', label: '办理中' }, { value: 'Suspended', label: '等待办理' }, { value: 'Finished', label: '已办结' },
  { value: 'Faulted', label: '异常' }, { value: 'Cancelled', label: '已取消' },
];

interface Filters { definitionId?: string; applicant?: string; department?: string; status?: string; period?: [Dayjs | null, Dayjs | null] | null; overdue?: boolean }

export function AuditSearchPage() {
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Filters>();
  const page = Number(params.get('page') ?? 1);
  const pageSize = Number(params.get('pageSize') ?? 20);
  const definitions = useLoad(() => api.get<{ definitionId: string; name: string }[]>('/api/definitions'), []);
  const key = params.toString();
  const found = useLoad(() => api.get<Page<AuditInstanceRow>>('/api/audit/instances' + query({
    definitionId: params.get('definitionId'), applicant: params.get('applicant'), department: params.get('department'),
    status: params.get('status'), from: params.get('from'), to: params.get('to'), overdue: params.get('overdue'), page, pageSize,
  })), [key]);
  const [initial] = useState<Filters>(() => ({
    definitionId: params.get('definitionId') ?? undefined, applicant: params.get('applicant') ?? undefined,
    department: params.get('department') ?? undefined, status: params.get('status') ?? undefined, overdue: params.get('overdue') === 'true',
    period: params.get('from') ? [dayjs(params.get('from')), params.get('to') ? dayjs(params.get('to')).subtract(1, 'day') : null] : null,
  }));

  const search = (values: Filters) => {
    const next: Record<string, string> = {};
    if (values.definitionId) next.definitionId = values.definitionId;
    if (values.applicant?.trim()) next.applicant = values.applicant.trim();
    if (values.department?.trim()) next.department = values.department.trim();
    if (values.status) next.status = values.status;
    if (values.overdue) next.overdue = 'true';
    // The server's `to` is exclusive: the day after the last day picked, both at Beijing midnight.
    if (values.period?.[0]) next.from = values.period[0].startOf('day').format();
    if (values.period?.[1]) next.to = values.period[1].add(1, 'day').startOf('day').format();
    setParams(next);
  };

  return (
    <div>
      <h2 className="page-title">审计 · 流程实例检索</h2>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form form={form} layout="inline" initialValues={initial} onFinish={search} data-testid="audit-filters">
          <Form.Item name="definitionId" label="流程" htmlFor="audit-definition">
            <Select id="audit-definition" allowClear style={{ width: 220 }} placeholder="全部流程" loading={definitions.loading}
              options={(definitions.data ?? []).map((d) => ({ value: d.definitionId, label: d.name || d.definitionId }))} />
          </Form.Item>
          <Form.Item name="applicant" label="申请人"><Input id="audit-applicant" placeholder="姓名或登录名" allowClear style={{ width: 160 }} /></Form.Item>
          <Form.Item name="department" label="申请单位"><Input id="audit-department" placeholder="单位名称，如 市公安局" allowClear style={{ width: 180 }} /></Form.Item>
          <Form.Item name="status" label="状态" htmlFor="audit-status"><Select id="audit-status" allowClear style={{ width: 120 }} placeholder="全部" options={auditStatuses} /></Form.Item>
          <Form.Item name="period" label="发起时间"><DatePicker.RangePicker id="audit-period" allowEmpty={[true, true]} /></Form.Item>
          <Form.Item name="overdue" label="仅超期" valuePropName="checked" htmlFor="audit-overdue"><Switch id="audit-overdue" /></Form.Item>
          <Form.Item><Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">查询</Button></Form.Item>
        </Form>
      </Card>
      <ErrorAlert error={found.error} />
      <Table<AuditInstanceRow> size="small" rowKey="id" loading={found.loading} dataSource={found.data?.items ?? []} data-testid="audit-results"
        locale={{ emptyText: '没有符合条件的流程实例' }}
        pagination={{ current: page, pageSize, total: found.data?.total ?? 0, showSizeChanger: true, pageSizeOptions: [20, 50, 100],
          showTotal: (t) => `共 ${t} 条`, onChange: (p, s) => { const next = new URLSearchParams(params); next.set('page', String(p)); next.set('pageSize', String(s)); setParams(next); } }}
        columns={[
          { title: '流程', render: (_, r) => <div><Link to={`/audit/${r.id}`} data-testid="audit-open">{r.processName ?? r.definitionId}</Link>
            {r.summary && <div style={{ fontSize: 12, color: '#595959' }}>{r.summary}</div>}</div> },
          { title: '版本', dataIndex: 'definitionVersion', width: 70, render: (v) => `第 ${v} 版` },
          { title: '业务编号', dataIndex: 'businessNumber', width: 170, render: (v) => v ?? '—' },
          { title: '申请人', width: 120, render: (_, r) => r.applicantName ?? '—' },
          { title: '申请单位', width: 200, render: (_, r) => r.departmentName ?? '—' },
          { title: '状态', dataIndex: 'status', width: 90, render: (s) => statusTag(s) },
          { title: '发起时间', dataIndex: 'createdAt', width: 140, render: (v) => fmt(v) },
          { title: '办结时间', dataIndex: 'finishedAt', width: 140, render: (v) => fmt(v) },
          { title: '时限', dataIndex: 'overdue', width: 80, render: (v) => v ? <Tag color="red">超期</Tag> : <Tag color="green">正常</Tag> },
        ]} />
      <StreamVerifyCard />
    </div>
  );
}
