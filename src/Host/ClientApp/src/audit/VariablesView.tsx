// A snapshot's data as label: value rows instead of raw JSON (issue #18): texts and numbers as they are, yes/no for flags,
// lists joined, nested records as their own rows one level down (folded), anything deeper in a compact line.
import { Descriptions, Typography } from 'antd';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((v) => (isRecord(v) || Array.isArray(v) ? JSON.stringify(v) : text(v))).join('、');
  if (isRecord(value)) return JSON.stringify(value);
  return String(value);
}

function Rows({ value, depth }: { value: Record<string, unknown>; depth: number }) {
  return (
    <Descriptions size="small" column={1} bordered styles={{ label: { width: 140, fontSize: 12 }, content: { fontSize: 12, wordBreak: 'break-all' } }}>
      {Object.entries(value).map(([key, v]) => (
        <Descriptions.Item key={key} label={key}>
          {isRecord(v) && depth < 1 && Object.keys(v).length > 0
            ? <details><summary>{Object.keys(v).length} 项</summary><Rows value={v} depth={depth + 1} /></details> : text(v)}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

export function VariablesView({ title, value, testId }: { title: string; value: unknown; testId: string }) {
  if (!isRecord(value) || Object.keys(value).length === 0) return null;
  return (
    <div data-testid={testId} style={{ marginTop: 8, maxHeight: 520, overflow: 'auto' }}>
      <Typography.Text type="secondary">{title}</Typography.Text>
      <Rows value={value} depth={0} />
    </div>
  );
}
