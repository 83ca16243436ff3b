// The approver's page (issue #18): the opinion first, with common phrases; 同意 and 不同意 prominent, the other actions
// under 更多; a confirmation where the action cannot be undone; an action bar that stays in view (at the bottom on a
// phone). The case's form as descriptions, except the fields this step may edit; its progress, history and files.
import { App, Button, Card, Col, Dropdown, Grid, Row, Space, Spin, Tag, Typography, Upload, type MenuProps } from 'antd';
import { CheckOutlined, CloseOutlined, DownOutlined, RollbackOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, query } from '../api';
import { useAuth } from '../auth';
import { scrollToFirstError, SchemaForm, type UploadedFile } from '../forms/SchemaForm';
import { useSchema } from '../forms/useSchema';
import { revalidate, serverErrors, validateForm, type FieldErrors } from '../forms/validate';
import type { AttachmentView, TaskDetail } from '../types';
import { BusinessNumber, ErrorAlert, statusTag } from '../ui';
import { useLoad } from '../useLoad';
import { keptInput, useUnsavedChanges } from '../work';
import { AttachmentPreviewProvider } from './AttachmentPreview';
import { Attachments, CaseLabels, CaseProgressView, ClockExplanation, ExchangeProgress, HistoryTimeline, NoAccess } from './CaseParts';
import { OpinionBox } from './OpinionBox';
import { TaskDialog, type Dialog } from './TaskDialogs';
import { RecordContactNotice } from './RecordContactNotice';

interface Kept { opinion: string; form: Record<string, unknown> | null; }

export function TaskPage() {
  const { id } = useParams();
  const detail = useLoad(() => api.get<TaskDetail>(`/api/tasks/${id}`), [id]);
  if (detail.loading && !detail.data) return <Spin />;
  if (detail.error instanceof ApiError && (detail.error.status === 404 || detail.error.status === 403)) return <NoAccess error={detail.error} />;
  if (!detail.data) return <ErrorAlert error={detail.error} />;
  return <AttachmentPreviewProvider><TaskWork key={detail.data.task.id} detail={detail.data} reload={detail.reload} /></AttachmentPreviewProvider>;
}

function TaskWork({ detail, reload }: { detail: TaskDetail; reload: () => Promise<void> }) {
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const { me } = useAuth();
  const screens = Grid.useBreakpoint();
  const { task, application, availableActions: actions } = detail;
  const schema = useSchema(detail.formId);
  const keptKey = `task:${task.id}`;
  const [form, setForm] = useState<Record<string, unknown>>(detail.form ?? {});
  const [opinion, setOpinion] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [dialogError, setDialogError] = useState<unknown>(null);

  const can = (a: string) => actions.includes(a);
  const editable = can('saveForm') || can('approve');
  const formChanged = editable && JSON.stringify(form) !== JSON.stringify(detail.form ?? {});
  const dirty = opinion.trim() !== '' || formChanged;
  const release = useUnsavedChanges(dirty);

  // What was typed before the session expired (or the page was reloaded) comes back.
  useEffect(() => {
    const kept = keptInput.read<Kept>(keptKey);
    if (!kept || (!kept.opinion && !kept.form)) return;
    if (kept.opinion) setOpinion(kept.opinion);
    if (kept.form && editable) setForm(kept.form);
    message.info({ content: '已恢复您上次未提交的意见和表单内容。', key: 'kept' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keptKey]);
  useEffect(() => {
    if (dirty) keptInput.keep(keptKey, { opinion, form: formChanged ? form : null } satisfies Kept);
    else keptInput.forget(keptKey);
  }, [dirty, opinion, form, formChanged, keptKey]);

  // The applicant's own step (a draft, or a return for correction): "approving" it sends the application (again).
  const ownStep = !!me && application.applicant?.id === me.id && task.assigneeId === me.id;

  const act = async (path: string, body: unknown, done: string, leave = false) => {
    setBusy(true); setActionError(null); setDialogError(null);
    try {
      await api.post(`/api/tasks/${task.id}/${path}`, body);
      message.success(done); setDialog(null);
      if (leave) { release(); keptInput.forget(keptKey); navigate('/tasks/todo'); } else { if (path === 'comment') setOpinion(''); await reload(); }
    } catch (e) {
      if (dialog) setDialogError(e); else setActionError(e);
      if (e instanceof ApiError && Object.keys(e.fieldErrors).length > 0) { const found = serverErrors(e.fieldErrors); setErrors(found); if (schema.data) scrollToFirstError(schema.data, found); }
    } finally { setBusy(false); }
  };
  const formBody = () => (schema.data && editable ? { form } : {});
  const approve = () => {
    if (schema.data && editable) {
      const found = validateForm(schema.data, form, detail.fieldPermissions);
      setErrors(found);
      if (Object.keys(found).length > 0) { message.error({ content: '表单有误，请按提示修改', key: 'form-invalid' }); scrollToFirstError(schema.data, found); return; }
    }
    modal.confirm({
      title: ownStep ? '确认提交？' : '确认同意？', okText: ownStep ? '提交' : '同意', cancelText: '取消',
      content: <div><div>{ownStep ? '提交后将进入下一环节办理。' : `同意后本环节办理完毕，进入下一环节，不可撤回。`}</div>
        <div style={{ marginTop: 8 }}><Typography.Text type="secondary">意见：</Typography.Text>{opinion.trim() || (ownStep ? '（无）' : '同意')}</div></div>,
      onOk: () => act('approve', { comment: opinion.trim() || undefined, ...formBody() }, ownStep ? '已提交' : '已同意', true),
    });
  };
  /** A file for a form field (checked against its accepted types), or, without a field, one for the case. */
  const upload = async (file: File, field?: string): Promise<UploadedFile> => {
    const a = await api.upload<AttachmentView>(`/api/tasks/${task.id}/attachments${query({ field })}`, file);
    return { id: a.id, name: a.fileName, size: a.size, contentType: a.contentType };
  };

  const more: MenuProps['items'] = [
    can('saveForm') && { key: 'saveForm', label: '保存表单' },
    can('transfer') && { key: 'transfer', label: '转办' },
    can('delegate') && { key: 'delegate', label: '委派' },
    can('addSigner') && { key: 'addSigner', label: '加签' },
    can('cc') && { key: 'cc', label: '抄送' },
    can('comment') && { key: 'comment', label: '填写意见' },
    can('requestExtension') && { key: 'extension', label: '申请延期' },
    can('release') && { key: 'release', label: '释放（退回待认领）' },
    { key: 'print', label: '打印' },
  ].filter(Boolean) as MenuProps['items'];
  const onMore: MenuProps['onClick'] = ({ key }) => {
    if (key === 'saveForm') void act('form', { form }, '表单已保存');
    else if (key === 'release') modal.confirm({ title: '释放此待办？', content: '释放后回到待认领，由本组其他办理人认领。', okText: '释放', cancelText: '取消', onOk: () => act('release', {}, '已释放', true) });
    else if (key === 'print') window.print();
    else setDialog(key as Dialog);
  };

  const bar = (
    <div className={`task-action-bar no-print${screens.md ? '' : ' phone'}`} data-testid="task-actions">
      <Space wrap size={8}>
        {can('claim') && <Button type="primary" loading={busy} onClick={() => act('claim', {}, '已认领')}>认领</Button>}
        {can('approve') && <Button type="primary" icon={<CheckOutlined />} loading={busy} onClick={approve} data-testid="approve">{ownStep ? '提交' : '同意'}</Button>}
        {can('reject') && <Button danger icon={<CloseOutlined />} onClick={() => setDialog('reject')} data-testid="reject">不同意</Button>}
        {can('return') && <Button icon={<RollbackOutlined />} onClick={() => setDialog('return')} data-testid="return">退回</Button>}
        {can('resolve') && <Button type="primary" onClick={() => act('resolve', { comment: opinion.trim() || undefined }, '已办理完成并交回委派人', true)}>办理完成</Button>}
        {can('decideExtension') && <Button onClick={() => setDialog('decideExtension')}>延期审批</Button>}
        <Dropdown menu={{ items: more, onClick: onMore }} trigger={['click']}>
          <Button data-testid="more">更多 <DownOutlined /></Button>
        </Dropdown>
      </Space>
    </div>
  );

  const decides = can('approve') || can('reject') || can('resolve');
  return (
    <div className={screens.md ? 'task-page' : 'task-page phone'}>
      <Card size="small" className="no-print task-head" style={{ marginBottom: 12 }}
        title={<Space wrap><span data-testid="task-title">{task.title}</span>{statusTag(task.status)}{task.extensionPending && <Tag color="orange">延期审批中</Tag>}
          <BusinessNumber value={task.businessNumber ?? application.businessNumber} isDraft={task.isDraft} /></Space>}
        extra={<Link to={`/applications/${application.instanceId}`} state={{ from: '/tasks/todo' }}>办理进度</Link>}>
        <CaseLabels application={application} process note={task.assignmentNote} />
        <ClockExplanation clock={detail.deadline} title="本环节时限" />
        <ErrorAlert error={actionError} />
        {decides && <OpinionBox value={opinion} onChange={setOpinion} placeholder={ownStep ? '提交说明（可选）' : '审批意见（同意时可不填；不同意、退回时作为理由）'} />}
      </Card>
      {/* Outside the head card: a sticky element sticks only within its parent, and the card scrolls away (issue #18). */}
      {screens.md && bar}
      <CaseProgressView application={application} />
      <Row gutter={12}>
        <Col xs={24} xl={16}>
          <ExchangeProgress steps={application.exchange} />
          <RecordContactNotice form={form} />
          {schema.data ? <SchemaForm schema={schema.data} data={form} errors={errors} permissions={detail.fieldPermissions} instanceId={application.instanceId}
            onChange={editable ? (next) => { setErrors((shown) => revalidate(schema.data!, form, next, shown, detail.fieldPermissions)); setForm(next); } : undefined}
            onUpload={can('attach') ? upload : undefined} /> : schema.loading ? <Spin /> : null}
        </Col>
        <Col xs={24} xl={8}>
          <HistoryTimeline application={application} />
          <div style={{ height: 12 }} />
          <Attachments application={application} extra={can('attach') && <Upload showUploadList={false} customRequest={async ({ file, onSuccess, onError }) => {
            try { await upload(file as File); onSuccess?.({}); message.success('附件已上传'); await reload(); } catch (e) { onError?.(e as Error); message.error((e as Error).message); }
          }}><Button size="small">上传附件</Button></Upload>} />
        </Col>
      </Row>
      {!screens.md && bar}
      <TaskDialog taskId={task.id} dialog={dialog} opinion={opinion} busy={busy} error={dialogError} onClose={() => { setDialog(null); setDialogError(null); }}
        onSubmit={(path, body, done, leave) => act(path, body, done, leave)} />
    </div>
  );
}

