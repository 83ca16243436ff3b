import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api';
import { useAuth } from '../auth';

/** Sign-in: user name and password, then, for an account with a second factor, the 6-digit code of the authenticator app. */
export function LoginPage() {
  const { me, signIn } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [credentials, setCredentials] = useState<{ userName: string; password: string } | null>(null);
  const next = params.get('next') || '/';
  if (me) return <Navigate to={next} replace />;
  const message = (e: unknown) => (e instanceof ApiError ? e.problem.detail ?? e.problem.title ?? '登录失败' : '无法连接服务器，请稍后重试。');
  const submit = async (values: { userName: string; password: string }) => {
    setBusy(true); setError(null);
    try {
      if (await signIn(values.userName, values.password) === 'second-factor') setCredentials(values);
      else navigate(next, { replace: true });
    } catch (e) { setError(message(e)); } finally { setBusy(false); }
  };
  const verify = async (values: { code: string }) => {
    setBusy(true); setError(null);
    try { await signIn(credentials!.userName, credentials!.password, values.code.trim()); navigate(next, { replace: true }); }
    catch (e) { setError(message(e)); setCredentials(null); } finally { setBusy(false); }
  };
  return (
    <div className="login-page">
      <Card className="login-card" title={<div style={{ textAlign: 'center' }}>
        <Typography.Title level={4} style={{ margin: '8px 0 0' }}>平顶山市政务数据共享交换平台</Typography.Title>
        <Typography.Text type="secondary">审批系统 · 用户登录</Typography.Text></div>}>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        {credentials ? (
          <Form layout="vertical" onFinish={verify} requiredMark={false} key="code">
            <Typography.Paragraph>请打开手机上的身份验证器应用，输入“{credentials.userName}”当前显示的 6 位动态口令。</Typography.Paragraph>
            <Form.Item name="code" label="动态口令" rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: '请输入 6 位数字动态口令' }]}>
              <Input id="code" prefix={<SafetyOutlined />} autoFocus autoComplete="one-time-code" inputMode="numeric" maxLength={6} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>验 证</Button>
            <Button type="link" block onClick={() => setCredentials(null)}>返回</Button>
          </Form>
        ) : (
          <Form layout="vertical" onFinish={submit} requiredMark={false} key="password">
            <Form.Item name="userName" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
              <Input id="userName" prefix={<UserOutlined />} autoFocus autoComplete="username" placeholder="请输入用户名" />
            </Form.Item>
            <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password id="password" prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>登 录</Button>
          </Form>
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
          连续输错 5 次账号将暂时锁定（5 分钟起，再次锁定时间加倍），可联系安全管理员解锁；30 分钟无操作自动退出。
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
