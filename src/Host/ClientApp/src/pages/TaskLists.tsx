// The inbox lists: 待办, 已办, 抄送我的, 我的申请. Each row tells its case apart (业务编号, applicant unit, what it is
// about, due date); 待办 searches and filters by those, by process, unit and due state, and sorts by due date. A list
// that fails to load says so with a retry.
import { TextLimits } from '../limits';
import { App, Button, Card, Input, Select, Space, Tag, Typography } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, query } from '../api';
import { useProcessOptions, useUnitOptions } from '../directory';
import type { ApplicationView, CopyView, Page, TaskView } from '../types';
import { BusinessNumber, DueBadge, fmt, ListError, pascal, statusTag } from '../ui';
import { useLoad } from '../useLoad';
import { ResponsiveTable } from './ResponsiveTable';

const dueStates = [
  { value: '', label: '全部时限' }, { value: 'Normal', label: '正常' }, { value: 'Yellow', label: '即将到期' }, { value: 'Red', label: '已超期' },
  { value: 'within3', label: '3个工作日内到期' },
];

/** Where a row of 待办 leads: the draft's editor, or the task page (the menu keeps 待办 highlighted). */
const taskLink = (t: TaskView) => t.isDraft ? `/applications/${t.instanceId}` : `/tasks/${t.id}`;

function TaskTitle({ task, from }: { task: TaskView; from: string }) {
  return (
    <div style={{ minWidth: 200 }}>
      <Link to={taskLink(task)} state={{ from }} data-testid="task-link">{task.title}</Link>
      {task.summary && <div><Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="task-summary">{task.summary}</Typography.Text></div>}
    </div>
  );
}

const taskState = (t: TaskView) => t.isDraft ? <Tag>草稿</Tag> : t.assigneeId ? statusTag(t.status) : <Tag color="purple">待认领</Tag>;

export function TodoList() {
  const { message, modal } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [selected, setSelected] = useState<string[]>([]);
  const processes = useProcessOptions();
  const units = useUnitOptions();
  const page = Number(params.get('page') ?? '1') || 1;
  const f = { search: params.get('search') ?? '', due: params.get('due') ?? '', definitionId: params.get('definitionId') ?? '', orgUnitId: params.get('orgUnitId') ?? '', sort: params.get('sort') ?? 'dueAt' };
  const list = useLoad(() => api.get<Page<TaskView>>(`/api/tasks/todo${query({
    search: f.search, definitionId: f.definitionId, orgUnitId: f.orgUnitId, sort: f.sort === 'dueAt' ? undefined : f.sort,
    level: ['Normal', 'Yellow', 'Red'].includes(f.due) ? f.due : undefined, dueWithin: f.due === 'within3' ? 3 : undefined, page, pageSize: 20,
  })}`), [params.toString()]);
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) if (value) next.set(key, value); else next.delete(key);
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };
  const bulkApprove = () => modal.confirm({
    title: `批量同意 ${selected.length} 项待办？`, content: '将以“同意”办理所选事项，表单按各环节已保存的内容提交。此操作不可撤销。', okText: '同意', cancelText: '取消',
    onOk: async () => {
      try {
        const results = await api.post<{ taskId: string; succeeded: boolean; detail: string | null }[]>('/api/tasks/bulk-approve', { taskIds: selected, comment: '同意' });
        const failed = results.filter((r) => !r.succeeded);
        if (failed.length === 0) message.success(`已同意 ${results.length} 项`);
        else message.warning(`已同意 ${results.length - failed.length} 项，${failed.length} 项未能办理：${failed.map((x) => x.detail).join('；')}`);
      } catch (e) { message.error((e as Error).message); }
      setSelected([]); await list.reload();
    },
  });
  const sortOrder = f.sort === 'dueAt' ? 'ascend' : f.sort === '-dueAt' ? 'descend' : null;
  return (
    <Card size="small" title="待办事项">
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search id="todo-search" placeholder="业务编号、申请单位、资源名称或事项" maxLength={TextLimits.search} allowClear defaultValue={f.search}
          onSearch={(v) => set({ search: v.trim() })} style={{ width: 300 }} />
        <Select id="todo-process" aria-label="流程" value={f.definitionId} onChange={(v) => set({ definitionId: v })} style={{ width: 220 }} showSearch optionFilterProp="label"
          options={[{ value: '', label: '全部流程' }, ...(processes.data ?? [])]} />
        <Select id="todo-unit" aria-label="单位" value={f.orgUnitId} onChange={(v) => set({ orgUnitId: v ?? '' })} style={{ width: 240 }} showSearch optionFilterProp="label"
          options={[{ value: '', label: '全部单位' }, ...(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))]} />
        <Select id="todo-due" aria-label="办理时限" value={f.due} onChange={(v) => set({ due: v })} style={{ width: 160 }} options={dueStates} />
        <Button type="primary" disabled={selected.length === 0} onClick={bulkApprove} data-testid="bulk-approve">批量同意（{selected.length}）</Button>
      </Space>
      {list.error ? <ListError error={list.error} onRetry={() => void list.reload()} /> :
        <ResponsiveTable<TaskView> rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} emptyText="暂无待办事项"
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), getCheckboxProps: (t) => ({ disabled: !!t.isDraft, 'aria-label': `选择${t.businessNumber ?? t.title}` }) }}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (t) => `共 ${t} 项` }}
          onChange={(_p, _f, sorter, extra) => {
            // Only a click on the column sorts: antd calls onChange with the current sorter on paging too.
            const s = sorter as SorterResult<TaskView>;
            if (extra.action === 'sort' && s.columnKey === 'due') set({ sort: s.order === 'descend' ? '-dueAt' : 'dueAt' });
          }}
          card={(t) => (
            <div>
              <Space style={{ justifyContent: 'space-between', width: '100%' }}><BusinessNumber value={t.businessNumber} isDraft={t.isDraft} />{taskState(t)}</Space>
              <TaskTitle task={t} from="/tasks/todo" />
              <div style={{ fontSize: 12 }}>{t.applicantOrgUnitName ?? '—'} · {t.processName}</div>
              <DueBadge dueAt={t.dueAt} level={t.level} />
            </div>
          )}
          columns={[
            { title: '业务编号', key: 'number', render: (_, t) => <BusinessNumber value={t.businessNumber} isDraft={t.isDraft} />, width: 170 },
            { title: '事项', key: 'title', render: (_, t) => <TaskTitle task={t} from="/tasks/todo" /> },
            { title: '申请单位', dataIndex: 'applicantOrgUnitName', render: (v) => v ?? '—' },
            { title: '流程', dataIndex: 'processName' },
            { title: '状态', key: 'state', render: (_, t) => taskState(t), width: 90 },
            { title: '到达时间', dataIndex: 'createdAt', render: (v) => fmt(v), width: 140 },
            { title: '办理时限', key: 'due', sorter: true, sortOrder, sortDirections: ['ascend', 'descend', 'ascend'], render: (_, t) => <DueBadge dueAt={t.dueAt} level={t.level} />, width: 220 },
          ]} />}
    </Card>
  );
}

export function DoneList() {
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [definitionId, setDefinitionId] = useState('');
  const processes = useProcessOptions();
  const list = useLoad(() => api.get<Page<TaskView>>(`/api/tasks/done${query({ search, definitionId, page, pageSize: 20 })}`), [search, definitionId, page]);
  const outcome = (t: TaskView) => pascal(t.outcome) === 'Approve' ? <Tag color="green">同意</Tag> : pascal(t.outcome) === 'Reject' ? <Tag color="red">不同意</Tag>
    : pascal(t.outcome) === 'Return' ? <Tag color="orange">退回</Tag> : statusTag(t.status);
  const link = (t: TaskView) => <div><Link to={`/applications/${t.instanceId}`} state={{ from: '/tasks/done' }}>{t.title}</Link>
    {t.summary && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t.summary}</Typography.Text></div>}</div>;
  return (
    <Card size="small" title="已办事项">
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search placeholder="业务编号、申请单位、资源名称或事项" maxLength={TextLimits.search} allowClear onSearch={(v) => { setSearch(v.trim()); setPage(1); }} style={{ width: 300 }} />
        <Select aria-label="流程" value={definitionId} onChange={(v) => { setDefinitionId(v); setPage(1); }} style={{ width: 220 }} showSearch optionFilterProp="label"
          options={[{ value: '', label: '全部流程' }, ...(processes.data ?? [])]} />
      </Space>
      {list.error ? <ListError error={list.error} onRetry={() => void list.reload()} /> :
        <ResponsiveTable<TaskView> rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} emptyText="暂无已办事项"
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 项` }}
          card={(t) => <div><Space style={{ justifyContent: 'space-between', width: '100%' }}><BusinessNumber value={t.businessNumber} />{outcome(t)}</Space>
            {link(t)}<div style={{ fontSize: 12 }}>{t.applicantOrgUnitName ?? '—'} · {fmt(t.completedAt)}</div><DoneDue task={t} /></div>}
          columns={[
            { title: '业务编号', key: 'number', render: (_, t) => <BusinessNumber value={t.businessNumber} />, width: 170 },
            { title: '事项', key: 'title', render: (_, t) => link(t) },
            { title: '申请单位', dataIndex: 'applicantOrgUnitName', render: (v) => v ?? '—' },
            { title: '流程', dataIndex: 'processName' },
            { title: '结果', key: 'outcome', render: (_, t) => outcome(t), width: 90 },
            { title: '办理时限', key: 'due', render: (_, t) => <DoneDue task={t} />, width: 190 },
            { title: '办理时间', dataIndex: 'completedAt', render: (v) => fmt(v), width: 150 },
          ]} />}
    </Card>
  );
}

/** A done task's due date, and whether it was done after it. */
function DoneDue({ task }: { task: TaskView }) {
  if (!task.dueAt) return <span>—</span>;
  const late = !!task.completedAt && task.completedAt > task.dueAt;
  return <span>{fmt(task.dueAt)} {late ? <Tag color="red">超期办结</Tag> : <Tag color="green">按时</Tag>}</span>;
}

export function CopiesList() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [page, setPage] = useState(1);
  const list = useLoad(() => api.get<Page<CopyView>>(`/api/tasks/cc${query({ unreadOnly: unreadOnly || undefined, page, pageSize: 20 })}`), [unreadOnly, page]);
  const open = (c: CopyView) => <div><Link to={`/applications/${c.instanceId}`} state={{ from: '/tasks/cc' }} onClick={() => { if (!c.readAt) void api.post(`/api/tasks/cc/${c.id}/read`); }}>{c.title}</Link>
    {c.summary && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.summary}</Typography.Text></div>}</div>;
  const read = (c: CopyView) => c.readAt ? <Typography.Text type="secondary">已读</Typography.Text> : <Tag color="blue">未读</Tag>;
  return (
    <Card size="small" title="抄送我的" extra={<Select aria-label="阅读状态" value={unreadOnly ? 'unread' : 'all'} onChange={(v) => { setUnreadOnly(v === 'unread'); setPage(1); }} style={{ width: 110 }}
      options={[{ value: 'all', label: '全部' }, { value: 'unread', label: '只看未读' }]} />}>
      {list.error ? <ListError error={list.error} onRetry={() => void list.reload()} /> :
        <ResponsiveTable<CopyView> rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} emptyText="暂无抄送"
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
          card={(c) => <div><Space style={{ justifyContent: 'space-between', width: '100%' }}><BusinessNumber value={c.businessNumber} />{read(c)}</Space>{open(c)}
            <div style={{ fontSize: 12 }}>{c.copiedByName ?? '—'} 抄送 · {fmt(c.createdAt)}</div></div>}
          columns={[
            { title: '业务编号', key: 'number', render: (_, c) => <BusinessNumber value={c.businessNumber} />, width: 170 },
            { title: '事项', key: 'title', render: (_, c) => open(c) },
            { title: '申请单位', dataIndex: 'applicantOrgUnitName', render: (v) => v ?? '—' },
            { title: '抄送人', dataIndex: 'copiedByName', render: (v) => v ?? '—' },
            { title: '附言', dataIndex: 'note', render: (v) => v ?? '—' },
            { title: '办理时限', dataIndex: 'dueAt', render: (v) => fmt(v), width: 150 },
            { title: '抄送时间', dataIndex: 'createdAt', render: (v) => fmt(v), width: 150 },
            { title: '', key: 'read', render: (_, c) => read(c), width: 70 },
          ]} />}
    </Card>
  );
}

export function MyApplications() {
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const list = useLoad(() => api.get<Page<ApplicationView>>(`/api/applications/mine${query({ search, page, pageSize: 20 })}`), [search, page]);
  const discard = (a: ApplicationView) => modal.confirm({
    title: '删除这份草稿？', content: `“${a.summary ?? a.processName}”的草稿及其附件将被删除，不能恢复。`, okText: '删除', okButtonProps: { danger: true }, cancelText: '取消',
    onOk: async () => {
      try { await api.del(`/api/applications/${a.instanceId}`); message.success('草稿已删除'); await list.reload(); } catch (e) { message.error((e as Error).message); }
    },
  });
  const title = (a: ApplicationView) => <div><Link to={`/applications/${a.instanceId}`}>{a.processName}</Link>
    {a.summary && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{a.summary}</Typography.Text></div>}</div>;
  const where = (a: ApplicationView) => a.isDraft ? '未提交' : a.currentSteps.map((s) => `${s.title}${s.holders && s.holders.length > 0 ? `（${s.holders.join('、')}）` : ''}`).join('；') || '—';
  const actions = (a: ApplicationView) => a.isDraft ? <Space>
    <Button size="small" onClick={() => navigate(`/applications/${a.instanceId}`)}>继续填写</Button>
    <Button size="small" danger onClick={() => discard(a)} data-testid="discard-draft">删除</Button></Space> : null;
  return (
    <Card size="small" title="我的申请" extra={<Link to="/applications/new"><Button type="primary">发起申请</Button></Link>}>
      <Input.Search placeholder="业务编号或申请事项" maxLength={TextLimits.search} allowClear onSearch={(v) => { setSearch(v.trim()); setPage(1); }} style={{ width: 280, marginBottom: 12 }} />
      {list.error ? <ListError error={list.error} onRetry={() => void list.reload()} /> :
        <ResponsiveTable<ApplicationView> rowKey="instanceId" loading={list.loading} dataSource={list.data?.items ?? []} emptyText="暂无申请"
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (t) => `共 ${t} 项` }}
          card={(a) => <div><Space style={{ justifyContent: 'space-between', width: '100%' }}><BusinessNumber value={a.businessNumber} isDraft={a.isDraft} />{statusTag(a.status, a.isDraft)}</Space>
            {title(a)}<div style={{ fontSize: 12 }}>{where(a)}</div>{a.dueAt && <DueBadge dueAt={a.dueAt} level={a.currentSteps[0]?.level ?? null} />}{actions(a)}</div>}
          columns={[
            { title: '业务编号', key: 'number', render: (_, a) => <BusinessNumber value={a.businessNumber} isDraft={a.isDraft} />, width: 170 },
            { title: '申请', key: 'title', render: (_, a) => title(a) },
            { title: '状态', key: 'status', render: (_, a) => <span data-testid="application-row-status">{statusTag(a.status, a.isDraft)}</span>, width: 90 },
            { title: '当前环节', key: 'where', render: (_, a) => where(a) },
            { title: '办理时限', key: 'due', render: (_, a) => a.dueAt ? <DueBadge dueAt={a.dueAt} level={a.currentSteps[0]?.level ?? null} /> : '—', width: 220 },
            { title: '创建时间', dataIndex: 'createdAt', render: (v) => fmt(v), width: 150 },
            { title: '操作', key: 'actions', render: (_, a) => actions(a), width: 150 },
          ]} />}
    </Card>
  );
}
