// `unemployment-benefit`: eligibility, maximum duration and monthly amount of unemployment
// benefit (失业保险金). The duration method is data: the national band table (失业保险条例 Art. 17,
// 社会保险法 Art. 46), replaced in Guangdong from 2022-06-01 by its own formula (广东省失业保险条例
// Art. 17). The amount is a share of the local minimum wage.
import { readRegion, type RuleDefinition } from '../core/rule.ts';
import type { IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { FieldReader } from '../core/input.ts';
import { applyPercent, fen, type Fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { getParam, requireRegionalFigure } from '../core/rule-support.ts';

export interface UnemploymentBenefitInput {
  region: string;
  claimDate: IsoDate;
  contributionMonths: number;
  /** Overrides the region's minimum-wage parameter. */
  minimumWageFen?: Fen | undefined;
}

export interface UnemploymentBenefitResult {
  eligible: boolean;
  maxMonths: number;
  /** null when no amount rule is in force on the claim date (eligibility and months still answered) */
  monthlyFen: Fen | null;
  /** monthlyFen × maxMonths: the most the claim can pay; null with monthlyFen */
  maxTotalFen: Fen | null;
  reason?: string;
  reasonZh?: string;
  /** why the amount is missing, when it is */
  amountNote?: string;
  amountNoteZh?: string;
}

interface NationalBands {
  method: 'national-bands';
  bands: Array<{ fromMonths: number; maxMonths: number }>;
}
interface Guangdong2022 {
  method: 'guangdong-2022';
  minMonths: number;
  yearlyUntilMonths: number;
  halfYearMonths: number;
  capMonths: number;
}
export type DurationRule = NationalBands | Guangdong2022;

/** The duration formulas, by the method named in params/unemployment/duration-rule.yaml. */
export const DURATION_METHODS: {
  [K in DurationRule['method']]: (
    months: number,
    rule: Extract<DurationRule, { method: K }>,
    trace?: Trace,
  ) => number;
} = {
  'national-bands'(months, rule, trace) {
    let max = 0;
    for (const b of rule.bands) if (months >= b.fromMonths) max = b.maxMonths;
    trace?.add(
      `national table: ${rule.bands.map((b) => `≥${b.fromMonths} → ${b.maxMonths}`).join(', ')}; ${months} months → ${max}`,
      max,
      'months',
      '全国期限表：累计缴费满1年不足5年12个月，满5年不足10年18个月，10年以上24个月',
    );
    return max;
  },
  'guangdong-2022'(months, rule, trace) {
    let max: number;
    if (months < rule.minMonths) max = 0;
    else if (months < rule.yearlyUntilMonths) max = Math.floor(months / 12);
    else
      max = rule.yearlyUntilMonths / 12 + Math.floor((months - rule.yearlyUntilMonths) / rule.halfYearMonths);
    max = Math.min(rule.capMonths, max);
    trace?.add(
      `Guangdong: 1 month per full year up to ${rule.yearlyUntilMonths / 12} years, then +1 per full half-year, at most ${rule.capMonths}; ${months} months → ${max}`,
      max,
      'months',
      '广东：缴费1至4年每满1年1个月，4年以上每满半年增加1个月，最长24个月',
    );
    return max;
  },
};

export function unemploymentDuration(rule: DurationRule, months: number, trace?: Trace): number {
  switch (rule.method) {
    case 'national-bands':
      return DURATION_METHODS['national-bands'](months, rule, trace);
    case 'guangdong-2022':
      return DURATION_METHODS['guangdong-2022'](months, rule, trace);
    default: {
      const unknown: never = rule;
      throw new SbError('SB_ERR_INVALID_PARAMETER_FILE', {
        zh: `unemployment/duration-rule 方法未知：${JSON.stringify(unknown)}`,
        en: `unemployment/duration-rule has an unknown method: ${JSON.stringify(unknown)}`,
      });
    }
  }
}

const P = 'unemployment/';

export function assessUnemploymentBenefit(
  input: UnemploymentBenefitInput,
  params: ParamStore,
  trace?: Trace,
): UnemploymentBenefitResult {
  const { region, claimDate, contributionMonths } = input;
  trace?.add('contribution months', contributionMonths, 'months', '累计缴费月数');
  const rule = getParam<DurationRule>(params, `${P}duration-rule`, region, claimDate, trace, 'claimDate');
  const minMonths = getParam<number>(
    params,
    `${P}min-contribution-months`,
    region,
    claimDate,
    trace,
    'claimDate',
  );
  const maxMonths =
    contributionMonths < minMonths ? 0 : unemploymentDuration(rule, contributionMonths, trace);
  if (maxMonths === 0) {
    const reason = `fewer than ${minMonths} months of contributions`;
    trace?.add('not eligible', reason, 'text', `累计缴费不满${minMonths}个月，不符合领取条件`);
    return {
      eligible: false,
      maxMonths: 0,
      monthlyFen: fen(0),
      maxTotalFen: fen(0),
      reason,
      reasonZh: `累计缴费不满${minMonths}个月`,
    };
  }
  // The amount rule has its own dates: before it (or where it is ended) eligibility and months are
  // still answered, without the amount, and the trace says why.
  const amountRule = params.tryResolve<number>(`${P}benefit-percent-of-minimum-wage`, region, claimDate);
  if (!amountRule || amountRule.value === null) {
    const amountNote = `no rule for the amount is in force on ${claimDate}: eligibility and months only`;
    const amountNoteZh = `${claimDate} 无适用的失业保险金标准规定：仅答复领取资格与期限，不计算金额`;
    trace?.add('amount not computed', amountNote, 'text', amountNoteZh);
    return { eligible: true, maxMonths, monthlyFen: null, maxTotalFen: null, amountNote, amountNoteZh };
  }
  const percent = getParam<number>(
    params,
    `${P}benefit-percent-of-minimum-wage`,
    region,
    claimDate,
    trace,
    'claimDate',
  );
  let minimumWageFen: Fen;
  if (input.minimumWageFen !== undefined) {
    minimumWageFen = input.minimumWageFen;
    trace?.add('minimum wage (given)', minimumWageFen, 'fen', '最低工资标准（输入）');
  } else {
    minimumWageFen = requireRegionalFigure<Fen>(
      params,
      `${P}minimum-wage`,
      region,
      claimDate,
      'minimumWageFen',
      trace,
    );
  }
  const monthlyFen = applyPercent(minimumWageFen, percent);
  trace?.add(
    `monthly benefit = minimum wage × ${percent}%, to the fen`,
    monthlyFen,
    'fen',
    `失业保险金 = 最低工资标准 × ${percent}%`,
  );
  const maxTotalFen = fen(monthlyFen * maxMonths);
  trace?.add(
    'most the claim can pay = monthly × maxMonths',
    maxTotalFen,
    'fen',
    '最多可领取 = 月标准 × 最长期限',
  );
  return { eligible: true, maxMonths, monthlyFen, maxTotalFen };
}

export function parseUnemploymentBenefitInput(r: FieldReader, params: ParamStore): UnemploymentBenefitInput {
  return {
    region: readRegion(r, params),
    claimDate: r.date('claimDate'),
    contributionMonths: r.months('contributionMonths'),
    minimumWageFen: r.optional('minimumWageFen', (k) => r.fen(k)),
  };
}

export const unemploymentBenefitRule: RuleDefinition<UnemploymentBenefitInput, UnemploymentBenefitResult> = {
  name: 'unemployment-benefit',
  title: { zh: '失业保险金（资格、期限、标准）', en: 'Unemployment benefit: eligibility, duration, amount' },
  parse: parseUnemploymentBenefitInput,
  compute: (input, { params, trace }) => assessUnemploymentBenefit(input, params, trace),
};
