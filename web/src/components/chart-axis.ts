// A chart's money axis: in Chinese, ticks in 万, and in 亿 from 1亿 up (a fund of 2.1亿, not 21,000万);
// zero is 0, not 0万. Rounded to the 万 by integer arithmetic from the fen; tooltips show exact yuan.
// In English, thousands, millions and billions of yuan (40M, not 40,000k).
import { formatCount, formatMoney } from '../format.ts';

export function wanYi(fen: number): string {
  const wan = Math.round(fen / 1_000_000);
  if (wan === 0) return '0';
  if (Math.abs(wan) < 10_000) return `${formatCount(wan)}万`;
  const sign = wan < 0 ? '-' : '';
  const whole = Math.trunc(Math.abs(wan) / 10_000);
  const frac = String(Math.abs(wan) % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${sign}${formatCount(whole)}${frac ? `.${frac}` : ''}亿`;
}

const compactYuan = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** An axis tick from fen: 万/亿 (zh) or K/M/B of yuan (en); zero is 0. */
export function axisMoney(lang: string): (fen: number) => string {
  if (lang === 'zh-CN') return wanYi;
  return (fen) => compactYuan.format(Math.round(fen / 100));
}

/**
 * A value axis of amounts in whole yuan (grouped, from the fen by integer division). Ticks at least one
 * yuan apart: with nothing recovered or paid yet ECharts spread 0–1 fen over five ticks, each written 0.
 */
export function yuanAxis(name: string): Record<string, unknown> {
  return {
    type: 'value',
    name,
    minInterval: 100,
    axisLabel: { formatter: (fen: number) => formatCount(Math.trunc(fen / 100)) },
  };
}

/**
 * A tooltip's amount from fen, exact to the fen (¥18,480.00), for every money chart alike; what is not
 * a number (ECharts' '-' for a gap) as given.
 */
export const moneyTip = (v: unknown): string =>
  typeof v === 'number' ? formatMoney(Math.round(v)) : String(v);

/** A bar's thickness on a phone when its name is written above it (namesAboveBars). */
export const PHONE_BAR_WIDTH = 14;

/**
 * A horizontal bar chart's category axis on a phone: each name inside the plot, left-aligned, its foot
 * 10 px above the middle of a PHONE_BAR_WIDTH bar, wrapped at `width`; the bars take the card's whole
 * width. Beside the bars the names took a third of 390 px, cut or in four-line scraps. A row needs about
 * 58 px for two lines of name and the bar.
 */
export function namesAboveBars(width: number): Record<string, unknown> {
  return {
    axisLabel: { inside: true, verticalAlign: 'bottom', padding: [0, 0, 10, 0], width, overflow: 'break' },
    axisTick: { show: false },
  };
}
