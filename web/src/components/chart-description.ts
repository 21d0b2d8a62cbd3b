// What a chart says to a screen reader: its title, then each series by name with its categories and
// values in the order the eye meets them, amounts written as the page writes money. ECharts' own aria
// text read the raw option ("0的数据是21000000000": a category index and the fen). Pure (no React, no
// ECharts), so the server's test runner checks it (src/core/chart-description-web.test.ts).
import { formatMoney as coreFormatMoney } from '../../../src/core/money-text.ts';
import { formatCount } from '../format.ts';
import type { Lang } from '../i18n/lang.ts';
import { wanYi } from './chart-axis.ts';

/**
 * What a series' numbers are: a count; fen written exactly (¥18,480.00); fen on an axis in 万/亿
 * (¥2.1亿 in Chinese, exact below ¥1万 and in English); a percent.
 */
export type ChartValues = 'count' | 'money' | 'money-wan-yi' | 'percent';

const ONE_WAN_FEN = 1_000_000;

function valueText(v: number, unit: ChartValues, lang: Lang): string {
  switch (unit) {
    case 'count':
      // a count has no sign: the age pyramid draws men to the left as negative numbers
      return formatCount(Math.abs(v));
    case 'money':
      return coreFormatMoney(v);
    case 'money-wan-yi': {
      if (lang !== 'zh-CN' || Math.abs(v) < ONE_WAN_FEN) return coreFormatMoney(v);
      const text = wanYi(v);
      return text.startsWith('-') ? `-¥${text.slice(1)}` : `¥${text}`;
    }
    case 'percent':
      return `${v}%`;
  }
}

const record = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The category axis: its labels, and the data indexes in the order they are drawn (left to right, top down). */
function categoryAxis(option: Record<string, unknown>): { labels: string[]; order: number[] } | null {
  for (const [key, vertical] of [
    ['xAxis', false],
    ['yAxis', true],
  ] as const) {
    const axis = list(option[key])
      .map(record)
      .find((a) => a?.['type'] === 'category' && Array.isArray(a['data']));
    if (!axis) continue;
    const labels = (axis['data'] as unknown[]).map((d) => String(record(d)?.['value'] ?? d));
    const order = labels.map((_, i) => i);
    // A vertical category axis draws its first label at the bottom, a horizontal one at the left,
    // unless it is inverse.
    return { labels, order: vertical !== (axis['inverse'] === true) ? order.reverse() : order };
  }
  return null;
}

const numberOf = (d: unknown): number | null => {
  const v = record(d)?.['value'] ?? d;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/**
 * The text a screen reader reads for a chart, "title. series: category value, …; series: …." in the
 * reader's language. `values` is one kind for every series or one per series (by index); a point the
 * chart does not draw (null) is left out; a pie's slices are named by their own names; a series of
 * zeros is "none", and a chart of nothing but zeros says "no data" once.
 */
export function describeChart(
  title: string,
  option: Record<string, unknown>,
  values: ChartValues | readonly ChartValues[],
  lang: Lang,
): string {
  const zh = lang === 'zh-CN';
  const none = zh ? '无' : 'none';
  const axis = categoryAxis(option);
  const series = list(option['series']).flatMap((raw, i) => {
    const s = record(raw);
    if (!s) return [];
    const unit = typeof values === 'string' ? values : (values[i] ?? 'count');
    const data = list(s['data']);
    const points = (axis ? axis.order : data.map((_, j) => j)).flatMap((j) => {
      const v = numberOf(data[j]);
      return v === null ? [] : [{ v, name: axis ? axis.labels[j] : record(data[j])?.['name'] }];
    });
    // A series of zeros is said once ("overdue: none"), not as twelve months of ¥0.00.
    const empty = points.every((p) => p.v === 0);
    const items = points.map(({ v, name }) => {
      const value = valueText(v, unit, lang);
      return typeof name === 'string' && name ? `${name} ${value}` : value;
    });
    // one series named as the chart is not named twice
    const name = typeof s['name'] === 'string' && s['name'] !== title ? s['name'] : '';
    const body = empty ? none : items.join(zh ? '，' : ', ');
    return [{ empty, text: name ? `${name}${zh ? '：' : ': '}${body}` : body }];
  });
  const end = zh ? '。' : '.';
  if (series.length === 0) return `${title}${end}`;
  // nothing in any series: once for the whole chart
  if (series.every((x) => x.empty)) return `${title}${end}${zh ? '无数据' : ' No data'}${end}`;
  const parts = series.map((x) => x.text);
  return `${title}${end}${zh ? '' : ' '}${parts.join(zh ? '；' : '; ')}${end}`;
}
