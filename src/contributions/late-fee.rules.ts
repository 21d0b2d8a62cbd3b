// `late-fee`: the surcharge on contributions in arrears, 0.05% a day (万分之五) from the day after
// the due date to the day of payment (社会保险法 第八十六条). Each amount (one per fund) is charged and
// rounded half-up to the fen on its own; the total is the sum of the rounded parts.
import { readRegion, type RuleDefinition } from '../core/rule.ts';
import { addDays, daysBetween, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { FieldReader } from '../core/input.ts';
import { Dec, roundFen, sumFen, type Fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { getParam } from '../core/rule-support.ts';

export interface LateFeeInput {
  region: string;
  /** The last day on which paying costs nothing. */
  dueDate: IsoDate;
  /** The day the money is paid (or the day the arrears are reckoned). */
  paidDate: IsoDate;
  /** The amounts in arrears, one per fund (or a single amount). */
  amountsFen: Fen[];
  /** Overrides the daily rate parameter (basis points a day). */
  dailyRateBp?: number | undefined;
}

export interface LateFeeResult {
  lateDays: number;
  dailyRateBp: number;
  parts: Array<{ amountFen: Fen; lateFeeFen: Fen }>;
  lateFeeFen: Fen;
}

/** Days late: 0 when paid on or before the due date. */
export const lateDays = (dueDate: IsoDate, paidDate: IsoDate): number =>
  Math.max(0, daysBetween(dueDate, paidDate));

/** The daily rate in force on the first day of arrears. */
export function lateFeeDailyRateBp(
  params: ParamStore,
  region: string,
  dueDate: IsoDate,
  trace?: Trace,
): number {
  return getParam<number>(
    params,
    'contributions/late-fee-daily-rate',
    region,
    addDays(dueDate, 1),
    trace,
    'dueDate',
  );
}

/** round(amount × bp × days ÷ 10,000), half-up. */
export function lateFeeOn(amountFen: number, dailyRateBp: number, days: number): Fen {
  if (days <= 0 || amountFen <= 0) return 0 as Fen;
  return roundFen(new Dec(amountFen).mul(dailyRateBp).mul(days).div(10_000));
}

export function computeLateFee(input: LateFeeInput, params: ParamStore, trace?: Trace): LateFeeResult {
  const days = lateDays(input.dueDate, input.paidDate);
  trace?.add(
    `days late = ${input.paidDate} − ${input.dueDate} (0 if paid by the due date)`,
    days,
    'days',
    '滞纳天数 = 缴纳日 − 应缴截止日',
  );
  let bp: number;
  if (input.dailyRateBp !== undefined) {
    bp = input.dailyRateBp;
    trace?.add('daily rate (given, bp)', bp, 'bp', '滞纳金日费率（输入，基点）');
  } else if (days === 0) {
    bp = 0;
    trace?.add('paid in time: no late fee', 0, 'fen', '按时缴纳，不加收滞纳金');
  } else {
    bp = lateFeeDailyRateBp(params, input.region, input.dueDate, trace);
  }
  const parts = input.amountsFen.map((a, i) => {
    const v = lateFeeOn(a, bp, days);
    trace?.add(
      `part ${i + 1}: round(${a} × ${bp} bp × ${days} days)`,
      v,
      'fen',
      `第${i + 1}项 = 欠费 × 日费率 × 天数`,
    );
    return { amountFen: a, lateFeeFen: v };
  });
  const lateFeeFen = sumFen(...parts.map((p) => p.lateFeeFen));
  trace?.add('late fee = sum of the rounded parts', lateFeeFen, 'fen', '滞纳金合计 = 各项（已取整）之和');
  return { lateDays: days, dailyRateBp: bp, parts, lateFeeFen };
}

export function parseLateFeeInput(r: FieldReader, params: ParamStore): LateFeeInput {
  const dueDate = r.date('dueDate');
  const paidDate = r.date('paidDate');
  let amountsFen: Fen[];
  if (r.has('amountsFen')) {
    const raw = r.obj['amountsFen'];
    if (!Array.isArray(raw) || raw.length === 0) {
      throw new SbError('SB_ERR_INVALID_TYPE', {
        field: 'amountsFen',
        zh: '应为非空数组',
        en: 'expected a non-empty array',
      });
    }
    const items = new FieldReader(
      Object.fromEntries(raw.map((v: unknown, i) => [String(i), v])),
      'amountsFen',
    );
    amountsFen = raw.map((_: unknown, i) => items.fen(String(i)));
  } else {
    amountsFen = [r.fen('amountFen')];
  }
  return {
    region: readRegion(r, params),
    dueDate,
    paidDate,
    amountsFen,
    dailyRateBp: r.optional('dailyRateBp', (k) => r.number(k, { min: 0, max: 10_000 })),
  };
}

export const lateFeeRule: RuleDefinition<LateFeeInput, LateFeeResult> = {
  name: 'late-fee',
  title: {
    zh: '社会保险费滞纳金（每日万分之五）',
    en: 'Late-payment surcharge on contributions (0.05% a day)',
  },
  parse: parseLateFeeInput,
  compute: (input, { params, trace }) => computeLateFee(input, params, trace),
};
