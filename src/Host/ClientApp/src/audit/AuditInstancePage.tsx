// 审计 · 实例: the pinned version's diagram with the path taken and the current position, a step-through replay over
// the journal's snapshots, the verification verdict (each check: chain, records, signatures, anchor, replay), the history
// (readable; the whole journal under 显示技术细节), export and a printable layout.
import { useMemo, useState } from 'react';
import { Button, Card, Col, Collapse, Descriptions, Empty, Row, Slider, Space, Spin, Typography } from 'antd';
import { DownloadOutlined, PrinterOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api';
import { ErrorAlert, fmt, statusTag } from '../ui';
import { useLoad } from '../useLoad';
import { FlowDiagram, type DescriptorNames } from './FlowDiagram';
import { History } from './History';
import { VariablesView } from './VariablesView';
import { VerifyResult } from './Verification';
import type { AuditRecord, DefinitionJson, JournalSnapshot, Verification } from './types';
import './audit.css';

export function AuditInstancePage() {
  const { id } = useParams();
  const record = useLoad(() => api.get<AuditRecord>(`/api/audit/instances/${id}/export?format=json`), [id]);
  const snapshots = useLoad(() => api.get<JournalSnapshot[]>(`/api/audit/instances/${id}/snapshots`), [id]);
  const [index, setIndex] = useState<number | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const list = snapshots.data ?? [];
  const at = index ?? list.length - 1;
  const snapshot = list[at];
  const version = snapshot?.definitionVersion ?? record.data?.definitionVersion;
  const definitionId = record.data?.definitionId;
  const definition = useLoad(async () => (definitionId && version
    ? api.get<DefinitionJson>(`/api/definitions/${encodeURIComponent(definitionId)}?version=${version}`) : null), [definitionId, version]);
  const marks = useMemo(() => (list.length > 1 ? { 0: '开始', [list.length - 1]: '最新' } : undefined), [list.length]);
  const descriptors = useLoad(async () => new Map((await api.get<(DescriptorNames & { type: string })[]>('/api/activity-descriptors')).map((d) => [d.type, d])), []);
  const stepNames = useMemo(() => new Map((definition.data?.root.activities ?? []).map((a) => [a.id, a.name || descriptors.data?.get(a.type)?.displayName || a.id])),
    [definition.data, descriptors.data]);
  const whatOf = useMemo(() => new Map((record.data?.entries ?? []).map((e) => [e.sequence, e])), [record.data]);

  const verify = async () => {
    setVerifying(true); setVerifyError(null);
    try { setVerification(await api.get<Verification>(`/api/audit/instances/${id}/verify`)); } catch (e) { setVerifyError(e); } finally { setVerifying(false); }
  };

  if (record.loading && !record.data) return <Spin />;
  if (!record.data) return <ErrorAlert error={record.error} />;
  const r = record.data;
  return (
    <div className="audit-page">
      <Space className="no-print" style={{ marginBottom: 8 }}><Link to="/audit">← 返回检索</Link></Space>
      <h2 className="page-title" data-testid="audit-title">审计记录 · {r.processName ?? r.definitionId}</h2>
      <Card size="small" style={{ marginBottom: 12 }} extra={<Space className="no-print">
        <Button type="primary" icon={<SafetyCertificateOutlined />} loading={verifying} onClick={verify} data-testid="verify">校验</Button>
        <Button icon={<DownloadOutlined />} href={`/api/audit/instances/${id}/export?format=json`} data-testid="export-json">导出 JSON</Button>
        <Button icon={<DownloadOutlined />} href={`/api/audit/instances/${id}/export?format=csv`} data-testid="export-csv">导出 CSV</Button>
        <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print">打印</Button>
      </Space>} title="实例信息">
        <Descriptions size="small" column={3}>
          <Descriptions.Item label="业务编号"><span data-testid="audit-business-number">{r.businessNumber ?? '—'}</span></Descriptions.Item>
          <Descriptions.Item label="流程">{r.processName ?? r.definitionId}（第 {r.definitionVersion} 版）</Descriptions.Item>
          <Descriptions.Item label="状态"><span data-testid="audit-status">{statusTag(r.status)}</span></Descriptions.Item>
          <Descriptions.Item label="申请人">{r.applicantName ?? r.applicant ?? '—'}{r.applicantUnitName && `（${r.applicantUnitName}）`}</Descriptions.Item>
          <Descriptions.Item label="发起 / 办结">{fmt(r.createdAt)} / {fmt(r.finishedAt)}</Descriptions.Item>
        </Descriptions>
        <Collapse ghost size="small" className="no-print" items={[{ key: 'tech', label: '技术细节', children: <div style={{ fontSize: 12 }} data-testid="audit-technical">
          实例编号 <Typography.Text code copyable>{r.instanceId}</Typography.Text> · 流程标识 <Typography.Text code>{r.definitionId}</Typography.Text>
          {r.correlationId && <> · 关联编号 <Typography.Text code>{r.correlationId}</Typography.Text></>}
        </div> }]} />
      </Card>
      <ErrorAlert error={verifyError ?? snapshots.error ?? definition.error} />
      {verification && <VerifyResult result={verification} />}
      <Row gutter={12}>
        <Col xs={24} xl={15}>
          <Card size="small" title="流程图（已经过的路径为绿色，当前位置为橙色）" style={{ marginBottom: 12 }} className="audit-diagram">
            {definition.data && snapshot
              ? <FlowDiagram definition={definition.data} position={snapshot.position} completed={snapshot.completed} taken={snapshot.takenConnections}
                  descriptors={descriptors.data ?? undefined} key={`${definitionId}-${version}-${descriptors.data ? 1 : 0}`} />
              : <Empty description="暂无流程图" />}
            {list.length > 0 && <div className="no-print" style={{ marginTop: 12 }}>
              <Typography.Text strong>回放：第 {at + 1} / {list.length} 步</Typography.Text>
              <div data-testid="replay-slider"><Slider min={0} max={Math.max(0, list.length - 1)} value={at} marks={marks} onChange={(v) => setIndex(v)}
                tooltip={{ formatter: (v) => (v == null ? '' : fmt(list[v]?.timestamp)) }} /></div>
              <Space>
                <Button size="small" disabled={at <= 0} onClick={() => setIndex(at - 1)} data-testid="replay-prev">上一步</Button>
                <Button size="small" disabled={at >= list.length - 1} onClick={() => setIndex(at + 1)} data-testid="replay-next">下一步</Button>
              </Space>
            </div>}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card size="small" title="该步之后的状态" style={{ marginBottom: 12 }} data-testid="replay-state">
            {snapshot ? <>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label="这一步"><span data-testid="replay-what">{whatOf.get(snapshot.sequence)?.what ?? '—'}</span>
                  {snapshot.activityId && `（${stepNames.get(snapshot.activityId) ?? snapshot.activityId}）`}</Descriptions.Item>
                <Descriptions.Item label="时间">{fmt(snapshot.timestamp)}</Descriptions.Item>
                <Descriptions.Item label="操作人">{snapshot.actor && !snapshot.actor.startsWith('system') ? whatOf.get(snapshot.sequence)?.actorName ?? snapshot.actor : '系统'}</Descriptions.Item>
                <Descriptions.Item label="流程状态">{statusTag(snapshot.status)}</Descriptions.Item>
                <Descriptions.Item label="当前位置"><span data-testid="replay-position" data-position={snapshot.position.join(',')}>
                  {snapshot.position.map((p) => stepNames.get(p) ?? p).join('、') || '—'}</span></Descriptions.Item>
                {snapshot.message && <Descriptions.Item label="说明">{snapshot.message}</Descriptions.Item>}
              </Descriptions>
              <VariablesView title="流程数据" value={snapshot.variables} testId="replay-variables" />
              <Collapse ghost size="small" className="no-print" items={[{ key: 'tech', label: '技术细节', forceRender: true, children: <div data-testid="replay-technical" style={{ fontSize: 12 }}>
                <div>日志序号 <span data-testid="replay-sequence">#{snapshot.sequence}</span> · 事件 <Typography.Text code>{snapshot.eventName}</Typography.Text></div>
                <VariablesView title="各步骤输出" value={snapshot.outputs} testId="replay-outputs" />
              </div> }]} />
            </> : <Empty description="暂无日志" />}
          </Card>
        </Col>
      </Row>
      <History record={r} />
    </div>
  );
}
