// Small pieces shared by the pages: dates in Beijing time, the yellow/red due badge, status names.
import { Alert, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import type { ClockStatus, Level } from './types';
import { ApiError } from './api';

export const fmt = (instant: string | null | undefined, withTime = true) => (instant ? dayjs(instant).format(withTime ? 'YYYY-MM-DD HH:mm' : 'YYYY-MM-DD') : '—');

const levelText: Record<Level, [string, string]> = { Normal: ['正常', 'green'], Yellow: ['即将到期', 'gold'], Red: ['已超期', 'red'], Stopped: ['已停止计时', 'default'] };

export function DueBadge({ dueAt, level, clock }: { dueAt: string | null | undefined; level: Level | null | undefined; clock?: ClockStatus | null }) {
  if (!dueAt) return <span>—</span>;
  const [text, color] = levelText[level ?? 'Normal'];
  const tag = <Tag color={color} data-level={level ?? 'Normal'}>{text}</Tag>;
  return <span>{fmt(dueAt)} {clock ? <Tooltip title={clock.explanation}>{tag}</Tooltip> : tag}</span>;
}

export const statusNames: Record<string, string> = {
  Open: '待办理', Waiting: '等待中', Pending: '待处理', Completed: '已完成', Cancelled: '已取消',
  Running: '办理中', Suspended: '办理中', Finished: '已办结', Faulted: '异常', Draft: '草稿',
};
export const statusTag = (status: string, isDraft?: boolean) => {
  if (isDraft) return <Tag>草稿</Tag>;
  const color = status === 'Finished' || status === 'Completed' ? 'green' : status === 'Faulted' ? 'red' : status === 'Cancelled' ? 'default' : 'blue';
  return <Tag color={color}>{statusNames[status] ?? status}</Tag>;
};

export const actionNames: Record<string, string> = {
  Created: '创建', Claim: '认领', Release: '释放', Approve: '同意', Reject: '不同意', Return: '退回', Transfer: '转办', Delegate: '委派',
  Resolve: '委派完成', AddSigner: '加签', RemoveSigner: '减签', CarbonCopy: '抄送', Cc: '抄送', Comment: '意见', Urge: '催办', Extension: '申请延期',
  ExtensionDecision: '延期审批', SaveForm: '保存表单', Submit: '提交', Withdraw: '撤回', Escalate: '超期升级', Cancel: '取消', Complete: '完成',
};

export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  const forbidden = problem && (problem.status === 404 || problem.status === 403);
  return <Alert type="error" showIcon data-testid="error-alert"
    message={forbidden ? '无权访问或内容不存在' : problem?.title ?? '出错了'}
    description={problem?.detail ?? (error as Error).message} style={{ marginBottom: 12 }} />;
}
