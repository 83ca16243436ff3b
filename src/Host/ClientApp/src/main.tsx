import React from 'react';
import ReactDOM from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { App } from './App';
import { installChineseAriaLabels } from './ariaZh';
import './styles.css';

dayjs.locale('zh-cn');
// antd's few English accessible names that its zh_CN locale does not cover ("Select all"…): in Chinese, on every page.
installChineseAriaLabels();

// A data router: pages with unsaved work block leaving them (useBlocker), which the plain BrowserRouter cannot.
const router = createBrowserRouter([{ path: '*', element: <App /> }]);

ReactDOM.createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    {/* Text, links and danger red dark enough for WCAG AA's 4.5:1 (axe, tests/Browser.Tests/AccessibilityTests): antd's
        defaults give secondary text, #1677ff links and #ff4d4f about 3.3:1 on white. */}
    <ConfigProvider locale={zhCN} componentSize="middle" theme={{
      token: { colorPrimary: '#1f4e9c', colorLink: '#1f4e9c', colorError: '#cf1322', colorTextTertiary: 'rgba(0, 0, 0, 0.6)', borderRadius: 2, fontSize: 14 },
    }}>
      <AntApp>
        <RouterProvider router={router} />
      </AntApp>
    </ConfigProvider>
  </React.StrictMode>,
);
