// How the policy simulator writes its figures where exact yuan would not fit: the charts' money axes
// and the dependency ratio. Pure, so a test reads them as the page does (src/simulation/simulation-web.test.ts).
import { wanYi } from '../../components/chart-axis.ts';
import { formatCount } from '../../format.ts';

/** An axis tick in 万/亿 (zh) or in millions (en); zero is 0. */
export function axisMoney(lang: string): (fen: number) => string {
  if (lang === 'zh-CN') return wanYi;
  return (fen) => {
    const millions = Math.round(fen / 100_000_000);
    return millions === 0 ? '0' : `${formatCount(millions)}M`;
  };
}

/** A dependency ratio in parts per million as a percent with two decimals (37.10%), half up. */
export function ratioText(ppm: number): string {
  const hundredths = Math.round(ppm / 100);
  return `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}%`;
}
