// Apache ECharts with only the charts and components the dashboards use (echarts/core keeps the
// bundle about half the size of the full build). Resizes with its container. A screen reader reads
// describeChart's text (chart-description.ts), not ECharts' aria text of raw fen and indexes.
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { describeChart, type ChartValues } from './chart-description.ts';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  TitleComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

export function Chart({
  option,
  height = 320,
  label,
  values,
}: {
  option: ChartOption;
  height?: number;
  label: string;
  /** what the series' numbers are (one kind, or one per series), for the text a screen reader reads */
  values: ChartValues | readonly ChartValues[];
}) {
  const { lang } = useI18n();
  const description = useMemo(
    () => describeChart(label, option, values, lang),
    [label, option, values, lang],
  );
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);

  return <div ref={ref} role="img" aria-label={description} style={{ width: '100%', height }} />;
}
