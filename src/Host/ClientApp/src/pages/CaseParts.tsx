// Parts of a case shown on both the task page and the tracking page: where the case stands (the step bar), what happened
// (the history), its files, the deadline with its working-day explanation and the platform's exchange progress.
import { Card, Descriptions, Grid, List, Progress, Result, Space, Steps, Tag, Timeline, Typography } from 'antd';
import { ApiError } from '../api';
import type { ApplicationDetail, AttachmentView, ClockStatus, ExchangeStep, ProgressState } from '../types';
import { actionName, DueBadge, fmt, pascal, withoutDigests } from '../ui';
import { FileLink } from './AttachmentPreview';

const stepStatus: Record<ProgressState, 'finish' | 'process' | 'error' | 'wait'> = {
  done: 'finish', current: 'process', rejected: 'error', returned: 'error', failed: 'error', pending: 'wait', skipped: 'wait',
};
const stateText: Record<ProgressState, [string, string]> = {
  done: ['已完成', 'green'], current: ['办理中', 'blue'], rejected: ['不同意', 'red'], returned: ['已退回', 'orange'], failed: ['处理失败', 'red'],
  pending: ['未开始', 'default'], skipped: ['未经过', 'default'],
};

/**
 * The progress view for applicants and approvers: every step of the case's process in order, done, current, rejected,
 * returned or not taken; who holds the current step and when it is due; what may come next and who would get it.
 */
export function CaseProgressView({ application }: { application: ApplicationDetail }) {
  const screens = Grid.useBreakpoint();
  const progress = application.progress;
  if (!progress || progress.steps.length === 0) return null;
  const current = progress.steps.findIndex((s) => s.state === 'current');
  const finished = pascal(application.status) === 'Finished';
  return (
    <Card size="small" title="办理进度" style={{ marginBottom: 12 }} data-testid="case-progress">
      <Steps size="small" direction={screens.lg ? 'horizontal' : 'vertical'} labelPlacement={screens.lg ? 'vertical' : undefined}
        current={current >= 0 ? current : finished ? progress.steps.length : undefined}
        items={progress.steps.map((s) => ({
          title: <span className={s.state === 'skipped' ? 'step-skipped' : undefined} data-state={s.state}>{s.name}</span>,
          status: stepStatus[s.state],
          description: (
            <div style={{ fontSize: 12 }}>
              {s.state !== 'pending' && <Tag color={stateText[s.state][1]} style={{ marginInlineEnd: 0 }}>{stateText[s.state][0]}</Tag>}
              {s.orgUnitName && <div>{s.orgUnitName}</div>}
              {s.people.length > 0 && <div>{s.people.join('、')}</div>}
              {s.state === 'current' && s.dueAt && <div>时限 {fmt(s.dueAt)}</div>}
              {s.at && s.state !== 'current' && <div>{fmt(s.at)}</div>}
            </div>
          ),
        }))} />
      {progress.next.length > 0 && !finished && (
        <div style={{ marginTop: 8 }} data-testid="next-steps">
          <Typography.Text type="secondary">下一步：</Typography.Text>
          <Space wrap size={[12, 4]}>
            {progress.next.map((n) => <span key={n.activityId}>{n.name}（{n.candidates}）{n.conditional && <Typography.Text type="secondary">视审批情况</Typography.Text>}</span>)}
          </Space>
        </div>
      )}
    </Card>
  );
}

export function HistoryTimeline({ application }: { application: ApplicationDetail }) {
  const titles = new Map(application.steps.map((s) => [s.id, s.title]));
  return (
    <Card size="small" title="办理过程" data-testid="history">
      <Timeline items={application.history.map((h) => ({
        color: h.action === 'reject' || h.action === 'return' || h.action === 'overdue' ? 'red' : h.action === 'approve' ? 'green' : 'blue',
        children: <div>
          <div><b>{actionName(h.action)}</b> · {(h.taskId && titles.get(h.taskId)) || ''} · {h.actorName ?? '—'}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{fmt(h.at)}</Typography.Text>
          {h.comment && <div style={{ whiteSpace: 'pre-wrap' }}>{h.comment}</div>}
        </div>,
      }))} />
      {application.history.length === 0 && <Typography.Text type="secondary">暂无办理记录</Typography.Text>}
    </Card>
  );
}

const fileSize = (bytes: number) => bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function Attachments({ application, extra }: { application: ApplicationDetail; extra?: React.ReactNode }) {
  return (
    <Card size="small" title="附件" extra={extra} data-testid="attachments">
      <List<AttachmentView> size="small" dataSource={application.attachments} locale={{ emptyText: '暂无附件' }}
        renderItem={(a) => <List.Item>
          <div style={{ minWidth: 0 }}>
            <FileLink instanceId={application.instanceId} id={a.id} name={a.fileName} testId="attachment-link" />
            <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{fileSize(a.size)} · {a.uploadedByName ?? '—'} · {fmt(a.uploadedAt)}</Typography.Text></div>
          </div>
        </List.Item>} />
    </Card>
  );
}

export function ClockExplanation({ clock, title }: { clock: ClockStatus | null | undefined; title: string }) {
  if (!clock) return null;
  return (
    <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} title={title} style={{ marginBottom: 12 }}>
      <Descriptions.Item label="办理时限"><DueBadge dueAt={clock.deadline} level={clock.level} /></Descriptions.Item>
      <Descriptions.Item label="工作日">已用 {clock.usedWorkingDays} 个，{clock.isOverdue ? <Tag color="red">超期 {clock.overdueWorkingDays} 个</Tag> : `剩余 ${clock.remainingWorkingDays} 个`}</Descriptions.Item>
      <Descriptions.Item label="时限计算" span="filled"><span data-testid="clock-explanation">{clock.explanation}</span>
        {clock.provisionalYears.length > 0 && <Tag color="orange" style={{ marginLeft: 8 }}>{clock.provisionalYears.join('、')} 年节假日安排未公布，时限为暂定</Tag>}</Descriptions.Item>
    </Descriptions>
  );
}

type ExchangeRun = NonNullable<ExchangeStep['run']>;

/**
 * What a data exchange did, from its run: rows or files moved, and its failure. The step's journal note (front-end
 * database paths, checksums, the run's id) is the auditor's record, not the applicant's (issue #18).
 */
export function runText(run: ExchangeRun): string {
  const files = run.filesTotal != null || run.filesDone > 0;
  const moved = files
    ? `传输 ${run.filesDone} 个文件${run.filesTotal != null && run.filesTotal !== run.filesDone ? `（共 ${run.filesTotal} 个）` : ''}`
    : `复制 ${run.rowsDone} 行${run.rowsTotal != null && run.rowsTotal !== run.rowsDone ? `（共 ${run.rowsTotal} 行）` : ''}`;
  return [`${run.statusName}：${moved}`, run.error].filter(Boolean).join('；');
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
        items={steps.map((s) => ({ title: s.name, description: [s.run ? runText(s.run) : s.message && withoutDigests(s.message), fmt(s.at)].filter((x) => x && x !== '—').join(' · '),
          status: pascal(s.status) === 'Done' ? 'finish' : pascal(s.status) === 'Faulted' ? 'error' : 'process' }))} />
    </Card>
  );
}

export function NoAccess({ error }: { error: unknown }) {
  const status = error instanceof ApiError ? error.status : 0;
  return <div data-testid="no-access"><Result status={status === 403 ? '403' : '404'} title="无权访问"
    subTitle={status === 403 ? '您没有办理此事项的权限。' : '该事项不存在，或不在您的办理范围内。'} /></div>;
}

/** The labels that tell a case from the others: 业务编号, applicant unit and person, summary. */
export function CaseLabels({ application, process, note, finishedAt }: { application: ApplicationDetail; process?: boolean; note?: string | null; finishedAt?: boolean }) {
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} className="case-labels">
      <Descriptions.Item label="业务编号"><span data-testid="case-number">{application.businessNumber ?? (application.isDraft ? '草稿（提交后生成）' : '—')}</span></Descriptions.Item>
      <Descriptions.Item label="申请单位">{application.applicant?.orgUnitName ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="申请人">{application.applicant?.displayName ?? '—'}</Descriptions.Item>
      {process && <Descriptions.Item label="流程">{application.processName}</Descriptions.Item>}
      <Descriptions.Item label="创建时间">{fmt(application.createdAt)}</Descriptions.Item>
      {finishedAt && application.finishedAt && <Descriptions.Item label="办结时间">{fmt(application.finishedAt)}</Descriptions.Item>}
      {application.summary && <Descriptions.Item label="申请事项" span="filled"><span data-testid="case-summary">{application.summary}</span></Descriptions.Item>}
      {note && <Descriptions.Item label="分派说明" span="filled">{note}</Descriptions.Item>}
    </Descriptions>
  );
}
