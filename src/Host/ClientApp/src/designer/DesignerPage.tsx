// 流程设计: the definitions list and the designer (canvas, palette, property panel, versions, diff, import/export).
import { Alert, App, Button, Card, Collapse, Drawer, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, addEdge, applyEdgeChanges, applyNodeChanges,
  useReactFlow, type Connection, type Edge, type EdgeChange, type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { api, ApiError } from '../api';
import { ErrorAlert, fmt } from '../ui';
import { useLoad } from '../useLoad';
import { flowAriaLabels, namedEdges, namedNodes } from '../flowAria';
import { useUnsavedChanges } from '../work';
import { PropertyPanel } from './PropertyPanel';
import { StepNodeView, descriptorsByType, type Marks } from './StepNode';
import { DiffList, VersionList, VersionState, type DefinitionDiff } from './Versions';
import {
  edgeOf, fromGraph, layout, newId, outcomeLabel, stepLabel, toGraph,
  type ActivityDescriptor, type DefinitionJson, type StepNode, type ValidationError, type VersionInfo,
} from './model';

interface Saved { version: VersionInfo; valid: boolean; errors: ValidationError[]; warnings: ValidationError[] }

export function DefinitionsPage() {
  const { message } = App.useApp();
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
          { title: '最新版本', dataIndex: 'version', render: (v: number, r: VersionInfo) => <Space>v{v}<VersionState v={r} /></Space> },
          { title: '更新时间', dataIndex: 'createdAt', render: (t: string) => fmt(t) },
          { title: '', key: 'ops', render: (_: unknown, r: VersionInfo) => <Space><Link to={`/designer/${encodeURIComponent(r.definitionId)}`}>设计</Link><Link to={`/designer/${encodeURIComponent(r.definitionId)}/migrate`}>实例迁移</Link></Space> },
        ]} />
    </Card>
  );
}

const nodeTypes = { step: StepNodeView };

interface Snapshot { nodes: StepNode[]; edges: Edge[]; }

export function DesignerPage() { return <ReactFlowProvider><Designer /></ReactFlowProvider>; }

function Designer() {
  const { id = '' } = useParams();
  const flow = useReactFlow();
  const { message, modal } = App.useApp();
  const [warnings, setWarnings] = useState<ValidationError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [dirty, setDirty] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [oldNames, setOldNames] = useState<Record<string, string>>({});
  // Leaving with unsaved changes asks first (issue #18: a deleted node was lost without a word).
  useUnsavedChanges(dirty, '流程图有尚未保存的修改，离开后将丢失。确定离开吗？');
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
      descriptorsByType.current = new Map(d.map((x) => [x.type, x]));
      setDescriptors(d);
      const graph = toGraph(def);
      setBase(def); setNodes(graph.nodes); setEdges(graph.edges); setErrors(null); setWarnings([]); setDiff(null); setDiffMarks({}); setDirty(false);
      past.current = []; future.current = [];
      setVersions(await api.get<VersionInfo[]>(`/api/definitions/${encodeURIComponent(id)}/versions`));
    } catch (e) { setLoadError(e); }
  }, [id]);
  useEffect(() => { void load(); }, [load]);

  const record = useCallback(() => {
    past.current.push(current.current); future.current = []; if (past.current.length > 100) past.current.shift();
    setDirty(true);
  }, []);
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
    for (const w of warnings) if (w.activityId) (map[w.activityId] ??= {}).warnings = [...(map[w.activityId]?.warnings ?? []), w];
    for (const [k, v] of Object.entries(diffMarks)) (map[k] ??= {}).diff = v.diff;
    return map;
  }, [errors, warnings, diffMarks]);
  const nameOf = (nodeId: string) => {
    const node = nodes.find((n) => n.id === nodeId);
    return node ? stepLabel(node.data.activity, descriptorsByType.current.get(node.data.activity.type)) : oldNames[nodeId] ?? nodeId;
  };
  const portOf = (nodeId: string, port: string) => {
    const activity = nodes.find((n) => n.id === nodeId)?.data.activity;
    return activity ? outcomeLabel(activity, descriptorsByType.current.get(activity.type), port) : port;
  };
  const inputOf = (nodeId: string, input: string) => {
    const type = nodes.find((n) => n.id === nodeId)?.data.activity.type;
    return (type && descriptorsByType.current.get(type)?.inputs.find((i) => i.name === input)?.displayName) || input;
  };
  const shown = useMemo(() => nodes.map((n) => ({ ...n, data: { ...n.data, mark: errorsByNode[n.id] } })), [nodes, errorsByNode]);
  const named = useMemo(() => namedNodes(shown, nameOf), [shown, oldNames, descriptors]); // eslint-disable-line react-hooks/exhaustive-deps

  const definition = () => fromGraph(base!, nodes, edges);
  const run = async (action: () => Promise<void>) => {
    setBusy(true); setFailure(null);
    try { await action(); } catch (e) { showError(e); } finally { setBusy(false); }
  };
  // A refusal (403, a stale session, invalid input) is shown on the page and as a toast, never swallowed (issue #18).
  const showError = (e: unknown) => {
    const errorList = e instanceof ApiError ? (e.problem as unknown as { errors?: unknown }).errors : undefined;
    if (Array.isArray(errorList)) setErrors(errorList as ValidationError[]);
    setFailure(e);
    message.error(e instanceof ApiError && e.status === 403 ? '操作被拒绝：您没有修改流程定义的权限。' : e instanceof Error ? e.message : String(e));
  };
  const path = encodeURIComponent(id);
  const saveDraft = () => run(async () => {
    const saved = await api.put<Saved>(`/api/designer/definitions/${path}/draft`, definition());
    setErrors(saved.errors); setWarnings(saved.warnings ?? []); setDirty(false);
    setBase({ ...definition(), version: saved.version.version });
    setVersions(await api.get<VersionInfo[]>(`/api/definitions/${path}/versions`));
    if (!saved.valid) message.warning(`草稿 v${saved.version.version} 已保存，有 ${saved.errors.length} 处校验错误`);
    else if (saved.warnings?.length) message.warning(`草稿 v${saved.version.version} 已保存，校验通过，有 ${saved.warnings.length} 处提醒`);
    else message.success(`草稿 v${saved.version.version} 已保存，校验通过`);
  });
  const publish = (releaseNote: string) => run(async () => {
    const info = await api.post<VersionInfo>(`/api/designer/definitions/${path}/publish`, { releaseNote });
    setPublishing(false);
    message.success(`v${info.version} 已发布`);
    await load();
  });
  const retract = () => modal.confirm({
    title: '撤销发布？', content: '撤销后新的申请不能再使用此流程，直到再次发布某个版本；已在办理的申请不受影响。', okText: '撤销发布', cancelText: '取消', okButtonProps: { danger: true },
    onOk: () => run(async () => { const info = await api.post<VersionInfo>(`/api/designer/definitions/${path}/retract`); message.success(`v${info.version} 已撤销发布`); await load(); }),
  });
  const revert = (version: number) => run(async () => { const info = await api.post<VersionInfo>(`/api/designer/definitions/${path}/revert/${version}`); message.success(`已从 v${version} 恢复为草稿 v${info.version}`); await load(); });
  const showDiff = (from: number, to: number) => run(async () => {
    const d = await api.get<DefinitionDiff>(`/api/designer/definitions/${encodeURIComponent(id)}/diff?from=${from}&to=${to}`);
    const def = await api.get<DefinitionJson>(`/api/definitions/${encodeURIComponent(id)}?version=${to}`);
    const old = await api.get<DefinitionJson>(`/api/definitions/${encodeURIComponent(id)}?version=${from}`);
    const graph = toGraph(def);
    setOldNames(Object.fromEntries(old.root.activities.map((a) => [a.id, stepLabel(a, descriptorsByType.current.get(a.type))])));
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

  const jump = (activityId: string | null) => activityId && setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === activityId })));
  const issueList = (list: ValidationError[]) => <ul style={{ margin: 0 }}>{list.map((e, i) =>
    <li key={i}><a onClick={() => jump(e.activityId)}>{e.message}</a></li>)}</ul>;

  if (loadError) return <ErrorAlert error={loadError} />;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: 'calc(100vh - 110px)' }}>
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>{base?.name ?? id}</Typography.Title>
        {base && <Tag data-testid="editing-version">v{base.version}</Tag>}
        {latest && (latest.isPublished ? <Tag color="green">v{latest.version} 已发布</Tag> : <Tag>最新 v{latest.version} 为草稿</Tag>)}
        {dirty && <Tag color="orange" data-testid="unsaved">有未保存的修改</Tag>}
        <Button type="primary" loading={busy} onClick={saveDraft} data-testid="save-draft">保存草稿</Button>
        <Button loading={busy} onClick={() => setPublishing(true)} data-testid="publish">发布</Button>
        <Button loading={busy} onClick={retract}>撤销发布</Button>
        <Button onClick={() => setVersionsOpen(true)} data-testid="versions">版本</Button>
        <Button onClick={exportJson}>导出 JSON</Button>
        <Button onClick={() => { record(); setNodes(layout(nodes, edges)); }}>自动布局</Button>
        <Button onClick={undo} title="Ctrl+Z">撤销</Button>
        <Button onClick={redo} title="Ctrl+Y">重做</Button>
        <Link to={`/designer/${path}/migrate`}>实例迁移</Link>
      </Space>
      {failure != null && <div data-testid="designer-failure"><ErrorAlert error={failure} /></div>}
      {errors && errors.length > 0 && <Alert type="error" showIcon data-testid="validation-errors" style={{ marginBottom: 8 }}
        message={`校验错误 ${errors.length} 处（修正后才能发布）`} description={issueList(errors)} />}
      {errors && errors.length === 0 && warnings.length === 0 && <Alert type="success" showIcon message="校验通过" style={{ marginBottom: 8 }} data-testid="validation-ok" />}
      {errors && warnings.length > 0 && <Alert type="warning" showIcon data-testid="validation-warnings" style={{ marginBottom: 8 }}
        message={`${errors.length === 0 ? '校验通过，但' : ''}有 ${warnings.length} 处提醒（不影响发布，请确认是否有意为之）`} description={issueList(warnings)} />}
      {diff && <DiffList diff={diff} name={nameOf} port={portOf} input={inputOf} onClose={() => { setDiff(null); setDiffMarks({}); void load(); }} />}
      <div style={{ display: 'flex', flex: 1, minHeight: 0, gap: 8 }}>
        <Card size="small" title="组件" style={{ width: 200, overflow: 'auto' }} data-testid="palette">
          <Collapse size="small" activeKey={categories.map(([c]) => c).filter((c) => !closed.includes(c))}
            onChange={(open) => setClosed(categories.map(([c]) => c).filter((c) => !(open as string[]).includes(c)))} items={categories.map(([category, items]) => ({
            key: category, label: category,
            children: items.map((d) => (
              <div key={d.type} draggable data-testid={`palette-${d.type}`} title={d.description ?? d.displayName}
                onDragStart={(e) => { e.dataTransfer.setData('application/pds-activity', d.type); e.dataTransfer.effectAllowed = 'move'; }}
                style={{ padding: '4px 6px', margin: '2px 0', border: '1px solid #d9d9d9', borderRadius: 4, cursor: 'grab', background: '#fafafa', fontSize: 12 }}>{d.displayName}</div>
            )),
          }))} />
        </Card>
        <div style={{ flex: 1, border: '1px solid #f0f0f0', background: '#fff' }} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }} onDrop={onDrop} data-testid="canvas">
          <ReactFlow nodes={named} edges={namedEdges(edges, nameOf, portOf)} nodeTypes={nodeTypes} ariaLabelConfig={flowAriaLabels} onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} onConnect={onConnect}
            deleteKeyCode={null} fitView minZoom={0.2} defaultEdgeOptions={{ type: 'smoothstep' }} proOptions={{ hideAttribution: true }}>
            <Background /><Controls /><MiniMap pannable zoomable nodeStrokeWidth={3} nodeColor={(n) => ((n.data as { mark?: Marks[string] }).mark?.errors?.length ? '#ff4d4f' : '#91caff')} />
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
        <VersionList versions={versions} onOpen={(v) => { setVersionsOpen(false); void load(v); }} onDiff={showDiff}
          onRevert={(v) => modal.confirm({ title: `从 v${v} 恢复为新草稿？`, content: '将以该版本的内容新建一个草稿版本，现有各版本保持不变。', okText: '恢复', cancelText: '取消', onOk: () => revert(v) })} />
      </Drawer>
      <PublishDialog open={publishing} busy={busy} version={base?.version} warnings={warnings} dirty={dirty}
        onCancel={() => setPublishing(false)} onPublish={publish} />
    </div>
  );
}

/**
 * 发布 asks first (issue #18): which version, the reminders still open, a release note the version keeps; unsaved changes
 * must be saved before (publishing takes the saved version).
 */
function PublishDialog({ open, busy, version, warnings, dirty, onCancel, onPublish }: {
  open: boolean; busy: boolean; version: number | undefined; warnings: ValidationError[]; dirty: boolean;
  onCancel: () => void; onPublish: (note: string) => void;
}) {
  const [form] = Form.useForm<{ releaseNote: string }>();
  useEffect(() => { if (open) form.resetFields(); }, [open, form]);
  return (
    <Modal open={open} title={`发布 v${version ?? ''}`} okText="确认发布" cancelText="取消" confirmLoading={busy} onCancel={onCancel} destroyOnHidden
      okButtonProps={{ disabled: dirty, id: 'publish-confirm' }} onOk={() => void form.validateFields().then((v) => onPublish(v.releaseNote.trim()))}>
      <Typography.Paragraph>发布后，新的申请将按此版本办理；已在办理的申请仍按原版本办理，如需改用新版本请使用“实例迁移”。</Typography.Paragraph>
      {dirty && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="流程图有未保存的修改，请先保存草稿再发布。" />}
      {warnings.length > 0 && <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="publish-warnings" message={`有 ${warnings.length} 处提醒`}
        description={<ul style={{ margin: 0 }}>{warnings.map((w, i) => <li key={i}>{w.message}</li>)}</ul>} />}
      <Form form={form} layout="vertical">
        <Form.Item name="releaseNote" label="发布说明" rules={[{ required: true, whitespace: true, message: '请填写发布说明：本版本改了什么、为什么改' }]}>
          <Input.TextArea id="release-note" rows={3} maxLength={500} showCount placeholder="例如：提供方核实答复超期时，增加提供方复核环节" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
