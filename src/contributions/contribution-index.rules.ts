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
// Arithmetic: exact fractions of integers, one rounding at the end, half up to 4 decimals. Yearly
// indices are shown on the record but never fed back into Z (rounding them first would drift).
import type { RuleDefinition } from '../core/rule.ts';
import type { Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import {
  formatHalfUp,
  type Fraction,
  FractionSum,
  fractionOf,
  greater,
  plus,
  quotient,
  ratioOf,
} from '../core/fraction.ts';
import { asObject, FieldReader } from '../core/input.ts';
import type { Fen } from '../core/money.ts';
import { NATIONAL, type ParamStore, type ResolvedParam } from '../core/params.ts';
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

// Exact arithmetic (core/fraction.ts): a month's line is base ÷ wage, both integer fen, so every sum
// below is exact; the fractions are summed per denominator (in practice one wage a year, so a few
// dozen) and rounded once, for a figure that is shown.

/** An index to INDEX_DECIMALS places, half up: num ÷ (den × divisor). */
const fmt = (f: Fraction, divisor = 1): string => formatHalfUp(f, INDEX_DECIMALS, divisor);

type CeilingVersion = ResolvedParam<number | null> | undefined;
const versionKey = (r: CeilingVersion): string => (r ? `${r.region}|${r.effectiveFrom}` : 'none');

/**
 * The ceiling's version in force on the first of each month of `periods` (sorted). When the first and
 * the last month of a run have the same version (same region level, same start), so has every month
 * between them — a more specific level has no version before the last, and the level's next version
 * starts after it — so a run is looked up at its ends and split only where the version changes: a
 * few look-ups for a working life instead of one a month.
 */
function ceilingVersions(periods: readonly Period[], params: ParamStore, region: string): CeilingVersion[] {
  const at = (i: number) => params.tryResolve<number | null>(CEILING, region, `${periods[i]!}-01`);
  const out: CeilingVersion[] = new Array<CeilingVersion>(periods.length);
  const fill = (lo: number, hi: number, first: CeilingVersion, last: CeilingVersion): void => {
    if (versionKey(first) === versionKey(last)) {
      out.fill(first, lo, hi + 1);
    } else if (hi - lo <= 1) {
      out[lo] = first;
      out[hi] = last;
    } else {
      const mid = (lo + hi) >> 1;
      const m = at(mid);
      fill(lo, mid, first, m);
      fill(mid, hi, m, last);
    }
  };
  if (periods.length > 0) fill(0, periods.length - 1, at(0), at(periods.length - 1));
  return out;
}

/**
 * The months of some lines in period order, each with Σ base ÷ wage of its lines. Lines in period
 * order (as every reader sends them) are summed run by run, without a map of the months (issue 18:
 * the record computes this for a working life on every request); any other order is merged by period.
 */
function monthShares(lines: readonly IndexLine[]): { periods: Period[]; shares: Fraction[] } {
  const periods: Period[] = [];
  const shares: Fraction[] = [];
  let ordered = true;
  for (const l of lines) {
    if (l.averageWageFen <= 0) {
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'lines.averageWageFen',
        zh: `${l.period} 的平均工资应大于 0`,
        en: `the average wage of ${l.period} must be greater than 0`,
      });
    }
    const share = ratioOf(l.baseFen, l.averageWageFen, 'lines.baseFen', 'lines.averageWageFen');
    const last = periods.length - 1;
    if (last >= 0 && periods[last] === l.period) shares[last] = plus(shares[last]!, share);
    else {
      if (last >= 0 && periods[last]! > l.period) ordered = false;
      periods.push(l.period);
      shares.push(share);
    }
  }
  if (ordered) return { periods, shares };
  const byPeriod = new Map<Period, Fraction>();
  for (let i = 0; i < periods.length; i++) {
    const before = byPeriod.get(periods[i]!);
    byPeriod.set(periods[i]!, before === undefined ? shares[i]! : plus(before, shares[i]!));
  }
  const sorted = [...byPeriod.keys()].sort();
  return { periods: sorted, shares: sorted.map((p) => byPeriod.get(p)!) };
}

export function computeContributionIndex(
  input: ContributionIndexInput,
  params: ParamStore,
  trace: Trace,
): ContributionIndexResult {
  // Each month's lines: Σ base / wage (one fraction; a month of one line is just base / wage).
  const { periods, shares } = monthShares(input.lines);
  // The ceiling can change over time: the version in force each month, each value traced once.
  const inForce = ceilingVersions(periods, params, input.region);
  const ceilings = new Map<string, Fraction | null>();
  const capped: Period[] = [];
  const sum = new FractionSum();
  const years = new Map<number, { months: number; sum: FractionSum }>();
  let version: CeilingVersion | null = null;
  let cap: Fraction | null = null;
  for (let i = 0; i < periods.length; i++) {
    const p = periods[i]!;
    // Months in a row share their version (the same object): looked up when it changes.
    const r = inForce[i];
    if (r !== version) {
      version = r;
      const key = versionKey(r);
      const known = ceilings.get(key);
      if (known !== undefined) cap = known;
      else {
        if (!r || r.value === null) {
          // Before the national band (or after it ends) a month counts uncapped; say so once.
          trace.add(
            `${CEILING}: none in force for ${p}, the month is not capped`,
            null,
            'percent',
            '当月无缴费基数上限',
          );
          cap = null;
        } else {
          cap = quotient(
            fractionOf(
              getParam<number>(params, CEILING, input.region, `${p}-01`, trace, 'lines.period'),
              CEILING,
            ),
            { num: 100, den: 1 },
          );
        }
        ceilings.set(key, cap);
      }
    }
    let idx = shares[i]!;
    if (cap !== null && greater(idx, cap)) {
      capped.push(p);
      idx = cap;
    }
    const year = Number(p.slice(0, 4));
    let y = years.get(year);
    if (y === undefined) years.set(year, (y = { months: 0, sum: new FractionSum() }));
    y.months += 1;
    y.sum.add(idx);
  }
  for (const y of years.values()) sum.addAll(y.sum);
  const recordMonths = periods.length;
  trace.add(
    `months on the record (a month with several employers counts once) = ${recordMonths}`,
    recordMonths,
    'months',
    '系统缴费月数（同月多家单位缴费计一个月）',
  );
  // One denominator for the sum of all years (their wages' common multiple): made once, again only
  // when archived months are added to it.
  let all: Fraction = sum.value();
  trace.add(
    'sum of the monthly indices Σ min(Σ base ÷ average wage, ceiling)',
    fmt(all),
    'index',
    '各月缴费工资指数之和（当月各单位缴费基数之和 ÷ 社会平均工资，以上限为限）',
  );
  if (capped.length > 0)
    trace.add('months cut to the ceiling', capped, 'text', '当月指数超过上限、按上限计的月份');
  const archivedMonths = input.archived?.months ?? 0;
  if (input.archived && archivedMonths > 0) {
    const archivedIndex = fractionOf(input.archived.index, 'archived.index');
    sum.add(archivedIndex, archivedMonths);
    all = sum.value();
    trace.add(
      `archived months × archived index = ${archivedMonths} × ${input.archived.index}`,
      fmt(quotient(archivedIndex, { num: 1, den: archivedMonths })),
      'index',
      '档案缴费月数 × 档案平均缴费工资指数',
    );
  }
  const totalMonths = recordMonths + archivedMonths;
  const averageIndex = totalMonths === 0 ? null : fmt(all, totalMonths);
  trace.add(
    `average contribution index Z = sum ÷ ${totalMonths} months, half up to ${INDEX_DECIMALS} decimals`,
    averageIndex,
    'index',
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
      index: fmt(y.sum.value(), y.months),
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
