// `stable-employment-refund`: the refund of unemployment-insurance premiums to employers that kept
// their staff (失业保险稳岗返还). Layoff rate = laidOffCount / insuredCount; an employer with at most
// 30 insured qualifies at a layoff rate of at most 20% instead of the national target; arrears
// disqualify; refund = the year's rate × premiumsPaidFen. From 2023 the policy also asks for
// 12 months of full payment: a dated variant of the conditions.
import { readRegion, type RuleDefinition } from '../core/rule.ts';
import { SbError } from '../core/errors.ts';
import type { FieldReader } from '../core/input.ts';
import { applyPercent, Dec, fen, type Fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { getParam, selectVariant, type DatedVariant } from '../core/rule-support.ts';

export type EmployerSize = 'large' | 'sme';
export const EMPLOYER_SIZES: readonly EmployerSize[] = ['large', 'sme'];

export interface StableEmploymentRefundInput {
  region: string;
  year: number;
  size: EmployerSize;
  insuredCount: number;
  laidOffCount: number;
  /** Employer + employee UI premiums actually paid in the prior year. */
  premiumsPaidFen: Fen;
  arrears: boolean;
  /** Months of full payment (checked from 2023); not checked when absent. */
  paidMonths?: number | undefined;
}

export interface StableEmploymentRefundResult {
  eligible: boolean;
  refundFen: Fen;
  ratePercent: number;
  /** laidOffCount / insuredCount in percent, 4 decimals. */
  layoffRatePercent: number;
  layoffLimitPercent: number;
  reason?: string;
  reasonZh?: string;
}

const P = 'unemployment/stable-refund/';

type Condition = (
  input: StableEmploymentRefundInput,
  params: ParamStore,
  date: string,
  trace?: Trace,
) => [string, string] | null;

const noArrears: Condition = (input, _p, _d, trace) => {
  trace?.add('no arrears', !input.arrears, 'boolean', '无欠缴');
  return input.arrears ? ['the employer has arrears', '单位存在欠缴'] : null;
};

function layoffLimit(
  input: StableEmploymentRefundInput,
  params: ParamStore,
  date: string,
  trace?: Trace,
): number {
  const smallMax = getParam<number>(
    params,
    `${P}small-employer-max-insured`,
    input.region,
    date,
    trace,
    'year',
  );
  if (input.insuredCount <= smallMax) {
    trace?.add(
      `${input.insuredCount} insured ≤ ${smallMax}: the small-employer limit applies`,
      true,
      'boolean',
      `参保职工${input.insuredCount}人，不超过${smallMax}人，适用小微企业裁员率`,
    );
    return getParam<number>(params, `${P}small-employer-layoff-rate`, input.region, date, trace, 'year');
  }
  return getParam<number>(params, `${P}layoff-rate-target`, input.region, date, trace, 'year');
}

const layoffWithinLimit: Condition = (input, params, date, trace) => {
  const limit = layoffLimit(input, params, date, trace);
  // laidOff / insured ≤ limit% ⇔ laidOff × 100 ≤ limit × insured (exact, no division)
  const ok = new Dec(input.laidOffCount).mul(100).lte(new Dec(limit).mul(input.insuredCount));
  trace?.add(
    `layoff rate ${input.laidOffCount}/${input.insuredCount} ≤ ${limit}%`,
    ok,
    'boolean',
    `裁员率 ${input.laidOffCount}/${input.insuredCount} 不高于 ${limit}%`,
  );
  return ok ? null : [`layoff rate above ${limit}%`, `裁员率高于${limit}%`];
};

const fullPayment: Condition = (input, params, date, trace) => {
  const min = getParam<number>(params, `${P}min-paid-months`, input.region, date, trace, 'year');
  if (input.paidMonths === undefined) {
    trace?.add(
      `months of full payment not given: the ${min}-month condition is not checked`,
      null,
      'text',
      `未提供足额缴费月数，未核验满${min}个月条件`,
    );
    return null;
  }
  const ok = input.paidMonths >= min;
  trace?.add(
    `months of full payment ${input.paidMonths} ≥ ${min}`,
    ok,
    'boolean',
    `足额缴费${input.paidMonths}个月，不少于${min}个月`,
  );
  return ok ? null : [`fewer than ${min} months of full payment`, `足额缴费不满${min}个月`];
};

/** The conditions by policy year: 人社部发〔2021〕29号 from 2021; plus 12 months of full payment from 2023. */
export const REFUND_CONDITIONS: ReadonlyArray<DatedVariant<readonly Condition[]>> = [
  {
    from: '2021-01-01',
    label: '人社部发〔2021〕29号: no arrears; layoff rate within the target (≤30 insured: ≤20%)',
    formula: [noArrears, layoffWithinLimit],
  },
  {
    from: '2023-01-01',
    label: '2023–2025: as 2021, plus 12 months of full payment',
    formula: [noArrears, layoffWithinLimit, fullPayment],
  },
];

export function assessStableEmploymentRefund(
  input: StableEmploymentRefundInput,
  params: ParamStore,
  trace?: Trace,
): StableEmploymentRefundResult {
  const date = `${String(input.year).padStart(4, '0')}-01-01`;
  const variant = selectVariant(REFUND_CONDITIONS, date, 'year', 'stable-employment-refund');
  trace?.add('conditions in force', variant.label, 'text', '适用条件');
  const ratePercent = getParam<number>(
    params,
    `${P}${input.size === 'large' ? 'large' : 'sme'}-percent`,
    input.region,
    date,
    trace,
    'year',
  );
  const layoffRatePercent = new Dec(input.laidOffCount)
    .mul(100)
    .div(input.insuredCount)
    .toDecimalPlaces(4)
    .toNumber();
  trace?.add(
    'layoff rate = laidOffCount / insuredCount (%)',
    layoffRatePercent,
    'percent',
    '裁员率 = 裁员人数 / 参保职工人数',
  );
  const layoffLimitPercent = layoffLimit(input, params, date);
  const failures = variant.formula
    .map((c) => c(input, params, date, trace))
    .filter((f): f is [string, string] => f !== null);
  if (failures.length > 0) {
    const reason = failures.map((f) => f[0]).join('; ');
    const reasonZh = failures.map((f) => f[1]).join('；');
    trace?.add('not eligible', reason, 'text', reasonZh);
    return {
      eligible: false,
      refundFen: fen(0),
      ratePercent,
      layoffRatePercent,
      layoffLimitPercent,
      reason,
      reasonZh,
    };
  }
  const refundFen = applyPercent(input.premiumsPaidFen, ratePercent);
  trace?.add(
    `refund = round(premiums paid ${input.premiumsPaidFen} × ${ratePercent}%)`,
    refundFen,
    'fen',
    `返还金额 = 上年实际缴纳失业保险费 × ${ratePercent}%`,
  );
  return { eligible: true, refundFen, ratePercent, layoffRatePercent, layoffLimitPercent };
}

export function parseStableEmploymentRefundInput(
  r: FieldReader,
  params: ParamStore,
): StableEmploymentRefundInput {
  const region = readRegion(r, params);
  const year = r.int('year', { min: 1900, max: 2200 });
  const size = r.oneOf('size', EMPLOYER_SIZES);
  const insuredCount = r.int('insuredCount', { min: 1 });
  const laidOffCount = r.int('laidOffCount', { min: 0 });
  if (laidOffCount > insuredCount) {
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'laidOffCount',
      zh: '裁员人数不能多于参保职工人数',
      en: 'cannot exceed insuredCount',
    });
  }
  return {
    region,
    year,
    size,
    insuredCount,
    laidOffCount,
    premiumsPaidFen: r.fen('premiumsPaidFen'),
    arrears: r.boolean('arrears'),
    paidMonths: r.optional('paidMonths', (k) => r.int(k, { min: 0, max: 12 })),
  };
}

export const stableEmploymentRefundRule: RuleDefinition<
  StableEmploymentRefundInput,
  StableEmploymentRefundResult
> = {
  name: 'stable-employment-refund',
  title: { zh: '失业保险稳岗返还', en: 'Stable-employment refund of unemployment premiums' },
  parse: parseStableEmploymentRefundInput,
  compute: (input, { params, trace }) => assessStableEmploymentRefund(input, params, trace),
};
