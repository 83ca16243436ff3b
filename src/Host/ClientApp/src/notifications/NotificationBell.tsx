// The notification centre (站内消息): a bell with the unread count in the header, a drawer with the list, mark one or all
// read, each linking to its task or case. 催办, 即将到期 and 已超期 notices arrive here like every other kind.
import { App, Badge, Button, Drawer, Empty, List, Segmented, Space, Spin, Tag, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, query } from '../api';
import type { NotificationPage, NotificationView } from '../types';
import { fmt, ListError } from '../ui';

/** Every kind the server sends (grep `"notify.` in src): a kind missing here would read 消息. */
const kinds: Record<string, [string, string]> = {
  'notify.task-assigned': ['新待办', 'blue'], 'notify.task-delegated': ['委派', 'blue'], 'notify.task-resolved': ['委派完成', 'default'],
  'notify.case-copied': ['抄送', 'cyan'], 'notify.task-urged': ['催办', 'volcano'], 'notify.extension-requested': ['延期申请', 'gold'],
  'notify.extension-approved': ['同意延期', 'green'], 'notify.extension-rejected': ['不同意延期', 'orange'], 'notify.task-due-soon': ['即将到期', 'gold'], 'notify.task-overdue': ['已超期', 'red'],
  'notify.case': ['办件通知', 'default'], 'notify.interface-term-ending': ['授权到期', 'gold'],
};
const pageSize = 20;
const pollMs = 30_000;

export function NotificationBell() {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [onlyUnread, setOnlyUnread] = useState(false);
  const [page, setPage] = useState<NotificationPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const count = useCallback(async () => {
    try { setUnread((await api.get<{ unread: number }>('/api/notifications/unread-count')).unread); } catch { /* the next poll tries again */ }
  }, []);
  const load = useCallback(async (take = pageSize) => {
    setLoading(true);
    try {
      const found = await api.get<NotificationPage>(`/api/notifications${query({ unread: onlyUnread || undefined, take })}`);
      setPage(found); setUnread(found.unread); setError(null);
    } catch (e) { setError(e); } finally { setLoading(false); }
  }, [onlyUnread]);

  useEffect(() => {
    void count();
    const timer = window.setInterval(() => { if (document.visibilityState === 'visible') void count(); }, pollMs);
    const onFocus = () => void count();
    window.addEventListener('focus', onFocus);
    return () => { window.clearInterval(timer); window.removeEventListener('focus', onFocus); };
  }, [count]);
  useEffect(() => { if (open) void load(); }, [open, load]);

  const openOne = async (n: NotificationView) => {
    try { if (!n.readAt) await api.post(`/api/notifications/${n.id}/read`); } catch { /* reading it is what matters */ }
    setOpen(false); void count();
    if (n.taskId) navigate(`/tasks/${n.taskId}`, { state: { from: '/tasks/todo' } });
    else if (n.instanceId) navigate(`/applications/${n.instanceId}`);
  };
  const readAll = async () => {
    try {
      const { marked } = await api.post<{ marked: number }>('/api/notifications/read-all');
      message.success(marked > 0 ? `已将 ${marked} 条消息标为已读` : '没有未读消息');
      await load();
    } catch (e) { setError(e); }
  };

  return (
    <>
      <Badge count={unread} size="small" overflowCount={99} offset={[-4, 4]}>
        <Button type="text" aria-label={`消息通知，${unread} 条未读`} icon={<BellOutlined style={{ color: '#fff', fontSize: 18 }} />}
          onClick={() => setOpen(true)} data-testid="notification-bell" />
      </Badge>
      <Drawer open={open} onClose={() => setOpen(false)} title={`消息通知${unread > 0 ? `（${unread} 条未读）` : ''}`} width={420}
        extra={<Button size="small" onClick={readAll} disabled={unread === 0} data-testid="read-all">全部已读</Button>} className="notification-drawer">
        <Segmented block value={onlyUnread ? 'unread' : 'all'} onChange={(v) => setOnlyUnread(v === 'unread')} style={{ marginBottom: 12 }}
          options={[{ value: 'all', label: '全部' }, { value: 'unread', label: '未读' }]} />
        {error ? <ListError error={error} onRetry={() => void load()} /> : !page ? <Spin /> :
          <List<NotificationView> loading={loading} dataSource={page.items} locale={{ emptyText: <Empty description={onlyUnread ? '没有未读消息' : '暂无消息'} /> }}
            loadMore={page.items.length < page.total ? <div style={{ textAlign: 'center', marginTop: 8 }}><Button onClick={() => void load(page.items.length + pageSize)}>加载更多</Button></div> : null}
            renderItem={(n) => {
              const [kind, color] = kinds[n.type] ?? ['消息', 'default'];
              return (
                <List.Item className={n.readAt ? 'notification read' : 'notification unread'} data-testid="notification-item" style={{ cursor: 'pointer' }}
                  onClick={() => void openOne(n)}>
                  <List.Item.Meta
                    title={<Space size={4}>{!n.readAt && <Badge status="processing" />}<Tag color={color}>{kind}</Tag><span>{n.title}</span></Space>}
                    description={<><div>{n.body}</div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{fmt(n.createdAt)}</Typography.Text></>} />
                </List.Item>
              );
            }} />}
      </Drawer>
    </>
  );
}
