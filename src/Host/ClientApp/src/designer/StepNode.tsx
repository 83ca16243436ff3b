// One step on the designer's canvas: its name and type, an In handle, one labelled handle per outcome (in Chinese), the
// validation badge and the diff tag.
import { Tag, Tooltip } from 'antd';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { outcomeLabel, outcomesOf, stepLabel, type ActivityDescriptor, type StepNode, type ValidationError } from './model';

export type Marks = Record<string, { errors?: ValidationError[]; warnings?: ValidationError[]; diff?: 'added' | 'removed' | 'changed' }>;

// The descriptors by type, for the node views (set when the designer loads them).
export const descriptorsByType = { current: new Map<string, ActivityDescriptor>() };

export function StepNodeView({ id, data, selected }: NodeProps<StepNode>) {
  const activity = data.activity;
  const descriptor = descriptorsByType.current.get(activity.type);
  const mark = (data.mark ?? {}) as Marks[string];
  const errors = mark.errors ?? [];
  const warnings = mark.warnings ?? [];
  const outcomes = activity.type === 'End' ? [] : outcomesOf(activity, descriptor);
  const border = errors.length ? '#ff4d4f' : mark.diff === 'added' ? '#52c41a' : mark.diff === 'removed' ? '#8c8c8c' : mark.diff === 'changed' ? '#faad14'
    : warnings.length ? '#faad14' : selected ? '#1677ff' : '#d9d9d9';
  const unconnected = new Set(warnings.map((w) => w.input));
  return (
    <div className={`designer-node${errors.length ? ' has-error' : ''}`} data-testid={`node-${id}`} data-diff={mark.diff}
      style={{ width: 200, minHeight: 56, background: '#fff', border: `2px solid ${border}`, borderRadius: 6, padding: '6px 8px 18px', boxShadow: selected ? '0 0 0 2px rgba(22,119,255,.2)' : undefined }}>
      {activity.type !== 'Start' && <Handle type="target" position={Position.Top} id="In" />}
      <div style={{ fontWeight: 600, fontSize: 13 }}>{stepLabel(activity, descriptor)}</div>
      <div style={{ fontSize: 11, color: '#888' }}>{descriptor?.displayName ?? activity.type}</div>
      {errors.length > 0 && <Tooltip title={errors.map((e) => e.message).join('；')}>
        <span data-testid={`node-error-badge-${id}`} style={{ position: 'absolute', top: -10, right: -10, minWidth: 20, height: 20, lineHeight: '20px', borderRadius: 10,
          background: '#ff4d4f', color: '#fff', fontSize: 12, textAlign: 'center', padding: '0 6px' }}>{errors.length}</span></Tooltip>}
      {mark.diff && <Tag style={{ position: 'absolute', top: -11, left: 6, fontSize: 10 }} color={mark.diff === 'added' ? 'green' : mark.diff === 'removed' ? 'default' : 'orange'}>
        {mark.diff === 'added' ? '新增' : mark.diff === 'removed' ? '删除' : '修改'}</Tag>}
      {outcomes.map((o, i) => (
        <Handle key={o} type="source" position={Position.Bottom} id={o} data-testid={`port-${id}-${o}`} title={outcomeLabel(activity, descriptor, o)}
          style={{ left: `${((i + 1) * 100) / (outcomes.length + 1)}%`, background: unconnected.has(o) ? '#faad14' : '#1677ff' }}>
          <span className="port-label" data-testid={`port-label-${id}-${o}`}
            style={{ position: 'absolute', top: 5, left: -28, width: 56, textAlign: 'center', fontSize: 10, color: unconnected.has(o) ? '#d48806' : '#555', pointerEvents: 'none', whiteSpace: 'nowrap' }}>
            {outcomeLabel(activity, descriptor, o)}</span>
        </Handle>
      ))}
    </div>
  );
}
