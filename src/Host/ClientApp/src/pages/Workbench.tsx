import { Button, Card, Col, List, Row, Space, Statistic, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { useAuth } from '../auth';
import type { Counts, Page, TaskView } from '../types';
import { DueBadge, ErrorAlert } from '../ui';
import { useLoad } from '../useLoad';

export function Workbench() {
  const { me } = useAuth();
  const counts = useLoad(() => api.get<Counts>('/api/tasks/counts'), []);
  const todo = useLoad(() => api.get<Page<TaskView>>('/api/tasks/todo?pageSize=8'), []);
  const c = counts.data;
  const tiles: [string, number | undefined, string, string?][] = [
    ['待办事项', c?.todo, '/tasks/todo'], ['可认领', c?.claimable, '/tasks/todo'], ['即将到期', c?.yellow, '/tasks/todo?level=Yellow', '#d48806'],
    ['已超期', c?.red, '/tasks/todo?overdue=true', '#cf1322'], ['未读抄送', c?.unreadCopies, '/tasks/cc'], ['在办申请', c?.openApplications, '/applications'],
  ];
  return (
    <div>
      <Typography.Title level={4} className="page-title">工作台 <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 400 }}>{me?.displayName}，{me?.unit.name}</Typography.Text></Typography.Title>
      <ErrorAlert error={counts.error ?? todo.error} />
      <Row gutter={[12, 12]}>
        {tiles.map(([title, value, to, color]) => (
          <Col key={title} xs={12} md={8} xl={4}>
            <Link to={to}><Card size="small" hoverable><Statistic title={title} value={value ?? '—'} valueStyle={color ? { color } : undefined} /></Card></Link>
          </Col>
        ))}
      </Row>
      <Row gutter={12} style={{ marginTop: 12 }}>
        <Col xs={24} lg={16}>
          <Card size="small" title="最近待办" extra={<Link to="/tasks/todo">全部待办</Link>}>
            <List size="small" loading={todo.loading} dataSource={todo.data?.items ?? []} locale={{ emptyText: '暂无待办事项' }}
              renderItem={(t) => <List.Item extra={<DueBadge dueAt={t.dueAt} level={t.level} />}>
                <div style={{ minWidth: 0 }}>
                  <Link to={t.isDraft ? `/applications/${t.instanceId}` : `/tasks/${t.id}`} state={{ from: '/tasks/todo' }}>{t.title}</Link>
                  <Typography.Text type="secondary" style={{ marginLeft: 8 }}>{t.businessNumber ?? (t.isDraft ? '草稿' : '')}</Typography.Text>
                  <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{[t.applicantOrgUnitName, t.summary ?? t.processName].filter(Boolean).join(' · ')}</Typography.Text></div>
                </div>
              </List.Item>} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title="快捷入口">
            <Space direction="vertical" style={{ width: '100%' }}>
              <Link to="/applications/new?definitionId=subscription"><Button block>库表、文件订阅申请</Button></Link>
              <Link to="/applications/new?definitionId=interface-request"><Button block>服务接口申请</Button></Link>
              <Link to="/applications/new?definitionId=account-platform"><Button block>平台账号申请</Button></Link>
              <Link to="/catalog"><Button block>查询资源目录</Button></Link>
            </Space>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
