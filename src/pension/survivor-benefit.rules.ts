// `survivor-benefit`: 遗属待遇 of an enterprise employee or retiree who dies of illness or non-work
// causes (人社部发〔2021〕18号, in force 2021-09-01): funeral grant + survivor pension, one-off.
import { readRegion, type RuleDefinition } from '../core/rule.ts';
import { yearOf, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { FieldReader } from '../core/input.ts';
import { Dec, dec, mulDiv, roundFen, sumFen, type Fen } from '../core/money.ts';
import { NATIONAL, type ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import {
  getParam,
  lookupStrict,
  parameterMissing,
  tableArray,
  tableNumber,
  tableObject,
  tableOptionalNumber,
  traceParam,
} from '../core/rule-support.ts';

export interface SurvivorBenefitInput {
  region: string;
  deathDate: IsoDate;
  /** Actual + deemed contribution months. */
  contributionMonths: number;
  retired: boolean;
  /** Months of pension received (retirees). */
  pensionMonthsReceived: number;
  monthlyDisposableIncomeFen?: Fen;
}

export interface SurvivorBenefitResult {
  funeralGrantFen: Fen;
  /** Exact months (twelfths), at most 4 decimals. */
  months: number;
  survivorPensionFen: Fen;
  totalFen: Fen;
  monthlyDisposableIncomeFen: Fen;
}

const RULES = 'pension/survivor-benefit';
const INCOME = 'pension/urban-disposable-income';
const INCOME_PROVISIONAL = 'pension/urban-disposable-income-provisional';

interface SurvivorRules {
  funeralGrantMultiple: number;
  steps: Array<{ belowYears?: number; upToYears?: number; months: number }>;
  baseMonths: number;
  baseYears: number;
  capYears: number;
  retireeMinMonths: number;
  retireeMonthsPerYearReceived: number;
}

function readRules(value: unknown): SurvivorRules {
  const o = tableObject(RULES, value, 'the rules');
  return {
    funeralGrantMultiple: tableNumber(RULES, o, 'funeralGrantMultiple'),
    steps: tableArray(RULES, o['steps'], 'steps').map((raw) => {
      const s = tableObject(RULES, raw, 'a step');
      const below = tableOptionalNumber(RULES, s, 'belowYears');
      const upTo = tableOptionalNumber(RULES, s, 'upToYears');
      return {
        ...(below === undefined ? {} : { belowYears: below }),
        ...(upTo === undefined ? {} : { upToYears: upTo }),
        months: tableNumber(RULES, s, 'months'),
      };
    }),
    baseMonths: tableNumber(RULES, o, 'baseMonths'),
    baseYears: tableNumber(RULES, o, 'baseYears'),
    capYears: tableNumber(RULES, o, 'capYears'),
    retireeMinMonths: tableNumber(RULES, o, 'retireeMinMonths'),
    retireeMonthsPerYearReceived: tableNumber(RULES, o, 'retireeMonthsPerYearReceived'),
  };
}

/**
 * Survivor-pension months in twelfths of a month (exact integer arithmetic: years are counted to
 * the month, so months = twelfths / 12).
 */
export function survivorMonthsInTwelfths(
  contributionMonths: number,
  retired: boolean,
  pensionMonthsReceived: number,
  rules: SurvivorRules,
): number {
  let twelfths: number | undefined;
  for (const s of rules.steps) {
    if (
      (s.belowYears !== undefined && contributionMonths < s.belowYears * 12) ||
      (s.upToYears !== undefined && contributionMonths <= s.upToYears * 12)
    ) {
      twelfths = s.months * 12;
      break;
    }
  }
  // above the last step: base months + one month per year above the base years, years capped
  twelfths ??=
    rules.baseMonths * 12 + (Math.min(contributionMonths, rules.capYears * 12) - rules.baseYears * 12);
  if (retired) {
    twelfths = Math.max(
      rules.retireeMinMonths * 12,
      twelfths - pensionMonthsReceived * rules.retireeMonthsPerYearReceived,
    );
  }
  return twelfths;
}

/** The monthly income figure: the input's, or the region's own for the year before the death. */
function monthlyIncome(input: SurvivorBenefitInput, params: ParamStore, trace: Trace): Fen {
  if (input.monthlyDisposableIncomeFen !== undefined) {
    trace.add(
      'urban monthly per-capita disposable income (given)',
      input.monthlyDisposableIncomeFen,
      'fen',
      '城镇居民月人均可支配收入（输入）',
    );
    return input.monthlyDisposableIncomeFen;
  }
  const year = yearOf(input.deathDate) - 1;
  let r = lookupStrict<Fen>(params, INCOME, input.region, `${year}-12-31`, { year, regionOnly: true });
  if (!r) {
    // Not yet published: where the region pays on the latest published figure until then, use it and say so.
    const provisional = lookupStrict<boolean>(params, INCOME_PROVISIONAL, input.region, input.deathDate, {
      regionOnly: true,
    });
    const latest = lookupStrict<Fen>(params, INCOME, input.region, `${year}-12-31`, { regionOnly: true });
    if (provisional?.value === true && latest) {
      traceParam(trace, provisional, '当年数据公布前暂按最近公布的城镇居民人均可支配收入计发');
      trace.add(
        `${year} urban disposable income not yet published: provisionally ${latest.effectiveFrom.slice(0, 4)}'s`,
        latest.value,
        'fen',
        `${year}年城镇居民人均可支配收入尚未公布，暂按${latest.effectiveFrom.slice(0, 4)}年数据计发，公布后重新核定`,
      );
      r = latest;
    }
  }
  if (!r)
    throw parameterMissing(
      input.region,
      { zh: `${year}年城镇居民人均可支配收入`, en: `${year} urban per-capita disposable income` },
      'monthlyDisposableIncomeFen',
    );
  traceParam(trace, r, `${year}年城镇居民人均可支配收入（年）`);
  const monthly = roundFen(dec(r.value).div(12));
  trace.add(
    `monthly = ${r.value} fen ÷ 12, half-up to the fen`,
    monthly,
    'fen',
    '月人均 = 年度 ÷ 12（四舍五入到分）',
  );
  return monthly;
}

/** Art. 4 and 5 of 人社部发〔2021〕18号; the rules in force on the death date are used. */
export function computeSurvivorBenefit(
  input: SurvivorBenefitInput,
  params: ParamStore,
  trace: Trace,
): SurvivorBenefitResult {
  const rules = readRules(
    getParam<unknown>(params, RULES, NATIONAL, input.deathDate, trace, 'deathDate', '遗属待遇计发办法'),
  );
  const income = monthlyIncome(input, params, trace);
  const funeral = roundFen(dec(income).mul(rules.funeralGrantMultiple));
  trace.add(
    `funeral grant = ${rules.funeralGrantMultiple} × monthly income`,
    funeral,
    'fen',
    `丧葬补助金 = ${rules.funeralGrantMultiple} × 月人均可支配收入`,
  );
  const twelfths = survivorMonthsInTwelfths(
    input.contributionMonths,
    input.retired,
    input.pensionMonthsReceived,
    rules,
  );
  const months = dec(twelfths).div(12).toDecimalPlaces(4, Dec.ROUND_HALF_UP).toNumber();
  trace.add(
    input.retired
      ? `months = max(${rules.retireeMinMonths}, table(${input.contributionMonths}/12 years) − ${input.pensionMonthsReceived}/12 years received)`
      : `months = table(${input.contributionMonths}/12 years): <5 → 3, <10 → 6, ≤15 → 9, then 9 + (years − 15), years capped at ${rules.capYears}`,
    months,
    'months',
    input.retired
      ? '抚恤金月数 = 按缴费年限确定的月数 − 已领取养老金年数，最低9个月'
      : '抚恤金月数（按缴费年限，计算到月）',
  );
  const pension = mulDiv(income, twelfths, 12);
  trace.add('survivor pension = monthly income × months', pension, 'fen', '抚恤金 = 月人均可支配收入 × 月数');
  const total = sumFen(funeral, pension);
  trace.add('total = funeral grant + survivor pension', total, 'fen', '遗属待遇合计 = 丧葬补助金 + 抚恤金');
  return {
    funeralGrantFen: funeral,
    months,
    survivorPensionFen: pension,
    totalFen: total,
    monthlyDisposableIncomeFen: income,
  };
}

export function parseSurvivorBenefit(r: FieldReader, params: ParamStore): SurvivorBenefitInput {
  const region = readRegion(r, params);
  const deathDate = r.date('deathDate');
  const contributionMonths = r.months('contributionMonths');
  const retired = r.boolean('retired');
  let pensionMonthsReceived = 0;
  if (retired) pensionMonthsReceived = r.months('pensionMonthsReceived');
  else if (r.has('pensionMonthsReceived') && r.months('pensionMonthsReceived') !== 0) {
    throw new SbError('SB_ERR_VALIDATION', {
      field: 'pensionMonthsReceived',
      zh: '在职人员没有已领取养老金月数',
      en: 'a person in service has no months of pension received',
    });
  }
  const income = r.optional('monthlyDisposableIncomeFen', (k) => r.fen(k));
  const input: SurvivorBenefitInput = {
    region,
    deathDate,
    contributionMonths,
    retired,
    pensionMonthsReceived,
  };
  if (income !== undefined) input.monthlyDisposableIncomeFen = income;
  return input;
}

export const survivorBenefitRule: RuleDefinition<SurvivorBenefitInput, SurvivorBenefitResult> = {
  name: 'survivor-benefit',
  title: { zh: '企业职工基本养老保险遗属待遇', en: 'Survivor benefit of the employee pension scheme' },
  parse: parseSurvivorBenefit,
  compute: (input, { params, trace }) => computeSurvivorBenefit(input, params, trace),
};
