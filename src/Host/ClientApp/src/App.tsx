import { Button, Drawer, Dropdown, Grid, Layout, Menu, Result, Spin } from 'antd';
import { ApartmentOutlined, AppstoreOutlined, AuditOutlined, BarChartOutlined, CopyOutlined, DatabaseOutlined, FileAddOutlined, FileDoneOutlined, FileProtectOutlined, InboxOutlined, KeyOutlined, LockOutlined, LogoutOutlined, MenuOutlined, SafetyCertificateOutlined, SafetyOutlined, SolutionOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { AuthProvider, bureauRoles, hasRole, useAuth } from './auth';
import { LoginPage } from './pages/LoginPage';
import { Workbench } from './pages/Workbench';
import { TodoList, DoneList, CopiesList, MyApplications } from './pages/TaskLists';
import { TaskPage } from './pages/TaskPage';
import { NewApplication, ApplicationPage } from './pages/ApplicationPages';
import { CatalogPage, CatalogEntryPage } from './pages/CatalogPages';
import { PasswordPage, SecondFactorPage } from './pages/AccountPages';
import { NotificationBell } from './notifications/NotificationBell';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import type { Me } from './types';

// The pages of the bureau's roles (statistics, audit, admin, the designer with React Flow and dagre) load on first use,
// so that applicants and approvers download only the pages they work in.
const StatisticsPage = lazy(() => import('./statistics/StatisticsPage').then((m) => ({ default: m.StatisticsPage })));
const UsersPage = lazy(() => import('./admin/AdminPages').then((m) => ({ default: m.UsersPage })));
const UnitsPage = lazy(() => import('./admin/AdminPages').then((m) => ({ default: m.UnitsPage })));
const AuditSearchPage = lazy(() => import('./audit/AuditSearchPage').then((m) => ({ default: m.AuditSearchPage })));
const AuditInstancePage = lazy(() => import('./audit/AuditInstancePage').then((m) => ({ default: m.AuditInstancePage })));
const DesignerRoutes = lazy(() => import('./designer/routes').then((m) => ({ default: m.DesignerRoutes })));
const SecurityUsersPage = lazy(() => import('./admin/SecurityPages').then((m) => ({ default: m.SecurityUsersPage })));
const SecurityLogPage = lazy(() => import('./audit/SecurityLogPage').then((m) => ({ default: m.SecurityLogPage })));

/** A page of a role the user does not hold answers 无权访问 in place: no toolbar drawn above a refusal. */
function RequireRole({ allowed, children }: { allowed: (me: Me) => boolean; children: ReactNode }) {
  const { me } = useAuth();
  if (me && allowed(me)) return <>{children}</>;
  return <div data-testid="no-access"><Result status="403" title="无权访问" subTitle="您的账号没有使用此页面的权限；如需使用，请联系平台管理员。"
    extra={<Link to="/">返回工作台</Link>} /></div>;
}

const product = '平顶山市政务数据共享交换平台审批系统';
const titles: [RegExp, string][] = [
  [/^\/$/, '工作台'], [/^\/tasks\/todo/, '待办事项'], [/^\/tasks\/done/, '已办事项'], [/^\/tasks\/cc/, '抄送我的'], [/^\/tasks\//, '办理'],
  [/^\/applications\/new/, '发起申请'], [/^\/applications\/.+/, '申请详情'], [/^\/applications/, '我的申请'],
  [/^\/catalog\/.+/, '目录资源'], [/^\/catalog/, '资源目录'], [/^\/statistics/, '统计分析'], [/^\/audit\/.+/, '审计记录'], [/^\/audit/, '流程审计'],
  [/^\/security-log/, '安全审计日志'], [/^\/security\/users/, '安全管理'], [/^\/designer\/[^/]+\/migrate/, '实例迁移'], [/^\/designer\/.+/, '流程设计器'],
  [/^\/designer/, '流程设计'], [/^\/admin\/users/, '用户管理'], [/^\/admin\/units/, '单位管理'], [/^\/account\/password/, '修改密码'],
  [/^\/account\/second-factor/, '动态口令'], [/^\/login/, '登录'],
];

/** Each page names itself in the browser's tab (issue #18: every page had the same title). */
function usePageTitle(pathname: string) {
  useEffect(() => {
    const page = titles.find(([pattern]) => pattern.test(pathname))?.[1];
    document.title = page ? `${page} - ${product}` : product;
  }, [pathname]);
}

/** The menu entry a page belongs to: a task opened from 已办 stays under 已办, a case under where it was opened from. */
function menuKey(pathname: string, from: string | undefined, keys: string[]): string {
  if (from && keys.includes(from) && (pathname.startsWith('/tasks/') || pathname.startsWith('/applications/'))) return from;
  if (/^\/tasks\/[0-9a-f-]{36}$/.test(pathname)) return '/tasks/todo';
  if (/^\/applications\/[0-9a-f-]{36}$/.test(pathname)) return '/applications';
  return keys.filter((k) => k === pathname || (k !== '/' && pathname.startsWith(`${k}/`)) || k === pathname.replace(/\/$/, ''))
    .sort((a, b) => b.length - a.length)[0] ?? (pathname === '/' ? '/' : '');
}

function Shell() {
  const { me, signOut } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [drawer, setDrawer] = useState(false);
  useEffect(() => setDrawer(false), [location.pathname]);
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  // A session that must change its password or enrol a second factor sees only that page (the API refuses the rest).
  const pending = me.pending === 'second_factor_enrolment_required' ? <SecondFactorPage /> : me.pending ? <PasswordPage /> : null;
  const items = pending ? [] : [
    { key: '/', icon: <AppstoreOutlined />, label: <Link to="/">工作台</Link> },
    { key: '/tasks/todo', icon: <InboxOutlined />, label: <Link to="/tasks/todo">待办事项</Link> },
    { key: '/tasks/done', icon: <FileDoneOutlined />, label: <Link to="/tasks/done">已办事项</Link> },
    { key: '/tasks/cc', icon: <CopyOutlined />, label: <Link to="/tasks/cc">抄送我的</Link> },
    { key: '/applications', icon: <SolutionOutlined />, label: <Link to="/applications">我的申请</Link> },
    { key: '/applications/new', icon: <FileAddOutlined />, label: <Link to="/applications/new">发起申请</Link> },
    { key: '/catalog', icon: <DatabaseOutlined />, label: <Link to="/catalog">资源目录</Link> },
    ...(hasRole(me, ...bureauRoles) ? [{ key: '/statistics', icon: <BarChartOutlined />, label: <Link to="/statistics">统计分析</Link> }] : []),
    ...(hasRole(me, 'auditor') ? [{ key: 'audit', icon: <SafetyCertificateOutlined />, label: '审计', children: [
      { key: '/audit', icon: <AuditOutlined />, label: <Link to="/audit">流程审计</Link> },
      { key: '/security-log', icon: <FileProtectOutlined />, label: <Link to="/security-log" data-testid="menu-security-log">安全审计日志</Link> },
    ] }] : []),
    ...(hasRole(me, 'security_admin') ? [{ key: '/security/users', icon: <LockOutlined />, label: <Link to="/security/users">安全管理</Link> }] : []),
    ...(hasRole(me, 'workflow_admin') ? [{ key: '/designer', icon: <ApartmentOutlined />, label: <Link to="/designer">流程设计</Link> }] : []),
    ...(me.isPlatformAdmin ? [{ key: 'admin', icon: <TeamOutlined />, label: '系统管理', children: [
      { key: '/admin/users', icon: <UserOutlined />, label: <Link to="/admin/users">用户管理</Link> },
      { key: '/admin/units', icon: <AuditOutlined />, label: <Link to="/admin/units">单位管理</Link> },
    ] }] : []),
  ];
  const keys = items.flatMap((i) => ('children' in i && i.children ? i.children.map((c) => c.key) : [i.key]));
  const selected = menuKey(location.pathname, (location.state as { from?: string } | null)?.from, keys);
  const menu = <Menu mode="inline" selectedKeys={[selected]} defaultOpenKeys={['admin', 'audit']} items={items} style={{ borderRight: 0 }} data-testid="side-menu" />;
  const phone = !screens.md;
  return (
    <Layout className="shell">
      <div className="top-bar no-print">
        <div className="brand">
          {phone && <Button type="text" aria-label="菜单" icon={<MenuOutlined style={{ color: '#fff' }} />} onClick={() => setDrawer(true)} data-testid="menu-button" />}
          <span>{phone ? '数据共享审批' : '平顶山市政务数据共享交换平台 · 审批系统'}</span>
        </div>
        <div className="user">
          {!phone && <span data-testid="current-unit">{me.unit.name}</span>}
          <NotificationBell />
          <Dropdown menu={{ items: [
            ...(pending ? [] : [{ key: 'password', icon: <KeyOutlined />, label: '修改密码', onClick: () => navigate('/account/password') },
              { key: 'otp', icon: <SafetyOutlined />, label: '动态口令', onClick: () => navigate('/account/second-factor') }]),
            { key: 'out', icon: <LogoutOutlined />, label: '退出登录', onClick: async () => { await signOut(); navigate('/login'); } }] }}>
            <Button type="link" style={{ color: '#fff' }} icon={<UserOutlined />} data-testid="current-user">{phone ? null : me.displayName}</Button>
          </Dropdown>
        </div>
      </div>
      <Layout>
        {phone
          ? <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" width={240} title={me.displayName} styles={{ body: { padding: 0 } }}>
            <div style={{ padding: '0 16px 8px', color: '#595959' }}>{me.unit.name}</div>{menu}</Drawer>
          : <Layout.Sider width={188} theme="light" className="no-print side">{menu}</Layout.Sider>}
        <Layout.Content className={phone ? 'page phone' : 'page'}>
          <Suspense fallback={<Spin tip="正在加载…"><div style={{ minHeight: 120 }} /></Spin>}>
          {pending ?? <Routes>
            <Route path="/" element={<Workbench />} />
            <Route path="/tasks/todo" element={<TodoList />} />
            <Route path="/tasks/done" element={<DoneList />} />
            <Route path="/tasks/cc" element={<CopiesList />} />
            <Route path="/tasks/:id" element={<TaskPage />} />
            <Route path="/applications" element={<MyApplications />} />
            <Route path="/applications/new" element={<NewApplication />} />
            <Route path="/applications/:id" element={<ApplicationPage />} />
            <Route path="/catalog" element={<CatalogPage />} />
            <Route path="/catalog/:entryId" element={<CatalogEntryPage />} />
            <Route path="/statistics" element={<RequireRole allowed={(m) => hasRole(m, ...bureauRoles)}><StatisticsPage /></RequireRole>} />
            <Route path="/audit" element={<RequireRole allowed={(m) => hasRole(m, 'auditor')}><AuditSearchPage /></RequireRole>} />
            <Route path="/audit/:id" element={<RequireRole allowed={(m) => hasRole(m, 'auditor')}><AuditInstancePage /></RequireRole>} />
            <Route path="/admin/users" element={<RequireRole allowed={(m) => m.isPlatformAdmin}><UsersPage /></RequireRole>} />
            <Route path="/admin/units" element={<RequireRole allowed={(m) => m.isPlatformAdmin}><UnitsPage /></RequireRole>} />
            <Route path="/designer/*" element={<RequireRole allowed={(m) => hasRole(m, 'workflow_admin')}><DesignerRoutes /></RequireRole>} />
            <Route path="/security/users" element={<RequireRole allowed={(m) => hasRole(m, 'security_admin')}><SecurityUsersPage /></RequireRole>} />
            <Route path="/security-log" element={<RequireRole allowed={(m) => hasRole(m, 'auditor')}><SecurityLogPage /></RequireRole>} />
            <Route path="/account/password" element={<PasswordPage />} />
            <Route path="/account/second-factor" element={<SecondFactorPage />} />
            <Route path="*" element={<Result status="404" title="页面不存在" subTitle="您访问的页面不存在。" extra={<Link to="/">返回工作台</Link>} />} />
          </Routes>}
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function Routed() {
  const { loading } = useAuth();
  usePageTitle(useLocation().pathname);
  if (loading) return <Spin fullscreen tip="正在加载…" />;
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/*" element={<Shell />} />
    </Routes>
  );
}

export function App() {
  return <AuthProvider><Routed /></AuthProvider>;
}
