// `employee-pension`: the enterprise employee's monthly basic pension at retirement
// (国发〔2005〕38号 第六部分): basic + personal-account + transitional, each rounded to the fen.
import { readRegion, type RuleDefinition } from '../core/rule.ts';
import { yearOf, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { FieldReader } from '../core/input.ts';
import { dec, mulDiv, roundFen, sumFen, type Dec, type Fen } from '../core/money.ts';
import { NATIONAL, type ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import {
  computeAnnuityDivisor,
  MAX_DIVISOR_AGE_MONTHS,
  MIN_DIVISOR_AGE_MONTHS,
} from './annuity-divisor.rules.ts';
import {
  badTable,
  getParam,
  lookupStrict,
  parameterMissing,
  tableNumber,
  tableObject,
  traceParam,
} from '../core/rule-support.ts';

export interface TransitionalInput {
  deemedMonths: number;
  deemedIndex?: number;
  actualMonthsBefore199807?: number;
  actualIndex?: number;
}

export interface EmployeePensionInput {
  region: string;
  retirementDate: IsoDate;
  /** Z, clamped to the formula's [indexMin, indexMax] (0.6–3.0). */
  averageContributionIndex: number;
  /** N in months: actual + deemed. */
  contributionMonths: number;
  personalAccountFen: Fen;
  ageMonths: number;
  /** C; overrides the region's parameter for this call. */
  benefitBaseWageFen?: Fen;
  transitional?: TransitionalInput;
}

export interface EmployeePensionResult {
  basicPensionFen: Fen;
  accountPensionFen: Fen;
  transitionalPensionFen: Fen;
  totalFen: Fen;
  divisor: number;
  benefitBaseWageFen: Fen;
  averageContributionIndex: number;
}

const FORMULA = 'pension/employee-pension-formula';
const BASE_WAGE = 'pension/benefit-base-wage';
const TRANS_COEFF = 'pension/transitional-coefficient';
const TRANS_DEEMED_INDEX = 'pension/transitional-deemed-index';
const PROVISIONAL = 'pension/benefit-base-provisional';

interface Formula2006 {
  basicPercentPerYear: number;
  indexMin: number;
  indexMax: number;
}

/** C for the calendar year of the retirement date: the input's, or the region's own published value. */
export function benefitBaseWage(input: EmployeePensionInput, params: ParamStore, trace: Trace): Fen {
  if (input.benefitBaseWageFen !== undefined) {
    trace.add(
      'benefit base wage C (given in the input)',
      input.benefitBaseWageFen,
      'fen',
      '计发基数 C（输入）',
    );
    return input.benefitBaseWageFen;
  }
  const year = yearOf(input.retirementDate);
  const r = lookupStrict<Fen>(params, BASE_WAGE, input.region, input.retirementDate, {
    year,
    regionOnly: true,
  });
  if (r) {
    traceParam(trace, r, `计发基数 C（${year}年）`);
    return r.value;
  }
  // Not yet published for the year: where the region decides provisionally on the latest published
  // C (and recomputes when the year's is out), use it and say so.
  const provisional = lookupStrict<boolean>(params, PROVISIONAL, input.region, input.retirementDate, {
    regionOnly: true,
  });
  const latest = lookupStrict<Fen>(params, BASE_WAGE, input.region, input.retirementDate, {
    regionOnly: true,
  });
  if (provisional?.value === true && latest) {
    traceParam(trace, provisional, '计发基数公布前暂按最近公布的计发基数计发');
    traceParam(trace, latest, `计发基数 C（暂按${latest.effectiveFrom.slice(0, 4)}年，${year}年公布后重算）`);
    trace.add(
      `benefit base wage C for ${year} not yet published: provisionally ${latest.effectiveFrom.slice(0, 4)}'s, to be recomputed`,
      latest.value,
      'fen',
      `${year}年计发基数尚未公布，暂按${latest.effectiveFrom.slice(0, 4)}年计发基数计发，公布后重新核定`,
    );
    return latest.value;
  }
  throw parameterMissing(
    input.region,
    { zh: `${year}年养老金计发基数`, en: `${year} pension benefit base` },
    'benefitBaseWageFen',
  );
}

/** Z clamped to the formula's bounds (the contribution base itself is clamped to 60–300%). */
function clampIndex(z: number, f: Formula2006, trace: Trace): Dec {
  const clamped = Math.min(f.indexMax, Math.max(f.indexMin, z));
  trace.add(
    `average contribution index Z = clamp(${z}, ${f.indexMin}, ${f.indexMax})`,
    clamped,
    'index',
    `平均缴费工资指数 Z（限定在 ${f.indexMin}–${f.indexMax}）`,
  );
  return dec(clamped);
}

/** Beijing-style transitional pension: round(C × Z同 × N同/12 × k) + round(C × Z实 × N实98/12 × k). */
function transitionalPension(
  input: EmployeePensionInput,
  c: Fen,
  z: Dec,
  params: ParamStore,
  trace: Trace,
): Fen {
  const t = input.transitional;
  if (t === undefined) {
    trace.add('no transitional pension (no deemed or pre-1998 service given)', 0, 'fen', '无过渡性养老金');
    return roundFen(0);
  }
  const coeff = lookupStrict<number>(params, TRANS_COEFF, input.region, input.retirementDate, {
    regionOnly: true,
  });
  if (!coeff) {
    throw parameterMissing(
      input.region,
      { zh: '过渡性养老金过渡系数', en: 'transitional pension coefficient' },
      'transitional',
    );
  }
  traceParam(trace, coeff, '过渡系数（%）');
  const fixed = lookupStrict<number>(params, TRANS_DEEMED_INDEX, input.region, input.retirementDate, {
    regionOnly: true,
  });
  let deemedIndex: number;
  if (fixed) {
    traceParam(trace, fixed, '视同缴费指数（地区固定）');
    deemedIndex = fixed.value;
    if (t.deemedIndex !== undefined && t.deemedIndex !== fixed.value) {
      trace.add(
        `the region fixes the deemed index; the given ${t.deemedIndex} is not used`,
        fixed.value,
        'index',
        '本地区视同缴费指数固定，输入值不采用',
      );
    }
  } else if (t.deemedIndex !== undefined) {
    deemedIndex = t.deemedIndex;
    trace.add('deemed index (given)', deemedIndex, 'index', '视同缴费指数（输入）');
  } else {
    throw new SbError('SB_ERR_REQUIRED', {
      field: 'transitional.deemedIndex',
      zh: 'transitional.deemedIndex',
      en: 'transitional.deemedIndex',
    });
  }
  const deemed = roundFen(dec(c).mul(deemedIndex).mul(t.deemedMonths).mul(coeff.value).div(1200));
  trace.add(
    `deemed part = C × ${deemedIndex} × ${t.deemedMonths}/12 × ${coeff.value}%`,
    deemed,
    'fen',
    `视同缴费部分 = C × 视同指数 × 视同月数/12 × ${coeff.value}%`,
  );
  const actualMonths = t.actualMonthsBefore199807 ?? 0;
  let actual = roundFen(0);
  if (actualMonths > 0) {
    const actualIndex = t.actualIndex === undefined ? z : dec(t.actualIndex);
    if (t.actualIndex === undefined)
      trace.add(
        'actual index before 1998-07 not given: Z is used',
        actualIndex.toNumber(),
        'index',
        '未提供1998年7月前实际缴费指数，按 Z 计算',
      );
    actual = roundFen(dec(c).mul(actualIndex).mul(actualMonths).mul(coeff.value).div(1200));
    trace.add(
      `actual part = C × ${actualIndex.toString()} × ${actualMonths}/12 × ${coeff.value}%`,
      actual,
      'fen',
      `1998年7月前实际缴费部分 = C × 实际指数 × 月数/12 × ${coeff.value}%`,
    );
  }
  const total = sumFen(deemed, actual);
  trace.add(
    'transitional pension = deemed part + actual part',
    total,
    'fen',
    '过渡性养老金 = 视同部分 + 实际部分',
  );
  return total;
}

function compute2006(
  input: EmployeePensionInput,
  f: Formula2006,
  params: ParamStore,
  trace: Trace,
): EmployeePensionResult {
  const c = benefitBaseWage(input, params, trace);
  const z = clampIndex(input.averageContributionIndex, f, trace);
  // (C + C×Z)/2 × months/12 × p% as one product and one division: C × (1 + Z) × months × p / 2400
  const basic = roundFen(
    dec(c)
      .mul(z.plus(1))
      .mul(input.contributionMonths * f.basicPercentPerYear)
      .div(2400),
  );
  trace.add(
    `basic pension = (C + C×Z)/2 × ${input.contributionMonths}/12 years × ${f.basicPercentPerYear}%`,
    basic,
    'fen',
    `基础养老金 = (C + C×Z)/2 × 缴费年限（${input.contributionMonths}个月/12）× ${f.basicPercentPerYear}%`,
  );
  const divisor = computeAnnuityDivisor(input.ageMonths, params, trace, input.retirementDate, {
    age: 'ageMonths',
    date: 'retirementDate',
  });
  const account = mulDiv(input.personalAccountFen, 10, dec(divisor).mul(10).toDecimalPlaces(0).toNumber());
  trace.add(
    `personal-account pension = ${input.personalAccountFen} fen ÷ ${divisor}`,
    account,
    'fen',
    `个人账户养老金 = 个人账户储存额 ÷ 计发月数 ${divisor}`,
  );
  const transitional = transitionalPension(input, c, z, params, trace);
  const total = sumFen(basic, account, transitional);
  trace.add(
    'total = basic + personal-account + transitional',
    total,
    'fen',
    '月基本养老金合计 = 基础 + 个人账户 + 过渡性',
  );
  return {
    basicPensionFen: basic,
    accountPensionFen: account,
    transitionalPensionFen: transitional,
    totalFen: total,
    divisor,
    benefitBaseWageFen: c,
    averageContributionIndex: z.toNumber(),
  };
}

type FormulaVariant = (
  input: EmployeePensionInput,
  table: Record<string, unknown>,
  params: ParamStore,
  trace: Trace,
) => EmployeePensionResult;

/** Formula variants by the law's shape; the parameter file picks one by the retirement date. */
const VARIANTS: Readonly<Record<string, FormulaVariant>> = {
  '2006': (input, t, params, trace) =>
    compute2006(
      input,
      {
        basicPercentPerYear: tableNumber(FORMULA, t, 'basicPercentPerYear'),
        indexMin: tableNumber(FORMULA, t, 'indexMin'),
        indexMax: tableNumber(FORMULA, t, 'indexMax'),
      },
      params,
      trace,
    ),
};

export function computeEmployeePension(
  input: EmployeePensionInput,
  params: ParamStore,
  trace: Trace,
): EmployeePensionResult {
  const table = tableObject(
    FORMULA,
    getParam<unknown>(
      params,
      FORMULA,
      NATIONAL,
      input.retirementDate,
      trace,
      'retirementDate',
      '基本养老金计发办法',
    ),
    'the formula',
  );
  const variant = VARIANTS[String(table['variant'])];
  if (!variant) throw badTable(FORMULA, `unknown variant ${String(table['variant'])}`);
  return variant(input, table, params, trace);
}

function parseTransitional(r: FieldReader): TransitionalInput {
  const t: TransitionalInput = { deemedMonths: r.months('deemedMonths') };
  const deemedIndex = r.optional('deemedIndex', (k) => r.number(k, { min: 0, max: 10 }));
  const actualMonths = r.optional('actualMonthsBefore199807', (k) => r.months(k));
  const actualIndex = r.optional('actualIndex', (k) => r.number(k, { min: 0, max: 10 }));
  if (deemedIndex !== undefined) t.deemedIndex = deemedIndex;
  if (actualMonths !== undefined) t.actualMonthsBefore199807 = actualMonths;
  if (actualIndex !== undefined) t.actualIndex = actualIndex;
  return t;
}

export function parseEmployeePension(r: FieldReader, params: ParamStore): EmployeePensionInput {
  const input: EmployeePensionInput = {
    region: readRegion(r, params),
    retirementDate: r.date('retirementDate'),
    averageContributionIndex: r.number('averageContributionIndex', { min: 0, max: 100 }),
    contributionMonths: r.months('contributionMonths'),
    personalAccountFen: r.fen('personalAccountFen'),
    ageMonths: r.int('ageMonths', { min: MIN_DIVISOR_AGE_MONTHS, max: MAX_DIVISOR_AGE_MONTHS }),
  };
  const c = r.optional('benefitBaseWageFen', (k) => r.fen(k));
  if (c !== undefined) input.benefitBaseWageFen = c;
  if (r.has('transitional')) {
    const t = parseTransitional(r.object('transitional'));
    const before = t.deemedMonths + (t.actualMonthsBefore199807 ?? 0);
    if (before > input.contributionMonths) {
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'transitional.deemedMonths',
        zh: `视同缴费月数与1998年7月前实际缴费月数之和（${before}）超过缴费月数（${input.contributionMonths}）`,
        en: `deemed plus pre-1998-07 months (${before}) exceed contributionMonths (${input.contributionMonths})`,
      });
    }
    input.transitional = t;
  }
  return input;
}

export const employeePensionRule: RuleDefinition<EmployeePensionInput, EmployeePensionResult> = {
  name: 'employee-pension',
  title: { zh: '企业职工基本养老金计发', en: 'Enterprise employee basic pension at retirement' },
  parse: parseEmployeePension,
  compute: (input, { params, trace }) => computeEmployeePension(input, params, trace),
};
