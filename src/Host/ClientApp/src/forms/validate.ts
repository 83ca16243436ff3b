// The server's FormValidator (src/Workflows/Forms) in TypeScript: the same field checks, rule kinds, paths, codes and
// zh-CN messages, so a user sees the message next to the field before submitting. The server checks again and stays the
// judge: its field errors are shown the same way. tests/vectors/form-validation.json holds both sides to the same
// answers (vectors.test.ts here, SharedVectorTests on the server). Left to the server: the named custom rules
// (seasonalWindows, resourceCodeClassification), and the canonical forms of formatted values (rules here compare the
// trimmed text as typed, the server a phone's digits).
import { checkFormat } from './formats';
import { evaluateRules, type FormProblem } from './rules';
import { allFields, effectiveMaxLength, permissionOf, type FieldPermissions, type FormField, type FormSchema } from './schema';
import { display, findOption, isEmpty, isScalar, parseDate, parseDateTime, parseNumber } from './values';

export type FieldErrors = Record<string, string>;
export type { FormProblem };
export { isEmpty };

const codePoints = (text: string) => [...text].length;
const fileProperties = new Set(['id', 'name', 'size', 'contentType']);

/** What a file field's value is: an upload's id and name, optionally its size and type, nothing else. */
function isUpload(value: unknown): value is { id: string; name: string } {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const file = value as Record<string, unknown>;
  return Object.keys(file).every((k) => fileProperties.has(k))
    && typeof file.id === 'string' && file.id.trim() !== '' && typeof file.name === 'string' && file.name.trim() !== ''
    && (file.size === undefined || file.size === null || (typeof file.size === 'number' && Number.isInteger(file.size) && file.size >= 0))
    && (file.contentType === undefined || file.contentType === null || typeof file.contentType === 'string');
}

/** The extension as .NET's Path.GetExtension finds it: after the last dot of the last path segment, empty for none. */
function extension(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot >= 0 && dot < base.length - 1 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Checks one value; returns it checked (text trimmed, numbers as numbers, options as their values), undefined when empty or wrong. */
function checkField(field: FormField, value: unknown, path: string, label: string, out: FormProblem[]): unknown {
  const fail = (code: string, message: string) => { out.push({ path, code, message }); return undefined; };
  if (isEmpty(value)) return field.required ? fail('required', `${label}为必填项`) : undefined;
  switch (field.type) {
    case 'text': case 'textarea': case 'email': case 'phone': {
      if (typeof value !== 'string') return fail('type', `${label}应为文本`);
      if (value.includes('\u0000')) return fail('nul', `${label}不能包含空字符（U+0000）`);
      const text = (field.type === 'textarea' ? value.replace(/\r\n|[\r\n\f\u0085\u2028\u2029]/g, '\n') : value).trim();
      const length = codePoints(text);
      if (field.minLength !== undefined && length < field.minLength) return fail('minLength', `${label}至少${field.minLength}个字符`);
      const maxLength = effectiveMaxLength(field);
      if (maxLength !== undefined && length > maxLength) return fail('maxLength', `${label}不能超过${maxLength}个字符（当前${length}个）`);
      if (field.pattern && !new RegExp(`^(?:${field.pattern})$`).test(text))
        return fail('pattern', field.patternMessage ? field.patternMessage.replaceAll('{label}', label) : `${label}格式不正确`);
      const format = field.format ?? (field.type === 'email' ? 'email' : field.type === 'phone' ? 'mobileOrLandline' : undefined);
      const problem = format ? checkFormat(format, text, label) : null;
      return problem ? fail(problem.code, problem.message) : text;
    }
    case 'number': case 'integer': {
      const integer = field.type === 'integer';
      const number = parseNumber(value);
      if (number === null || (integer && (!Number.isInteger(number) || Math.abs(number) > 9.2e18))) return fail('type', integer ? `${label}应为整数` : `${label}应为数字`);
      if (field.min !== undefined && number < field.min) return fail('min', `${label}不能小于${field.min}`);
      if (field.max !== undefined && number > field.max) return fail('max', `${label}不能大于${field.max}`);
      return number;
    }
    case 'date':
      return parseDate(value) === null ? fail('type', `${label}应为有效日期，格式为 YYYY-MM-DD`) : (value as string).trim();
    case 'datetime':
      return parseDateTime(value) === null ? fail('type', `${label}应为有效日期时间，格式为 YYYY-MM-DD HH:mm[:ss]`) : (value as string).trim();
    case 'select': {
      if (!isScalar(value)) return fail('type', `${label}应为单个选项`);
      const option = findOption(field, value);
      return option ? option.value : fail('option', `${label}的值“${display(value)}”不是可选项`);
    }
    case 'multiselect': {
      if (!Array.isArray(value) || !value.every(isScalar)) return fail('type', `${label}应为选项列表`);
      const chosen: unknown[] = [];
      for (const item of value) {
        const option = findOption(field, item);
        if (!option) return fail('option', `${label}的值“${display(item)}”不是可选项`);
        if (chosen.includes(option.value)) return fail('duplicate', `${label}中“${option.label}”重复`);
        chosen.push(option.value);
      }
      countProblem(field, chosen.length, '项', path, label, out);
      return chosen;
    }
    case 'checkbox':
      if (typeof value !== 'boolean') return fail('type', `${label}应为是或否`);
      return field.required && !value ? fail('required', `${label}须勾选`) : value;
    case 'file': {
      if (!isUpload(value)) return fail('type', `${label}应为已上传的文件（含 id 与 name）`);
      if (field.accept && field.accept.length > 0 && !field.accept.includes(extension(value.name.trim())))
        return fail('fileType', `${label}的文件类型应为 ${field.accept.join('、')} 之一`);
      return value;
    }
    case 'table': return checkTable(field, value, path, label, out);
    default: return value;
  }
}

function countProblem(field: FormField, count: number, unit: string, path: string, label: string, out: FormProblem[]) {
  if (field.minItems !== undefined && count < field.minItems) out.push({ path, code: 'minItems', message: `${label}至少${field.minItems}${unit}` });
  else if (field.maxItems !== undefined && count > field.maxItems) out.push({ path, code: 'maxItems', message: `${label}最多${field.maxItems}${unit}（当前${count}${unit}）` });
}

function checkTable(table: FormField, value: unknown, path: string, label: string, out: FormProblem[]): unknown {
  if (!Array.isArray(value)) { out.push({ path, code: 'type', message: `${label}应为表格（行的列表）` }); return undefined; }
  countProblem(table, value.length, '行', path, label, out); // and the rows are still checked: every problem shows at once
  const columns = new Map((table.columns ?? []).map((c) => [c.key, c]));
  return value.map((row: unknown, index) => {
    const rowPath = `${path}[${index}]`;
    const rowLabel = `${label}第${index + 1}行`;
    if (!row || typeof row !== 'object' || Array.isArray(row)) { out.push({ path: rowPath, code: 'type', message: `${rowLabel}应为一行数据` }); return {}; }
    const cells = row as Record<string, unknown>;
    for (const key of Object.keys(cells).filter((k) => !columns.has(k)))
      out.push({ path: `${rowPath}.${key}`, code: 'unknownField', message: `${rowLabel}中没有“${key}”这一列` });
    const checked: Record<string, unknown> = {};
    const failed = new Set<string>();
    for (const column of columns.values()) {
      const before = out.length;
      const cell = checkField(column, cells[column.key], `${rowPath}.${column.key}`, `${rowLabel}的${column.label}`, out);
      if (out.length > before) failed.add(column.key);
      if (cell !== undefined) checked[column.key] = cell;
    }
    if (table.rules?.length)
      evaluateRules(table.rules, { fields: columns, values: checked, pathPrefix: `${rowPath}.`, labelPrefix: `${rowLabel}的`, editable: () => true, failed }, out);
    return checked;
  });
}

/** Every problem of the form, as the server reports them (path, code, message); empty when the form may be sent. */
export function validationProblems(schema: FormSchema, data: Record<string, unknown>, permissions?: FieldPermissions | null): FormProblem[] {
  const out: FormProblem[] = [];
  const fields = new Map(allFields(schema).map((f) => [f.key, f]));
  const editable = (key: string) => permissionOf(permissions, key) === 'editable';
  const values: Record<string, unknown> = {};
  const failed = new Set<string>();
  for (const field of fields.values()) {
    const before = out.length;
    const value = editable(field.key) ? checkField(field, data[field.key], field.key, field.label, out) : data[field.key];
    if (out.length > before) failed.add(field.key);
    if (!isEmpty(value)) values[field.key] = value;
  }
  evaluateRules(schema.rules ?? [], { fields, values, pathPrefix: '', labelPrefix: '', editable, failed }, out);
  return out;
}

/** Field errors keyed by the server's paths (`contactPhone`, `items[2].length`), the first message of each; empty when the form may be sent. */
export function validateForm(schema: FormSchema, data: Record<string, unknown>, permissions?: FieldPermissions | null): FieldErrors {
  const errors: FieldErrors = {};
  for (const problem of validationProblems(schema, data, permissions)) errors[problem.path] ??= problem.message;
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
