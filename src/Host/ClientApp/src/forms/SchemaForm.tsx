// Renders a form schema (definitions/forms) as an antd form: sections, fields by type, the task's field permissions,
// and one message per field (from the client-side check or from the server's answer) right under the field. What the
// reader may not change is shown as text: a section without an editable field as descriptions (label: value), files as
// links that open in the page, no input boxes, hints or counters.
import { Button, Card, Checkbox, DatePicker, Descriptions, Form, Input, InputNumber, Select, Space, Table, Typography, Upload } from 'antd';
import { DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { effectiveMaxLength, permissionOf, type FieldPermissions, type FormField, type FormSchema } from './schema';
import type { FieldErrors } from './validate';
import { FileLink } from '../pages/AttachmentPreview';
import { isUnitField, UnitName, UnitSelect } from './UnitField';

export interface UploadedFile { id: string; name: string; size?: number; contentType?: string; }

interface Props {
  schema: FormSchema;
  data: Record<string, unknown>;
  onChange?: (data: Record<string, unknown>) => void;
  errors?: FieldErrors;
  permissions?: FieldPermissions | null;
  readOnly?: boolean;
  /** Requests for provincial data name resources the city catalog does not hold: the applicant describes them. */
  unlockPlatformFields?: boolean;
  /** Uploads a file for the form's file field `field` (the server checks it against the field's `accept`). */
  onUpload?: (file: File, field: string) => Promise<UploadedFile>;
  /** The case the form's files belong to, for opening them. */
  instanceId?: string | null;
}

export function displayValue(field: FormField, value: unknown, instanceId?: string | null): ReactNode {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return <Typography.Text type="secondary">—</Typography.Text>;
  if (isUnitField(field)) return <UnitName id={String(value)} />;
  switch (field.type) {
    case 'select': return field.options?.find((o) => String(o.value) === String(value))?.label ?? String(value);
    case 'multiselect': return (value as unknown[]).map((v) => field.options?.find((o) => String(o.value) === String(v))?.label ?? String(v)).join('、');
    case 'checkbox': return value ? '是' : '否';
    case 'file': { const file = value as UploadedFile; return <FileLink instanceId={instanceId} id={file.id} name={file.name} testId={`f_${field.key}_name`} />; }
    case 'table': return <ReadOnlyTable field={field} rows={value as Record<string, unknown>[]} instanceId={instanceId} />;
    case 'textarea': return <span style={{ whiteSpace: 'pre-wrap' }}>{String(value)}</span>;
    default: return String(value);
  }
}

function ReadOnlyTable({ field, rows, instanceId }: { field: FormField; rows: Record<string, unknown>[]; instanceId?: string | null }) {
  return <Table size="small" pagination={false} rowKey={(_, i) => String(i)} dataSource={rows} scroll={{ x: 'max-content' }}
    columns={(field.columns ?? []).map((column) => ({ title: column.label, key: column.key, render: (_: unknown, row: Record<string, unknown>) => displayValue(column, row[column.key], instanceId) }))} />;
}

function FieldInput({ field, value, set, disabled, onUpload, instanceId }: { field: FormField; value: unknown; set: (v: unknown) => void; disabled: boolean; onUpload?: Props['onUpload']; instanceId?: string | null }) {
  const id = `f_${field.key}`;
  if (isUnitField(field)) return <UnitSelect id={id} value={value} set={set} disabled={disabled} />;
  switch (field.type) {
    case 'textarea':
      return <Input.TextArea id={id} value={(value as string) ?? ''} onChange={(e) => set(e.target.value)} disabled={disabled} placeholder={field.placeholder} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={effectiveMaxLength(field)} showCount />;
    case 'number': case 'integer':
      return <InputNumber id={id} value={value as number | null} onChange={(v) => set(v)} disabled={disabled} min={field.min} max={field.max} precision={field.type === 'integer' ? 0 : undefined} style={{ width: 200 }} />;
    case 'date':
      return <DatePicker id={id} value={value ? dayjs(value as string) : null} onChange={(d) => set(d ? d.format('YYYY-MM-DD') : null)} disabled={disabled} />;
    case 'select':
      return <Select id={id} value={value as string} onChange={(v) => set(v)} disabled={disabled} allowClear style={{ minWidth: 240 }} placeholder="请选择"
        options={(field.options ?? []).map((o) => ({ value: o.value as string, label: o.label }))} />;
    case 'multiselect':
      return <Select id={id} mode="multiple" value={(value as string[]) ?? []} onChange={(v) => set(v)} disabled={disabled} style={{ minWidth: 320 }} placeholder="请选择"
        options={(field.options ?? []).map((o) => ({ value: o.value as string, label: o.label }))} />;
    case 'checkbox':
      return <Checkbox id={id} checked={value === true} onChange={(e) => set(e.target.checked)} disabled={disabled}>{field.help ?? '是'}</Checkbox>;
    case 'file': {
      const file = value as UploadedFile | null;
      return (
        <Space>
          <Upload showUploadList={false} disabled={disabled || !onUpload} accept={field.accept?.map((a) => `.${a}`).join(',')}
            customRequest={async ({ file: raw, onSuccess, onError }) => {
              try { const uploaded = await onUpload!(raw as File, field.key); set(uploaded); onSuccess?.(uploaded); } catch (e) { onError?.(e as Error); }
            }}>
            <Button id={id} icon={<UploadOutlined />} disabled={disabled || !onUpload}>{file ? '重新上传' : '上传文件'}</Button>
          </Upload>
          {file && <FileLink instanceId={instanceId} id={file.id} name={file.name} testId={`${id}_name`} />}
        </Space>
      );
    }
    case 'table': {
      const rows = ((value as Record<string, unknown>[]) ?? []);
      const setCell = (index: number, key: string, cell: unknown) => set(rows.map((r, i) => (i === index ? { ...r, [key]: cell } : r)));
      return (
        <div>
          <Table size="small" pagination={false} rowKey={(_, i) => String(i)} dataSource={rows}
            columns={[
              ...(field.columns ?? []).map((column) => ({
                title: column.label, key: column.key,
                render: (_: unknown, row: Record<string, unknown>, index: number) =>
                  <FieldInput field={{ ...column, key: `${field.key}_${index}_${column.key}` }} value={row[column.key]} set={(v) => setCell(index, column.key, v)} disabled={disabled} />,
              })),
              ...(disabled ? [] : [{ title: '', key: '_remove', width: 48, render: (_: unknown, __: unknown, index: number) =>
                <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label="删除行" onClick={() => set(rows.filter((_r, i) => i !== index))} /> }]),
            ]} />
          {!disabled && <Button size="small" icon={<PlusOutlined />} style={{ marginTop: 4 }} onClick={() => set([...rows, {}])}>添加一行</Button>}
        </div>
      );
    }
    default:
      return <Input id={id} value={(value as string) ?? ''} onChange={(e) => set(e.target.value)} disabled={disabled} placeholder={field.placeholder} maxLength={effectiveMaxLength(field)} />;
  }
}

/** Errors of a table's cells (items[2].length) are shown under the table, each with its own message. */
function errorFor(errors: FieldErrors, key: string): string | undefined {
  if (errors[key]) return errors[key];
  const nested = Object.entries(errors).filter(([path]) => path.startsWith(`${key}[`));
  return nested.length > 0 ? nested.map(([, m]) => m).join('；') : undefined;
}

export function SchemaForm({ schema, data, onChange, errors = {}, permissions, readOnly, onUpload, instanceId, unlockPlatformFields }: Props) {
  return (
    <Form layout="horizontal" labelCol={{ flex: '180px' }} labelWrap colon={false} className="schema-form">
      {schema.sections.map((section) => {
        const visible = section.fields.filter((f) => permissionOf(permissions, f.key) !== 'hidden');
        if (visible.length === 0) return null;
        // A field the platform fills from its records is shown, never edited (a provincial request describes its own resource).
        const editable = (field: FormField) => !readOnly && !!onChange && permissionOf(permissions, field.key) === 'editable'
          && (field.source !== 'platform' || !!unlockPlatformFields);
        if (!visible.some(editable)) {
          return (
            <Card key={section.key} size="small" title={section.title} style={{ marginBottom: 12 }} className="form-section read-only">
              <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} className="form-descriptions">
                {visible.map((field) => (
                  <Descriptions.Item key={field.key} label={field.label} span={field.type === 'textarea' || field.type === 'table' ? 'filled' : 1}>
                    <span id={`f_${field.key}`} data-testid={`v_${field.key}`}>{displayValue(field, data[field.key], instanceId)}</span>
                  </Descriptions.Item>
                ))}
              </Descriptions>
            </Card>
          );
        }
        return (
          <Card key={section.key} size="small" title={section.title} style={{ marginBottom: 12 }} className="form-section">
            {section.description && <Typography.Paragraph type="secondary">{section.description}</Typography.Paragraph>}
            {visible.map((field) => {
              const message = errorFor(errors, field.key);
              if (!editable(field)) {
                return (
                  <Form.Item key={field.key} label={field.label} className="read-only-field">
                    <span id={`f_${field.key}`} data-testid={`v_${field.key}`}>{displayValue(field, data[field.key], instanceId)}</span>
                  </Form.Item>
                );
              }
              return (
                <Form.Item key={field.key} label={field.label} required={field.required} htmlFor={`f_${field.key}`}
                  validateStatus={message ? 'error' : undefined} help={message} extra={field.type !== 'checkbox' && !message ? field.help : undefined}>
                  <FieldInput field={field} value={data[field.key]} disabled={false} onUpload={onUpload} instanceId={instanceId}
                    set={(v) => onChange?.({ ...data, [field.key]: v })} />
                </Form.Item>
              );
            })}
          </Card>
        );
      })}
    </Form>
  );
}

/** Brings the first field with an error (in the form's order) into view and puts the cursor in it. */
export function scrollToFirstError(schema: FormSchema, errors: FieldErrors) {
  const first = schema.sections.flatMap((s) => s.fields).find((f) => errorFor(errors, f.key));
  if (!first) return;
  const input = document.getElementById(`f_${first.key}`);
  (input?.closest('.ant-form-item') ?? input)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  if (input instanceof HTMLElement) input.focus({ preventScroll: true });
}

/** The filled form laid out as the paper form, for printing and stamping (盖章). */
export function PrintableForm({ schema, data, applicant }: { schema: FormSchema; data: Record<string, unknown>; applicant?: string }) {
  return (
    <div className="printable-form">
      <h2 style={{ textAlign: 'center' }}>{schema.title}</h2>
      {schema.sections.map((section) => (
        <Descriptions key={section.key} bordered size="small" column={2} title={section.title} style={{ marginBottom: 12 }}>
          {section.fields.filter((f) => f.type !== 'table').map((field) => (
            <Descriptions.Item key={field.key} label={field.label} span={field.type === 'textarea' ? 2 : 1}>{field.type === 'file' ? (data[field.key] as UploadedFile | null)?.name ?? '—' : displayValue(field, data[field.key])}</Descriptions.Item>
          ))}
        </Descriptions>
      ))}
      <div className="stamp-area">
        <div>申请单位（盖章）：{applicant ?? ''}</div>
        <div>日期：　　　　年　　月　　日</div>
      </div>
    </div>
  );
}
