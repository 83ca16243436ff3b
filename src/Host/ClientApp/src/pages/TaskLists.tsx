import { TextLimits } from '../limits';
import { App, Button, Card, Checkbox, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, query } from '../api';
import type { ApplicationView, CopyView, Page, TaskView } from '../types';
import { DueBadge, ErrorAlert, fmt, pascal, statusTag } from '../ui';
import { useLoad } from '../useLoad';

const processName = (t: { processName: string | null; definitionId: string }) => t.processName ?? t.definitionId;

export function TodoList() {
  const { message, modal } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const filters = { search: params.get('search') ?? '', level: params.get('level') ?? '', overdue: params.get('overdue') === 'true' };
  const list = useLoad(() => api.get<Page<TaskView>>(`/api/tasks/todo${query({ ...filters, overdue: filters.overdue || undefined, page, pageSize: 20 })}`), [params.toString(), page]);
  const set = (key: string, value: string) => { const next = new URLSearchParams(params); if (value) next.set(key, value); else next.delete(key); setParams(next); setPage(1); };
  const bulkApprove = () => modal.confirm({
    title: `批量同意 ${selected.length} 项待办？`, content: '将以“同意”办理所选事项，表单按各环节已保存的内容提交。', okText: '同意', cancelText: '取消',
    onOk: async () => {
      const results = await api.post<{ taskId: string; succeeded: boolean; detail: string | null }[]>('/api/tasks/bulk-approve', { taskIds: selected, comment: '同意' });
      const failed = results.filter((r) => !r.succeeded);
      if (failed.length === 0) message.success(`已同意 ${results.length} 项`);
      else message.warning(`已同意 ${results.length - failed.length} 项，${failed.length} 项未能办理：${failed.map((f) => f.detail).join('；')}`);
      setSelected([]); await list.reload();
    },
  });
  return (
    <Card size="small" title="待办事项">
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search placeholder="标题或流程" maxLength={TextLimits.search} allowClear defaultValue={filters.search} onSearch={(v) => set('search', v)} style={{ width: 240 }} />
        <Select value={filters.level} onChange={(v) => set('level', v)} style={{ width: 140 }}
          options={[{ value: '', label: '全部时限' }, { value: 'Normal', label: '正常' }, { value: 'Yellow', label: '即将到期' }, { value: 'Red', label: '已超期' }]} />
        <Checkbox checked={filters.overdue} onChange={(e) => set('overdue', e.target.checked ? 'true' : '')}>只看超期</Checkbox>
        <Button type="primary" disabled={selected.length === 0} onClick={bulkApprove} data-testid="bulk-approve">批量同意（{selected.length}）</Button>
      </Space>
      <ErrorAlert error={list.error} />
      <Table<TaskView> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 项` }}
        locale={{ emptyText: '暂无待办事项' }}
        columns={[
          { title: '事项', dataIndex: 'title', render: (v, t) => <Link to={`/tasks/${t.id}`}>{v}</Link> },
          { title: '流程', render: (_, t) => processName(t) },
          { title: '状态', render: (_, t) => t.assigneeId ? statusTag(t.status) : <Tag color="purple">待认领</Tag> },
          { title: '到达时间', dataIndex: 'createdAt', render: (v) => fmt(v), width: 150 },
          { title: '办理时限', render: (_, t) => <DueBadge dueAt={t.dueAt} level={t.level} />, width: 230 },
        ]} />
    </Card>
  );
}

export function DoneList() {
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const list = useLoad(() => api.get<Page<TaskView>>(`/api/tasks/done${query({ search, page, pageSize: 20 })}`), [search, page]);
  return (
    <Card size="small" title="已办事项">
      <Input.Search placeholder="标题或流程" maxLength={TextLimits.search} allowClear onSearch={setSearch} style={{ width: 240, marginBottom: 12 }} />
      <ErrorAlert error={list.error} />
      <Table<TaskView> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} locale={{ emptyText: '暂无已办事项' }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: '事项', dataIndex: 'title', render: (v, t) => <Link to={`/applications/${t.instanceId}`}>{v}</Link> },
          { title: '流程', render: (_, t) => processName(t) },
          { title: '结果', render: (_, t) => pascal(t.outcome) === 'Approve' ? <Tag color="green">同意</Tag> : pascal(t.outcome) === 'Reject' ? <Tag color="red">不同意</Tag> : statusTag(t.status) },
          { title: '办理时间', dataIndex: 'completedAt', render: (v) => fmt(v) },
        ]} />
    </Card>
  );
}

export function CopiesList() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useLoad(() => api.get<Page<CopyView>>(`/api/tasks/cc${query({ unreadOnly: unreadOnly || undefined, pageSize: 50 })}`), [unreadOnly]);
  return (
    <Card size="small" title="抄送我的" extra={<Checkbox checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)}>只看未读</Checkbox>}>
      <ErrorAlert error={list.error} />
      <Table<CopyView> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} locale={{ emptyText: '暂无抄送' }}
        columns={[
          { title: '事项', dataIndex: 'title', render: (v, c) => <Link to={`/applications/${c.instanceId}`} onClick={() => { if (!c.readAt) void api.post(`/api/tasks/cc/${c.id}/read`); }}>{v}</Link> },
          { title: '抄送人', dataIndex: 'copiedBy' }, { title: '附言', dataIndex: 'note' },
          { title: '时间', dataIndex: 'createdAt', render: (v) => fmt(v) },
          { title: '', render: (_, c) => c.readAt ? <Typography.Text type="secondary">已读</Typography.Text> : <Tag color="blue">未读</Tag> },
        ]} />
    </Card>
  );
}

export function MyApplications() {
  const [page, setPage] = useState(1);
  const list = useLoad(() => api.get<Page<ApplicationView>>(`/api/applications/mine${query({ page, pageSize: 20 })}`), [page]);
  return (
    <Card size="small" title="我的申请" extra={<Link to="/applications/new"><Button type="primary">发起申请</Button></Link>}>
      <ErrorAlert error={list.error} />
      <Table<ApplicationView> size="small" rowKey="instanceId" loading={list.loading} dataSource={list.data?.items ?? []} locale={{ emptyText: '暂无申请' }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: '申请', dataIndex: 'processName', render: (v, a) => <Link to={`/applications/${a.instanceId}`}>{v}</Link> },
          { title: '状态', render: (_, a) => statusTag(a.status, a.isDraft) },
          { title: '当前环节', render: (_, a) => a.currentSteps.map((s) => s.title).join('、') || '—' },
          { title: '办理时限', render: (_, a) => a.currentSteps[0] ? <DueBadge dueAt={a.currentSteps[0].dueAt} level={a.currentSteps[0].level} /> : '—' },
          { title: '提交时间', dataIndex: 'createdAt', render: (v) => fmt(v) },
        ]} />
    </Card>
  );
}
