// `contribution-index`: the average contribution-wage index Z (平均缴费工资指数), the one place Z is
// computed — for the person's record, the pension estimate, the retirement decision and the
// pension record alike.
//
// Definition (domain.md glossary and §1.2; 国发〔2005〕38号): the contribution index of a period is the
// contribution base over the social average wage used to set it (缴费工资指数 = 缴费基数 ÷ 社会平均工资),
// and Z is the mean of those indices over the months contributed ("some provinces weight by months":
// we do, so a year of 7 months weighs 7/12 of a full one).
//
// A month with two employers (two bill lines in one period) is ONE contribution month whose index is
// the sum of that month's bases over the average wage: Σ (base ÷ average wage) of its lines, capped at
// the base ceiling (300% of the average wage, `contributions/base-ceiling-percent`, 国办发〔2019〕13号,
// domain.md §2.2), because the ceiling limits what a person's contributions can count for in a month
// whoever pays them. No floor is applied to the month: each base was already raised to the floor
// when it was assessed.
//
// Months from the paper archive (before the electronic record) enter with their own average index,
// weighted by their months: Z = (Σ month indices + archived index × archived months) ÷ all months.
//
// Arithmetic: decimal (precision 40), one rounding at the end, half up to 4 decimals. Yearly indices
// are shown on the record but never fed back into Z (rounding them first would drift).
import type { RuleDefinition } from '../core/rule.ts';
import type { Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { asObject, FieldReader } from '../core/input.ts';
import { Dec, type Fen } from '../core/money.ts';
import { NATIONAL, type ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { readRegion } from '../core/rule.ts';
import { getParam } from '../core/rule-support.ts';

const CEILING = 'contributions/base-ceiling-percent';

/** Decimal places of an index as shown and stored (0.0001). */
export const INDEX_DECIMALS = 4;

/** One paid bill line carrying a pension contribution. */
export interface IndexLine {
  period: Period;
  baseFen: Fen | number;
  /** The average wage the bill was assessed against (the figure the base was set from). */
  averageWageFen: Fen | number;
}

export interface ContributionIndexInput {
  region: string;
  lines: readonly IndexLine[];
  /** Months before the electronic record, with their average index (from the paper archive). */
  archived?: { months: number; index: string } | undefined;
}

export interface ContributionIndexResult {
  /** Z to 4 decimals as a decimal string ("1.2345"); null without any month. */
  averageIndex: string | null;
  /** Months on the electronic record (distinct periods). */
  recordMonths: number;
  archivedMonths: number;
  totalMonths: number;
  /** Periods whose summed index was cut to the ceiling. */
  cappedPeriods: Period[];
  /** Per calendar year: months and the mean index of those months (display only). */
  years: Array<{ year: number; months: number; index: string }>;
}

const fmt = (d: InstanceType<typeof Dec>): string => d.toFixed(INDEX_DECIMALS, Dec.ROUND_HALF_UP);

export function computeContributionIndex(
  input: ContributionIndexInput,
  params: ParamStore,
  trace: Trace,
): ContributionIndexResult {
  // Sum each month's lines: Σ base / wage.
  const byPeriod = new Map<Period, InstanceType<typeof Dec>>();
  for (const l of input.lines) {
    if (l.averageWageFen <= 0) {
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'lines.averageWageFen',
        zh: `${l.period} 的平均工资应大于 0`,
        en: `the average wage of ${l.period} must be greater than 0`,
      });
    }
    const share = new Dec(l.baseFen).div(l.averageWageFen);
    byPeriod.set(l.period, (byPeriod.get(l.period) ?? new Dec(0)).add(share));
  }
  const periods = [...byPeriod.keys()].sort();
  // The ceiling can change over time: read it once per period, trace each value once.
  const ceilings = new Map<string, InstanceType<typeof Dec> | null>();
  const capped: Period[] = [];
  let sum = new Dec(0);
  const years = new Map<number, { months: number; sum: InstanceType<typeof Dec> }>();
  for (const p of periods) {
    const date = `${p}-01` as const;
    const r = params.tryResolve<number | null>(CEILING, input.region, date);
    const key = r ? `${r.region}|${r.effectiveFrom}` : 'none';
    let cap = ceilings.get(key);
    if (cap === undefined) {
      if (!r || r.value === null) {
        // Before the national band (or after it ends) a month counts uncapped; say so once.
        trace.add(`${CEILING}: none in force for ${p}, the month is not capped`, null, '当月无缴费基数上限');
        cap = null;
      } else {
        cap = new Dec(getParam<number>(params, CEILING, input.region, date, trace, 'lines.period')).div(100);
      }
      ceilings.set(key, cap);
    }
    let idx = byPeriod.get(p) ?? new Dec(0);
    if (cap !== null && idx.gt(cap)) {
      capped.push(p);
      idx = cap;
    }
    sum = sum.add(idx);
    const year = Number(p.slice(0, 4));
    const y = years.get(year) ?? { months: 0, sum: new Dec(0) };
    y.months += 1;
    y.sum = y.sum.add(idx);
    years.set(year, y);
  }
  const recordMonths = periods.length;
  trace.add(
    `months on the record (a month with several employers counts once) = ${recordMonths}`,
    recordMonths,
    '系统缴费月数（同月多家单位缴费计一个月）',
  );
  trace.add(
    'sum of the monthly indices Σ min(Σ base ÷ average wage, ceiling)',
    fmt(sum),
    '各月缴费工资指数之和（当月各单位缴费基数之和 ÷ 社会平均工资，以上限为限）',
  );
  if (capped.length > 0) trace.add('months cut to the ceiling', capped, '当月指数超过上限、按上限计的月份');
  const archivedMonths = input.archived?.months ?? 0;
  let total = sum;
  if (input.archived && archivedMonths > 0) {
    const archivedIndex = new Dec(input.archived.index);
    total = total.add(archivedIndex.mul(archivedMonths));
    trace.add(
      `archived months × archived index = ${archivedMonths} × ${input.archived.index}`,
      fmt(archivedIndex.mul(archivedMonths)),
      '档案缴费月数 × 档案平均缴费工资指数',
    );
  }
  const totalMonths = recordMonths + archivedMonths;
  const averageIndex = totalMonths === 0 ? null : fmt(total.div(totalMonths));
  trace.add(
    `average contribution index Z = sum ÷ ${totalMonths} months, half up to ${INDEX_DECIMALS} decimals`,
    averageIndex,
    '平均缴费工资指数 Z = 指数之和 ÷ 缴费月数（四舍五入保留4位小数）',
  );
  return {
    averageIndex,
    recordMonths,
    archivedMonths,
    totalMonths,
    cappedPeriods: capped,
    years: [...years.entries()].map(([year, y]) => ({
      year,
      months: y.months,
      index: fmt(y.sum.div(y.months)),
    })),
  };
}

/** An index given as input: a JSON number or a decimal string, 0–100, at most 4 decimals. */
export function readIndex(r: FieldReader, key: string): string {
  const raw = r.has(key) ? r.obj[key] : undefined;
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : r.string(key);
  if (!/^\d{1,2}(\.\d{1,4})?$/.test(text)) {
    throw new SbError('SB_ERR_VALIDATION', {
      field: r.path ? `${r.path}.${key}` : key,
      zh: '应为 0 至 99.9999 之间、最多 4 位小数的指数',
      en: 'must be an index between 0 and 99.9999 with at most 4 decimals',
    });
  }
  return text;
}

export function parseContributionIndexInput(r: FieldReader, params: ParamStore): ContributionIndexInput {
  const lines = r.array('lines').map((item, i) => {
    const lr = new FieldReader(asObject(item, `lines[${i}]`), `lines[${i}]`);
    return {
      period: lr.period('period'),
      baseFen: lr.fen('baseFen'),
      averageWageFen: lr.fen('averageWageFen'),
    };
  });
  const archived = r.optional('archived', (k) => {
    const a = r.object(k);
    return { months: a.months('months'), index: readIndex(a, 'index') };
  });
  return { region: r.has('region') ? readRegion(r, params) : NATIONAL, lines, archived };
}

export const contributionIndexRule: RuleDefinition<ContributionIndexInput, ContributionIndexResult> = {
  name: 'contribution-index',
  title: { zh: '平均缴费工资指数', en: 'Average contribution index (Z)' },
  parse: (r, params) => parseContributionIndexInput(r, params),
  compute: (input, { params, trace }) => computeContributionIndex(input, params, trace),
};
