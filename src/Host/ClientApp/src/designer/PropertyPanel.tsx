// The property panel of the selected node, generated from its descriptor's inputs.
import { TextLimits } from '../limits';
import { Alert, Collapse, Form, Input, InputNumber, Select, Space, Switch, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { checkExpression, inputOf, type ActivityDescriptor, type ActivityJson, type InputDescriptor, type InputValue, type ValidationError } from './model';

interface Pickers { roles: { role: string; name: string }[]; units: { id: string; name: string }[]; forms: string[]; }
let pickerCache: Promise<Pickers> | null = null;
function loadPickers(): Promise<Pickers> {
  pickerCache ??= Promise.all([
    api.get<{ role: string; name: string }[]>('/api/designer/roles').catch(() => []),
    api.get<{ id: string; name: string }[]>('/api/designer/units').catch(() => []),
    api.get<{ formId: string }[]>('/api/applications/processes').then((p) => [...new Set(p.map((x) => x.formId).filter(Boolean))]).catch(() => [] as string[]),
  ]).then(([roles, units, forms]) => ({ roles, units, forms }));
  return pickerCache;
}

/** Dropdown options users read in Chinese; the definition keeps the value. */
const optionNames: Record<string, string> = {
  single: '单人审批', all: '会签（全部同意）', any: '或签（一人同意即可）', ratio: '票签（达到比例即通过）',
  MatchFirst: '只走第一个满足条件的分支', MatchAny: '走所有满足条件的分支',
};

const scopes: [string, string][] = [['applicant', '申请单位'], ['applicantParent', '申请单位的主管部门'], ['applicantCounty', '申请单位所在县区'], ['provider', '数据提供单位'], ['bureau', '市大数据局'], ['orgUnit', '指定单位'], ['any', '不限']];
const kinds: [string, string][] = [['initiator', '申请人'], ['role', '按角色'], ['users', '指定人员'], ['field', '表单字段中的人员']];

interface Props {
  activity: ActivityJson; descriptor: ActivityDescriptor | undefined; errors: ValidationError[];
  onChange: (activity: ActivityJson) => void;
}

export function PropertyPanel({ activity, descriptor, errors, onChange }: Props) {
  const [pickers, setPickers] = useState<Pickers>({ roles: [], units: [], forms: [] });
  useEffect(() => { void loadPickers().then(setPickers); }, []);
  const setInput = (name: string, value: InputValue | undefined) => {
    const next = { ...activity };
    if (value === undefined) delete next[name]; else next[name] = value;
    onChange(next);
  };
  const general = errors.filter((e) => !e.input);
  return (
    <Form layout="vertical" size="small" data-testid="property-panel">
      <Typography.Text type="secondary">{descriptor?.displayName ?? '未知组件'}</Typography.Text>
      <Collapse ghost size="small" items={[{ key: 'tech', label: '技术信息', children: <div data-testid="technical-details" style={{ fontSize: 12 }}>
        <div>环节编号：<Typography.Text code copyable>{activity.id}</Typography.Text>（表达式中引用该环节时使用）</div>
        <div>组件类型：<Typography.Text code>{activity.type}</Typography.Text></div>
      </div> }]} />
      {general.map((e, i) => <Alert key={i} type="error" showIcon message={e.message} style={{ margin: '6px 0' }} data-testid="node-error" />)}
      <Form.Item label="名称">
        <Input id="prop-name" maxLength={TextLimits.definitionName} showCount value={activity.name ?? ''} onChange={(e) => onChange({ ...activity, name: e.target.value })} />
      </Form.Item>
      {descriptor?.inputs.map((input) => {
        const fieldErrors = errors.filter((e) => e.input?.toLowerCase() === input.name.toLowerCase());
        return (
          <Form.Item key={input.name} label={<span>{input.displayName}{input.required && <Tag color="red" style={{ marginLeft: 6 }}>必填</Tag>}</span>}
            validateStatus={fieldErrors.length ? 'error' : undefined} help={fieldErrors.map((e) => e.message).join('；') || input.description || undefined}
            data-testid={`input-${input.name}`}>
            <InputEditor input={input} value={inputOf(activity, input.name)} pickers={pickers} onChange={(v) => setInput(input.name, v)} />
          </Form.Item>
        );
      })}
    </Form>
  );
}

const literal = (value: unknown, typeName = 'Object'): InputValue | undefined =>
  value === undefined || value === null || value === '' ? undefined : { typeName, expression: { type: 'Literal', value } };

function InputEditor({ input, value, pickers, onChange }: { input: InputDescriptor; value: InputValue | undefined; pickers: Pickers; onChange: (v: InputValue | undefined) => void }) {
  const isScript = value?.expression.type === 'JavaScript';
  const raw = value?.expression.value;
  if (isScript || (input.uiHint === 'code-editor' && input.supportsExpression && false)) return <ScriptEditor input={input} value={raw} onChange={onChange} onLiteral={() => onChange(undefined)} />;
  const toggle = input.supportsExpression
    ? <Switch size="small" checkedChildren="表达式" unCheckedChildren="常量" checked={false} data-testid={`toggle-${input.name}`}
        onChange={() => onChange({ typeName: 'Object', expression: { type: 'JavaScript', value: typeof raw === 'string' ? JSON.stringify(raw) : '' } })} />
    : null;
  let editor;
  switch (input.uiHint) {
    case 'assignment-picker': editor = <AssignmentEditor id={input.name} value={(raw ?? null) as Record<string, unknown> | null} pickers={pickers} onChange={(v) => onChange(literal(v))} />; break;
    case 'sla-editor': editor = <SlaEditor value={(raw ?? null) as Record<string, unknown> | null} onChange={(v) => onChange(literal(v))} />; break;
    case 'form-picker': editor = <Select id={`in-${input.name}`} allowClear showSearch value={raw as string | undefined} options={pickers.forms.map((f) => ({ value: f, label: f }))} onChange={(v) => onChange(literal(v))} style={{ width: '100%' }} />; break;
    case 'dropdown': editor = <Select id={`in-${input.name}`} allowClear value={raw as string | undefined} options={(input.options ?? []).map((o) => ({ value: o, label: optionNames[o] ?? o }))} onChange={(v) => onChange(literal(v))} style={{ width: '100%' }} />; break;
    case 'checkbox': editor = <Switch checked={raw === true} onChange={(v) => onChange(literal(v))} />; break;
    default:
      if (input.kind === 'Number' || typeof input.defaultValue === 'number') editor = <InputNumber id={`in-${input.name}`} value={raw as number | undefined} placeholder={String(input.defaultValue ?? '')} onChange={(v) => onChange(literal(v ?? undefined))} style={{ width: '100%' }} />;
      else if (typeof raw === 'object' && raw !== null || input.uiHint === 'json-editor' || input.uiHint === 'field-permissions' || input.uiHint === 'string-list')
        editor = <JsonEditor id={`in-${input.name}`} value={raw} onChange={(v) => onChange(literal(v))} />;
      else editor = <Input id={`in-${input.name}`} value={(raw as string | undefined) ?? ''} placeholder={input.defaultValue == null ? undefined : String(input.defaultValue)} onChange={(e) => onChange(literal(e.target.value))} />;
  }
  return <Space direction="vertical" style={{ width: '100%' }}>{toggle}{editor}</Space>;
}

function ScriptEditor({ input, value, onChange, onLiteral }: { input: InputDescriptor; value: unknown; onChange: (v: InputValue) => void; onLiteral: () => void }) {
  const code = typeof value === 'string' ? value : '';
  const problem = checkExpression(code);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Switch size="small" checkedChildren="表达式" unCheckedChildren="常量" checked onChange={onLiteral} data-testid={`toggle-${input.name}`} />
      <Input.TextArea id={`in-${input.name}`} rows={3} value={code} style={{ fontFamily: 'monospace' }} status={problem ? 'error' : undefined}
        onChange={(e) => onChange({ typeName: 'Object', expression: { type: 'JavaScript', value: e.target.value } })} />
      {problem ? <Typography.Text type="danger" data-testid="expression-error">{problem}</Typography.Text>
        : <Typography.Text type="secondary" style={{ fontSize: 12 }}>JavaScript 表达式（ES2023，可用 variables、input、workflow）</Typography.Text>}
    </Space>
  );
}

function JsonEditor({ id, value, onChange }: { id: string; value: unknown; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value, null, 2));
  const [bad, setBad] = useState(false);
  return <>
    <Input.TextArea id={id} rows={4} value={text} style={{ fontFamily: 'monospace' }} status={bad ? 'error' : undefined}
      onChange={(e) => { setText(e.target.value); try { onChange(e.target.value.trim() ? JSON.parse(e.target.value) : undefined); setBad(false); } catch { setBad(true); } }} />
    {bad && <Typography.Text type="danger">JSON 格式不正确</Typography.Text>}
  </>;
}

function AssignmentEditor({ id, value, pickers, onChange }: { id: string; value: Record<string, unknown> | null; pickers: Pickers; onChange: (v: Record<string, unknown> | null) => void }) {
  const kind = value?.kind as string | undefined;
  const set = (patch: Record<string, unknown>) => onChange({ ...(value ?? {}), ...patch });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select id={`in-${id}-kind`} data-testid={`assignment-kind-${id}`} placeholder="选择办理人类型" allowClear value={kind} style={{ width: '100%' }}
        options={kinds.map(([v, l]) => ({ value: v, label: l }))} onChange={(k) => onChange(k ? { kind: k } : null)} />
      {kind === 'role' && <>
        <Select id={`in-${id}-role`} placeholder="角色" showSearch optionFilterProp="label" value={value?.role as string | undefined} style={{ width: '100%' }}
          options={pickers.roles.map((r) => ({ value: r.role, label: r.name }))} onChange={(role) => set({ role })} />
        <Select id={`in-${id}-scope`} placeholder="组织范围" value={value?.scope as string | undefined} style={{ width: '100%' }}
          options={scopes.map(([v, l]) => ({ value: v, label: l }))} onChange={(scope) => set({ scope })} />
        {value?.scope === 'orgUnit' && <Select id={`in-${id}-unit`} placeholder="单位" showSearch optionFilterProp="label" value={value?.orgUnit as string | undefined}
          style={{ width: '100%' }} options={pickers.units.map((u) => ({ value: u.id, label: u.name }))} onChange={(orgUnit) => set({ orgUnit })} />}
      </>}
      {kind === 'users' && <Select mode="tags" placeholder="用户名" value={(value?.users as string[] | undefined) ?? []} style={{ width: '100%' }} onChange={(users) => set({ users })} />}
      {kind === 'field' && <Input placeholder="表单字段名" value={(value?.field as string | undefined) ?? ''} onChange={(e) => set({ field: e.target.value })} />}
    </Space>
  );
}

function SlaEditor({ value, onChange }: { value: Record<string, unknown> | null; onChange: (v: Record<string, unknown> | null) => void }) {
  const set = (patch: Record<string, unknown>) => onChange({ ...(value ?? {}), ...patch });
  const escalation = value?.escalation as Record<string, unknown> | undefined;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space><span>时限</span><InputNumber id="sla-workingDays" min={1} max={365} value={value?.workingDays as number | undefined}
        onChange={(d) => (d ? set({ workingDays: d }) : onChange(null))} addonAfter="个工作日" /></Space>
      {value && <>
        <Space><span>剩余</span><InputNumber min={0} value={(value.yellowWhenRemaining as number | undefined) ?? 1} onChange={(d) => set({ yellowWhenRemaining: d ?? 1 })} addonAfter="个工作日时预警" /></Space>
        <Space><span>到期提醒</span><Switch checked={value.remind !== false} onChange={(remind) => set({ remind })} /></Space>
        <Space><span>超期升级</span><Switch checked={!!escalation} onChange={(on) => set({ escalation: on ? { notifyTo: { kind: 'role', role: 'platform_admin', scope: 'bureau' }, takeEscalationOutcome: false } : undefined })} /></Space>
        {escalation && <JsonEditor id="sla-escalation" value={escalation} onChange={(v) => set({ escalation: v })} />}
      </>}
    </Space>
  );
}
