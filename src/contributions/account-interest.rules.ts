// `account-interest`: yearly crediting of the personal account by the national annual method
// (人社部发〔2017〕31号): interest = round(opening × r) + round(contributions × r × 13/24), the
// contributions being level monthly amounts, each earning from its month.
import type { RuleDefinition } from '../core/rule.ts';
import { SbError } from '../core/errors.ts';
import type { FieldReader } from '../core/input.ts';
import { Dec, roundFen, sumFen, type Fen } from '../core/money.ts';
import { NATIONAL, type ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { getParam } from '../core/rule-support.ts';

export interface AccountInterestInput {
  /** The year whose official rate applies (ignored when ratePercent is given). */
  year?: number | undefined;
  ratePercent?: number | undefined;
  openingBalanceFen: Fen;
  /** Contributions credited evenly through the year. */
  contributionsFen: Fen;
}

export interface AccountInterestResult {
  ratePercent: number;
  openingInterestFen: Fen;
  contributionsInterestFen: Fen;
  interestFen: Fen;
  closingBalanceFen: Fen;
}

/** The official rate for a year; SB_ERR_RULE_NOT_IN_FORCE for a year without a published national rate. */
export function accountInterestRate(params: ParamStore, year: number, trace?: Trace): number {
  return getParam<number>(
    params,
    'contributions/account-interest-rate',
    NATIONAL,
    `${String(year).padStart(4, '0')}-01-01`,
    trace,
    'year',
  );
}

export function creditAccountYear(
  ratePercent: number,
  openingBalanceFen: Fen,
  contributionsFen: Fen,
  trace?: Trace,
): AccountInterestResult {
  const r = new Dec(ratePercent).div(100);
  const openingInterestFen = roundFen(new Dec(openingBalanceFen).mul(r));
  const contributionsInterestFen = roundFen(new Dec(contributionsFen).mul(r).mul(13).div(24));
  const interestFen = sumFen(openingInterestFen, contributionsInterestFen);
  const closingBalanceFen = sumFen(openingBalanceFen, contributionsFen, interestFen);
  if (trace) {
    trace.add(
      `interest on the opening balance = round(${openingBalanceFen} × ${ratePercent}%)`,
      openingInterestFen,
      'fen',
      '上年末余额利息 = 上年末余额 × 记账利率',
    );
    trace.add(
      `interest on the year's contributions = round(${contributionsFen} × ${ratePercent}% × 13/24)`,
      contributionsInterestFen,
      'fen',
      '当年缴费利息 = 当年缴费 × 记账利率 × 13/24',
    );
    trace.add('interest = sum of the rounded parts', interestFen, 'fen', '利息合计');
    trace.add(
      'closing balance = opening + contributions + interest',
      closingBalanceFen,
      'fen',
      '年末余额 = 上年末余额 + 当年缴费 + 利息',
    );
  }
  return { ratePercent, openingInterestFen, contributionsInterestFen, interestFen, closingBalanceFen };
}

export function computeAccountInterest(
  input: AccountInterestInput,
  params: ParamStore,
  trace?: Trace,
): AccountInterestResult {
  let rate: number;
  if (input.ratePercent !== undefined) {
    rate = input.ratePercent;
    trace?.add('crediting rate (given, %)', rate, 'percent', '记账利率（输入）');
  } else if (input.year !== undefined) {
    rate = accountInterestRate(params, input.year, trace);
  } else {
    throw new SbError('SB_ERR_REQUIRED', {
      field: 'year',
      zh: '需提供 year 或 ratePercent',
      en: 'give year or ratePercent',
    });
  }
  return creditAccountYear(rate, input.openingBalanceFen, input.contributionsFen, trace);
}

export function parseAccountInterestInput(r: FieldReader): AccountInterestInput {
  const ratePercent = r.optional('ratePercent', (k) => r.number(k, { min: 0, max: 100 }));
  const year = r.optional('year', (k) => r.int(k, { min: 1900, max: 2200 }));
  if (ratePercent === undefined && year === undefined) {
    throw new SbError('SB_ERR_REQUIRED', {
      field: 'year',
      zh: '需提供 year 或 ratePercent',
      en: 'give year or ratePercent',
    });
  }
  return {
    year,
    ratePercent,
    openingBalanceFen: r.fen('openingBalanceFen'),
    contributionsFen: r.fen('contributionsFen'),
  };
}

export const accountInterestRule: RuleDefinition<AccountInterestInput, AccountInterestResult> = {
  name: 'account-interest',
  title: { zh: '个人账户记账利息', en: 'Personal-account crediting interest' },
  parse: (r) => parseAccountInterestInput(r),
  compute: (input, { params, trace }) => computeAccountInterest(input, params, trace),
};
