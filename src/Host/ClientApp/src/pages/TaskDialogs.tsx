// The dialogs of the task page's less frequent actions: 不同意 and 退回 (with a reason, 退回 with what it cancels), the
// people picker for 转办 / 委派 / 加签 / 抄送, 意见, 延期 and its decision. The dialog says what the server refused, in it.
import { Alert, Card, Form, Input, InputNumber, List, Modal, Radio, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../api';
import { TextLimits } from '../limits';
import { PersonPicker, type PickAction } from '../people/PersonPicker';
import type { AssignableUser } from '../types';
import { ErrorAlert } from '../ui';

export type Dialog = null | 'reject' | 'return' | 'transfer' | 'delegate' | 'addSigner' | 'cc' | 'comment' | 'extension' | 'decideExtension';

const titles: Record<Exclude<Dialog, null>, string> = {
  reject: '不同意', return: '退回', transfer: '转办', delegate: '委派', addSigner: '加签', cc: '抄送', comment: '填写意见', extension: '申请延期', decideExtension: '延期审批',
};
const picks: Partial<Record<Exclude<Dialog, null>, PickAction>> = { transfer: 'transfer', delegate: 'delegate', addSigner: 'addSigner', cc: 'cc' };

interface ReturnTarget { activityId: string; name: string; isApplicantStep: boolean; }
interface ReturnPreview { targetActivityId: string; targetName: string; isCorrection: boolean; cancelledTasks: { id: string; title: string; holder: string | null }[]; }

interface Props {
  taskId: string;
  dialog: Dialog;
  opinion: string;
  busy: boolean;
  error: unknown;
  onClose: () => void;
  /** Sends the action; the dialog closes when it succeeds. */
  onSubmit: (path: string, body: unknown, done: string, leave: boolean) => Promise<void>;
}

export function TaskDialog({ taskId, dialog, opinion, busy, error, onClose, onSubmit }: Props) {
  const [form] = Form.useForm();
  const [people, setPeople] = useState<AssignableUser[]>([]);
  const [targets, setTargets] = useState<ReturnTarget[] | null>(null);
  const [preview, setPreview] = useState<ReturnPreview | null>(null);
  const [localError, setLocalError] = useState<unknown>(null);

  useEffect(() => {
    setPeople([]); setPreview(null); setLocalError(null); form.resetFields();
    if (dialog === 'reject' || dialog === 'return') form.setFieldsValue({ reason: opinion });
    if (dialog === 'return') {
      setTargets(null);
      api.get<ReturnTarget[]>(`/api/tasks/${taskId}/return-targets`).then(setTargets).catch(setLocalError);
    }
    // The opinion is read when the dialog opens; typing on the page afterwards does not change it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dialog, taskId, form]);

  const chooseTarget = async (target: string) => {
    setPreview(null);
    try { setPreview(await api.get<ReturnPreview>(`/api/tasks/${taskId}/return-preview?target=${encodeURIComponent(target)}`)); } catch (e) { setLocalError(e); }
  };

  const submit = async () => {
    const v = await form.validateFields();
    const users = people.map((p) => p.id);
    switch (dialog) {
      case 'reject': return onSubmit('reject', { reason: v.reason }, '已办理：不同意', true);
      case 'return': return onSubmit('return', { target: v.target, reason: v.reason }, '已退回', true);
      case 'transfer': return onSubmit('transfer', { toUser: users[0], comment: v.comment }, `已转办给 ${people[0]?.displayName}`, true);
      case 'delegate': return onSubmit('delegate', { toUser: users[0], comment: v.comment }, `已委派给 ${people[0]?.displayName}`, false);
      case 'addSigner': return onSubmit('signers', { signer: users[0], position: v.position, comment: v.comment }, `已加签 ${people[0]?.displayName}`, false);
      case 'cc': return onSubmit('cc', { users, note: v.comment }, `已抄送 ${people.map((p) => p.displayName).join('、')}`, false);
      case 'comment': return onSubmit('comment', { comment: v.comment }, '意见已保存', false);
      case 'extension': return onSubmit('extension', { workingDays: v.workingDays, reason: v.reason }, '延期申请已提交', false);
      case 'decideExtension': return onSubmit('extension/decision', { approve: v.approve, reason: v.reason }, '已审批延期申请', false);
      default: return undefined;
    }
  };

  const pick = dialog ? picks[dialog] : undefined;
  const okDisabled = (dialog === 'return' && !preview) || (!!pick && people.length === 0);
  return (
    <Modal open={dialog !== null} title={dialog ? titles[dialog] : ''} onCancel={onClose} onOk={submit} okText={dialog === 'reject' ? '确认不同意' : dialog === 'return' ? '确认退回' : '确定'}
      okButtonProps={{ disabled: okDisabled, id: 'dialog-ok', danger: dialog === 'reject' || dialog === 'return' }} cancelText="取消" confirmLoading={busy}
      destroyOnHidden width={pick ? 720 : 520} className="task-dialog">
      <ErrorAlert error={error ?? localError} />
      <Form form={form} layout="vertical" preserve={false}>
        {dialog === 'return' && <>
          <Form.Item name="target" label="退回到" rules={[{ required: true, message: '请选择退回环节' }]}>
            {targets === null ? <Typography.Text type="secondary">正在读取可退回的环节…</Typography.Text>
              : targets.length === 0 ? <Alert type="info" message="本环节之前没有可退回的人工环节。" />
              : <Radio.Group id="return-target" onChange={(e) => void chooseTarget(e.target.value)} data-testid="return-targets">
                {targets.map((t) => <Radio key={t.activityId} value={t.activityId} style={{ display: 'flex', marginBottom: 6 }}>{t.isApplicantStep ? `${t.name}（申请人补正）` : t.name}</Radio>)}
              </Radio.Group>}
          </Form.Item>
          {preview && <Card size="small" type="inner" title="退回后将取消以下事项" style={{ marginBottom: 12 }} data-testid="return-preview">
            <List size="small" dataSource={preview.cancelledTasks} locale={{ emptyText: '无其他事项' }} renderItem={(t) => <List.Item>{t.title}（{t.holder ?? '待认领'}）</List.Item>} />
            {preview.isCorrection && <Typography.Text type="warning">退回申请人补正后，申请人修改并重新提交。</Typography.Text>}
          </Card>}
        </>}
        {pick && <Form.Item label={dialog === 'cc' ? '抄送给' : dialog === 'addSigner' ? '加签人' : dialog === 'transfer' ? '转办给' : '委派给'} required>
          <PersonPicker taskId={taskId} action={pick} multiple={dialog === 'cc'} value={people} onChange={setPeople} />
        </Form.Item>}
        {(dialog === 'reject' || dialog === 'return' || dialog === 'extension') &&
          <Form.Item name="reason" label={dialog === 'extension' ? '延期理由' : dialog === 'reject' ? '不同意的理由' : '退回理由'} rules={[{ required: true, whitespace: true, message: '请填写理由' }]}>
            <Input.TextArea id="dialog-reason" rows={3} maxLength={TextLimits.comment} showCount /></Form.Item>}
        {dialog === 'extension' && <Form.Item name="workingDays" label="延期工作日" rules={[{ required: true, message: '请填写延期天数' }]}><InputNumber min={1} max={30} /></Form.Item>}
        {dialog === 'decideExtension' && <>
          <Form.Item name="approve" label="审批结果" initialValue={true}><Radio.Group options={[{ value: true, label: '同意延期' }, { value: false, label: '不同意' }]} /></Form.Item>
          <Form.Item name="reason" label="说明"><Input.TextArea rows={2} maxLength={TextLimits.comment} showCount /></Form.Item></>}
        {dialog === 'addSigner' && <Form.Item name="position" label="加签方式" initialValue="After"><Radio.Group options={[{ value: 'Before', label: '前加签（先征求意见）' }, { value: 'After', label: '后加签（共同审批）' }]} /></Form.Item>}
        {(pick || dialog === 'comment') &&
          <Form.Item name="comment" label={dialog === 'comment' ? '意见' : '附言'} rules={dialog === 'comment' ? [{ required: true, whitespace: true, message: '请填写意见' }] : []}
            initialValue={dialog === 'comment' ? opinion : undefined}>
            <Input.TextArea id="dialog-comment" rows={3} maxLength={TextLimits.comment} showCount /></Form.Item>}
      </Form>
    </Modal>
  );
}
