import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api';
import { useAuth } from '../auth';

export function LoginPage() {
  const { me, signIn } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = params.get('next') || '/';
  if (me) return <Navigate to={next} replace />;
  const submit = async (values: { userName: string; password: string }) => {
    setBusy(true); setError(null);
    try { await signIn(values.userName, values.password); navigate(next, { replace: true }); }
    catch (e) { setError(e instanceof ApiError ? e.problem.detail ?? e.problem.title ?? '登录失败' : '无法连接服务器，请稍后重试。'); }
    finally { setBusy(false); }
  };
  return (
    <div className="login-page">
      <Card className="login-card" title={<div style={{ textAlign: 'center' }}>
        <Typography.Title level={4} style={{ margin: '8px 0 0' }}>平顶山市政务数据共享交换平台</Typography.Title>
        <Typography.Text type="secondary">审批系统 · 用户登录</Typography.Text></div>}>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="userName" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input id="userName" prefix={<UserOutlined />} autoFocus autoComplete="username" placeholder="如 gaj.approver" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password id="password" prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>登 录</Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
          连续输错密码 5 次账号将锁定 15 分钟；30 分钟无操作自动退出。
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
