// The user's own account: the password change (forced after an administrator's reset, at expiry, or by choice) and the
// second factor's enrolment with a QR code (required for the bureau's administrator and auditor roles).
import { Alert, App, Button, Card, Form, Image, Input, Space, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api';
import { showFieldErrors } from '../ui';
import { useAuth } from '../auth';

const passwordRules = '至少 10 位，包含大写字母、小写字母、数字、特殊字符中的至少三类，不含用户名，不能与最近 5 次使用过的密码相同。';

const reasons: Record<string, string> = {
  password_change_required: '您的密码由管理员设置（或为初始密码），请先修改密码。',
  password_expired: '您的密码已超过有效期，请修改后继续使用。',
};

export function PasswordPage() {
  const { me, reload } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const reason = me?.pending ? reasons[me.pending] : undefined;
  const save = async (v: { currentPassword: string; newPassword: string }) => {
    setBusy(true);
    try {
      await api.post('/api/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      message.success('密码已修改，您在其他地方的登录已失效');
      form.resetFields();
      await reload();
      navigate('/');
    } catch (e) { if (!showFieldErrors(form, e)) message.error((e as Error).message); } finally { setBusy(false); }
  };
  return (
    <Card size="small" title="修改密码" style={{ maxWidth: 520 }} data-testid="password-page">
      {reason && <Alert type="warning" showIcon message={reason} style={{ marginBottom: 16 }} data-testid="password-reason" />}
      <Form form={form} layout="vertical" onFinish={save} requiredMark={false}>
        <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password id="currentPassword" autoComplete="current-password" /></Form.Item>
        <Form.Item name="newPassword" label="新密码" extra={passwordRules} rules={[{ required: true, message: '请输入新密码' }]}>
          <Input.Password id="newPassword" autoComplete="new-password" /></Form.Item>
        <Form.Item name="confirm" label="确认新密码" dependencies={['newPassword']} rules={[{ required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({ validator: (_, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))) })]}>
          <Input.Password id="confirmPassword" autoComplete="new-password" /></Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="password-save">确认修改</Button>
      </Form>
    </Card>
  );
}

interface Setup { secret: string; otpAuthUri: string; qrCodePng: string }

export function SecondFactorPage() {
  const { me, reload } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm();
  const begin = async () => {
    setError(null);
    try { setSetup(await api.post<Setup>('/api/auth/second-factor/setup')); } catch (e) { setError((e as Error).message); }
  };
  const confirm = async (v: { code: string }) => {
    try {
      await api.post('/api/auth/second-factor/confirm', { code: v.code.trim() });
      message.success('动态口令已绑定，今后登录时需要输入动态口令');
      await reload();
      navigate('/');
    } catch (e) { if (!showFieldErrors(form, e)) setError((e as Error).message); }
  };
  if (me?.secondFactorEnrolled) return <Card size="small" title="动态口令"><Alert type="success" showIcon message="您已绑定动态口令。如手机丢失或更换，请联系安全管理员重置。" /></Card>;
  return (
    <Card size="small" title="绑定动态口令（双因素认证）" style={{ maxWidth: 640 }} data-testid="second-factor-page">
      {me?.pending === 'second_factor_enrolment_required' &&
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message="您的角色要求使用动态口令登录，请先完成绑定。" />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Steps direction="vertical" size="small" current={setup ? 1 : 0} items={[
        { title: '生成二维码', description: !setup && <Button type="primary" onClick={begin} data-testid="second-factor-begin">生成二维码</Button> },
        { title: '用身份验证器应用扫描', description: setup && <Space direction="vertical">
          <Typography.Text>使用手机上的身份验证器应用（如 Microsoft Authenticator、Google Authenticator、FreeOTP）扫描二维码：</Typography.Text>
          <Image src={setup.qrCodePng} width={220} preview={false} alt="动态口令二维码" data-testid="second-factor-qr" />
          <Typography.Text>无法扫描时，手动输入密钥：<Typography.Text code copyable data-testid="second-factor-secret">{setup.secret}</Typography.Text></Typography.Text>
        </Space> },
        { title: '输入应用显示的 6 位动态口令', description: setup && <Form form={form} layout="inline" onFinish={confirm}>
          <Form.Item name="code" rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: '请输入 6 位数字' }]}>
            <Input id="second-factor-code" maxLength={6} inputMode="numeric" autoComplete="one-time-code" style={{ width: 140 }} /></Form.Item>
          <Button type="primary" htmlType="submit" data-testid="second-factor-confirm">完成绑定</Button>
        </Form> },
      ]} />
    </Card>
  );
}
