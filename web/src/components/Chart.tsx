// Apache ECharts with only the charts and components the dashboards use (echarts/core keeps the
// bundle about half the size of the full build). Resizes with its container. A screen reader reads
// describeChart's text (chart-description.ts), not ECharts' aria text of raw fen and indexes.
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, TitleComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef, useState } from 'react';
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

/** A legend line's height: ECharts' 14 px symbol, or its 12 px text, and the 10 px gap to the next line. */
const LEGEND_LINE = 26;
let measure: CanvasRenderingContext2D | null | undefined;

/** The width of a legend's text in ECharts' default font (12 px sans-serif). */
function textWidth(text: string): number {
  measure ??= document.createElement('canvas').getContext('2d');
  if (!measure) return text.length * 12;
  measure.font = '12px sans-serif';
  return measure.measureText(text).width;
}

const nameOf = (x: unknown): string =>
  typeof x === 'string' ? x : typeof x === 'object' && x !== null && 'name' in x ? String(x.name) : '';

/** The legend's settings, or null when there is none (or several). */
function legendOf(option: ChartOption): Record<string, unknown> | null {
  const legend = option['legend'];
  return typeof legend === 'object' && legend !== null && !Array.isArray(legend)
    ? (legend as Record<string, unknown>)
    : null;
}

/**
 * The lines a legend takes at this width, laid out as ECharts does (a 25 px symbol, 5 px to its text,
 * 10 px between items, 5 px padding each side); 1 when it is hidden or scrolls.
 */
function legendLines(option: ChartOption, width: number): number {
  const l = legendOf(option);
  if (!l || l['show'] === false || l['type'] === 'scroll') return 1;
  const series = ([] as unknown[]).concat(option['series'] ?? []);
  const names = Array.isArray(l['data'])
    ? l['data'].map(nameOf)
    : series.flatMap((x) => {
        const s = x as Record<string, unknown>;
        return s['type'] === 'pie' && Array.isArray(s['data']) ? s['data'].map(nameOf) : [nameOf(s)];
      });
  let lines = 1;
  let used = 0;
  for (const name of names.filter(Boolean)) {
    const item = 25 + 5 + textWidth(name);
    if (used > 0 && used + 10 + item > width - 10) {
      lines++;
      used = item;
    } else used += (used > 0 ? 10 : 0) + item;
  }
  return lines;
}

/**
 * The option with the plot moved away from a legend that wraps: on a phone the national page's three
 * figures took two lines at the top and the second ran over the axis's name (元) and the bars; the
 * record's three schemes took three at the bottom and ran over the years.
 */
function roomForLegend(option: ChartOption, lines: number): ChartOption {
  const grid = option['grid'];
  if (lines <= 1 || (grid !== undefined && (typeof grid !== 'object' || Array.isArray(grid)))) return option;
  const g = (grid ?? {}) as Record<string, unknown>;
  const side = legendOf(option)?.['bottom'] !== undefined ? 'bottom' : 'top';
  const at = typeof g[side] === 'number' ? g[side] : 60;
  return { ...option, grid: { ...g, [side]: at + (lines - 1) * LEGEND_LINE } };
}

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
  const [width, setWidth] = useState(0);
  const lines = useMemo(() => (width > 0 ? legendLines(option, width) : 1), [option, width]);

  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const observer = new ResizeObserver((entries) => {
      setWidth(Math.round(entries[0]?.contentRect.width ?? 0));
      c.resize();
    });
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(roomForLegend(option, lines), true);
  }, [option, lines]);

  // the plot keeps its height under a legend of several lines
  const extra = (lines - 1) * LEGEND_LINE;
  return (
    <div ref={ref} role="img" aria-label={description} style={{ width: '100%', height: height + extra }} />
  );
}
