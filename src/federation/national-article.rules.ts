// The national figures as the published article writes them ("1–9月基金总收入…总支出…截至9月底累计结余…"):
// amounts in 万亿元/亿元/万元, and one sentence per region. Pure: figures in, text out.
import { dec, formatYuan } from '../core/money.ts';
import type { Words } from '../core/bilingual.ts';

export interface FundFigures {
  fund: string;
  incomeFen: number;
  expenditureFen: number;
  balanceFen: number;
  personalAccountFen: number;
}

const FUND_ZH: Record<string, string> = {
  employee_pension: '职工养老',
  resident_pension: '城乡居民养老',
  unemployment: '失业',
  injury: '工伤',
};
const FUND_EN: Record<string, string> = {
  employee_pension: 'employee pension',
  resident_pension: 'residents’ pension',
  unemployment: 'unemployment',
  injury: 'work injury',
};

/** An amount in fen as the article writes it: 万亿元, 亿元 or 万元 with two decimals (half-up), else 元. */
export function articleAmount(fenAmount: number): Words {
  const units: Array<[number, string, string]> = [
    [1_000_000_000_000_00, '万亿元', 'trillion yuan'],
    [100_000_000_00, '亿元', 'hundred million yuan'],
    [10_000_00, '万元', 'ten thousand yuan'],
  ];
  const abs = Math.abs(fenAmount);
  for (const [size, zh, en] of units)
    if (abs >= size) {
      const v = dec(fenAmount).div(size).toFixed(2);
      return { zh: `${v}${zh}`, en: `${v} ${en}` };
    }
  return { zh: `${formatYuan(fenAmount)}元`, en: `${formatYuan(fenAmount)} yuan` };
}

export interface ArticleForm extends Words {
  incomeFen: number;
  expenditureFen: number;
  balanceFen: number;
  funds: string[];
}

/** Income and expenditure from January through the period, and the accumulated balance, as one sentence. */
export function articleForm(
  period: string,
  whereZh: string,
  whereEn: string,
  funds: FundFigures[],
): ArticleForm {
  const sum = (k: 'incomeFen' | 'expenditureFen' | 'balanceFen') => funds.reduce((s, f) => s + f[k], 0);
  const incomeFen = sum('incomeFen');
  const expenditureFen = sum('expenditureFen');
  const balanceFen = sum('balanceFen');
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  const names = funds.map((f) => f.fund);
  const zhFunds = `${names.map((f) => FUND_ZH[f] ?? f).join('、')}${names.length > 1 ? `${['', '一', '两', '三', '四'][names.length] ?? names.length}项` : ''}基金`;
  const enFunds = `the ${names.map((f) => FUND_EN[f] ?? f).join(', ')} fund${names.length > 1 ? 's' : ''}`;
  const [i, e, b] = [incomeFen, expenditureFen, balanceFen].map(articleAmount) as [Words, Words, Words];
  return {
    incomeFen,
    expenditureFen,
    balanceFen,
    funds: names,
    zh: `${whereZh}：截至${year}年${month}月底，${zhFunds}总收入${i.zh}，总支出${e.zh}，累计结余${b.zh}。`,
    en: `${whereEn}: January–${period}, ${enFunds} took in ${i.en} and spent ${e.en}; accumulated balance at the end of ${period}: ${b.en}.`,
  };
}
