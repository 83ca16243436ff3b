// The case's history as the auditor reads it (issue #18): who did what to which step, with the opinion and the deadline, in
// Chinese and by people's names; the whole journal (entry numbers, event names, step types, inputs and outputs) only
// when 显示技术细节 is switched on.
import { Card, Space, Switch, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { actionName, fmt, withoutDigests } from '../ui';
import type { AuditRecord, AuditRecordEntry } from './types';

const json = (value: unknown) => JSON.stringify(value, null, 2);
const isEmpty = (value: unknown) => value == null || (typeof value === 'object' && Object.keys(value as object).length === 0);

function Data({ label, value }: { label: string; value: unknown }) {
  if (isEmpty(value)) return null;
  return <div className="audit-data"><Typography.Text type="secondary">{label}</Typography.Text><pre>{json(value)}</pre></div>;
}


/** Who acted, by name; the platform's own actors (`system`, `system:timer`…) as 系统. */
const who = (e: AuditRecordEntry) => (e.actor && !e.actor.startsWith('system') ? e.actorName ?? e.actor : '系统');
const step = (e: AuditRecordEntry) => (e.activityName ? `【${e.activityName}】` : '');

/** What an entry says in a sentence, or null when it is engine bookkeeping (shown only with the technical details). */
export function sentence(e: AuditRecordEntry): string | null {
  switch (e.event) {
    case 'WorkflowStarted': return '发起流程';
    case 'WorkflowFinished': return '流程办结';
    case 'WorkflowCancelled': return '流程已取消';
    case 'WorkflowFaulted': return '流程出错，等待处理';
    case 'ActivityFaulted': return `${step(e)}执行出错${e.message ? `：${e.message}` : ''}`;
    case 'IncidentRetried': return `${step(e)}故障已重试`;
    case 'InstanceMigrated': return '迁移到新版本流程';
    case 'Note': return e.message ? withoutDigests(e.message, '（校验值见技术细节）') : null;
    case 'TaskAction': return `${step(e)}${actionName(e.outcome)}`;
    case 'ActivitySuspended': return e.activityName && e.activityType === 'UserTask' ? `到达${step(e)}，等待办理` : null;
    case 'ActivityCompleted': return e.activityName && e.activityType !== 'Start' && e.activityType !== 'End'
      ? `${step(e)}完成${e.outcomeName && e.outcome !== 'Done' ? `：${e.outcomeName}` : ''}` : null;
    default: return null;
  }
}

function ReadableItem({ entry }: { entry: AuditRecordEntry }) {
  return (
    <div data-testid="history-entry">
      {/* A platform note is quoted as the platform recorded it (the journal's wording, which replay reproduces). */}
      <div><b className={entry.event === 'Note' ? 'audit-note' : undefined}>{sentence(entry)}</b>{entry.overdue && <Tag color="red" style={{ marginLeft: 8 }}>超期</Tag>}</div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{fmt(entry.timestamp)} · {who(entry)}</Typography.Text>
      {entry.limitWorkingDays != null && <div data-testid="entry-deadline" style={{ fontSize: 12 }}>
        时限 {entry.limitWorkingDays} 个工作日，截止 {fmt(entry.deadline)}；实际用时 {entry.actualWorkingDays ?? '—'} 个工作日
      </div>}
      {entry.comment && <div>意见：{entry.comment}</div>}
    </div>
  );
}

function TechnicalItem({ entry }: { entry: AuditRecordEntry }) {
  return (
    <div data-testid="journal-entry" data-sequence={entry.sequence}>
      <div>
        <Tag>#{entry.sequence}</Tag><b>{entry.what}</b>{entry.activityName && <> · {entry.activityName}</>}
        <Typography.Text code style={{ marginLeft: 8 }}>{entry.event}</Typography.Text>
        {entry.activityId && <Typography.Text code>{entry.activityId}{entry.activityType ? ` · ${entry.activityType}` : ''}</Typography.Text>}
        {entry.outcome && <Tag color="blue" style={{ marginLeft: 8 }}>{entry.outcomeName ?? entry.outcome}（{entry.outcome}）</Tag>}
        {entry.overdue && <Tag color="red">超期</Tag>}
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {fmt(entry.timestamp)}{entry.actor && <> · {entry.actorName ? `${entry.actorName}（${entry.actor}）` : entry.actor}</>}
      </Typography.Text>
      {entry.comment && <div>意见：{entry.comment}</div>}
      {entry.message && entry.message !== entry.comment && <div style={{ fontSize: 12, color: '#595959' }}>{entry.message}</div>}
      <Data label="输入" value={entry.inputs} />
      <Data label="输出" value={entry.outputs} />
    </div>
  );
}

const color = (e: AuditRecordEntry) => (e.overdue || e.event.includes('Fault') ? 'red' : e.event === 'ActivityCompleted' || e.event === 'WorkflowFinished' ? 'green' : 'blue');

export function History({ record }: { record: AuditRecord }) {
  const [technical, setTechnical] = useState(false);
  const readable = record.entries.filter((e) => sentence(e));
  const shown = technical ? record.entries : readable;
  return (
    <Card size="small" data-testid="audit-journal" title={technical ? `流程日志（${record.entries.length} 条）` : `办理记录（${readable.length} 条）`}
      extra={<Space className="no-print"><span>显示技术细节</span><Switch size="small" checked={technical} onChange={setTechnical} data-testid="technical-toggle" /></Space>}>
      <Timeline items={shown.map((e) => ({ key: e.sequence, color: color(e), children: technical ? <TechnicalItem entry={e} /> : <ReadableItem entry={e} /> }))} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>导出时间：{fmt(record.exportedAt)}</Typography.Text>
    </Card>
  );
}
