// 审计 · 实例: the pinned version's diagram with the path taken and the current position, a step-through replay over
// the journal's snapshots, the verification verdict (each check: chain, records, signatures, anchor, replay), the journal as a timeline, export and a printable layout.
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Row, Slider, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, DownloadOutlined, PrinterOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api';
import { ErrorAlert, fmt, statusTag } from '../ui';
import { useLoad } from '../useLoad';
import { FlowDiagram } from './FlowDiagram';
import type { AuditRecord, AuditRecordEntry, DefinitionJson, JournalSnapshot, Verification, VerificationCheck } from './types';
import './audit.css';

const json = (value: unknown) => JSON.stringify(value, null, 2);
const isEmpty = (value: unknown) => value == null || (typeof value === 'object' && Object.keys(value as object).length === 0);

function Data({ label, value }: { label: string; value: unknown }) {
  if (isEmpty(value)) return null;
  return <div className="audit-data"><Typography.Text type="secondary">{label}</Typography.Text><pre>{json(value)}</pre></div>;
}

function EntryItem({ entry }: { entry: AuditRecordEntry }) {
  return (
    <div data-testid="journal-entry" data-sequence={entry.sequence}>
      <div>
        <Tag>#{entry.sequence}</Tag><b>{entry.what}</b>{entry.activityName && <> · {entry.activityName}</>}
        {entry.outcome && <Tag color="blue" style={{ marginLeft: 8 }}>{entry.outcome}</Tag>}
        {entry.overdue && <Tag color="red">超期</Tag>}
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {fmt(entry.timestamp)}{entry.actor && <> · {entry.actorName ? `${entry.actorName}（${entry.actor}）` : entry.actor}</>}
      </Typography.Text>
      {entry.limitWorkingDays != null && <div data-testid="entry-deadline" style={{ fontSize: 12 }}>
        时限 {entry.limitWorkingDays} 个工作日，截止 {fmt(entry.deadline)}；实际用时 {entry.actualWorkingDays ?? '—'} 个工作日
      </div>}
      {entry.comment && <div>意见：{entry.comment}</div>}
      {entry.message && entry.message !== entry.comment && <div style={{ fontSize: 12, color: '#595959' }}>{entry.message}</div>}
      <Data label="输入" value={entry.inputs} />
      <Data label="输出" value={entry.outputs} />
    </div>
  );
}

/** Each check with its pass or its first failure, in plain Chinese: what 验证 verified and with which key and algorithm. */
export function CheckList({ checks }: { checks: VerificationCheck[] }) {
  return (
    <Descriptions size="small" column={1} bordered data-testid="verify-checks" style={{ margin: '8px 0' }}>
      {checks.map((c) => (
        <Descriptions.Item key={c.name} label={c.title}>
          <div data-testid="verify-check" data-name={c.name} data-passed={c.passed}>
            {c.passed ? <Tag icon={<CheckCircleOutlined />} color="success">通过</Tag> : <Tag icon={<CloseCircleOutlined />} color="error">未通过</Tag>}
            <span>{c.summary}</span>
            {!c.passed && c.firstFailure && <div data-testid="verify-first-failure"><b>首个问题：</b>{c.firstFailure}</div>}
            {c.notes.map((n) => <div key={n} style={{ fontSize: 12, color: '#595959' }}>{n}</div>)}
          </div>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

function VerifyResult({ result }: { result: Verification }) {
  const difference = result.replay?.firstDifference;
  const { records, signatures, anchor } = result.integrity;
  return (
    <Alert data-testid="verify-result" data-intact={result.isIntactAndReproducible} showIcon style={{ marginBottom: 12 }}
      type={result.isIntactAndReproducible ? 'success' : 'error'}
      message={<span data-testid="verify-verdict">{result.isIntactAndReproducible ? '完整且可复现' : '校验未通过'}</span>}
      description={<div>
        <div>{result.verdict}</div>
        <CheckList checks={result.checks} />
        <div style={{ fontSize: 12 }}>
          哈希链：{result.hashChain.violations.length === 0 ? '完整' : '被篡改'}（{result.hashChain.entryCount} 条记录）；
          重新执行：{result.isReproducible ? '可复现' : '不可复现'}{result.replay && `（比对 ${result.replay.entriesCompared} 条，复现 ${result.replay.entriesReproduced} 条）`}
        </div>
        {signatures.keys.length > 0 && <div style={{ fontSize: 12 }} data-testid="verify-keys">
          签名密钥：{signatures.keys.map((k) => `${k.keyId}（${k.signatureAlgorithm} 签名，${k.hashAlgorithm} 哈希，第 ${k.firstSequence}–${k.lastSequence} 条，${k.trusted ? '受信任' : '不受信任'}）`).join('；')}
        </div>}
        {result.hashChain.violations.map((v) => <div key={`${v.sequence}-${v.kind}`} data-testid="verify-violation">第 {v.sequence} 条记录：{v.message}</div>)}
        {records.violations.map((v) => <div key={`${v.kind}-${v.recordId}-${v.change}`} data-testid="verify-record-violation">{v.message}</div>)}
        {[...signatures.violations, ...anchor.violations].map((v) => <div key={`${v.kind}-${v.sequence}`} data-testid="verify-signature-violation">{v.message}</div>)}
        {difference && <div data-testid="verify-difference">第 {difference.sequence} 条记录的 {difference.field} 不一致：记录为 {difference.recorded ?? '空'}，
          重新执行为 {difference.reproduced ?? '空'}。{difference.message}</div>}
        {(result.replay?.substitutedTypes.length ?? 0) > 0 && <div style={{ fontSize: 12 }}>
          未重新执行、采用记录结果的步骤类型：{result.replay!.substitutedTypes.join('、')}</div>}
      </div>} />
  );
}

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
          <Descriptions.Item label="实例编号">{r.instanceId}</Descriptions.Item>
          <Descriptions.Item label="业务编号">{r.correlationId ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="流程版本">{r.definitionId} v{r.definitionVersion}</Descriptions.Item>
          <Descriptions.Item label="状态"><span data-testid="audit-status">{statusTag(r.status)}</span></Descriptions.Item>
          <Descriptions.Item label="申请人">{r.applicant ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="发起 / 办结">{fmt(r.createdAt)} / {fmt(r.finishedAt)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <ErrorAlert error={verifyError ?? snapshots.error ?? definition.error} />
      {verification && <VerifyResult result={verification} />}
      <Row gutter={12}>
        <Col xs={24} xl={15}>
          <Card size="small" title="流程图（已经过的路径为绿色，当前位置为橙色）" style={{ marginBottom: 12 }} className="audit-diagram">
            {definition.data && snapshot
              ? <FlowDiagram definition={definition.data} position={snapshot.position} completed={snapshot.completed} taken={snapshot.takenConnections} />
              : <Empty description="暂无流程图" />}
            {list.length > 0 && <div className="no-print" style={{ marginTop: 12 }}>
              <Typography.Text strong>回放：第 {at + 1} / {list.length} 步</Typography.Text>
              <div data-testid="replay-slider"><Slider min={0} max={Math.max(0, list.length - 1)} value={at} marks={marks} onChange={(v) => setIndex(v)}
                tooltip={{ formatter: (v) => (v == null ? '' : `#${list[v]?.sequence}`) }} /></div>
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
                <Descriptions.Item label="记录"><span data-testid="replay-sequence">#{snapshot.sequence}</span> · {snapshot.eventName}</Descriptions.Item>
                <Descriptions.Item label="时间">{fmt(snapshot.timestamp)}</Descriptions.Item>
                <Descriptions.Item label="操作人">{snapshot.actor ?? '系统'}</Descriptions.Item>
                <Descriptions.Item label="实例状态">{statusTag(snapshot.status)}</Descriptions.Item>
                <Descriptions.Item label="当前位置"><span data-testid="replay-position">{snapshot.position.join('、') || '—'}</span></Descriptions.Item>
                {snapshot.message && <Descriptions.Item label="说明">{snapshot.message}</Descriptions.Item>}
              </Descriptions>
              <Data label="流程变量" value={snapshot.variables} />
              <Data label="各步骤输出" value={snapshot.outputs} />
            </> : <Empty description="暂无日志" />}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={`流程日志（${r.entries.length} 条）`} data-testid="audit-journal">
        <Timeline items={r.entries.map((e) => ({
          color: e.overdue ? 'red' : e.event.includes('Fault') || e.event.includes('Incident') ? 'red' : e.event.includes('Completed') || e.event.includes('Finished') ? 'green' : 'blue',
          children: <EntryItem entry={e} />,
        }))} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>导出时间：{fmt(r.exportedAt)}</Typography.Text>
      </Card>
    </div>
  );
}
