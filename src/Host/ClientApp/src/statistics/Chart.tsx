// Charts through Apache ECharts (echarts-for-react on the tree-shaken core: bars and lines only), for the bureau's
// statistics page, which loads on first use; the canvas carries an aria description (ECharts' aria option).
import ReactEChartsCore from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

echarts.use([BarChart, LineChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** A bar's value label, left out for zero (a "0" at the axis says nothing). */
export const valueLabel = (position: 'inside' | 'right') =>
  ({ show: true, position, formatter: (p: { value?: unknown }) => (p.value ? String(p.value) : '') }) as unknown as Record<string, unknown>;

export const chartColors = ['#1f4e9c', '#52c41a', '#fa8c16', '#cf1322', '#8c8c8c'];

export function Chart({ option, height = 280, testId, label }: { option: EChartsOption; height?: number; testId: string; label: string }) {
  return (
    <div data-testid={testId} role="img" aria-label={label}>
      <ReactEChartsCore echarts={echarts} notMerge lazyUpdate style={{ height }}
        option={{ color: chartColors, aria: { enabled: true }, animation: false, textStyle: { fontFamily: 'inherit' }, ...option }} />
    </div>
  );
}
