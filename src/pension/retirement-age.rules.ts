// `retirement-age`: statutory retirement age and date under the 2025 gradual increase
// (全国人大常委会关于实施渐进式延迟法定退休年龄的决定, 2024-09-13, in force 2025-01-01), and the
// minimum contribution months for a monthly pension by the year of the retirement date.
import type { RuleDefinition } from '../core/rule.ts';
import { addMonths, dateParts, monthInWords, yearOf, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { FieldReader } from '../core/input.ts';
import { NATIONAL, type ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { badTable, lookupStrict, tableNumber, tableObject, traceParam } from '../core/rule-support.ts';

export const RETIREMENT_CATEGORIES = ['male', 'female-55', 'female-50'] as const;
export type RetirementCategory = (typeof RETIREMENT_CATEGORIES)[number];

export interface RetirementAgeInput {
  birthDate: IsoDate;
  category: RetirementCategory;
}

export interface RetirementAgeResult {
  originalAgeMonths: number;
  delayMonths: number;
  ageMonths: number;
  retirementDate: IsoDate;
  minContributionMonths: number;
}

/** The original statutory ages the category names carry (男60、女干部55、女工人50), restated by the decision's Art. 1. */
export const ORIGINAL_AGE_MONTHS: Readonly<Record<RetirementCategory, number>> = {
  male: 60 * 12,
  'female-55': 55 * 12,
  'female-50': 50 * 12,
};

const SCHEDULE = 'pension/retirement-age-schedule';
const MIN_MONTHS = 'pension/min-contribution-months';

export interface ScheduleEntry {
  originalAgeMonths: number;
  firstBirthMonth: string;
  stepMonths: number;
  maxDelayMonths: number;
}

function scheduleEntry(table: unknown, category: RetirementCategory): ScheduleEntry {
  const o = tableObject(SCHEDULE, tableObject(SCHEDULE, table, 'the schedule')[category], category);
  const firstBirthMonth = o['firstBirthMonth'];
  if (typeof firstBirthMonth !== 'string' || !/^\d{4}-\d{2}$/.test(firstBirthMonth)) {
    throw badTable(SCHEDULE, `${category}.firstBirthMonth must be YYYY-MM`);
  }
  return {
    originalAgeMonths: tableNumber(SCHEDULE, o, 'originalAgeMonths'),
    firstBirthMonth,
    stepMonths: tableNumber(SCHEDULE, o, 'stepMonths'),
    maxDelayMonths: tableNumber(SCHEDULE, o, 'maxDelayMonths'),
  };
}

/**
 * Months of delay for a birth month under the 2025 schedule: one month per `stepMonths`
 * birth-months from the first affected month, the first of them already delayed one month.
 */
export function delayForBirthMonth(birthYear: number, birthMonth: number, s: ScheduleEntry): number {
  const firstYear = Number(s.firstBirthMonth.slice(0, 4));
  const firstMonth = Number(s.firstBirthMonth.slice(5, 7));
  const k = (birthYear - firstYear) * 12 + (birthMonth - firstMonth);
  return k < 0 ? 0 : Math.min(s.maxDelayMonths, Math.floor(k / s.stepMonths) + 1);
}

// Dated variants: which law sets the age is chosen by the date the person reaches the original age.
type AgeVariant = (
  input: RetirementAgeInput,
  originalDate: IsoDate,
  params: ParamStore,
  trace: Trace,
) => { originalAgeMonths: number; delayMonths: number };

/** Before 2025-01-01: the original statutory age, no delay. */
const originalAgeVariant: AgeVariant = (input, originalDate, _params, trace) => {
  trace.push({
    step: `original statutory age reached on ${originalDate}, before the 2025 reform took effect: no delay`,
    stepZh: '在2025年1月1日前达到原法定退休年龄，不延迟',
    value: 0,
    unit: 'months',
    reference:
      'NPC Standing Committee Decision on Gradually Raising the Statutory Retirement Age, art. 1 (from 1 January 2025)',
    referenceZh:
      '《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》第一条（自2025年1月1日起）',
  });
  return { originalAgeMonths: ORIGINAL_AGE_MONTHS[input.category], delayMonths: 0 };
};

/** From 2025-01-01: the gradual increase by birth month. */
const gradualIncreaseVariant: AgeVariant = (input, _originalDate, params, trace) => {
  const r = lookupStrict<unknown>(params, SCHEDULE, NATIONAL, _originalDate);
  if (!r) throw badTable(SCHEDULE, 'no schedule in force');
  traceParam(trace, r, '渐进式延迟法定退休年龄安排');
  const s = scheduleEntry(r.value, input.category);
  const p = dateParts(input.birthDate);
  if (!p) throw new SbError('SB_ERR_INVALID_DATE', { field: 'birthDate' });
  const delayMonths = delayForBirthMonth(p.year, p.month, s);
  trace.add(
    `delay = min(${s.maxDelayMonths}, floor(months since ${s.firstBirthMonth} / ${s.stepMonths}) + 1)`,
    delayMonths,
    'months',
    `延迟月数 = min(${s.maxDelayMonths}, ⌊自${monthInWords(s.firstBirthMonth, 'zh')}起的出生月数 ÷ ${s.stepMonths}⌋ + 1)`,
  );
  return { originalAgeMonths: s.originalAgeMonths, delayMonths };
};

function selectAgeVariant(params: ParamStore, originalDate: IsoDate): AgeVariant {
  return lookupStrict(params, SCHEDULE, NATIONAL, originalDate) ? gradualIncreaseVariant : originalAgeVariant;
}

export function computeRetirementAge(
  input: RetirementAgeInput,
  params: ParamStore,
  trace: Trace,
): RetirementAgeResult {
  const originalDate = addMonths(input.birthDate, ORIGINAL_AGE_MONTHS[input.category]);
  trace.add(
    'original retirement date = birth date + original statutory age',
    originalDate,
    'date',
    '原法定退休日期 = 出生日期 + 原法定退休年龄',
  );
  const { originalAgeMonths, delayMonths } = selectAgeVariant(params, originalDate)(
    input,
    originalDate,
    params,
    trace,
  );
  const ageMonths = originalAgeMonths + delayMonths;
  trace.add(
    `statutory age = ${originalAgeMonths} + ${delayMonths} months`,
    ageMonths,
    'months',
    '法定退休年龄（月）= 原法定退休年龄 + 延迟月数',
  );
  const retirementDate = addMonths(input.birthDate, ageMonths);
  trace.add(
    'retirement date = birth date + statutory age (same day, or the month end)',
    retirementDate,
    'date',
    '退休日期 = 出生日期 + 法定退休年龄（同日，无此日取月末）',
  );
  const year = yearOf(retirementDate);
  const min = lookupStrict<number>(params, MIN_MONTHS, NATIONAL, `${year}-12-31`);
  if (!min) {
    throw new SbError('SB_ERR_RULE_NOT_IN_FORCE', {
      field: 'birthDate',
      zh: `退休年度 ${year} 无最低缴费年限规定`,
      en: `no minimum contribution period is encoded for retirements in ${year}`,
    });
  }
  traceParam(trace, min, `最低缴费年限（月），${year}年`);
  return { originalAgeMonths, delayMonths, ageMonths, retirementDate, minContributionMonths: min.value };
}

export const retirementAgeRule: RuleDefinition<RetirementAgeInput, RetirementAgeResult> = {
  name: 'retirement-age',
  title: { zh: '法定退休年龄（渐进式延迟）', en: 'Statutory retirement age (2025 gradual increase)' },
  parse: (r: FieldReader) => ({
    birthDate: r.date('birthDate'),
    category: r.oneOf('category', RETIREMENT_CATEGORIES),
  }),
  compute: (input, { params, trace }) => computeRetirementAge(input, params, trace),
};
