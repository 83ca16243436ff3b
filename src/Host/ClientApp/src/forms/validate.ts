// The server's FormValidator (src/Workflows/Forms) in TypeScript: the same field checks, rule kinds, paths and zh-CN
// messages, so a user sees the message next to the field before submitting. The server checks again and stays the
// judge: its field errors are shown the same way. Named custom rules (seasonalWindows, resourceCodeClassification) and
// the usageHours format are left to the server.
import { checkFormat } from './formats';
import { allFields, effectiveMaxLength, permissionOf, type FieldPermissions, type FormCondition, type FormField, type FormRule, type FormSchema, type Json } from './schema';

export type FieldErrors = Record<string, string>;

export function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

const length = (text: string) => [...text].length;
const same = (a: unknown, b: unknown) => a === b || (a !== null && b !== null && typeof a !== 'object' && String(a) === String(b) && typeof a === typeof b);

function checkField(field: FormField, value: unknown, path: string, label: string, errors: FieldErrors, required: boolean): void {
  if (isEmpty(value)) {
    if (required && field.required) errors[path] = `${label}为必填项`;
    return;
  }
  const add = (message: string) => { errors[path] = message; };
  switch (field.type) {
    case 'text': case 'textarea': case 'email': case 'phone': {
      if (typeof value !== 'string') return add(`${label}应为文本`);
      const text = value.trim();
      if (field.minLength !== undefined && length(text) < field.minLength) return add(`${label}至少${field.minLength}个字符`);
      const maxLength = effectiveMaxLength(field);
      if (maxLength !== undefined && length(text) > maxLength) return add(`${label}不能超过${maxLength}个字符（当前${length(text)}个）`);
      if (field.pattern && !new RegExp(`^(?:${field.pattern})$`).test(text))
        return add(field.patternMessage ? field.patternMessage.replace('{label}', label) : `${label}格式不正确`);
      const format = field.format ?? (field.type === 'email' ? 'email' : field.type === 'phone' ? 'mobileOrLandline' : undefined);
      const problem = format ? checkFormat(format, text, label) : null;
      if (problem) add(problem.message);
      return;
    }
    case 'number': case 'integer': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (Number.isNaN(number)) return add(field.type === 'integer' ? `${label}应为整数` : `${label}应为数字`);
      if (field.type === 'integer' && !Number.isInteger(number)) return add(`${label}应为整数`);
      if (field.min !== undefined && number < field.min) return add(`${label}不能小于${field.min}`);
      if (field.max !== undefined && number > field.max) return add(`${label}不能大于${field.max}`);
      return;
    }
    case 'date':
      if (typeof value !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value.trim())) add(`${label}应为有效日期，格式为 YYYY-MM-DD`);
      return;
    case 'select':
      if (!(field.options ?? []).some((o) => same(o.value, value) || String(o.value) === String(value))) add(`${label}的值“${String(value)}”不是可选项`);
      return;
    case 'multiselect': {
      if (!Array.isArray(value)) return add(`${label}应为选项列表`);
      if (field.minItems !== undefined && value.length < field.minItems) return add(`${label}至少${field.minItems}项`);
      if (field.maxItems !== undefined && value.length > field.maxItems) return add(`${label}最多${field.maxItems}项（当前${value.length}项）`);
      return;
    }
    case 'checkbox':
      if (required && field.required && value !== true) add(`${label}须勾选`);
      return;
    case 'file': {
      const file = value as { id?: string; name?: string };
      if (!file.id || !file.name) return add(`${label}应为已上传的文件（含 id 与 name）`);
      const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
      if (field.accept && field.accept.length > 0 && !field.accept.includes(ext)) add(`${label}的文件类型应为 ${field.accept.join('、')} 之一`);
      return;
    }
    case 'table': {
      if (!Array.isArray(value)) return add(`${label}应为表格（行的列表）`);
      if (field.minItems !== undefined && value.length < field.minItems) return add(`${label}至少${field.minItems}行`);
      if (field.maxItems !== undefined && value.length > field.maxItems) return add(`${label}最多${field.maxItems}行（当前${value.length}行）`);
      value.forEach((row, index) => {
        for (const column of field.columns ?? [])
          checkField(column, (row as Record<string, unknown>)?.[column.key], `${path}[${index}].${column.key}`, `${label}第${index + 1}行的${column.label}`, errors, true);
      });
      return;
    }
    default: return;
  }
}

function optionLabel(field: FormField | undefined, value: Json | undefined): string {
  if (value === null || value === undefined) return '空';
  return field?.options?.find((o) => same(o.value, value))?.label ?? String(value);
}

function holds(condition: FormCondition, data: Record<string, unknown>, fields: Map<string, FormField>): boolean {
  const value = data[condition.field];
  const field = fields.get(condition.field);
  const matches = (candidates: Json[]) => !isEmpty(value) && (field?.type === 'multiselect' && Array.isArray(value)
    ? candidates.some((c) => value.some((v) => same(v, c)))
    : candidates.some((c) => same(value, c)));
  if (condition.filled !== undefined) return condition.filled === !isEmpty(value);
  if (condition.equals !== undefined) return matches([condition.equals]);
  if (condition.notEquals !== undefined) return !matches([condition.notEquals]);
  if (condition.in !== undefined) return matches(condition.in);
  return !matches(condition.notIn ?? []);
}

function describe(condition: FormCondition, fields: Map<string, FormField>): string {
  const field = fields.get(condition.field);
  const label = field?.label ?? condition.field;
  const values = (list: Json[]) => list.map((v) => `“${optionLabel(field, v)}”`).join('或');
  if (condition.filled !== undefined) return condition.filled ? `已填写${label}` : `未填写${label}`;
  if (condition.equals !== undefined) return `${label}为${values([condition.equals])}`;
  if (condition.notEquals !== undefined) return `${label}不为${values([condition.notEquals])}`;
  return condition.in ? `${label}为${values(condition.in)}` : `${label}不为${values(condition.notIn ?? [])}`;
}

const operatorText: Record<string, string> = { eq: '等于', ne: '不同于', lt: '小于', le: '小于或等于', gt: '大于', ge: '大于或等于' };

function applyRules(rules: FormRule[], data: Record<string, unknown>, fields: Map<string, FormField>, editable: (key: string) => boolean, errors: FieldErrors) {
  const label = (key: string) => fields.get(key)?.label ?? key;
  const add = (rule: FormRule, key: string, message: string) => {
    if (!editable(key) || errors[key]) return;
    errors[key] = rule.message ? rule.message.replace('{label}', label(key)) : message;
  };
  for (const rule of rules) {
    const involved = [rule.field, rule.left, rule.right, rule.start, rule.end, rule.when?.field].filter((k): k is string => !!k);
    if (involved.some((k) => errors[k])) continue; // waits while a field it involves has a field-level error
    switch (rule.kind) {
      case 'requiredWhen':
        if (rule.field && rule.when && holds(rule.when, data, fields) && isEmpty(data[rule.field]))
          add(rule, rule.field, `${describe(rule.when, fields)}时，${label(rule.field)}为必填项`);
        break;
      case 'emptyWhen':
        if (rule.field && rule.when && holds(rule.when, data, fields) && !isEmpty(data[rule.field]))
          add(rule, rule.field, `${describe(rule.when, fields)}时，不应填写${label(rule.field)}`);
        break;
      case 'allowedWhen': {
        const value = rule.field ? data[rule.field] : undefined;
        if (!rule.field || !rule.when || !holds(rule.when, data, fields) || isEmpty(value)) break;
        const allowed = Array.isArray(value) ? value.every((v) => (rule.values ?? []).some((c) => same(v, c))) : (rule.values ?? []).some((c) => same(value, c));
        if (!allowed) add(rule, rule.field, `${describe(rule.when, fields)}时，${label(rule.field)}只能为${(rule.values ?? []).map((v) => `“${optionLabel(fields.get(rule.field!), v)}”`).join('、')}`);
        break;
      }
      case 'compare': {
        const left = rule.left ? data[rule.left] : undefined;
        const right = rule.right ? data[rule.right] : undefined;
        if (!rule.left || !rule.right || isEmpty(left) || isEmpty(right)) break;
        const a = typeof left === 'number' ? left : String(left);
        const b = typeof right === 'number' ? right : String(right);
        if (typeof a !== typeof b) break;
        const order = a < b ? -1 : a > b ? 1 : 0;
        const ok = { eq: order === 0, ne: order !== 0, lt: order < 0, le: order <= 0, gt: order > 0, ge: order >= 0 }[rule.operator ?? 'eq'];
        if (!ok) add(rule, editable(rule.left) ? rule.left : rule.right, `${label(rule.left)}应${operatorText[rule.operator ?? 'eq']}${label(rule.right)}`);
        break;
      }
      case 'dateRange': {
        const start = rule.start ? data[rule.start] : undefined;
        const end = rule.end ? data[rule.end] : undefined;
        if (!rule.start || !rule.end || typeof start !== 'string' || typeof end !== 'string') break;
        const reported = editable(rule.end) ? rule.end : rule.start;
        const days = Math.round((Date.parse(end) - Date.parse(start)) / 86400000);
        if (days < 0) add(rule, reported, `${label(rule.end)}不能早于${label(rule.start)}`);
        else if (rule.maxDays !== undefined && days + 1 > rule.maxDays) add(rule, reported, `${label(rule.start)}至${label(rule.end)}不能超过${rule.maxDays}天`);
        break;
      }
      default: break; // unique and custom rules: the server's answer is shown next to the field
    }
  }
}

/** Field errors keyed by the server's paths (`contactPhone`, `items[2].length`); empty when the form may be sent. */
export function validateForm(schema: FormSchema, data: Record<string, unknown>, permissions?: FieldPermissions | null, requireFilled = true): FieldErrors {
  const errors: FieldErrors = {};
  const fields = new Map(allFields(schema).map((f) => [f.key, f]));
  const editable = (key: string) => permissionOf(permissions, key) === 'editable';
  for (const field of fields.values()) if (editable(field.key)) checkField(field, data[field.key], field.key, field.label, errors, requireFilled);
  if (requireFilled) applyRules(schema.rules ?? [], data, fields, editable, errors);
  return errors;
}

/** The server's `errors` object ({ field: [messages] }) as one message per field. */
export function serverErrors(errors: Record<string, string[]> | undefined): FieldErrors {
  const result: FieldErrors = {};
  for (const [key, messages] of Object.entries(errors ?? {})) if (messages.length > 0) result[key] = messages[0];
  return result;
}

/**
 * The errors after an edit: the message of a field the user just changed is checked again (issue #18: a filled field
 * loses its 为必填项 at once, a corrected IP its 网段 message); the other messages, the server's included, stay until the
 * next submit, and no new message appears before it.
 */
export function revalidate(schema: FormSchema, before: Record<string, unknown>, after: Record<string, unknown>, shown: FieldErrors,
  permissions?: FieldPermissions | null): FieldErrors {
  if (Object.keys(shown).length === 0) return shown;
  const changed = new Set(Object.keys({ ...before, ...after }).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])));
  if (changed.size === 0) return shown;
  const now = validateForm(schema, after, permissions);
  const kept: FieldErrors = {};
  for (const [path, message] of Object.entries(shown)) {
    const field = path.split('[')[0];
    if (!changed.has(field)) kept[path] = message;
  }
  for (const [path, message] of Object.entries(now)) {
    const field = path.split('[')[0];
    if (changed.has(field) && Object.keys(shown).some((p) => p.split('[')[0] === field)) kept[path] = message;
  }
  return kept;
}
