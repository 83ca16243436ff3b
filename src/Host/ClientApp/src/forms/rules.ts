// The declarative rule kinds of the server's RuleEvaluator (src/Workflows/Forms/RuleEvaluator.cs), over one scope's
// checked values: the form's fields, or one table row's columns. Named custom rules are the server's alone.
import type { FormCondition, FormField, FormRule } from './schema';
import { isEmpty, parseDate, parseDateTime, same, valueText } from './values';

export interface FormProblem { path: string; code: string; message: string; }

/** The fields a rule may name, their checked values, and how a problem is placed and worded. */
export interface RuleScope {
  fields: Map<string, FormField>;
  values: Record<string, unknown>;
  pathPrefix: string;
  /** For a table row: 信息项第3行的 */
  labelPrefix: string;
  editable: (key: string) => boolean;
  /** Fields with a problem of their own: rules over them wait. */
  failed: Set<string>;
}

const operatorText: Record<string, string> = { eq: '等于', ne: '不同于', lt: '小于', le: '小于或等于', gt: '大于', ge: '大于或等于' };

function fieldsOf(rule: FormRule): { involved: string[]; reported: string[] } {
  const keys = (...list: (string | undefined)[]) => list.filter((k): k is string => !!k);
  switch (rule.kind) {
    case 'requiredWhen': case 'emptyWhen': case 'allowedWhen': return { involved: keys(rule.field, rule.when?.field), reported: keys(rule.field) };
    case 'compare': return { involved: keys(rule.left, rule.right), reported: keys(rule.left, rule.right) };
    case 'dateRange': return { involved: keys(rule.start, rule.end), reported: keys(rule.start, rule.end) };
    case 'unique': return { involved: keys(rule.table), reported: keys(rule.table) };
    default: return { involved: [], reported: [] };
  }
}

function matches(field: FormField | undefined, value: unknown, candidates: unknown[]): boolean {
  return field?.type === 'multiselect' && Array.isArray(value)
    ? candidates.some((c) => value.some((v) => same(v, c)))
    : candidates.some((c) => same(value, c));
}

function holds(condition: FormCondition, scope: RuleScope): boolean {
  const field = scope.fields.get(condition.field);
  const value = scope.values[condition.field];
  const empty = isEmpty(value);
  if (condition.filled !== undefined) return condition.filled !== empty;
  if (condition.equals !== undefined) return !empty && matches(field, value, [condition.equals]);
  if (condition.notEquals !== undefined) return empty || !matches(field, value, [condition.notEquals]);
  if (condition.in !== undefined) return !empty && matches(field, value, condition.in);
  return condition.notIn === undefined || empty || !matches(field, value, condition.notIn);
}

/** 申请类型为“密码重置”: the condition's field by its label alone (not its row). */
function describe(condition: FormCondition, scope: RuleScope): string {
  const field = scope.fields.get(condition.field);
  const label = field?.label ?? condition.field;
  const values = (list: unknown[]) => list.map((v) => `“${valueText(field, v)}”`).join('或');
  if (condition.filled !== undefined) return condition.filled ? `已填写${label}` : `未填写${label}`;
  if (condition.equals !== undefined) return `${label}为${values([condition.equals])}`;
  if (condition.notEquals !== undefined) return `${label}不为${values([condition.notEquals])}`;
  return condition.in !== undefined ? `${label}为${values(condition.in)}` : `${label}不为${values(condition.notIn ?? [])}`;
}

/** A value that orders (numbers, dates, date-times), tagged with its kind so that a date never orders against a number. */
function comparable(field: FormField | undefined, value: unknown): [string, number] | null {
  switch (field?.type) {
    case 'number': case 'integer': return typeof value === 'number' ? ['number', value] : null;
    case 'date': { const day = parseDate(value); return day === null ? null : ['date', day]; }
    case 'datetime': { const at = parseDateTime(value); return at === null ? null : ['datetime', at]; }
    default: return null;
  }
}

const uniqueKey = (value: unknown) => (typeof value === 'string' ? `s:${value.trim().toUpperCase()}` : `j:${JSON.stringify(value)}`);

export function evaluateRules(rules: FormRule[], scope: RuleScope, out: FormProblem[]): void {
  const label = (key: string) => scope.labelPrefix + (scope.fields.get(key)?.label ?? key);
  const add = (rule: FormRule, key: string, code: string, message: string) =>
    out.push({ path: scope.pathPrefix + key, code, message: rule.message ? rule.message.replaceAll('{label}', label(key)) : message });
  for (const rule of rules) {
    const { involved, reported } = fieldsOf(rule);
    if (!reported.some(scope.editable)) continue;
    // A rule waits until its fields are valid; a table with bad cells still offers its good ones (unique).
    if (involved.some((k) => scope.failed.has(k) && scope.fields.get(k)?.type !== 'table')) continue;
    switch (rule.kind) {
      case 'requiredWhen':
        if (holds(rule.when!, scope) && isEmpty(scope.values[rule.field!]))
          add(rule, rule.field!, 'requiredWhen', `${describe(rule.when!, scope)}时，${label(rule.field!)}为必填项`);
        break;
      case 'emptyWhen':
        if (holds(rule.when!, scope) && !isEmpty(scope.values[rule.field!]))
          add(rule, rule.field!, 'emptyWhen', `${describe(rule.when!, scope)}时，不应填写${label(rule.field!)}`);
        break;
      case 'allowedWhen': {
        const field = scope.fields.get(rule.field!);
        const value = scope.values[rule.field!];
        if (!holds(rule.when!, scope) || isEmpty(value)) break;
        const allowed = (v: unknown) => (rule.values ?? []).some((c) => same(v, c));
        if (field?.type === 'multiselect' && Array.isArray(value) ? value.every(allowed) : allowed(value)) break;
        add(rule, rule.field!, 'allowedWhen',
          `${describe(rule.when!, scope)}时，${label(rule.field!)}只能为${(rule.values ?? []).map((v) => `“${valueText(field, v)}”`).join('、')}`);
        break;
      }
      case 'compare': {
        const [left, right] = [scope.values[rule.left!], scope.values[rule.right!]];
        if (isEmpty(left) || isEmpty(right)) break;
        const a = comparable(scope.fields.get(rule.left!), left);
        const b = comparable(scope.fields.get(rule.right!), right);
        const operator = rule.operator ?? 'eq';
        let ok: boolean;
        if (a && b && a[0] === b[0]) {
          const order = Math.sign(a[1] - b[1]);
          ok = { eq: order === 0, ne: order !== 0, lt: order < 0, le: order <= 0, gt: order > 0, ge: order >= 0 }[operator];
        } else if (operator === 'eq' || operator === 'ne') ok = same(left, right) === (operator === 'eq');
        else break; // texts have no order
        if (!ok) add(rule, scope.editable(rule.left!) ? rule.left! : rule.right!, 'compare', `${label(rule.left!)}应${operatorText[operator]}${label(rule.right!)}`);
        break;
      }
      case 'dateRange': {
        const start = comparable(scope.fields.get(rule.start!), scope.values[rule.start!]);
        const end = comparable(scope.fields.get(rule.end!), scope.values[rule.end!]);
        if (!start || !end || start[0] !== end[0] || start[0] === 'number') break;
        const reported = scope.editable(rule.end!) ? rule.end! : rule.start!;
        // Dates count both days (1 March to 1 March is one day); date-times the time between them.
        const days = start[0] === 'date' ? end[1] - start[1] + 1 : (end[1] - start[1]) / 86_400_000;
        if (end[1] < start[1]) add(rule, reported, 'dateRange', `${label(rule.end!)}不能早于${label(rule.start!)}`);
        else if (rule.maxDays !== undefined && days > rule.maxDays)
          add(rule, reported, 'dateRange.maxDays', `${label(rule.start!)}至${label(rule.end!)}不能超过${rule.maxDays}天`);
        break;
      }
      case 'unique': {
        const rows = scope.values[rule.table!];
        const table = scope.fields.get(rule.table!);
        if (!Array.isArray(rows) || !table) break;
        const columns = (rule.columns ?? []).map((key) => table.columns!.find((c) => c.key === key)!);
        const seen = new Map<string, number>();
        rows.forEach((row: Record<string, unknown>, index) => {
          if (!row || typeof row !== 'object' || columns.some((c) => isEmpty(row[c.key]))) return;
          const key = columns.map((c) => uniqueKey(row[c.key])).join('\u001f');
          const first = seen.get(key);
          if (first === undefined) { seen.set(key, index); return; }
          const rowLabel = `${label(rule.table!)}第${index + 1}行`;
          out.push({
            path: `${scope.pathPrefix}${rule.table}[${index}].${columns[0].key}`, code: 'unique',
            message: rule.message ? rule.message.replaceAll('{label}', `${rowLabel}的${columns[0].label}`)
              : `${rowLabel}的${columns.map((c) => c.label).join('、')}与第${first + 1}行重复`,
          });
        });
        break;
      }
      default: break; // named custom rules: the server's answer is shown next to the field
    }
  }
}

