// People are picked, never typed (issue #18): the holder of a task searches the people the server allows for 转办, 委派,
// 加签 or 抄送 (GET /api/tasks/{id}/assignable-users) by name, unit or role, or browses them by unit, and picks by name.
import { Checkbox, Empty, Grid, Input, List, Radio, Select, Space, Tag, Tree, Typography } from 'antd';
import { ApartmentOutlined, UserOutlined } from '@ant-design/icons';
import { useEffect, useMemo, useState } from 'react';
import { api, query } from '../api';
import { TextLimits } from '../limits';
import type { AssignableUser, AssignableUsersPage } from '../types';
import { ListError } from '../ui';
import { useLoad } from '../useLoad';

export type PickAction = 'transfer' | 'delegate' | 'addSigner' | 'cc';

const hints: Record<PickAction, string> = {
  transfer: '只能转办给本环节办理单位的在岗人员。', delegate: '只能委派给本环节办理单位的在岗人员。',
  addSigner: '只能加签本环节办理单位的在岗人员。', cc: '只能抄送给本案相关单位（申请单位、各环节办理单位和市大数据局）的在岗人员。',
};

interface Props {
  taskId: string;
  action: PickAction;
  multiple?: boolean;
  value: AssignableUser[];
  onChange: (people: AssignableUser[]) => void;
}

export function PersonPicker({ taskId, action, multiple, value, onChange }: Props) {
  const screens = Grid.useBreakpoint();
  const [search, setSearch] = useState('');
  const [unit, setUnit] = useState<string>('');
  const [page, setPage] = useState(1);
  const people = useLoad(() => api.get<AssignableUsersPage>(
    `/api/tasks/${taskId}/assignable-users${query({ action, search, orgUnitId: unit, page, pageSize: 20 })}`), [taskId, action, search, unit, page]);
  const [units, setUnits] = useState<AssignableUsersPage['units']>([]);
  useEffect(() => { if (people.data && units.length === 0) setUnits(people.data.units); }, [people.data, units.length]);

  const tree = useMemo(() => {
    const ids = new Set(units.map((u) => u.id));
    type Node = { key: string; title: string; icon: React.ReactNode; children: Node[] };
    const nodes = new Map<string, Node>(units.map((u) => [u.id, { key: u.id, title: u.name, icon: <ApartmentOutlined />, children: [] }]));
    const roots: Node[] = [];
    for (const u of units) (u.parentId && ids.has(u.parentId) ? nodes.get(u.parentId)!.children : roots).push(nodes.get(u.id)!);
    return [{ key: '', title: '全部可选单位', icon: <ApartmentOutlined />, children: roots }];
  }, [units]);

  const chosen = new Set(value.map((p) => p.id));
  const toggle = (person: AssignableUser) => {
    if (!multiple) { onChange([person]); return; }
    onChange(chosen.has(person.id) ? value.filter((p) => p.id !== person.id) : [...value, person]);
  };

  const list = (
    <div style={{ flex: 1, minWidth: 0 }}>
      {people.error ? <ListError error={people.error} onRetry={() => void people.reload()} /> :
        <List<AssignableUser> size="small" loading={people.loading} dataSource={people.data?.items ?? []} data-testid="picker-list"
          locale={{ emptyText: <Empty description={search ? '没有符合条件的人员' : '没有可选人员'} /> }}
          pagination={(people.data?.total ?? 0) > 20 ? { current: page, pageSize: 20, total: people.data?.total, onChange: setPage, size: 'small', simple: true } : false}
          renderItem={(p) => (
            <List.Item className={chosen.has(p.id) ? 'picker-person chosen' : 'picker-person'} data-testid="picker-person" onClick={() => toggle(p)} style={{ cursor: 'pointer' }}>
              <Space align="start">
                {multiple ? <Checkbox checked={chosen.has(p.id)} /> : <Radio checked={chosen.has(p.id)} />}
                <div>
                  <Space size={4} wrap><UserOutlined /><b>{p.displayName}</b>{p.title && <Typography.Text type="secondary">{p.title}</Typography.Text>}</Space>
                  <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{p.orgUnitName}</Typography.Text>
                    {p.roles.map((r) => <Tag key={r} style={{ marginLeft: 6, fontSize: 11 }}>{r}</Tag>)}</div>
                </div>
              </Space>
            </List.Item>
          )} />}
    </div>
  );

  return (
    <div className="person-picker">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>{hints[action]}</Typography.Paragraph>
      {value.length > 0 && <div style={{ marginBottom: 8 }} data-testid="picker-chosen">已选：{value.map((p) =>
        <Tag key={p.id} closable color="blue" onClose={(e) => { e.preventDefault(); onChange(value.filter((x) => x.id !== p.id)); }}>{p.displayName}（{p.orgUnitName}）</Tag>)}</div>}
      <Input.Search id="picker-search" placeholder="按姓名、职务、单位或角色搜索" allowClear maxLength={TextLimits.search} style={{ marginBottom: 8 }}
        onSearch={(v) => { setSearch(v.trim()); setPage(1); }} />
      {screens.md ? (
        <div style={{ display: 'flex', gap: 12, maxHeight: 360 }}>
          {units.length > 1 && <div style={{ width: 200, overflow: 'auto', borderRight: '1px solid #f0f0f0' }}>
            <Tree showIcon defaultExpandAll selectedKeys={[unit]} treeData={tree} onSelect={(keys) => { setUnit(String(keys[0] ?? '')); setPage(1); }} />
          </div>}
          <div style={{ flex: 1, overflow: 'auto' }}>{list}</div>
        </div>
      ) : (
        <>
          {units.length > 1 && <Select value={unit} onChange={(v) => { setUnit(v); setPage(1); }} style={{ width: '100%', marginBottom: 8 }}
            options={[{ value: '', label: '全部可选单位' }, ...units.map((u) => ({ value: u.id, label: u.name }))]} />}
          <div style={{ maxHeight: 320, overflow: 'auto' }}>{list}</div>
        </>
      )}
    </div>
  );
}
