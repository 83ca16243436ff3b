import { TextLimits } from '../limits';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, query } from '../api';
import type { Page, Unit, UserView } from '../types';
import { ErrorAlert, fmt, showFieldErrors } from '../ui';
import { useLoad } from '../useLoad';

export function UsersPage() {
  const { message } = App.useApp();
  const [filters, setFilters] = useState({ search: '', orgUnitId: '', role: '' });
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<UserView | 'new' | null>(null);
  const [form] = Form.useForm();
  const users = useLoad(() => api.get<Page<UserView>>(`/api/admin/users${query({ ...filters, includeInactive: true, page, pageSize: 20 })}`), [filters, page]);
  const roles = useLoad(() => api.get<{ role: string; name: string }[]>('/api/admin/roles'), []);
  const units = useLoad(() => api.get<Unit[]>('/api/admin/units'), []);
  const roleName = (r: string) => roles.data?.find((x) => x.role === r)?.name ?? r;
  const save = async () => {
    const v = await form.validateFields();
    try {
      if (editing === 'new') await api.post('/api/admin/users', v);
      else if (editing) {
        await api.put(`/api/admin/users/${editing.id}`, { displayName: v.displayName, orgUnitId: v.orgUnitId, title: v.title, phone: v.phone, email: v.email });
        if (v.password) await api.post(`/api/admin/users/${editing.id}/password`, { password: v.password });
      }
      message.success('已保存'); setEditing(null); await users.reload();
    } catch (e) { if (!showFieldErrors(form, e)) message.error((e as Error).message); }
  };
  const toggle = async (u: UserView) => {
    try { await api.post(`/api/admin/users/${u.id}/${u.isActive ? 'disable' : 'enable'}`); await users.reload(); } catch (e) { message.error((e as Error).message); }
  };
  return (
    <Card size="small" title="用户管理" extra={<Button type="primary" onClick={() => { form.resetFields(); setEditing('new'); }}>新增用户</Button>}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search placeholder="用户名或姓名" maxLength={TextLimits.search} allowClear onSearch={(search) => setFilters({ ...filters, search })} style={{ width: 220 }} />
        <Select aria-label="所属单位" showSearch optionFilterProp="label" allowClear placeholder="所属单位" style={{ width: 260 }} onChange={(orgUnitId) => setFilters({ ...filters, orgUnitId: orgUnitId ?? '' })}
          options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))} />
        <Select aria-label="角色" allowClear placeholder="角色" style={{ width: 180 }} onChange={(role) => setFilters({ ...filters, role: role ?? '' })}
          options={(roles.data ?? []).map((r) => ({ value: r.role, label: r.name }))} />
      </Space>
      <ErrorAlert error={users.error} />
      <Table<UserView> size="small" rowKey="id" loading={users.loading} dataSource={users.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: users.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: '用户名', dataIndex: 'id' }, { title: '姓名', dataIndex: 'displayName' }, { title: '单位', dataIndex: 'orgUnitName' },
          { title: '角色', dataIndex: 'roles', render: (rs: string[]) => rs.map((r) => <Tag key={r}>{roleName(r)}</Tag>) },
          { title: '状态', render: (_, u) => !u.isActive ? <Tag>已停用</Tag> : u.lockedUntil ? <Tag color="red">锁定至 {fmt(u.lockedUntil)}</Tag>
            : u.mustChangePassword ? <Tag color="gold">待改密码</Tag> : <Tag color="green">正常</Tag> },
          { title: '操作', render: (_, u) => <Space>
            <Button size="small" onClick={() => { form.resetFields(); form.setFieldsValue({ ...u, password: undefined }); setEditing(u); }}>编辑</Button>
            <Button size="small" danger={u.isActive} onClick={() => toggle(u)}>{u.isActive ? '停用' : '启用'}</Button></Space> },
        ]} />
      <Modal open={editing !== null} title={editing === 'new' ? '新增用户' : '编辑用户'} onCancel={() => setEditing(null)} onOk={save} okText="保存" cancelText="取消" forceRender>
        <Form form={form} layout="vertical">
          <Form.Item name="id" label="用户名" rules={[{ required: true, message: '请填写用户名' }]}><Input disabled={editing !== 'new'} /></Form.Item>
          <Form.Item name="displayName" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}><Input maxLength={TextLimits.personName} showCount /></Form.Item>
          <Form.Item name="orgUnitId" label="所属单位" rules={[{ required: true, message: '请选择单位' }]}>
            <Select showSearch optionFilterProp="label" options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))} /></Form.Item>
          <Form.Item name="title" label="职务"><Input maxLength={TextLimits.jobTitle} showCount /></Form.Item>
          <Form.Item name="phone" label="手机"><Input /></Form.Item>
          <Form.Item name="email" label="电子邮箱"><Input /></Form.Item>
          <Form.Item name="password" label={editing === 'new' ? '初始密码' : '重置密码（留空不改）'} rules={editing === 'new' ? [{ required: true, message: '请填写初始密码' }] : []}
            extra="至少 10 位，含大写字母、小写字母、数字、特殊字符中的三类，不含用户名；用户首次登录时须自行修改。角色由安全管理员分配。"><Input.Password autoComplete="new-password" /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

const unitKinds = [
  { value: 'Bureau', label: '市大数据局' }, { value: 'MunicipalDepartment', label: '市直部门' }, { value: 'SecondaryUnit', label: '二级机构' },
  { value: 'Utility', label: '公共企事业单位' }, { value: 'CountyAuthority', label: '县区大数据管理部门' }, { value: 'CountyDepartment', label: '县区部门' },
];

export function UnitsPage() {
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Unit | 'new' | null>(null);
  const [form] = Form.useForm();
  const units = useLoad(() => api.get<Unit[]>('/api/admin/units?includeInactive=true'), []);
  const save = async () => {
    const v = await form.validateFields();
    try {
      if (editing === 'new') await api.post('/api/admin/units', v);
      else if (editing) await api.put(`/api/admin/units/${editing.id}`, { ...v, isActive: editing.isActive ?? true });
      message.success('已保存'); setEditing(null); await units.reload();
    } catch (e) { showFieldErrors(form, e); }
  };
  return (
    <Card size="small" title="单位管理" extra={<Button type="primary" onClick={() => { form.resetFields(); setEditing('new'); }}>新增单位</Button>}>
      <ErrorAlert error={units.error} />
      <Table<Unit> size="small" rowKey="id" loading={units.loading} dataSource={units.data ?? []} pagination={{ pageSize: 30 }}
        columns={[
          { title: '编号', dataIndex: 'id' }, { title: '名称', dataIndex: 'name' }, { title: '类型', render: (_, u) => u.kindName ?? u.kind },
          { title: '上级单位', dataIndex: 'parentId', render: (parent: string | null) => (parent
            ? <span title={parent} data-testid="unit-parent">{units.data?.find((p) => p.id === parent)?.name ?? parent}</span> : '—') },
          { title: '行政区划', render: (_, u) => `${u.regionName ?? ''}（${u.regionCode}）` },
          { title: '统一社会信用代码', dataIndex: 'creditCode' },
          { title: '', render: (_, u) => <Button size="small" onClick={() => { form.resetFields(); form.setFieldsValue(u); setEditing(u); }}>编辑</Button> },
        ]} />
      <Modal open={editing !== null} title={editing === 'new' ? '新增单位' : '编辑单位'} onCancel={() => setEditing(null)} onOk={save} okText="保存" cancelText="取消" forceRender>
        <Form form={form} layout="vertical">
          <Form.Item name="id" label="编号" rules={[{ required: true, message: '请填写编号' }]}><Input disabled={editing !== 'new'} /></Form.Item>
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}><Input maxLength={TextLimits.unitName} showCount /></Form.Item>
          <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}><Select disabled={editing !== 'new'} options={unitKinds} /></Form.Item>
          <Form.Item name="parentId" label="上级单位"><Select allowClear showSearch optionFilterProp="label" options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))} /></Form.Item>
          <Form.Item name="regionCode" label="行政区划代码" rules={[{ required: true, message: '请填写6位行政区划代码' }]}><Input /></Form.Item>
          <Form.Item name="regionName" label="行政区划名称"><Input maxLength={TextLimits.unitName} /></Form.Item>
          <Form.Item name="creditCode" label="统一社会信用代码"><Input /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
