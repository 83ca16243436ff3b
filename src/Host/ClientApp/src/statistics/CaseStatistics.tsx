// 办件统计 (issue #18): cases received and finished, the on-time rate, the average handling time in working days, late and
// overdue steps by unit and by step, from GET /api/statistics/cases (CSV and xlsx are the server's own exports).
import { Button, Card, Col, Empty, Row, Space, Statistic, Table, Tooltip, Typography } from 'antd';
import { DownloadOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { api, query } from '../api';
import { ErrorAlert, fmt } from '../ui';
import { useLoad } from '../useLoad';
import { Chart, valueLabel } from './Chart';

interface CaseFigures {
  received: number; finished: number; finishedOnTime: number; onTimeRate: number | null; averageWorkingDays: number | null;
  stepsDecided: number; stepsDecidedLate: number; stepsOverdueNow: number;
}
interface CaseReport {
  from: string; to: string; computedAt: string; totals: CaseFigures;
  byProcess: { definitionId: string; processName: string; figures: CaseFigures }[];
  overdueByUnit: { orgUnitId: string | null; orgUnitName: string; decided: number; decidedLate: number; overdueNow: number }[];
  overdueByStep: { definitionId: string; processName: string; activityId: string; stepName: string; decided: number; decidedLate: number; overdueNow: number }[];
  trendUnit: 'day' | 'month'; trend: { label: string; received: number; finished: number }[];
}

const percent = (rate: number | null) => (rate == null ? '—' : `${(rate * 100).toFixed(1)}%`);
const rules = '收件：期间内提交（取得业务编号）的办件；办结：期间内办结的办件（撤回、取消的不计）；按时办结：各环节均未超过办理时限；'
  + '办理时长：自提交次日起至办结日的工作日数（按节假日安排计算，含补正期间）；超期办结：期间内办理且晚于时限的环节；当前超期未办：截至统计时已过时限仍未办理的环节。';

/** Horizontal bars: per name, the steps decided late and those overdue now. */
function OverdueBars({ rows, testId, label }: { rows: { name: string; late: number; open: number }[]; testId: string; label: string }) {
  if (rows.length === 0) return <Empty description="统计期间内没有超期环节" data-testid={`${testId}-empty`} />;
  const shown = rows.slice(0, 15).reverse();
  return <Chart testId={testId} label={label} height={Math.max(160, 36 * shown.length + 60)} option={{
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: shown.map((r) => r.name), axisLabel: { width: 200, overflow: 'truncate' } },
    series: [
      { name: '超期办结', type: 'bar', stack: 'all', data: shown.map((r) => r.late), itemStyle: { color: '#fa8c16' }, label: valueLabel('inside') },
      { name: '当前超期未办', type: 'bar', stack: 'all', data: shown.map((r) => r.open), itemStyle: { color: '#cf1322' }, label: valueLabel('inside') },
    ],
  }} />;
}

export function CaseStatistics({ from, to }: { from: string; to: string }) {
  const report = useLoad(() => api.get<CaseReport>('/api/statistics/cases' + query({ from, to })), [from, to]);
  const exportUrl = (format: string) => '/api/statistics/cases' + query({ from, to, format });
  const r = report.data;
  const t = r?.totals;
  return (
    <Card size="small" title={<Space>办件统计<Tooltip title={rules}><QuestionCircleOutlined aria-label="统计口径" /></Tooltip></Space>} style={{ marginBottom: 12 }}
      data-testid="case-statistics" loading={report.loading && !r}
      extra={<Space>
        <Button size="small" icon={<DownloadOutlined />} href={exportUrl('csv')} data-testid="cases-export-csv">导出 CSV</Button>
        <Button size="small" icon={<DownloadOutlined />} href={exportUrl('xlsx')} data-testid="cases-export-xlsx">导出 Excel</Button>
      </Space>}>
      <ErrorAlert error={report.error} />
      {r && t && <>
        <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
          <Col xs={12} md={8} xl={4}><div data-testid="case-received"><Statistic title="收件数" value={t.received} suffix="件" /></div></Col>
          <Col xs={12} md={8} xl={4}><div data-testid="case-finished"><Statistic title="办结数" value={t.finished} suffix="件" /></div></Col>
          <Col xs={12} md={8} xl={4}><div data-testid="case-on-time"><Statistic title="按时办结率" value={percent(t.onTimeRate)}
            valueStyle={{ color: t.onTimeRate != null && t.onTimeRate < 0.9 ? '#cf1322' : '#389e0d' }} /></div></Col>
          <Col xs={12} md={8} xl={4}><div data-testid="case-average"><Statistic title="平均办理时长" value={t.averageWorkingDays ?? '—'} suffix={t.averageWorkingDays == null ? undefined : '个工作日'} /></div></Col>
          <Col xs={12} md={8} xl={4}><div data-testid="case-late-steps"><Statistic title="超期办结环节" value={t.stepsDecidedLate} suffix={`/ ${t.stepsDecided}`} /></div></Col>
          <Col xs={12} md={8} xl={4}><div data-testid="case-overdue-now"><Statistic title="当前超期未办" value={t.stepsOverdueNow} valueStyle={{ color: t.stepsOverdueNow ? '#cf1322' : undefined }} /></div></Col>
        </Row>
        <Row gutter={12}>
          <Col xs={24} xl={12}>
            <Typography.Text strong>收件与办结（按{r.trendUnit === 'day' ? '日' : '月'}）</Typography.Text>
            <Chart testId="chart-trend" label={`统计期间内每${r.trendUnit === 'day' ? '日' : '月'}收件与办结件数`} option={{
              tooltip: { trigger: 'axis' }, legend: { top: 0 },
              grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
              xAxis: { type: 'category', data: r.trend.map((p) => (r.trendUnit === 'day' ? p.label.slice(5) : p.label)) },
              yAxis: { type: 'value', minInterval: 1 },
              series: [
                { name: '收件', type: 'bar', data: r.trend.map((p) => p.received) },
                { name: '办结', type: 'line', data: r.trend.map((p) => p.finished), symbolSize: 6 },
              ],
            }} />
          </Col>
          <Col xs={24} xl={12}>
            <Typography.Text strong>各流程收件、办结与按时办结率</Typography.Text>
            <Table size="small" rowKey="definitionId" dataSource={r.byProcess} pagination={false} data-testid="case-by-process" style={{ marginTop: 8 }}
              locale={{ emptyText: '统计期间内没有办件' }} columns={[
                { title: '流程', dataIndex: 'processName' },
                { title: '收件', width: 70, render: (_, p) => p.figures.received },
                { title: '办结', width: 70, render: (_, p) => p.figures.finished },
                { title: '按时办结率', width: 100, render: (_, p) => percent(p.figures.onTimeRate) },
                { title: '平均办理时长', width: 110, render: (_, p) => (p.figures.averageWorkingDays == null ? '—' : `${p.figures.averageWorkingDays} 个工作日`) },
              ]} />
          </Col>
        </Row>
        <Row gutter={12} style={{ marginTop: 12 }}>
          <Col xs={24} xl={12}>
            <Typography.Text strong>超期环节（按办理单位）</Typography.Text>
            <OverdueBars testId="chart-overdue-units" label="各办理单位超期办结与当前超期未办的环节数"
              rows={r.overdueByUnit.map((u) => ({ name: u.orgUnitName, late: u.decidedLate, open: u.overdueNow }))} />
          </Col>
          <Col xs={24} xl={12}>
            <Typography.Text strong>超期环节（按流程环节）</Typography.Text>
            <OverdueBars testId="chart-overdue-steps" label="各流程环节超期办结与当前超期未办的环节数"
              rows={r.overdueByStep.map((s) => ({ name: `${s.processName} · ${s.stepName}`, late: s.decidedLate, open: s.overdueNow }))} />
          </Col>
        </Row>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>统计时间：{fmt(r.computedAt)}。{rules}</Typography.Text>
      </>}
    </Card>
  );
}
