// 流程设计: the definitions list and the designer (canvas, palette, property panel, versions, diff, import/export).
import { Alert, Button, Card, Collapse, Drawer, List, Modal, Select, Space, Table, Tag, Tooltip, Typography, message } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  Background, Controls, Handle, MiniMap, Position, ReactFlow, ReactFlowProvider, addEdge, applyEdgeChanges, applyNodeChanges,
  useReactFlow, type Connection, type Edge, type EdgeChange, type NodeChange, type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { api, ApiError } from '../api';
import { ErrorAlert, fmt } from '../ui';
import { useLoad } from '../useLoad';
import { PropertyPanel } from './PropertyPanel';
import {
  edgeOf, fromGraph, layout, newId, outcomesOf, toGraph,
  type ActivityDescriptor, type DefinitionJson, type StepNode, type ValidationError, type VersionInfo,
} from './model';

interface DiffChange { name: string; change: string; from: unknown; to: unknown; }
interface DefinitionDiff {
  nodesAdded: { id: string; type: string; name: string | null }[]; nodesRemoved: { id: string; type: string; name: string | null }[];
  nodesChanged: { id: string; typeChange: unknown; nameChange: unknown; inputs: DiffChange[]; settings: DiffChange[]; moved: boolean }[];
  connectionsAdded: { source: string; port: string; target: string }[]; connectionsRemoved: { source: string; port: string; target: string }[];
  variables: DiffChange[]; settings: DiffChange[];
}

export function DefinitionsPage() {
  const { data, error, loading } = useLoad(() => api.get<VersionInfo[]>('/api/definitions'), []);
  const navigate = useNavigate();
  const importFile = async (file: File) => {
    try {
      const saved = await api.post<{ version: VersionInfo; valid: boolean }>('/api/designer/definitions/import', JSON.parse(await file.text()));
      message.success(`已导入为草稿 v${saved.version.version}`);
      navigate(`/designer/${encodeURIComponent(saved.version.definitionId)}`);
    } catch (e) { message.error(e instanceof ApiError ? e.message : `导入失败：${(e as Error).message}`); }
  };
  return (
    <Card title="流程设计" extra={<label className="ant-btn ant-btn-default" style={{ cursor: 'pointer' }}>导入 JSON
      <input type="file" accept=".json,application/json" hidden data-testid="import-file" onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])} /></label>}>
      <ErrorAlert error={error} />
      <Table rowKey="definitionId" loading={loading} dataSource={data ?? []} pagination={false} size="middle"
        columns={[
          { title: '流程', dataIndex: 'name', render: (name: string, r: VersionInfo) => <Link to={`/designer/${encodeURIComponent(r.definitionId)}`}>{name || r.definitionId}</Link> },
          { title: '标识', dataIndex: 'definitionId' },
          { title: '最新版本', dataIndex: 'version', render: (v: number, r: VersionInfo) => <Space>v{v}{r.isPublished ? <Tag color="green">已发布</Tag> : <Tag>草稿</Tag>}</Space> },
          { title: '更新时间', dataIndex: 'createdAt', render: (t: string) => fmt(t) },
          { title: '', key: 'ops', render: (_: unknown, r: VersionInfo) => <Space><Link to={`/designer/${encodeURIComponent(r.definitionId)}`}>设计</Link><Link to={`/designer/${encodeURIComponent(r.definitionId)}/migrate`}>实例迁移</Link></Space> },
        ]} />
    </Card>
  );
}

type Marks = Record<string, { errors?: ValidationError[]; diff?: 'added' | 'removed' | 'changed' }>;
// The descriptors by type, for the node views (set when the designer loads them).
const MarksContext = { descriptors: new Map<string, ActivityDescriptor>() };

function StepNodeView({ id, data, selected }: NodeProps<StepNode>) {
  const activity = data.activity;
  const descriptor = MarksContext.descriptors.get(activity.type);
  const mark = (data.mark ?? {}) as Marks[string];
  const errors = mark.errors ?? [];
  const outcomes = activity.type === 'End' ? [] : outcomesOf(activity, descriptor);
  const border = errors.length ? '#ff4d4f' : mark.diff === 'added' ? '#52c41a' : mark.diff === 'removed' ? '#8c8c8c' : mark.diff === 'changed' ? '#faad14' : selected ? '#1677ff' : '#d9d9d9';
  return (
    <div className={`designer-node${errors.length ? ' has-error' : ''}`} data-testid={`node-${id}`} data-diff={mark.diff}
      style={{ width: 200, minHeight: 56, background: '#fff', border: `2px solid ${border}`, borderRadius: 6, padding: '6px 8px 16px', boxShadow: selected ? '0 0 0 2px rgba(22,119,255,.2)' : undefined }}>
      {activity.type !== 'Start' && <Handle type="target" position={Position.Top} id="In" />}
      <div style={{ fontWeight: 600, fontSize: 13 }}>{activity.name || activity.id}</div>
      <div style={{ fontSize: 11, color: '#888' }}>{descriptor?.displayName ?? activity.type}</div>
      {errors.length > 0 && <Tooltip title={errors.map((e) => e.message).join('；')}>
        <span data-testid={`node-error-badge-${id}`} style={{ position: 'absolute', top: -10, right: -10, minWidth: 20, height: 20, lineHeight: '20px', borderRadius: 10,
          background: '#ff4d4f', color: '#fff', fontSize: 12, textAlign: 'center', padding: '0 6px' }}>{errors.length}</span></Tooltip>}
      {mark.diff && <Tag style={{ position: 'absolute', top: -11, left: 6, fontSize: 10 }} color={mark.diff === 'added' ? 'green' : mark.diff === 'removed' ? 'default' : 'orange'}>
        {mark.diff === 'added' ? '新增' : mark.diff === 'removed' ? '删除' : '修改'}</Tag>}
      {outcomes.map((o, i) => (
        <Handle key={o} type="source" position={Position.Bottom} id={o} data-testid={`port-${id}-${o}`}
          style={{ left: `${((i + 1) * 100) / (outcomes.length + 1)}%`, background: '#1677ff' }}>
          <span style={{ position: 'absolute', top: 6, left: -20, width: 40, textAlign: 'center', fontSize: 9, color: '#555', pointerEvents: 'none' }}>{o}</span>
        </Handle>
      ))}
    </div>
  );
}
const nodeTypes = { step: StepNodeView };

interface Snapshot { nodes: StepNode[]; edges: Edge[]; }

export function DesignerPage() { return <ReactFlowProvider><Designer /></ReactFlowProvider>; }

function Designer() {
  const { id = '' } = useParams();
  const flow = useReactFlow();
  const [descriptors, setDescriptors] = useState<ActivityDescriptor[]>([]);
  const [base, setBase] = useState<DefinitionJson | null>(null);
  const [nodes, setNodes] = useState<StepNode[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  const [errors, setErrors] = useState<ValidationError[] | null>(null);
  const [diffMarks, setDiffMarks] = useState<Marks>({});
  const [diff, setDiff] = useState<DefinitionDiff | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [versionsOpen, setVersionsOpen] = useState(false);
  const [versions, setVersions] = useState<VersionInfo[]>([]);
  const [closed, setClosed] = useState<string[]>([]);
  const past = useRef<Snapshot[]>([]);
  const future = useRef<Snapshot[]>([]);
  const clipboard = useRef<StepNode[]>([]);
  const current = useRef<Snapshot>({ nodes, edges });
  current.current = { nodes, edges };

  const load = useCallback(async (version?: number) => {
    try {
      const [d, def] = await Promise.all([
        api.get<ActivityDescriptor[]>('/api/activity-descriptors'),
        api.get<DefinitionJson>(`/api/definitions/${encodeURIComponent(id)}${version ? `?version=${version}` : ''}`),
      ]);
      MarksContext.descriptors = new Map(d.map((x) => [x.type, x]));
      setDescriptors(d);
      const graph = toGraph(def);
      setBase(def); setNodes(graph.nodes); setEdges(graph.edges); setErrors(null); setDiff(null); setDiffMarks({});
      past.current = []; future.current = [];
      setVersions(await api.get<VersionInfo[]>(`/api/definitions/${encodeURIComponent(id)}/versions`));
    } catch (e) { setLoadError(e); }
  }, [id]);
  useEffect(() => { void load(); }, [load]);

  const record = useCallback(() => { past.current.push(current.current); future.current = []; if (past.current.length > 100) past.current.shift(); }, []);
  const undo = useCallback(() => { const s = past.current.pop(); if (!s) return; future.current.push(current.current); setNodes(s.nodes); setEdges(s.edges); }, []);
  const redo = useCallback(() => { const s = future.current.pop(); if (!s) return; past.current.push(current.current); setNodes(s.nodes); setEdges(s.edges); }, []);

  const onNodesChange = useCallback((changes: NodeChange<StepNode>[]) => {
    if (changes.some((c) => c.type === 'position' && c.dragging === false)) record();
    setNodes((ns) => applyNodeChanges(changes, ns));
  }, [record]);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => setEdges((es) => applyEdgeChanges(changes, es)), []);
  const onConnect = useCallback((c: Connection) => {
    if (!c.sourceHandle) return;
    record();
    setEdges((es) => addEdge(edgeOf(c.source, c.sourceHandle!, c.target), es.filter((e) => !(e.source === c.source && e.sourceHandle === c.sourceHandle && e.target === c.target))));
  }, [record]);

  const removeSelected = useCallback(() => {
    const { nodes: ns, edges: es } = current.current;
    const gone = new Set(ns.filter((n) => n.selected).map((n) => n.id));
    if (!gone.size && !es.some((e) => e.selected)) return;
    record();
    setNodes(ns.filter((n) => !gone.has(n.id)));
    setEdges(es.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target)));
  }, [record]);
  const paste = useCallback(() => {
    if (!clipboard.current.length) return;
    record();
    const taken = new Set(current.current.nodes.map((n) => n.id));
    const copies = clipboard.current.map((n) => {
      const newNodeId = newId(n.data.activity.type, taken); taken.add(newNodeId);
      return { ...n, id: newNodeId, selected: true, position: { x: n.position.x + 40, y: n.position.y + 40 }, data: { activity: { ...structuredClone(n.data.activity), id: newNodeId } } };
    });
    setNodes([...current.current.nodes.map((n) => ({ ...n, selected: false })), ...copies]);
  }, [record]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, [contenteditable=true], .ant-select')) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z' && !e.shiftKey) { e.preventDefault(); undo(); }
      else if (mod && (e.key.toLowerCase() === 'y' || (e.key.toLowerCase() === 'z' && e.shiftKey))) { e.preventDefault(); redo(); }
      else if (mod && e.key.toLowerCase() === 'c') clipboard.current = current.current.nodes.filter((n) => n.selected);
      else if (mod && e.key.toLowerCase() === 'v') { e.preventDefault(); paste(); }
      else if (e.key === 'Delete' || e.key === 'Backspace') removeSelected();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo, paste, removeSelected]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const type = e.dataTransfer.getData('application/pds-activity');
    const descriptor = descriptors.find((d) => d.type === type);
    if (!descriptor) return;
    record();
    const nodeId = newId(type, new Set(nodes.map((n) => n.id)));
    const position = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    setNodes((ns) => [...ns.map((n) => ({ ...n, selected: false })), { id: nodeId, type: 'step', position, selected: true, data: { activity: { id: nodeId, type, name: descriptor.displayName } } }]);
  };

  const selected = nodes.filter((n) => n.selected);
  const errorsByNode = useMemo(() => {
    const map: Marks = {};
    for (const e of errors ?? []) if (e.activityId) (map[e.activityId] ??= {}).errors = [...(map[e.activityId]?.errors ?? []), e];
    for (const [k, v] of Object.entries(diffMarks)) (map[k] ??= {}).diff = v.diff;
    return map;
  }, [errors, diffMarks]);
  const shown = useMemo(() => nodes.map((n) => ({ ...n, data: { ...n.data, mark: errorsByNode[n.id] } })), [nodes, errorsByNode]);

  const definition = () => fromGraph(base!, nodes, edges);
  const run = async (action: () => Promise<void>) => { setBusy(true); try { await action(); } catch (e) { showError(e); } finally { setBusy(false); } };
  const showError = (e: unknown) => {
    if (e instanceof ApiError && Array.isArray((e.problem as unknown as { errors?: unknown }).errors)) setErrors((e.problem as unknown as { errors: ValidationError[] }).errors);
    message.error(e instanceof ApiError ? e.message : String(e));
  };
  const saveDraft = () => run(async () => {
    const saved = await api.put<{ version: VersionInfo; valid: boolean; errors: ValidationError[] }>(`/api/designer/definitions/${encodeURIComponent(id)}/draft`, definition());
    setErrors(saved.errors);
    setBase({ ...definition(), version: saved.version.version });
    setVersions(await api.get<VersionInfo[]>(`/api/definitions/${encodeURIComponent(id)}/versions`));
    if (saved.valid) message.success(`草稿 v${saved.version.version} 已保存，校验通过`);
    else message.warning(`草稿 v${saved.version.version} 已保存，有 ${saved.errors.length} 处校验错误`);
  });
  const publish = () => run(async () => {
    const info = await api.post<VersionInfo>(`/api/designer/definitions/${encodeURIComponent(id)}/publish`);
    message.success(`v${info.version} 已发布`);
    await load();
  });
  const retract = () => run(async () => { const info = await api.post<VersionInfo>(`/api/designer/definitions/${encodeURIComponent(id)}/retract`); message.success(`v${info.version} 已撤销发布`); await load(); });
  const revert = (version: number) => run(async () => { const info = await api.post<VersionInfo>(`/api/designer/definitions/${encodeURIComponent(id)}/revert/${version}`); message.success(`已从 v${version} 恢复为草稿 v${info.version}`); await load(); });
  const showDiff = (from: number, to: number) => run(async () => {
    const d = await api.get<DefinitionDiff>(`/api/designer/definitions/${encodeURIComponent(id)}/diff?from=${from}&to=${to}`);
    const def = await api.get<DefinitionJson>(`/api/definitions/${encodeURIComponent(id)}?version=${to}`);
    const old = await api.get<DefinitionJson>(`/api/definitions/${encodeURIComponent(id)}?version=${from}`);
    const graph = toGraph(def);
    // Removed nodes are shown greyed at their old place so the change is visible on one canvas.
    const removed = toGraph(old).nodes.filter((n) => d.nodesRemoved.some((r) => r.id === n.id));
    setBase(def); setNodes([...graph.nodes, ...removed]); setEdges(graph.edges); setErrors(null);
    const marks: Marks = {};
    d.nodesAdded.forEach((n) => { marks[n.id] = { diff: 'added' }; });
    d.nodesRemoved.forEach((n) => { marks[n.id] = { diff: 'removed' }; });
    d.nodesChanged.forEach((n) => { marks[n.id] = { diff: 'changed' }; });
    setDiffMarks(marks); setDiff(d); setVersionsOpen(false);
  });
  const exportJson = () => { window.location.href = `/api/designer/definitions/${encodeURIComponent(id)}/export${base ? `?version=${base.version}` : ''}`; };

  const categories = useMemo(() => {
    const groups = new Map<string, ActivityDescriptor[]>();
    descriptors.forEach((d) => groups.set(d.category, [...(groups.get(d.category) ?? []), d]));
    return [...groups.entries()];
  }, [descriptors]);
  const latest = versions[versions.length - 1];

  if (loadError) return <ErrorAlert error={loadError} />;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: 'calc(100vh - 110px)' }}>
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>{base?.name ?? id}</Typography.Title>
        {base && <Tag data-testid="editing-version">v{base.version}</Tag>}
        {latest && (latest.isPublished ? <Tag color="green">v{latest.version} 已发布</Tag> : <Tag>最新 v{latest.version} 为草稿</Tag>)}
        <Button type="primary" loading={busy} onClick={saveDraft} data-testid="save-draft">保存草稿</Button>
        <Button loading={busy} onClick={publish} data-testid="publish">发布</Button>
        <Button loading={busy} onClick={retract}>撤销发布</Button>
        <Button onClick={() => setVersionsOpen(true)} data-testid="versions">版本</Button>
        <Button onClick={exportJson}>导出 JSON</Button>
        <Button onClick={() => { record(); setNodes(layout(nodes, edges)); }}>自动布局</Button>
        <Button onClick={undo} title="Ctrl+Z">撤销</Button>
        <Button onClick={redo} title="Ctrl+Y">重做</Button>
        <Link to={`/designer/${encodeURIComponent(id)}/migrate`}>实例迁移</Link>
      </Space>
      {errors && (errors.length === 0
        ? <Alert type="success" showIcon message="校验通过" style={{ marginBottom: 8 }} data-testid="validation-ok" />
        : <Alert type="error" showIcon data-testid="validation-errors" style={{ marginBottom: 8 }}
            message={`校验错误 ${errors.length} 处`} description={<ul style={{ margin: 0 }}>{errors.map((e, i) =>
              <li key={i}><a onClick={() => e.activityId && setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === e.activityId })))}>{e.activityId ? `【${nodes.find((n) => n.id === e.activityId)?.data.activity.name ?? e.activityId}】` : ''}{e.message}</a></li>)}</ul>} />)}
      {diff && <DiffList diff={diff} onClose={() => { setDiff(null); setDiffMarks({}); void load(); }} />}
      <div style={{ display: 'flex', flex: 1, minHeight: 0, gap: 8 }}>
        <Card size="small" title="组件" style={{ width: 200, overflow: 'auto' }} data-testid="palette">
          <Collapse size="small" activeKey={categories.map(([c]) => c).filter((c) => !closed.includes(c))}
            onChange={(open) => setClosed(categories.map(([c]) => c).filter((c) => !(open as string[]).includes(c)))} items={categories.map(([category, items]) => ({
            key: category, label: category,
            children: items.map((d) => (
              <div key={d.type} draggable data-testid={`palette-${d.type}`} title={d.description ?? d.type}
                onDragStart={(e) => { e.dataTransfer.setData('application/pds-activity', d.type); e.dataTransfer.effectAllowed = 'move'; }}
                style={{ padding: '4px 6px', margin: '2px 0', border: '1px solid #d9d9d9', borderRadius: 4, cursor: 'grab', background: '#fafafa', fontSize: 12 }}>{d.displayName}</div>
            )),
          }))} />
        </Card>
        <div style={{ flex: 1, border: '1px solid #f0f0f0', background: '#fff' }} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }} onDrop={onDrop} data-testid="canvas">
          <ReactFlow nodes={shown} edges={edges} nodeTypes={nodeTypes} onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} onConnect={onConnect}
            deleteKeyCode={null} fitView minZoom={0.2} defaultEdgeOptions={{ type: 'smoothstep' }}>
            <Background /><Controls /><MiniMap pannable zoomable />
          </ReactFlow>
        </div>
        <Card size="small" title="属性" style={{ width: 320, overflow: 'auto' }}>
          {selected.length === 1
            ? <PropertyPanel key={selected[0].id} activity={selected[0].data.activity} descriptor={descriptors.find((d) => d.type === selected[0].data.activity.type)}
                errors={(errors ?? []).filter((e) => e.activityId === selected[0].id)}
                onChange={(activity) => { record(); setNodes((ns) => ns.map((n) => (n.id === selected[0].id ? { ...n, data: { activity } } : n))); }} />
            : <Typography.Text type="secondary">选择一个节点以编辑属性；从左侧拖入组件；从节点下方的出口拖线连接。Delete 删除，Ctrl+C/Ctrl+V 复制粘贴，Ctrl+Z/Ctrl+Y 撤销重做。</Typography.Text>}
        </Card>
      </div>
      <Drawer title="版本" open={versionsOpen} onClose={() => setVersionsOpen(false)} width={520}>
        <VersionList versions={versions} onOpen={(v) => { setVersionsOpen(false); void load(v); }} onRevert={(v) => Modal.confirm({ title: `从 v${v} 恢复为新草稿？`, onOk: () => revert(v) })} onDiff={showDiff} />
      </Drawer>
    </div>
  );
}

function VersionList({ versions, onOpen, onRevert, onDiff }: { versions: VersionInfo[]; onOpen: (v: number) => void; onRevert: (v: number) => void; onDiff: (from: number, to: number) => void }) {
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();
  const options = versions.map((v) => ({ value: v.version, label: `v${v.version}` }));
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <span>比较</span><Select style={{ width: 90 }} options={options} id="diff-from" value={from} onChange={setFrom} />
        <span>→</span><Select style={{ width: 90 }} options={options} id="diff-to" value={to} onChange={setTo} />
        <Button disabled={!from || !to || from === to} onClick={() => onDiff(from!, to!)} data-testid="show-diff">查看差异</Button>
      </Space>
      <List dataSource={[...versions].reverse()} renderItem={(v) => (
        <List.Item actions={[<a key="o" onClick={() => onOpen(v.version)}>打开</a>, <a key="r" onClick={() => onRevert(v.version)}>恢复</a>]}>
          <List.Item.Meta title={<Space>v{v.version}{v.isPublished ? <Tag color="green">已发布</Tag> : v.retractedAt ? <Tag>已撤销</Tag> : <Tag>草稿</Tag>}{v.isLatest && <Tag color="blue">最新</Tag>}</Space>}
            description={`${fmt(v.createdAt as string)} ${String(v.createdBy ?? '')}${v.publishedAt ? ` · 发布于 ${fmt(v.publishedAt as string)}` : ''}`} />
        </List.Item>
      )} />
    </>
  );
}

const changeNames: Record<string, string> = { added: '新增', removed: '删除', changed: '修改' };
const show = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function DiffList({ diff, onClose }: { diff: DefinitionDiff; onClose: () => void }) {
  const rows: string[] = [
    ...diff.nodesAdded.map((n) => `新增节点【${n.name ?? n.id}】（${n.type}）`),
    ...diff.nodesRemoved.map((n) => `删除节点【${n.name ?? n.id}】（${n.type}）`),
    ...diff.nodesChanged.flatMap((n) => [
      ...(n.nameChange ? [`节点 ${n.id} 名称修改`] : []),
      ...n.inputs.map((c) => `节点 ${n.id} 的输入 ${c.name} ${changeNames[c.change] ?? c.change}：${show(c.from)} → ${show(c.to)}`),
      ...n.settings.map((c) => `节点 ${n.id} 的设置 ${c.name} ${changeNames[c.change] ?? c.change}：${show(c.from)} → ${show(c.to)}`),
      ...(n.moved ? [`节点 ${n.id} 位置移动`] : []),
    ]),
    ...diff.connectionsAdded.map((c) => `新增连线 ${c.source}:${c.port} → ${c.target}`),
    ...diff.connectionsRemoved.map((c) => `删除连线 ${c.source}:${c.port} → ${c.target}`),
    ...diff.variables.map((c) => `变量 ${c.name} ${changeNames[c.change] ?? c.change}`),
    ...diff.settings.map((c) => `流程设置 ${c.name} ${changeNames[c.change] ?? c.change}：${show(c.from)} → ${show(c.to)}`),
  ];
  return <Alert type="info" closable onClose={onClose} style={{ marginBottom: 8 }} data-testid="diff-list"
    message={`版本差异（${rows.length} 处；画布上绿色为新增、橙色为修改、灰色为删除）`}
    description={rows.length ? <ul style={{ margin: 0, maxHeight: 120, overflow: 'auto' }}>{rows.map((r, i) => <li key={i}>{r}</li>)}</ul> : '两个版本相同'} />;
}
