// 安全管理员: who holds which roles (三员分立 is checked by the server), unlocking accounts, resetting a lost second factor.
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, query } from '../api';
import type { Page, UserView } from '../types';
import { ErrorAlert, fmt, showFieldErrors } from '../ui';
import { useLoad } from '../useLoad';
import { TextLimits } from '../limits';

export function SecurityUsersPage() {
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<UserView | null>(null);
  const [form] = Form.useForm();
  const users = useLoad(() => api.get<Page<UserView>>(`/api/security/users${query({ search, page, pageSize: 20 })}`), [search, page]);
  const roles = useLoad(() => api.get<{ role: string; name: string }[]>('/api/security/roles'), []);
  const roleName = (r: string) => roles.data?.find((x) => x.role === r)?.name ?? r;
  const act = async (u: UserView, action: 'unlock' | 'reset-second-factor', done: string) => {
    try { await api.post(`/api/security/users/${u.id}/${action}`); message.success(done); await users.reload(); } catch (e) { message.error((e as Error).message); }
  };
  const saveRoles = async () => {
    const v = await form.validateFields();
    try {
      await api.put(`/api/security/users/${editing!.id}/roles`, { roles: v.roles ?? [] });
      message.success('角色已保存，该用户需重新登录'); setEditing(null); await users.reload();
    } catch (e) { if (!showFieldErrors(form, e)) message.error((e as Error).message); }
  };
  return (
    <Card size="small" title="安全管理 · 用户角色与登录安全" data-testid="security-users">
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search id="security-search" placeholder="用户名或姓名" maxLength={TextLimits.search} allowClear onSearch={(s) => { setPage(1); setSearch(s); }} style={{ width: 220 }} />
      </Space>
      <ErrorAlert error={users.error} />
      <Table<UserView> size="small" rowKey="id" loading={users.loading} dataSource={users.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: users.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: '用户名', dataIndex: 'id' }, { title: '姓名', dataIndex: 'displayName' }, { title: '单位', dataIndex: 'orgUnitName' },
          { title: '角色', dataIndex: 'roles', render: (rs: string[]) => rs.map((r) => <Tag key={r}>{roleName(r)}</Tag>) },
          { title: '动态口令', render: (_, u) => u.secondFactorEnrolled ? <Tag color="green">已绑定</Tag> : <Tag>未绑定</Tag> },
          { title: '状态', render: (_, u) => !u.isActive ? <Tag>已停用</Tag> : u.lockedUntil && new Date(u.lockedUntil) > new Date()
            ? <Tag color="red" data-testid={`locked-${u.id}`}>锁定至 {fmt(u.lockedUntil)}</Tag> : <Tag color="green">正常</Tag> },
          { title: '操作', render: (_, u) => <Space>
            <Button size="small" onClick={() => { form.setFieldsValue({ roles: u.roles }); setEditing(u); }} data-testid={`roles-${u.id}`}>分配角色</Button>
            <Button size="small" disabled={!u.lockedUntil} onClick={() => act(u, 'unlock', '已解锁')}>解锁</Button>
            <Popconfirm title="重置后该用户须重新绑定动态口令，其登录会话将全部失效。确定重置？" okText="重置" cancelText="取消"
              onConfirm={() => act(u, 'reset-second-factor', '动态口令已重置')}>
              <Button size="small" danger disabled={!u.secondFactorEnrolled}>重置动态口令</Button>
            </Popconfirm></Space> },
        ]} />
      <Modal open={editing !== null} title={`分配角色：${editing?.displayName ?? ''}`} onCancel={() => setEditing(null)} onOk={saveRoles} okText="保存" cancelText="取消" forceRender>
        <Form form={form} layout="vertical">
          <Form.Item name="roles" label="角色" extra="平台管理员、安全管理员、审计员须由不同人员担任（三员分立）。">
            <Select id="security-roles" mode="multiple" options={(roles.data ?? []).map((r) => ({ value: r.role, label: r.name }))} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
