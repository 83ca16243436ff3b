// 验证 as the auditor reads it: the verdict, each check (chain, records, signatures, anchor, replay) with its first
// problem, and the signing keys under 技术细节.
import { Alert, Collapse, Descriptions, Tag } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined } from '@ant-design/icons';
import type { Verification, VerificationCheck } from './types';

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

export function VerifyResult({ result }: { result: Verification }) {
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
        {signatures.keys.length > 0 && <Collapse ghost size="small" className="no-print" items={[{ key: 'keys', label: '技术细节：签名密钥',
          children: <div style={{ fontSize: 12 }} data-testid="verify-keys">
            {signatures.keys.map((k) => `${k.keyId}（${k.signatureAlgorithm} 签名，${k.hashAlgorithm} 哈希，第 ${k.firstSequence}–${k.lastSequence} 条，${k.trusted ? '受信任' : '不受信任'}）`).join('；')}
          </div> }]} />}
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

