// 平台级记录: the global streams (holiday notices, and e.g. a security log) are chained, signed and anchored like a
// case's journal; the auditor verifies each here and reads each check's pass or first failure.
import { useState } from 'react';
import { Button, Card, Space, Tag, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { api } from '../api';
import { ErrorAlert } from '../ui';
import { useLoad } from '../useLoad';
import { CheckList } from './Verification';
import type { StreamVerification, VerificationCheck } from './types';

interface StreamInfo { stream: string; kinds: { code: string; name: string }[] }

function checksOf(v: StreamVerification): VerificationCheck[] {
  const { records, signatures, anchor } = v.integrity;
  return [
    { name: 'chain', title: '记录流哈希链', passed: v.chain.length === 0, summary: v.chain.length === 0 ? `共 ${v.entries} 条，逐条哈希相连` : `有 ${v.chain.length} 处被改动`,
      firstFailure: v.chain[0]?.message ?? null, notes: [] },
    { name: 'records', title: '登记的记录', passed: records.passed, summary: records.summary, firstFailure: records.violations[0]?.message ?? null, notes: [] },
    { name: 'signatures', title: '签名检查点', passed: signatures.passed, summary: signatures.summary, firstFailure: signatures.violations[0]?.message ?? null, notes: signatures.notes },
    { name: 'anchor', title: '外部存证', passed: anchor.passed, summary: anchor.summary, firstFailure: anchor.violations[0]?.message ?? null, notes: [] },
  ];
}

export function StreamVerifyCard() {
  const streams = useLoad(() => api.get<StreamInfo[]>('/api/audit/streams'), []);
  const [results, setResults] = useState<Record<string, StreamVerification>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const verify = async (stream: string) => {
    setBusy(stream); setError(null);
    try {
      const result = await api.get<StreamVerification>(`/api/audit/streams/${encodeURIComponent(stream)}/verify`);
      setResults((r) => ({ ...r, [stream]: result }));
    } catch (e) { setError(e); } finally { setBusy(null); }
  };
  if (!streams.data?.length) return null;
  return (
    <Card size="small" title="平台级记录校验" style={{ marginTop: 12 }} data-testid="stream-verify">
      <ErrorAlert error={error ?? streams.error} />
      {streams.data.map((s) => (
        <div key={s.stream} data-testid="stream" data-stream={s.stream} style={{ marginBottom: 8 }}>
          <Space>
            <Typography.Text strong>{s.kinds.map((k) => k.name).join('、')}</Typography.Text>
            <Typography.Text type="secondary">（{s.stream}）</Typography.Text>
            <Button size="small" icon={<SafetyCertificateOutlined />} loading={busy === s.stream} onClick={() => verify(s.stream)} data-testid="stream-verify-button">校验</Button>
            {results[s.stream] && (results[s.stream].passed ? <Tag color="success">完整</Tag> : <Tag color="error">校验未通过</Tag>)}
          </Space>
          {results[s.stream] && <CheckList checks={checksOf(results[s.stream])} />}
        </div>
      ))}
    </Card>
  );
}
