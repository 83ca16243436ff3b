import { Layout, Menu, Result, Spin, Button, Dropdown } from 'antd';
import { ApartmentOutlined, AppstoreOutlined, AuditOutlined, BarChartOutlined, CopyOutlined, DatabaseOutlined, FileAddOutlined, FileDoneOutlined, FileProtectOutlined, InboxOutlined, KeyOutlined, LockOutlined, LogoutOutlined, SafetyCertificateOutlined, SafetyOutlined, SolutionOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { AuthProvider, bureauRoles, hasRole, useAuth } from './auth';
import { LoginPage } from './pages/LoginPage';
import { Workbench } from './pages/Workbench';
import { TodoList, DoneList, CopiesList, MyApplications } from './pages/TaskLists';
import { TaskPage } from './pages/TaskPage';
import { NewApplication, ApplicationPage } from './pages/ApplicationPages';
import { CatalogPage, CatalogEntryPage } from './pages/CatalogPages';
import { PasswordPage, SecondFactorPage } from './pages/AccountPages';
import { lazy, Suspense } from 'react';

// The pages of the bureau's roles (statistics, audit, admin, the designer with React Flow and dagre) load on first use,
// so that applicants and approvers download only the pages they work in.
const StatisticsPage = lazy(() => import('./pages/StatisticsPage').then((m) => ({ default: m.StatisticsPage })));
const UsersPage = lazy(() => import('./admin/AdminPages').then((m) => ({ default: m.UsersPage })));
const UnitsPage = lazy(() => import('./admin/AdminPages').then((m) => ({ default: m.UnitsPage })));
const AuditSearchPage = lazy(() => import('./audit/AuditSearchPage').then((m) => ({ default: m.AuditSearchPage })));
const AuditInstancePage = lazy(() => import('./audit/AuditInstancePage').then((m) => ({ default: m.AuditInstancePage })));
const DesignerRoutes = lazy(() => import('./designer/routes').then((m) => ({ default: m.DesignerRoutes })));
const SecurityUsersPage = lazy(() => import('./admin/SecurityPages').then((m) => ({ default: m.SecurityUsersPage })));
const SecurityLogPage = lazy(() => import('./audit/SecurityLogPage').then((m) => ({ default: m.SecurityLogPage })));

function Shell() {
  const { me, signOut } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
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
  const selected = items.flatMap((i) => ('children' in i && i.children ? i.children.map((c) => c.key) : [i.key]))
    .filter((k) => k === location.pathname || (k !== '/' && location.pathname.startsWith(k)))
    .sort((a, b) => b.length - a.length)[0] ?? '/';
  return (
    <Layout style={{ minHeight: '100%' }}>
      <div className="top-bar no-print">
        <div className="brand">平顶山市政务数据共享交换平台 · 审批系统</div>
        <div className="user">
          <span data-testid="current-unit">{me.unit.name}</span>
          <Dropdown menu={{ items: [
            ...(pending ? [] : [{ key: 'password', icon: <KeyOutlined />, label: '修改密码', onClick: () => navigate('/account/password') },
              { key: 'otp', icon: <SafetyOutlined />, label: '动态口令', onClick: () => navigate('/account/second-factor') }]),
            { key: 'out', icon: <LogoutOutlined />, label: '退出登录', onClick: async () => { await signOut(); navigate('/login'); } }] }}>
            <Button type="link" style={{ color: '#fff' }} icon={<UserOutlined />} data-testid="current-user">{me.displayName}</Button>
          </Dropdown>
        </div>
      </div>
      <Layout style={{ flex: 1 }}>
        <Layout.Sider width={188} theme="light" className="no-print" breakpoint="lg" collapsedWidth={56}>
          <Menu mode="inline" selectedKeys={[selected]} defaultOpenKeys={['admin', 'audit']} items={items} style={{ height: '100%', borderRight: 0 }} />
        </Layout.Sider>
        <Layout.Content className="page">
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
            <Route path="/statistics" element={<StatisticsPage />} />
            <Route path="/audit" element={<AuditSearchPage />} />
            <Route path="/audit/:id" element={<AuditInstancePage />} />
            <Route path="/admin/users" element={<UsersPage />} />
            <Route path="/admin/units" element={<UnitsPage />} />
            <Route path="/designer/*" element={<DesignerRoutes />} />
            <Route path="/security/users" element={<SecurityUsersPage />} />
            <Route path="/security-log" element={<SecurityLogPage />} />
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
