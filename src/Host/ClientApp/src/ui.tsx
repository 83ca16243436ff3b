// Small pieces shared by the pages: dates in Beijing time, the yellow/red due badge, status names.
import { Alert, Button, Form, Result, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import type { ClockStatus, Level } from './types';
import { ApiError } from './api';

export const fmt = (instant: string | null | undefined, withTime = true) => (instant ? dayjs(instant).format(withTime ? 'YYYY-MM-DD HH:mm' : 'YYYY-MM-DD') : '—');

const levelText: Record<Level, [string, string]> = { normal: ['正常', 'green'], yellow: ['即将到期', 'gold'], red: ['已超期', 'red'], stopped: ['已停止计时', 'default'], paused: ['暂停计时（补正中）', 'default'] };

/** The API writes enums in camelCase (`yellow`, `finished`) and task states in PascalCase (`Open`): one spelling here. */
export const pascal = (value: string | null | undefined) => (value ? value[0].toUpperCase() + value.slice(1) : value);

export function DueBadge({ dueAt, level, clock }: { dueAt: string | null | undefined; level: Level | null | undefined; clock?: ClockStatus | null }) {
  if (!dueAt) return <span>—</span>;
  const key = level ?? 'normal';
  const [text, color] = levelText[key] ?? levelText.normal;
  const tag = <Tag color={color} data-level={key}>{text}</Tag>;
  return <span>{fmt(dueAt)} {clock ? <Tooltip title={clock.explanation}>{tag}</Tooltip> : tag}</span>;
}

export const statusNames: Record<string, string> = {
  Open: '待办理', Waiting: '等待中', Pending: '待处理', Completed: '已完成', Cancelled: '已取消',
  Running: '办理中', Suspended: '办理中', Finished: '已办结', Faulted: '异常', Draft: '草稿',
};
export const statusTag = (raw: string, isDraft?: boolean) => {
  if (isDraft) return <Tag color="default" data-status="draft">草稿</Tag>;
  const status = pascal(raw) ?? '';
  const color = status === 'Finished' || status === 'Completed' ? 'green' : status === 'Faulted' ? 'red' : status === 'Cancelled' ? 'default' : 'blue';
  return <Tag color={color}>{statusNames[status] ?? status}</Tag>;
};

/** Every action of src/Workflows/Tasks/TaskActions.cs, as the history names it. */
export const actionNames: Record<string, string> = {
  created: '到达', claim: '认领', release: '释放', approve: '同意', reject: '不同意', return: '退回', withdraw: '撤回', transfer: '转办',
  delegate: '委派', resolve: '委派完成', 'add-signer': '加签', 'remove-signer': '减签', copy: '抄送', urge: '催办', comment: '意见',
  cancelled: '取消', activated: '激活', 'request-extension': '申请延期', 'approve-extension': '同意延期', 'reject-extension': '不同意延期',
  remind: '到期提醒', overdue: '超期', attach: '上传附件', 'save-form': '保存表单', 'record-facts': '记录平台核定信息', escalate: '超期升级',
  'due-soon': '即将到期提醒',
};

/** An action's Chinese name; an action this list does not know yet reads 办理 (format.test.ts keeps the list complete). */
export const actionName = (action: string | null | undefined) => actionNames[action ?? ''] ?? '办理';

/**
 * A recorded sentence without its digests (SHA-256, SM3: 32 or more hex digits, with the algorithm's name before one):
 * they belong to the technical details, not to what a person reads.
 */
export const withoutDigests = (text: string, replacement = '') =>
  text.replace(/[（(]?(SHA-256|SM3)\s*(校验和|校验值)?\s*([0-9a-f]{32,})[）)]?/gi, replacement).replace(/\b[0-9a-f]{32,}\b/gi, replacement);

/** Puts the server's field errors (400 with `errors`) next to the fields of an antd form; true when there were any. */
export function showFieldErrors(form: ReturnType<typeof Form.useForm>[0], error: unknown): boolean {
  if (!(error instanceof ApiError) || !error.problem.errors) return false;
  form.setFields(Object.entries(error.fieldErrors).map(([name, errors]) => ({ name, errors })));
  return true;
}

export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  const forbidden = problem && (problem.status === 404 || problem.status === 403);
  const title = forbidden ? '无权访问或内容不存在' : problem?.title ?? '出错了';
  const detail = problem?.detail ?? (error as Error).message;
  // One message per failure: a detail that only repeats the title is not shown twice.
  return <Alert type="error" showIcon data-testid="error-alert" message={title} description={detail && detail !== title ? detail : undefined} style={{ marginBottom: 12 }} />;
}

/**
 * A list that could not be loaded says so, with the reason and a retry, instead of an empty list's "暂无…" (issue #18:
 * failures visible and true). One message per failure: the list shows this and nothing else.
 */
export function ListError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const problem = error instanceof ApiError ? error.problem : null;
  return <div data-testid="list-error"><Result status="warning" title={problem?.title ?? '加载失败'}
    subTitle={problem?.detail && problem.detail !== problem.title ? problem.detail : problem ? undefined : (error as Error)?.message ?? '列表加载失败，请重试。'}
    extra={<Button type="primary" onClick={onRetry} data-testid="retry">重试</Button>} /></div>;
}

/** 业务编号 as the lists show it: monospace, or 草稿 / — when the case has none. */
export function BusinessNumber({ value, isDraft }: { value: string | null | undefined; isDraft?: boolean }) {
  if (value) return <span className="business-number" data-testid="business-number">{value}</span>;
  return isDraft ? <Tag>草稿</Tag> : <span>—</span>;
}
