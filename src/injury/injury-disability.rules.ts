// `injury-disability`: one-off disability subsidy and monthly disability allowance by grade
// (工伤保险条例 Arts. 35–37, 64). The allowance is paid by the fund for grades 1–4 and by the
// employer for grades 5–6; each payer tops it up to the minimum wage when one is given.
import type { RuleDefinition } from '../core/rule.ts';
import type { IsoDate } from '../core/dates.ts';
import type { FieldReader } from '../core/input.ts';
import { applyPercent, fen, mulDiv, type Fen } from '../core/money.ts';
import { NATIONAL, type ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { getParam, positiveFen } from '../core/rule-support.ts';
import { injuryInsuredWage } from './insured-wage.rules.ts';

const PAYER_PARAM = 'injury/disability-allowance-payer';

export type AllowancePayer = 'fund' | 'employer';

export interface InjuryDisabilityInput {
  grade: number;
  /** Average monthly contribution wage of the 12 months before the injury. */
  averageMonthlyWageFen: Fen;
  /** The region's prior-year average monthly wage. */
  regionalAverageWageFen: Fen;
  minimumWageFen?: Fen | undefined;
  /** Selects the rule in force; without it, the rule currently encoded. */
  appraisalDate?: IsoDate | undefined;
}

export interface InjuryDisabilityResult {
  insuredWageFen: Fen;
  lumpSumMonths: number;
  lumpSumFen: Fen;
  allowancePercent: number;
  /** The allowance before any minimum-wage top-up. */
  allowanceBeforeTopUpFen: Fen;
  monthlyAllowanceFen: Fen;
  allowanceTopUpFen: Fen;
  allowancePayer: AllowancePayer | null;
}

/** Used when no date is given: the latest version encoded (deterministic, no clock). */
export const LATEST_RULE_DATE: IsoDate = '9999-12-31';

export function assessInjuryDisability(
  input: InjuryDisabilityInput,
  params: ParamStore,
  trace?: Trace,
): InjuryDisabilityResult {
  const date = input.appraisalDate ?? LATEST_RULE_DATE;
  if (input.appraisalDate === undefined)
    trace?.add(
      'no appraisal date given: the rule currently encoded',
      null,
      'text',
      '未提供鉴定日期：按现行规定',
    );
  const field = input.appraisalDate === undefined ? 'grade' : 'appraisalDate';
  const { clampedFen: insuredWageFen } = injuryInsuredWage(
    params,
    date,
    input.averageMonthlyWageFen,
    input.regionalAverageWageFen,
    field,
    trace,
  );
  const g = String(input.grade);
  const months =
    getParam<Record<string, number>>(
      params,
      'injury/disability-lump-sum-months',
      NATIONAL,
      date,
      trace,
      field,
    )[g] ?? 0;
  const lumpSumFen = mulDiv(insuredWageFen, months);
  trace?.add(
    `one-off disability subsidy = insured wage ${insuredWageFen} × ${months} months (grade ${g})`,
    lumpSumFen,
    'fen',
    `一次性伤残补助金 = 本人工资 × ${months}个月（${g}级）`,
  );
  const allowancePercent =
    getParam<Record<string, number>>(
      params,
      'injury/disability-allowance-percent',
      NATIONAL,
      date,
      trace,
      field,
    )[g] ?? 0;
  // traced with its file's unit, code:injury.payer, so the page says who pays in words
  const payer =
    getParam<Record<string, AllowancePayer>>(params, PAYER_PARAM, NATIONAL, date, trace, field)[g] ?? null;
  const allowanceBeforeTopUpFen = applyPercent(insuredWageFen, allowancePercent);
  let monthlyAllowanceFen = allowanceBeforeTopUpFen;
  if (allowancePercent === 0) {
    trace?.add(`grade ${g}: no monthly disability allowance`, 0, 'fen', `${g}级：无伤残津贴`);
  } else {
    trace?.add(
      `monthly disability allowance = round(insured wage ${insuredWageFen} × ${allowancePercent}%)`,
      allowanceBeforeTopUpFen,
      'fen',
      `伤残津贴 = 本人工资 × ${allowancePercent}%`,
    );
    if (input.minimumWageFen !== undefined && allowanceBeforeTopUpFen < input.minimumWageFen) {
      monthlyAllowanceFen = input.minimumWageFen;
      trace?.add(
        `below the minimum wage ${input.minimumWageFen}: topped up by the ${payer ?? 'payer'}`,
        monthlyAllowanceFen,
        'fen',
        `低于最低工资标准，由${payer === 'fund' ? '工伤保险基金' : '用人单位'}补足`,
      );
    }
    trace?.add(
      'allowance paid by',
      payer,
      'code:injury.payer',
      payer === 'fund' ? '由工伤保险基金支付' : '由用人单位支付',
    );
  }
  return {
    insuredWageFen,
    lumpSumMonths: months,
    lumpSumFen,
    allowancePercent,
    allowanceBeforeTopUpFen,
    monthlyAllowanceFen,
    allowanceTopUpFen: fen(monthlyAllowanceFen - allowanceBeforeTopUpFen),
    allowancePayer: allowancePercent === 0 ? null : payer,
  };
}

export function parseInjuryDisabilityInput(r: FieldReader): InjuryDisabilityInput {
  return {
    grade: r.int('grade', { min: 1, max: 10 }),
    averageMonthlyWageFen: r.fen('averageMonthlyWageFen'),
    regionalAverageWageFen: positiveFen(r.fen('regionalAverageWageFen'), 'regionalAverageWageFen'),
    minimumWageFen: r.optional('minimumWageFen', (k) => r.fen(k)),
    appraisalDate: r.optional('appraisalDate', (k) => r.date(k)),
  };
}

export const injuryDisabilityRule: RuleDefinition<InjuryDisabilityInput, InjuryDisabilityResult> = {
  name: 'injury-disability',
  title: {
    zh: '工伤伤残待遇（一次性伤残补助金、伤残津贴）',
    en: 'Work-injury disability benefits (lump sum, monthly allowance)',
  },
  parse: (r) => parseInjuryDisabilityInput(r),
  compute: (input, { params, trace }) => assessInjuryDisability(input, params, trace),
};
