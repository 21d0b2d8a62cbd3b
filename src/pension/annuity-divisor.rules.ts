// `annuity-divisor`: 计发月数 of the personal-account pension (国发〔2005〕38号 annex), interpolated
// by month between whole ages and rounded half-up to one decimal.
import type { RuleDefinition } from '../core/rule.ts';
import type { IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { FieldReader } from '../core/input.ts';
import { NATIONAL, paramSource, type ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { badTable, lookupStrict, tableObject, traceParam } from '../core/rule-support.ts';

const TABLE = 'pension/annuity-divisor';
const AGE_47 = 'pension/annuity-divisor-age-47';
export const MIN_DIVISOR_AGE_MONTHS = 40 * 12;
export const MAX_DIVISOR_AGE_MONTHS = 70 * 12;
/** The table currently in force when no date is given. */
export const LATEST = '9999-12-31';

export interface AnnuityDivisorInput {
  ageMonths: number;
  date?: IsoDate;
}

export interface AnnuityDivisorResult {
  divisor: number;
}

function notInForce(date: IsoDate, field: string): SbError {
  return new SbError('SB_ERR_RULE_NOT_IN_FORCE', {
    field,
    zh: `${date} 尚无计发月数表（国发〔2005〕38号自2006年1月1日起施行）`,
    en: `no annuity divisor table is in force on ${date} (国发〔2005〕38号 applies from 2006-01-01)`,
  });
}

/** The divisor of one whole age in years, recording the parameter it came from. */
function wholeAgeDivisor(
  params: ParamStore,
  age: number,
  date: IsoDate,
  trace: Trace,
  dateField: string,
): number {
  if (age === 47) {
    const r = lookupStrict<number>(params, AGE_47, NATIONAL, date);
    if (!r) throw notInForce(date, dateField);
    traceParam(trace, r, '计发月数（47周岁）');
    return r.value;
  }
  const r = lookupStrict<unknown>(params, TABLE, NATIONAL, date);
  if (!r) throw notInForce(date, dateField);
  const v = tableObject(TABLE, r.value, 'the table')[String(age)];
  if (typeof v !== 'number') throw badTable(TABLE, `no divisor for age ${age}`);
  trace.push({
    step: `${TABLE}[${age}]`,
    stepZh: `计发月数（${age}周岁）`,
    value: v,
    unit: 'months',
    ...paramSource(r),
  });
  return v;
}

/**
 * div(y, m) = T[y] − (T[y] − T[y+1]) × m / 12, rounded half-up to 0.1.
 * `ageMonths` must lie within 40–70 years; `date` picks the table (the latest by default).
 */
export function computeAnnuityDivisor(
  ageMonths: number,
  params: ParamStore,
  trace: Trace,
  date: IsoDate = LATEST,
  fields: { age: string; date: string } = { age: 'ageMonths', date: 'date' },
): number {
  if (
    !Number.isSafeInteger(ageMonths) ||
    ageMonths < MIN_DIVISOR_AGE_MONTHS ||
    ageMonths > MAX_DIVISOR_AGE_MONTHS
  ) {
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: fields.age,
      zh: `计发月数表只覆盖40至70周岁（${MIN_DIVISOR_AGE_MONTHS}–${MAX_DIVISOR_AGE_MONTHS}个月），收到 ${ageMonths}`,
      en: `the divisor table covers ages 40–70 (${MIN_DIVISOR_AGE_MONTHS}–${MAX_DIVISOR_AGE_MONTHS} months), got ${ageMonths}`,
    });
  }
  const years = Math.floor(ageMonths / 12);
  const months = ageMonths % 12;
  const lower = wholeAgeDivisor(params, years, date, trace, fields.date);
  if (months === 0) {
    trace.add(`divisor at ${years} years`, lower, 'months', `计发月数（${years}周岁）`);
    return lower;
  }
  const upper = wholeAgeDivisor(params, years + 1, date, trace, fields.date);
  // exact in integers: tenths = round_half_up((12·T[y] − (T[y] − T[y+1])·m) × 10 / 12)
  const divisor = Math.floor(((lower * 12 - (lower - upper) * months) * 10 + 6) / 12) / 10;
  trace.add(
    `divisor at ${years}y${months}m = ${lower} − (${lower} − ${upper}) × ${months}/12, half-up to 0.1`,
    divisor,
    'months',
    `计发月数（${years}岁${months}个月）= ${lower} − (${lower} − ${upper}) × ${months}/12，四舍五入保留一位小数`,
  );
  return divisor;
}

export const annuityDivisorRule: RuleDefinition<AnnuityDivisorInput, AnnuityDivisorResult> = {
  name: 'annuity-divisor',
  title: { zh: '个人账户养老金计发月数', en: 'Personal-account annuity divisor' },
  parse: (r: FieldReader) => {
    const ageMonths = r.int('ageMonths', { min: MIN_DIVISOR_AGE_MONTHS, max: MAX_DIVISOR_AGE_MONTHS });
    const date = r.optional('date', (k) => r.date(k));
    return date === undefined ? { ageMonths } : { ageMonths, date };
  },
  compute: (input, { params, trace }) => ({
    divisor: computeAnnuityDivisor(input.ageMonths, params, trace, input.date ?? LATEST),
  }),
};
