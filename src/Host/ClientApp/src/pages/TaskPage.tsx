import { TextLimits } from '../limits';
import { App, Button, Card, Col, Descriptions, Form, Input, InputNumber, List, Modal, Radio, Row, Select, Space, Spin, Tag, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, query } from '../api';
import { useAuth } from '../auth';
import { SchemaForm, type UploadedFile } from '../forms/SchemaForm';
import { useSchema } from '../forms/useSchema';
import { serverErrors, validateForm, type FieldErrors } from '../forms/validate';
import type { AttachmentView, TaskDetail, TaskView } from '../types';
import { ErrorAlert, statusTag } from '../ui';
import { useLoad } from '../useLoad';
import { Attachments, ClockExplanation, ExchangeProgress, HistoryTimeline, NoAccess } from './CaseParts';
import { RecordContactNotice } from './RecordContactNotice';

type Dialog = null | 'reject' | 'return' | 'transfer' | 'delegate' | 'addSigner' | 'cc' | 'comment' | 'extension' | 'decideExtension';
interface ReturnPreview { targetActivityId: string; targetName: string; isCorrection: boolean; cancelledTasks: TaskView[]; cancelledWaits: string[]; }

const dialogTitles: Record<Exclude<Dialog, null>, string> = {
  reject: '不同意', return: '退回', transfer: '转办', delegate: '委派', addSigner: '加签', cc: '抄送', comment: '填写意见', extension: '申请延期', decideExtension: '延期审批',
};

export function TaskPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { me } = useAuth();
  const detail = useLoad(() => api.get<TaskDetail>(`/api/tasks/${id}`), [id]);
  const schema = useSchema(detail.data?.formId);
  const [form, setForm] = useState<Record<string, unknown>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [values] = Form.useForm();
  const [targets, setTargets] = useState<{ activityId: string; name: string; isApplicantStep: boolean }[]>([]);
  const [preview, setPreview] = useState<ReturnPreview | null>(null);
  const [comment, setComment] = useState('');

  useEffect(() => { if (detail.data) setForm(detail.data.form ?? {}); }, [detail.data]);

  if (detail.loading && !detail.data) return <Spin />;
  if (detail.error instanceof ApiError && (detail.error.status === 404 || detail.error.status === 403)) return <NoAccess error={detail.error} />;
  if (!detail.data) return <ErrorAlert error={detail.error} />;
  const { task, application, availableActions: actions } = detail.data;
  const can = (a: string) => actions.includes(a);
  const editable = can('saveForm') || can('approve');
  // The applicant's own step (a draft, or a return for correction): "approving" it sends the application (again).
  const ownStep = !!me && application.applicant.id === me.id && task.assigneeId === me.id;

  const act = async (path: string, body: unknown, done: string, leave = false) => {
    setBusy(true); setActionError(null);
    try {
      await api.post(`/api/tasks/${task.id}/${path}`, body);
      message.success(done); setDialog(null); values.resetFields(); setPreview(null);
      if (leave) navigate('/tasks/todo'); else await detail.reload();
    } catch (e) {
      setActionError(e);
      if (e instanceof ApiError) setErrors(serverErrors(e.fieldErrors));
    } finally { setBusy(false); }
  };
  const formBody = () => (schema.data && editable ? { form } : {});
  const approve = async () => {
    if (schema.data && editable) {
      const found = validateForm(schema.data, form, detail.data!.fieldPermissions);
      setErrors(found);
      if (Object.keys(found).length > 0) { message.error('表单有误，请按提示修改'); return; }
    }
    await act('approve', { comment: comment || undefined, ...formBody() }, ownStep ? '已提交' : '已同意', true);
  };
  const openReturn = async () => {
    setPreview(null);
    try { setTargets(await api.get(`/api/tasks/${task.id}/return-targets`)); setDialog('return'); } catch (e) { setActionError(e); }
  };
  const previewReturn = async (target: string) => setPreview(await api.get<ReturnPreview>(`/api/tasks/${task.id}/return-preview?target=${encodeURIComponent(target)}`));
  /** A file for a form field (checked against its accepted types), or, without a field, one for the case. */
  const upload = async (file: File, field?: string) => {
    const a = await api.upload<AttachmentView>(`/api/tasks/${task.id}/attachments${query({ field })}`, file);
    return { id: a.id, name: a.fileName, size: a.size, contentType: a.contentType } as UploadedFile;
  };

  const submitDialog = async () => {
    const v = await values.validateFields();
    switch (dialog) {
      case 'reject': return act('reject', { reason: v.reason, ...formBody() }, '已办理：不同意', true);
      case 'return': return act('return', { target: v.target, reason: v.reason }, '已退回', true);
      case 'transfer': return act('transfer', { toUser: v.user, comment: v.comment }, '已转办', true);
      case 'delegate': return act('delegate', { toUser: v.user, comment: v.comment }, '已委派');
      case 'addSigner': return act('signers', { signer: v.user, position: v.position, comment: v.comment }, '已加签');
      case 'cc': return act('cc', { users: (v.users as string).split(/[,，\s]+/).filter(Boolean), note: v.comment }, '已抄送');
      case 'comment': return act('comment', { comment: v.comment }, '意见已保存');
      case 'extension': return act('extension', { workingDays: v.workingDays, reason: v.reason }, '延期申请已提交');
      case 'decideExtension': return act('extension/decision', { approve: v.approve, reason: v.reason }, '已审批延期申请');
      default: return undefined;
    }
  };

  return (
    <div>
      <Card size="small" className="no-print" style={{ marginBottom: 12 }}
        title={<Space><span data-testid="task-title">{task.title}</span>{statusTag(task.status)}{task.extensionPending && <Tag color="orange">延期审批中</Tag>}</Space>}
        extra={<Link to={`/applications/${application.instanceId}`}>查看申请进度</Link>}>
        <Descriptions size="small" column={3}>
          <Descriptions.Item label="流程">{application.processName}</Descriptions.Item>
          <Descriptions.Item label="申请单位">{application.applicant.orgUnitName}</Descriptions.Item>
          <Descriptions.Item label="申请人">{application.applicant.displayName}</Descriptions.Item>
          {task.assignmentNote && <Descriptions.Item label="分派说明" span={3}>{task.assignmentNote}</Descriptions.Item>}
        </Descriptions>
        <ClockExplanation clock={detail.data.deadline} title="本环节时限" />
        <ErrorAlert error={actionError} />
        <Space wrap data-testid="task-actions">
          {can('claim') && <Button type="primary" loading={busy} onClick={() => act('claim', {}, '已认领')}>认领</Button>}
          {can('approve') && <Button type="primary" loading={busy} onClick={approve} data-testid="approve">{ownStep ? '重新提交' : '同意'}</Button>}
          {can('reject') && <Button danger onClick={() => setDialog('reject')}>不同意</Button>}
          {can('return') && <Button onClick={openReturn} data-testid="return">退回</Button>}
          {can('saveForm') && <Button loading={busy} onClick={() => act('form', { form }, '表单已保存')}>保存表单</Button>}
          {can('transfer') && <Button onClick={() => setDialog('transfer')}>转办</Button>}
          {can('delegate') && <Button onClick={() => setDialog('delegate')}>委派</Button>}
          {can('resolve') && <Button onClick={() => act('resolve', {}, '委派已完成')}>委派完成</Button>}
          {can('addSigner') && <Button onClick={() => setDialog('addSigner')}>加签</Button>}
          {can('cc') && <Button onClick={() => setDialog('cc')}>抄送</Button>}
          {can('comment') && <Button onClick={() => setDialog('comment')}>意见</Button>}
          {can('requestExtension') && <Button onClick={() => setDialog('extension')}>申请延期</Button>}
          {can('decideExtension') && <Button onClick={() => setDialog('decideExtension')}>延期审批</Button>}
          {can('release') && <Button onClick={() => act('release', {}, '已释放')}>释放</Button>}
          <Button onClick={() => window.print()}>打印</Button>
        </Space>
        {can('approve') && <Input.TextArea style={{ marginTop: 8 }} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="审批意见（可选）" autoSize={{ minRows: 1, maxRows: 4 }} id="approve-comment" maxLength={TextLimits.comment} showCount />}
      </Card>
      <Row gutter={12}>
        <Col xs={24} xl={16}>
          <ExchangeProgress steps={application.exchange} />
          <RecordContactNotice form={form} />
          {schema.data ? <SchemaForm schema={schema.data} data={form} errors={errors} permissions={detail.data.fieldPermissions}
            onChange={editable ? setForm : undefined} onUpload={can('attach') ? upload : undefined} /> : schema.loading ? <Spin /> : null}
        </Col>
        <Col xs={24} xl={8}>
          <HistoryTimeline application={application} />
          <div style={{ height: 12 }} />
          <Attachments application={application} extra={can('attach') && <Upload showUploadList={false} customRequest={async ({ file, onSuccess }) => {
            await upload(file as File); onSuccess?.({}); message.success('附件已上传'); await detail.reload();
          }}><Button size="small">上传附件</Button></Upload>} />
        </Col>
      </Row>
      <Modal open={dialog !== null} title={dialog ? dialogTitles[dialog] : ''} onCancel={() => { setDialog(null); setPreview(null); }} onOk={submitDialog}
        okText="确定" cancelText="取消" confirmLoading={busy} destroyOnHidden okButtonProps={{ disabled: dialog === 'return' && !preview, id: 'dialog-ok' }}>
        <Form form={values} layout="vertical" preserve={false}>
          {dialog === 'return' && <>
            <Form.Item name="target" label="退回到" rules={[{ required: true, message: '请选择退回环节' }]}>
              <Select id="return-target" options={targets.map((t) => ({ value: t.activityId, label: t.isApplicantStep ? `${t.name}（申请人补正）` : t.name }))} onChange={previewReturn} />
            </Form.Item>
            {preview && <Card size="small" type="inner" title="退回后将取消以下事项" style={{ marginBottom: 12 }} data-testid="return-preview">
              <List size="small" dataSource={preview.cancelledTasks} locale={{ emptyText: '无其他事项' }} renderItem={(t) => <List.Item>{t.title}（{t.assigneeId ?? '待认领'}）</List.Item>} />
              {preview.isCorrection && <Typography.Text type="warning">退回申请人补正后，申请人修改并重新提交。</Typography.Text>}
            </Card>}
          </>}
          {(dialog === 'reject' || dialog === 'return' || dialog === 'extension') &&
            <Form.Item name="reason" label={dialog === 'extension' ? '延期理由' : '理由'} rules={[{ required: true, message: '请填写理由' }]}><Input.TextArea id="dialog-reason" rows={3} maxLength={TextLimits.comment} showCount /></Form.Item>}
          {dialog === 'extension' && <Form.Item name="workingDays" label="延期工作日" rules={[{ required: true, message: '请填写延期天数' }]}><InputNumber min={1} max={30} /></Form.Item>}
          {dialog === 'decideExtension' && <>
            <Form.Item name="approve" label="审批结果" initialValue={true}><Radio.Group options={[{ value: true, label: '同意延期' }, { value: false, label: '不同意' }]} /></Form.Item>
            <Form.Item name="reason" label="说明"><Input.TextArea rows={2} maxLength={TextLimits.comment} showCount /></Form.Item></>}
          {(dialog === 'transfer' || dialog === 'delegate' || dialog === 'addSigner') &&
            <Form.Item name="user" label="办理人（用户名）" rules={[{ required: true, message: '请填写用户名' }]}><Input id="dialog-user" placeholder="如 gaj.admin" /></Form.Item>}
          {dialog === 'addSigner' && <Form.Item name="position" label="加签方式" initialValue="After"><Radio.Group options={[{ value: 'Before', label: '前加签（先征求意见）' }, { value: 'After', label: '后加签（共同审批）' }]} /></Form.Item>}
          {dialog === 'cc' && <Form.Item name="users" label="抄送给（用户名，逗号分隔）" rules={[{ required: true, message: '请填写抄送人' }]}><Input /></Form.Item>}
          {(dialog === 'transfer' || dialog === 'delegate' || dialog === 'addSigner' || dialog === 'cc' || dialog === 'comment') &&
            <Form.Item name="comment" label={dialog === 'comment' ? '意见' : '附言'} rules={dialog === 'comment' ? [{ required: true, message: '请填写意见' }] : []}><Input.TextArea rows={3} maxLength={TextLimits.comment} showCount /></Form.Item>}
        </Form>
      </Modal>
    </div>
  );
}
