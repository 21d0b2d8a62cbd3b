// How the policy simulator writes its figures where exact yuan would not fit: the charts' money axes
// and the dependency ratio. Pure, so a test reads them as the page does (src/simulation/simulation-web.test.ts).
import { formatCount } from '../../format.ts';

/**
 * An axis tick in 万 (zh) — in 亿 from 1亿 up, as a Chinese reader says a fund of 2.1亿 rather than
 * 21,000万 — or in millions (en); zero is 0, not 0万. Ticks are rounded to the 万 (the million), by
 * integer arithmetic from the fen; the tooltips show exact yuan.
 */
export function axisMoney(lang: string): (fen: number) => string {
  return (fen) => {
    if (lang !== 'zh-CN') {
      const millions = Math.round(fen / 100_000_000);
      return millions === 0 ? '0' : `${formatCount(millions)}M`;
    }
    const wan = Math.round(fen / 1_000_000);
    if (wan === 0) return '0';
    if (Math.abs(wan) < 10_000) return `${formatCount(wan)}万`;
    const sign = wan < 0 ? '-' : '';
    const whole = Math.trunc(Math.abs(wan) / 10_000);
    const frac = String(Math.abs(wan) % 10_000)
      .padStart(4, '0')
      .replace(/0+$/, '');
    return `${sign}${formatCount(whole)}${frac ? `.${frac}` : ''}亿`;
  };
}

/** A dependency ratio in parts per million as a percent with two decimals (37.10%), half up. */
export function ratioText(ppm: number): string {
  const hundredths = Math.round(ppm / 100);
  return `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}%`;
}
