// Charts through Apache ECharts (echarts-for-react on the tree-shaken core: bars and lines only), for the bureau's
// statistics page, which loads on first use; the canvas carries an aria description of the data (ECharts' aria option).
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

type Axis = { type?: string; data?: unknown[] };
type Series = { name?: string; data?: unknown[] };

/**
 * The chart in words, from its own data: each series with its value per category ("收件：2026-11 0，2026-12 6；…").
 * ECharts' generated description reads stacked bars as "NaN"; ours is the one the canvas carries.
 */
export function describe(label: string, option: EChartsOption): string {
  const axes = [option.xAxis, option.yAxis].flat() as (Axis | undefined)[];
  const categories = axes.find((a) => a?.type === 'category')?.data ?? [];
  const series = [option.series].flat().filter(Boolean) as Series[];
  const parts = series.map((s) => `${s.name ?? ''}：${(s.data ?? []).map((v, i) => `${String(categories[i] ?? i + 1)} ${String(v ?? 0)}`).join('，')}`);
  return `${label}。${parts.join('；')}。`;
}

export function Chart({ option, height = 280, testId, label }: { option: EChartsOption; height?: number; testId: string; label: string }) {
  return (
    <div data-testid={testId} role="img" aria-label={label}>
      <ReactEChartsCore echarts={echarts} notMerge lazyUpdate style={{ height }}
        option={{ color: chartColors, aria: { enabled: true, label: { description: describe(label, option) } }, animation: false, textStyle: { fontFamily: 'inherit' }, ...option }} />
    </div>
  );
}
