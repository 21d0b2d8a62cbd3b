// The contribution index rule in exact integer fractions (issue 18: the record's server time) against
// its earlier decimal version, over a large generated set of histories: one or several employers a
// month, wages with and without factors other than 2 and 5 (quotients that do not end), bases at
// the floor, at the ceiling and beyond it, a ceiling that changes, ends or is not whole, archived
// months. Z, the yearly indices, the capped months, the counts and every trace step are the same,
// except where the exact figure is exactly half-way at the 5th decimal or a month's sum exactly at
// the ceiling: there the decimal version's own rounding (40 digits) decided, against the rule it
// states (one rounding at the end, half up; a month is cut when over the ceiling). Each such
// difference is checked here to be one of those points, with decimals of 300 digits as the judge.
//
// The earlier version is kept here only as the oracle, verbatim but for its name and its decimal
// class; the rule has one implementation (contribution-index.rules.ts). The worked examples stay in
// cases/contribution-index.yaml (one of them is such a half-way point).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { Dec } from '../core/money.ts';
import { projectParams } from '../core/params-loader.ts';
import { ParamStore, type ParamDefinition, type ParamStore as Store } from '../core/params.ts';
import { getParam } from '../core/rule-support.ts';
import { Trace } from '../core/trace.ts';
import type { Period } from '../core/dates.ts';
import {
  computeContributionIndex,
  INDEX_DECIMALS,
  type ContributionIndexInput,
  type ContributionIndexResult,
} from './contribution-index.rules.ts';

const CEILING = 'contributions/base-ceiling-percent';
const fmt = (d: InstanceType<typeof Dec>): string => d.toFixed(INDEX_DECIMALS, Dec.ROUND_HALF_UP);

/** The rule as it was before the exact version (decimal, precision 40): the oracle. */
function decimalReference(
  input: ContributionIndexInput,
  params: Store,
  trace: Trace,
): ContributionIndexResult {
  const byPeriod = new Map<Period, InstanceType<typeof Dec>>();
  for (const l of input.lines) {
    if (l.averageWageFen <= 0) throw new Error('wage');
    const share = new Dec(l.baseFen).div(l.averageWageFen);
    byPeriod.set(l.period, (byPeriod.get(l.period) ?? new Dec(0)).add(share));
  }
  const periods = [...byPeriod.keys()].sort();
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
        trace.add(
          `${CEILING}: none in force for ${p}, the month is not capped`,
          null,
          'percent',
          '当月无缴费基数上限',
        );
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
    'months',
    '系统缴费月数（同月多家单位缴费计一个月）',
  );
  trace.add(
    'sum of the monthly indices Σ min(Σ base ÷ average wage, ceiling)',
    fmt(sum),
    'index',
    '各月缴费工资指数之和（当月各单位缴费基数之和 ÷ 社会平均工资，以上限为限）',
  );
  if (capped.length > 0)
    trace.add('months cut to the ceiling', capped, 'text', '当月指数超过上限、按上限计的月份');
  const archivedMonths = input.archived?.months ?? 0;
  let total = sum;
  if (input.archived && archivedMonths > 0) {
    const archivedIndex = new Dec(input.archived.index);
    total = total.add(archivedIndex.mul(archivedMonths));
    trace.add(
      `archived months × archived index = ${archivedMonths} × ${input.archived.index}`,
      fmt(archivedIndex.mul(archivedMonths)),
      'index',
      '档案缴费月数 × 档案平均缴费工资指数',
    );
  }
  const totalMonths = recordMonths + archivedMonths;
  const averageIndex = totalMonths === 0 ? null : fmt(total.div(totalMonths));
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
      index: fmt(y.sum.div(y.months)),
    })),
  };
}

/** The project's parameters, and a region whose ceiling changes, is not whole and ends for a while. */
function paramsWithChangingCeiling(): Store {
  const real = projectParams();
  const def = real.definitions.get(CEILING)!;
  const v = (effectiveFrom: string, value: number | null) => ({
    effectiveFrom: effectiveFrom as `${number}-${number}-${number}`,
    value,
    reference: { zh: '测试', en: 'test' },
    uncertain: false,
  });
  const changed: ParamDefinition = {
    ...def,
    regions: new Map([
      ...def.regions,
      ['440300', [v('2008-07-01', 250), v('2012-03-01', 287.5), v('2015-01-01', null), v('2016-07-01', 300)]],
    ]),
  };
  return new ParamStore(new Map([...real.definitions, [CEILING, changed]]));
}

/** A small seeded generator (mulberry32), so that a failure names a reproducible case. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}

// Average wages (fen): round ones (quotients that end) and ones with factors 3, 7, 11, 13, 4241 …
const WAGES = [
  800000, 300000, 424100, 543000, 699999, 700000, 571900, 333333, 123457, 999999, 6000, 7, 3,
] as const;

function generate(seed: number): ContributionIndexInput {
  const r = rng(seed);
  const lines: ContributionIndexInput['lines'][number][] = [];
  const firstYear = r.int(1999, 2024);
  const months = r.int(0, r.next() < 0.2 ? 400 : 60);
  const yearWage = new Map<number, number>();
  for (let i = 0; i < months; i++) {
    const ym = firstYear * 12 + r.int(0, 35) + i;
    const year = Math.floor(ym / 12);
    const period = `${year}-${String((ym % 12) + 1).padStart(2, '0')}`;
    if (!yearWage.has(year)) yearWage.set(year, r.pick(WAGES));
    const employers = r.next() < 0.85 ? 1 : r.int(2, 4);
    for (let e = 0; e < employers; e++) {
      // Mostly the year's wage; sometimes a bill assessed against another (a wage changed mid-year).
      const wage = r.next() < 0.8 ? yearWage.get(year)! : r.pick(WAGES);
      const kind = r.next();
      const baseFen =
        kind < 0.2
          ? Math.round(wage * 0.6) // the floor
          : kind < 0.3
            ? wage * 3 // the ceiling exactly
            : kind < 0.4
              ? wage * 3 + r.int(1, 5) // just over it
              : kind < 0.45
                ? Math.floor((wage * r.int(1, 9)) / 3) // thirds of the wage
                : kind < 0.5
                  ? 0
                  : r.int(1, wage * 4);
      lines.push({ period, baseFen, averageWageFen: wage });
    }
  }
  const archived =
    r.next() < 0.3
      ? {
          months: r.int(0, 240),
          index: r.pick(['0.7', '1', '1.2345', '0.6', '3', '0.0001', '2.5', '1.05', '0.33']),
        }
      : undefined;
  return { region: r.pick(['341800', '440300', '000000', '110000']), lines, archived };
}

const run = (f: typeof computeContributionIndex, input: ContributionIndexInput, params: Store) => {
  const trace = new Trace();
  return { result: f(input, params, trace), trace: trace.steps };
};

/** The judge: the same figures in decimals of 300 digits, unrounded (a history's fractions have
 * denominators below 10^100, so a figure within 10^-200 of a half-way point or the ceiling is on it). */
const Judge = Dec.clone({ precision: 300, rounding: Dec.ROUND_HALF_UP });
type J = InstanceType<typeof Judge>;
function judge(input: ContributionIndexInput, params: Store) {
  const months = new Map<string, J>();
  for (const l of input.lines)
    months.set(
      l.period,
      (months.get(l.period) ?? new Judge(0)).add(new Judge(l.baseFen).div(l.averageWageFen)),
    );
  const ceiling = (p: string): J | null => {
    const r = params.tryResolve<number | null>(
      CEILING,
      input.region,
      `${p}-01` as `${number}-${number}-${number}`,
    );
    return r && r.value !== null ? new Judge(r.value).div(100) : null;
  };
  let sum = new Judge(0);
  const years = new Map<number, { months: number; sum: J }>();
  for (const [p, v] of months) {
    const cap = ceiling(p);
    const idx = cap !== null && v.gt(cap) ? cap : v;
    sum = sum.add(idx);
    const y = years.get(Number(p.slice(0, 4))) ?? { months: 0, sum: new Judge(0) };
    years.set(Number(p.slice(0, 4)), { months: y.months + 1, sum: y.sum.add(idx) });
  }
  const archived = input.archived && input.archived.months > 0 ? input.archived : undefined;
  const total = archived ? sum.add(new Judge(archived.index).mul(archived.months)) : sum;
  const all = months.size + (archived?.months ?? 0);
  return {
    months,
    ceiling,
    sum,
    z: all === 0 ? null : total.div(all),
    years: new Map([...years].map(([y, v]) => [y, v.sum.div(v.months)])),
  };
}
const NEAR = new Judge('1e-200');
/** v is half-way at the 5th decimal, and `exact` is it rounded half up. */
function assertHalfWay(v: J, exact: string | null, what: string) {
  const scaled = v.mul(10 ** INDEX_DECIMALS);
  assert.ok(scaled.sub(scaled.floor()).sub(0.5).abs().lt(NEAR), `${what}: ${v.toFixed(30)} is not half-way`);
  assert.equal(exact, v.toDecimalPlaces(100).toFixed(INDEX_DECIMALS, Dec.ROUND_HALF_UP), what);
}

// 5,000 histories (~250,000 lines) in the suite; INDEX_EQUIVALENCE_SEEDS=200000 for a longer run.
const SEEDS = Number(process.env['INDEX_EQUIVALENCE_SEEDS'] ?? 5000);

test(`the exact rule gives what the decimal one gave over ${SEEDS} generated histories, but at exact half-way points and ceilings`, () => {
  const params = paramsWithChangingCeiling();
  let lines = 0;
  let multi = 0;
  let capped = 0;
  let judged = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const input = generate(seed);
    lines += input.lines.length;
    multi += new Set(input.lines.map((l) => l.period)).size < input.lines.length ? 1 : 0;
    const exact = run(computeContributionIndex, input, params);
    const decimal = run(decimalReference, input, params);
    capped += exact.result.cappedPeriods.length > 0 ? 1 : 0;
    if (isDeepStrictEqual(exact, decimal)) continue;
    // A difference: each differing figure must be a point where the decimal rounding decided.
    judged++;
    const j = judge(input, params);
    const at = `seed ${seed}`;
    const { cappedPeriods: ec, years: ey, ...eRest } = exact.result;
    const { cappedPeriods: dc, years: dy, ...dRest } = decimal.result;
    for (const p of new Set([...ec, ...dc].filter((p) => !(ec.includes(p) && dc.includes(p))))) {
      // Exactly at the ceiling is not over it: not cut (the figure counted is the same).
      const cap = j.ceiling(p)!;
      assert.ok(j.months.get(p)!.sub(cap).abs().lt(NEAR), `${at}: ${p} is not at the ceiling`);
      assert.ok(!ec.includes(p), `${at}: ${p} at the ceiling cut by the exact rule`);
    }
    assert.deepEqual(
      ey.map((y) => [y.year, y.months]),
      dy.map((y) => [y.year, y.months]),
      at,
    );
    ey.forEach((y, i) => {
      if (y.index !== dy[i]!.index) assertHalfWay(j.years.get(y.year)!, y.index, `${at}: year ${y.year}`);
    });
    if (eRest.averageIndex !== dRest.averageIndex) assertHalfWay(j.z!, eRest.averageIndex, `${at}: Z`);
    assert.deepEqual({ ...eRest, averageIndex: null }, { ...dRest, averageIndex: null }, at);
    // The trace: the same steps but the list of months cut (judged above; none left drops the step),
    // the sum and Z (judged as half-way points).
    const CUT = 'months cut to the ceiling';
    const et = exact.trace.filter((x) => x.step !== CUT);
    const dt = decimal.trace.filter((x) => x.step !== CUT);
    assert.equal(et.length, dt.length, at);
    et.forEach((step, i) => {
      if (isDeepStrictEqual(step, dt[i])) return;
      if (step.step.startsWith('sum of the monthly indices'))
        assertHalfWay(j.sum, step.value as string, `${at}: the sum's trace step`);
      else assert.equal(step.value, eRest.averageIndex, `${at}: trace step ${step.step}`);
      assert.equal(step.step, dt[i]!.step, at);
    });
    assert.deepEqual(exact.trace.find((x) => x.step === CUT)?.value ?? [], ec, at);
  }
  // The set covers what it claims to; the judged points are rare.
  assert.ok(lines > SEEDS * 40, `${lines} lines`);
  assert.ok(multi > SEEDS / 4, `${multi} histories with a month of several employers`);
  assert.ok(capped > SEEDS / 4, `${capped} histories with a capped month`);
  assert.ok(
    judged > 0 && judged < SEEDS / 200,
    `${judged} histories with a half-way point or a month at the ceiling`,
  );
  if (process.env['INDEX_EQUIVALENCE_SEEDS'])
    console.log(
      `${SEEDS} histories, ${lines} lines: ${judged} with a half-way point or a month at the ceiling`,
    );
});

test('quotients that do not end and a total exactly half-way: the same half-up result', () => {
  const params = projectParams();
  // 1/3 + 2/3 of the wage over two months: 0.5000 (the worked example), and totals whose mean is
  // exactly half-way at the 5th decimal from shares that do not end (x/300000 and x/7).
  const cases: ContributionIndexInput[] = [
    {
      region: '341800',
      lines: [
        { period: '2024-01', baseFen: 100000, averageWageFen: 300000 },
        { period: '2024-02', baseFen: 200000, averageWageFen: 300000 },
      ],
    },
    {
      region: '341800',
      lines: [150013, 150013, 150013, 150021].map((b, i) => ({
        period: `2024-0${i + 1}`,
        baseFen: b,
        averageWageFen: 300000,
      })),
    },
    {
      region: '341800',
      lines: [
        { period: '2024-01', baseFen: 1, averageWageFen: 7 },
        { period: '2024-01', baseFen: 6, averageWageFen: 7 },
        { period: '2024-02', baseFen: 100010, averageWageFen: 100000 },
      ],
    },
  ];
  const z = cases.map((input) => {
    const exact = run(computeContributionIndex, input, params);
    assert.deepEqual(exact, run(decimalReference, input, params));
    return exact.result.averageIndex;
  });
  assert.deepEqual(z, ['0.5000', '0.5001', '1.0001']);
});

test('a year exactly half-way after quotients that do not end: 2.12065 → 2.1207 (the decimal version said 2.1206)', () => {
  // Wage 7,000.00; five months over the ceiling (cut to 3) and four at 4,666.60, 5,555.52, 7,777.70
  // and 10,601.13: (15 + 28,600.95 ÷ 7,000) ÷ 9 = 2.12065 exactly (cases/contribution-index.yaml).
  const bases = [2100001, 2100001, 2100001, 2100001, 2100001, 466660, 555552, 777770, 1060113];
  const input: ContributionIndexInput = {
    region: '341800',
    lines: bases.map((baseFen, i) => ({
      period: `2006-0${i + 1}`,
      baseFen,
      averageWageFen: 700000,
    })),
  };
  const params = projectParams();
  const exact = run(computeContributionIndex, input, params).result;
  assert.equal(exact.averageIndex, '2.1207');
  assert.deepEqual(exact.years, [{ year: 2006, months: 9, index: '2.1207' }]);
  assert.equal(run(decimalReference, input, params).result.averageIndex, '2.1206');
});

test('a negative base (a correction) rounds away from zero like the decimal rule, "-0.0000" included', () => {
  const params = projectParams();
  for (const baseFen of [-1, -40, -50, -60, -800000]) {
    const input: ContributionIndexInput = {
      region: '341800',
      lines: [{ period: '2024-01', baseFen, averageWageFen: 800000 }],
    };
    assert.deepEqual(run(computeContributionIndex, input, params), run(decimalReference, input, params));
  }
});

test('lines in period order (summed run by run) and the same lines in any order (merged by period) give the same result and trace', () => {
  const params = paramsWithChangingCeiling();
  let ordered = 0;
  for (let seed = 1; seed <= 2000; seed++) {
    const input = generate(seed);
    // Stable: a month's lines keep their order, as the readers send them.
    const inOrder = {
      ...input,
      lines: [...input.lines].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0)),
    };
    if (input.lines.every((l, i) => l === inOrder.lines[i])) ordered++;
    assert.deepEqual(
      run(computeContributionIndex, inOrder, params),
      run(computeContributionIndex, input, params),
      `seed ${seed}`,
    );
  }
  // Most generated histories are out of order, so both ways are taken.
  assert.ok(ordered < 1000, `${ordered} histories already in order`);
});
