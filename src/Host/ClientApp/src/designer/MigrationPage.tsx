// 实例迁移: running instances of older versions moved to a newer published version, step by step, dry run first.
// Steps, cases and people by their names (issue #18): step ids only in the mapping the page sends.
import { Alert, App, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError } from '../api';
import { BusinessNumber, ErrorAlert, fmt } from '../ui';
import { useLoad } from '../useLoad';
import type { DefinitionJson, VersionInfo } from './model';

interface StepName { id: string; name: string; }
interface Migratable {
  id: string; definitionVersion: number; status: string; initiator: string | null; initiatorName: string | null; createdAt: string;
  currentSteps: string[]; steps: StepName[]; businessNumber: string | null; summary: string | null;
}
interface StepMove { from: string; to: string; type: string; implicit: boolean; openTasks: number; }
interface InstanceResult { instanceId: string; fromVersion: number; toVersion: number; canMigrate: boolean; migrated: boolean; steps: StepMove[]; addedVariables: string[]; problems: { code: string; message: string; activityId: string | null }[]; summary: string; }
interface Report { definitionId: string; targetVersion: number; dryRun: boolean; instances: InstanceResult[]; migratable: number; refused: number; }

/** What the run does (or did) to one instance, in words, the steps by name. */
function explain(r: InstanceResult, from: (id: string) => string, to: (id: string) => string): string {
  if (!r.canMigrate) return '';
  const moves = r.steps.map((m) => (m.from === m.to ? `环节【${from(m.from)}】保持不变` : `环节【${from(m.from)}】移到【${to(m.to)}】`)
    + (m.openTasks > 0 ? `（${m.openTasks} 个待办任务随之移动，时限不变）` : ''));
  const added = r.addedVariables.length ? [`新增变量 ${r.addedVariables.join('、')}`] : [];
  return `${r.migrated ? '已' : '将'}从 v${r.fromVersion} 迁移到 v${r.toVersion}：${[...moves, ...added].join('；')}；实例从当前位置继续，不重新开始。`;
}

export function MigrationPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const path = encodeURIComponent(id);
  const versions = useLoad(() => api.get<VersionInfo[]>(`/api/definitions/${path}/versions`), [id]);
  const instances = useLoad(() => api.get<Migratable[]>(`/api/designer/definitions/${path}/instances`), [id]);
  const published = (versions.data ?? []).filter((v) => v.isPublished);
  const processName = versions.data?.[versions.data.length - 1]?.name;
  const [target, setTarget] = useState<number>();
  useEffect(() => { if (target === undefined && published.length) setTarget(published[published.length - 1].version); }, [published, target]);
  const [picked, setPicked] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [targetSteps, setTargetSteps] = useState<StepName[]>([]);
  useEffect(() => {
    if (!target) return;
    void api.get<DefinitionJson>(`/api/definitions/${path}?version=${target}`)
      .then((d) => setTargetSteps(d.root.activities.filter((a) => a.type !== 'Start').map((a) => ({ id: a.id, name: a.name || a.id }))));
  }, [path, target]);

  const older = (instances.data ?? []).filter((i) => !target || i.definitionVersion < target);
  const byId = useMemo(() => new Map((instances.data ?? []).map((i) => [i.id, i])), [instances.data]);
  // A current step's name in the instance's own version; the target's steps by their names in the target.
  const fromName = useMemo(() => new Map((instances.data ?? []).flatMap((i) => i.steps.map((s) => [s.id, s.name] as const))), [instances.data]);
  const toName = useMemo(() => new Map(targetSteps.map((s) => [s.id, s.name])), [targetSteps]);
  const stepFrom = (step: string) => fromName.get(step) ?? step;
  const stepTo = (step: string) => toName.get(step) ?? step;
  const currentSteps = useMemo(() => [...new Set(older.filter((i) => picked.includes(i.id)).flatMap((i) => i.currentSteps))].sort(), [older, picked]);

  const plan = () => ({ definitionId: id, targetVersion: target, instanceIds: picked, mapping: Object.fromEntries(currentSteps.filter((s) => mapping[s]).map((s) => [s, mapping[s]])), variables: {} });
  const send = async (dryRun: boolean) => {
    setBusy(true); setError(null);
    try {
      const r = await api.post<Report>(dryRun ? '/api/designer/migrations/dry-run' : '/api/designer/migrations', plan());
      setReport(r);
      if (!dryRun) { message.success(`已迁移 ${r.instances.filter((i) => i.migrated).length} 个实例`); setPicked([]); await instances.reload(); }
    } catch (e) { setError(e); if (e instanceof ApiError) message.error(e.message); } finally { setBusy(false); }
  };

  return (
    <Card title={<Space>实例迁移 <Typography.Text type="secondary" data-testid="migration-process">{processName ?? ''}</Typography.Text></Space>}
      extra={<Link to={`/designer/${path}`}>返回设计器</Link>}>
      <ErrorAlert error={versions.error ?? instances.error ?? error} />
      <Space style={{ marginBottom: 12 }}>
        <span>迁移到已发布版本</span>
        <Select style={{ width: 120 }} value={target} onChange={(v) => { setTarget(v); setReport(null); }} data-testid="migration-target" aria-label="目标版本"
          options={published.map((v) => ({ value: v.version, label: `v${v.version}` }))} />
      </Space>
      <Table rowKey="id" size="small" loading={instances.loading} dataSource={older} pagination={false} data-testid="migratable-instances"
        rowSelection={{ selectedRowKeys: picked, onChange: (keys) => { setPicked(keys as string[]); setReport(null); },
          getCheckboxProps: (i) => ({ disabled: false, 'aria-label': `选择${i.businessNumber ?? i.summary ?? '实例'}` }) }}
        locale={{ emptyText: '没有可迁移的旧版本运行中实例' }}
        columns={[
          { title: '业务编号', dataIndex: 'businessNumber', render: (v: string | null, i: Migratable) => <Link to={`/applications/${i.id}`}><BusinessNumber value={v} isDraft={!v} /></Link> },
          { title: '事项', dataIndex: 'summary', render: (v: string | null) => v ?? '—' },
          { title: '版本', dataIndex: 'definitionVersion', render: (v: number) => `v${v}` },
          { title: '发起人', dataIndex: 'initiatorName', render: (v: string | null) => v ?? '—' },
          { title: '发起时间', dataIndex: 'createdAt', render: (v: string) => fmt(v) },
          { title: '当前环节', dataIndex: 'steps', render: (s: StepName[]) => <span data-testid="current-step-names">{s.map((x) => <Tag key={x.id}>{x.name}</Tag>)}</span> },
        ]} />
      {currentSteps.length > 0 && <Card size="small" title="环节映射（当前环节 → 新版本环节；不选则对应新版本中的同一环节）" style={{ marginTop: 12 }}>
        {currentSteps.map((step) => (
          <Space key={step} style={{ display: 'flex', marginBottom: 6 }}>
            <Tag style={{ minWidth: 120 }}>{stepFrom(step)}</Tag><span>→</span>
            <Select allowClear style={{ width: 260 }} placeholder="新版本中的同一环节" value={mapping[step]} data-testid={`map-${step}`} aria-label={`${stepFrom(step)}迁移到`}
              onChange={(v) => { setMapping({ ...mapping, [step]: v }); setReport(null); }}
              options={targetSteps.map((s) => ({ value: s.id, label: s.name }))} />
          </Space>
        ))}
      </Card>}
      <Space style={{ marginTop: 12 }}>
        <Button disabled={!picked.length || !target} loading={busy} onClick={() => void send(true)} data-testid="dry-run">试运行</Button>
        <Button type="primary" danger disabled={!report?.dryRun || report.migratable === 0} loading={busy} onClick={() => void send(false)} data-testid="run-migration">执行迁移</Button>
      </Space>
      {report && <>
        <Alert style={{ marginTop: 12 }} type={report.refused ? 'warning' : 'success'} showIcon data-testid="migration-summary"
          message={report.dryRun ? `试运行：${report.migratable} 个可迁移，${report.refused} 个被拒绝（未做任何更改）` : `已执行：迁移 ${report.instances.filter((i) => i.migrated).length} 个，拒绝 ${report.refused} 个`} />
        <Table rowKey="instanceId" size="small" style={{ marginTop: 8 }} pagination={false} dataSource={report.instances} data-testid="migration-report"
          columns={[
            { title: '业务编号', dataIndex: 'instanceId', render: (v: string) => <BusinessNumber value={byId.get(v)?.businessNumber} isDraft={!byId.get(v)?.businessNumber} /> },
            { title: '版本', key: 'v', render: (_: unknown, r: InstanceResult) => `v${r.fromVersion} → v${r.toVersion}` },
            { title: '结果', key: 'r', render: (_: unknown, r: InstanceResult) => r.migrated ? <Tag color="green">已迁移</Tag> : r.canMigrate ? <Tag color="blue">可迁移</Tag> : <Tag color="red">拒绝</Tag> },
            { title: '环节', dataIndex: 'steps', render: (s: StepMove[]) => s.map((m) => <div key={m.from}>{stepFrom(m.from)} → {stepTo(m.to)}{m.implicit ? '（同一环节）' : ''}</div>) },
            { title: '说明', key: 's', render: (_: unknown, r: InstanceResult) => <>{explain(r, stepFrom, stepTo)}{r.problems.map((p, i) => <div key={i} style={{ color: '#cf1322' }}>{p.message}</div>)}</> },
          ]} />
      </>}
    </Card>
  );
}
