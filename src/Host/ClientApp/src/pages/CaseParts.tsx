// Parts of a case shown on both the task page and the tracking page.
import { Card, Descriptions, List, Progress, Result, Steps, Tag, Timeline, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { ApiError } from '../api';
import type { ApplicationDetail, AttachmentView, ClockStatus, ExchangeStep } from '../types';
import { actionNames, DueBadge, fmt, pascal } from '../ui';

export function HistoryTimeline({ application }: { application: ApplicationDetail }) {
  const titles = new Map(application.steps.map((s) => [s.id, s.title]));
  return (
    <Card size="small" title="办理过程" data-testid="history">
      <Timeline items={application.history.map((h) => ({
        color: h.action === 'reject' || h.action === 'return' || h.action === 'overdue' ? 'red' : h.action === 'approve' ? 'green' : 'blue',
        children: <div>
          <div><b>{actionNames[h.action] ?? h.action}</b> · {titles.get(h.taskId) ?? ''} · {h.actorName ?? h.actor}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{fmt(h.at)}</Typography.Text>
          {h.comment && <div>{h.comment}</div>}
        </div>,
      }))} />
      {application.history.length === 0 && <Typography.Text type="secondary">暂无办理记录</Typography.Text>}
    </Card>
  );
}

export function Attachments({ application, extra }: { application: ApplicationDetail; extra?: React.ReactNode }) {
  return (
    <Card size="small" title="附件" extra={extra}>
      <List<AttachmentView> size="small" dataSource={application.attachments} locale={{ emptyText: '暂无附件' }}
        renderItem={(a) => <List.Item>
          <a href={`/api/applications/${application.instanceId}/attachments/${a.id}`} target="_blank" rel="noreferrer"><PaperClipOutlined /> {a.fileName}</a>
          <Typography.Text type="secondary">{(a.size / 1024).toFixed(0)} KB · {a.uploadedBy} · {fmt(a.uploadedAt)}</Typography.Text>
        </List.Item>} />
    </Card>
  );
}

export function ClockExplanation({ clock, title }: { clock: ClockStatus | null | undefined; title: string }) {
  if (!clock) return null;
  return (
    <Descriptions size="small" bordered column={2} title={title} style={{ marginBottom: 12 }}>
      <Descriptions.Item label="办理时限"><DueBadge dueAt={clock.deadline} level={clock.level} /></Descriptions.Item>
      <Descriptions.Item label="工作日">已用 {clock.usedWorkingDays} 个，{clock.isOverdue ? <Tag color="red">超期 {clock.overdueWorkingDays} 个</Tag> : `剩余 ${clock.remainingWorkingDays} 个`}</Descriptions.Item>
      <Descriptions.Item label="时限计算" span={2}><span data-testid="clock-explanation">{clock.explanation}</span>
        {clock.provisionalYears.length > 0 && <Tag color="orange" style={{ marginLeft: 8 }}>{clock.provisionalYears.join('、')} 年节假日安排未公布，时限为暂定</Tag>}</Descriptions.Item>
    </Descriptions>
  );
}

/** Long exchange work (creating the receiving tables, copying data, delivering credentials) shown as a progress bar. */
export function ExchangeProgress({ steps }: { steps: ExchangeStep[] }) {
  if (steps.length === 0) return null;
  const done = steps.filter((s) => pascal(s.status) === 'Done').length;
  const faulted = steps.some((s) => pascal(s.status) === 'Faulted');
  return (
    <Card size="small" title="数据交换进度" style={{ marginBottom: 12 }} data-testid="exchange-progress">
      <Progress percent={Math.round((done / steps.length) * 100)} status={faulted ? 'exception' : done === steps.length ? 'success' : 'active'} />
      <Steps size="small" direction="vertical" current={done} status={faulted ? 'error' : undefined}
        items={steps.map((s) => ({ title: s.name, description: [s.message, fmt(s.at)].filter((x) => x && x !== '—').join(' · '),
          status: pascal(s.status) === 'Done' ? 'finish' : pascal(s.status) === 'Faulted' ? 'error' : 'process' }))} />
    </Card>
  );
}

export function NoAccess({ error }: { error: unknown }) {
  const status = error instanceof ApiError ? error.status : 0;
  return <div data-testid="no-access"><Result status={status === 403 ? '403' : '404'} title="无权访问"
    subTitle={status === 403 ? '您没有办理此事项的权限。' : '该事项不存在，或不在您的办理范围内。'} /></div>;
}
