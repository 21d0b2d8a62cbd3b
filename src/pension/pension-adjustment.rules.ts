// `pension-adjustment`: the yearly increase of a retiree's basic pension under the region's rule for
// that year (定额调整 + 挂钩调整 + 适当倾斜), encoded as a list of components in the parameters.
import { readRegion, type RuleDefinition } from '../core/rule.ts';
import { ageInYears, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { FieldReader } from '../core/input.ts';
import { applyPercent, dec, fen, roundFen, sumFen, yuanToFen, type Dec, type Fen } from '../core/money.ts';
import { NATIONAL, type ParamStore, type ResolvedParam } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import {
  badTable,
  lookupStrict,
  tableArray,
  tableNumber,
  tableObject,
  tableOptionalNumber,
  traceParam,
} from '../core/rule-support.ts';

export interface PensionAdjustmentInput {
  region: string;
  year: number;
  /** The monthly pension before the adjustment (e.g. December of the prior year). */
  monthlyPensionFen: Fen;
  contributionMonths: number;
  birthDate: IsoDate;
  retirementDate: IsoDate;
}

export type AdjustmentKind = 'fixed' | 'perYearBanded' | 'percentOfOwn' | 'ageTilt' | 'pensionBand' | 'floor';

export interface AdjustmentComponentResult {
  kind: AdjustmentKind;
  amountFen: Fen;
}

export interface PensionAdjustmentResult {
  eligible: boolean;
  increaseFen: Fen;
  newMonthlyPensionFen: Fen;
  components: AdjustmentComponentResult[];
}

/** The parameter holding each region's adjustment rule, year by year. */
export const ADJUSTMENT_RULES = 'pension/adjustment-rules';
const RULES = ADJUSTMENT_RULES;
const OVERALL = 'pension/adjustment-overall-rate';

type PartYear = 'up' | 'down' | 'exact';

interface Ctx {
  input: PensionAdjustmentInput;
  trace: Trace;
  /** Sum of the components before this one (for floors). */
  soFar: Fen;
}

/** Records the component's own uncertainty or note in the trace. */
function componentNote(c: Record<string, unknown>, trace: Trace): void {
  if (c['uncertain'] === true || typeof c['note'] === 'string') {
    trace.push({
      step: `note on the ${String(c['kind'])} component`,
      stepZh: '调整项说明',
      value: typeof c['note'] === 'string' ? c['note'] : '',
      unit: 'text',
      ...(c['uncertain'] === true ? { uncertain: true } : {}),
    });
  }
}

function countedYears(months: number, rule: PartYear): Dec {
  switch (rule) {
    case 'up':
      return dec(Math.ceil(months / 12));
    case 'down':
      return dec(Math.floor(months / 12));
    case 'exact':
      return dec(months).div(12);
  }
}

const decMin = (a: Dec, b: Dec): Dec => (a.lt(b) ? a : b);
const decMax = (a: Dec, b: Dec): Dec => (a.gt(b) ? a : b);

const PART_YEAR_ZH: Record<PartYear, string> = { up: '不足1年按1年计', down: '按满年计', exact: '计算到月' };

/** Marginal per-year amounts, band by band like tax brackets, then the part's own minimum. */
function perYearBanded(c: Record<string, unknown>, { input, trace }: Ctx): Fen {
  const partYear = c['partYear'];
  if (partYear !== 'up' && partYear !== 'down' && partYear !== 'exact')
    throw badTable(RULES, 'perYearBanded.partYear must be up, down or exact');
  const years = countedYears(input.contributionMonths, partYear);
  trace.add(
    `years counted from ${input.contributionMonths} months (part year: ${partYear})`,
    years.toNumber(),
    'years',
    `挂钩缴费年限（${PART_YEAR_ZH[partYear]}）`,
  );
  let previous = dec(0);
  let yuan = dec(0);
  const pieces: string[] = [];
  for (const raw of tableArray(RULES, c['bands'], 'perYearBanded.bands')) {
    const band = tableObject(RULES, raw, 'a band');
    const perYear = tableNumber(RULES, band, 'perYear');
    const upTo = tableOptionalNumber(RULES, band, 'upToYears');
    const top = upTo === undefined ? years : decMin(years, dec(upTo));
    const inBand = decMax(dec(0), top.minus(previous));
    if (inBand.gt(0)) {
      yuan = yuan.plus(inBand.mul(perYear));
      pieces.push(`${inBand.toString()} × ${perYear}`);
    }
    if (upTo === undefined) break;
    previous = dec(upTo);
  }
  let amount = roundFen(yuan.mul(100));
  trace.add(
    `years-linked part = ${pieces.join(' + ') || '0'} yuan`,
    amount,
    'fen',
    `挂钩调整（缴费年限，逐档累计）= ${pieces.join(' + ') || '0'} 元`,
  );
  const min = tableOptionalNumber(RULES, c, 'minTotal');
  if (min !== undefined && amount < yuanToFen(min)) {
    amount = yuanToFen(min);
    trace.add(
      `years-linked part raised to its minimum ${min} yuan`,
      amount,
      'fen',
      `挂钩调整不足 ${min} 元的按 ${min} 元`,
    );
  }
  return amount;
}

function ageTilt(c: Record<string, unknown>, { input, trace }: Ctx): Fen {
  if (c['ageAsOf'] !== 'prior-year-end') throw badTable(RULES, 'ageTilt.ageAsOf must be prior-year-end');
  const asOf = `${input.year - 1}-12-31`;
  const age = ageInYears(input.birthDate, asOf);
  trace.add(`age in whole years on ${asOf}`, age, 'age', `${input.year - 1}年12月31日周岁`);
  for (const raw of tableArray(RULES, c['bands'], 'ageTilt.bands')) {
    const band = tableObject(RULES, raw, 'a band');
    const minAge = tableNumber(RULES, band, 'minAge');
    const maxAge = tableOptionalNumber(RULES, band, 'maxAge');
    if (age >= minAge && (maxAge === undefined || age <= maxAge)) {
      const amount = yuanToFen(tableNumber(RULES, band, 'amount'));
      trace.add(
        `age tilt for ${minAge}${maxAge === undefined ? '+' : `–${maxAge}`}`,
        amount,
        'fen',
        `高龄倾斜（${minAge}${maxAge === undefined ? '岁以上' : `–${maxAge}岁`}）`,
      );
      return amount;
    }
  }
  trace.add('no age tilt', 0, 'fen', '不符合高龄倾斜');
  return fen(0);
}

function pensionBand(c: Record<string, unknown>, { input, trace }: Ctx): Fen {
  for (const raw of tableArray(RULES, c['bands'], 'pensionBand.bands')) {
    const band = tableObject(RULES, raw, 'a band');
    const below = tableOptionalNumber(RULES, band, 'below');
    if (below === undefined || input.monthlyPensionFen < yuanToFen(below)) {
      const amount = yuanToFen(tableNumber(RULES, band, 'amount'));
      trace.add(
        `pension band ${below === undefined ? 'top' : `below ${below} yuan`}`,
        amount,
        'fen',
        `按调整前养老金分档${below === undefined ? '（最高档）' : `（低于${below}元）`}`,
      );
      return amount;
    }
  }
  throw badTable(RULES, 'pensionBand needs a last band without "below"');
}

const COMPONENTS: Readonly<Record<AdjustmentKind, (c: Record<string, unknown>, ctx: Ctx) => Fen>> = {
  fixed: (c, { trace }) => {
    const amount = yuanToFen(tableNumber(RULES, c, 'amount'));
    trace.add('fixed amount', amount, 'fen', '定额调整');
    return amount;
  },
  perYearBanded,
  percentOfOwn: (c, { input, trace }) => {
    const percent = tableNumber(RULES, c, 'percent');
    const amount = applyPercent(input.monthlyPensionFen, percent);
    trace.add(
      `${percent}% of own pension ${input.monthlyPensionFen} fen`,
      amount,
      'fen',
      `按本人基本养老金 ${percent}% 挂钩调整`,
    );
    return amount;
  },
  ageTilt,
  pensionBand,
  floor: (c, { input, trace, soFar }) => {
    const floor = yuanToFen(tableNumber(RULES, c, 'amount'));
    const reached = input.monthlyPensionFen + soFar;
    const amount = fen(Math.max(0, floor - reached));
    trace.add(`raise to the minimum pension ${floor} fen`, amount, 'fen', '补足至最低基本养老金标准');
    return amount;
  },
};

const isKind = (k: unknown): k is AdjustmentKind => typeof k === 'string' && k in COMPONENTS;

/** The region's own adjustment rule of that year (not the national one); an error when none is encoded. */
export function adjustmentRuleInForce(
  params: ParamStore,
  region: string,
  year: number,
): ResolvedParam<unknown> {
  const rule = lookupStrict<unknown>(params, RULES, region, `${year}-12-31`, { year, regionOnly: true });
  if (!rule) {
    throw new SbError('SB_ERR_RULE_NOT_IN_FORCE', {
      field: 'year',
      zh: `地区 ${region} ${year}年的基本养老金调整办法未录入`,
      en: `no pension adjustment rule is encoded for region ${region} in ${year}`,
    });
  }
  return rule;
}

/** The rule's components in order, each as its table (kind and the kind's own fields). */
export function componentTables(rule: ResolvedParam<unknown>): Array<Record<string, unknown>> {
  const table = tableObject(RULES, rule.value, 'the rule');
  return tableArray(RULES, table['components'], 'components').map((raw) =>
    tableObject(RULES, raw, 'a component'),
  );
}

export function computePensionAdjustment(
  input: PensionAdjustmentInput,
  params: ParamStore,
  trace: Trace,
): PensionAdjustmentResult {
  const rule = adjustmentRuleInForce(params, input.region, input.year);
  traceParam(trace, rule, `${input.year}年基本养老金调整办法`);
  const overall = lookupStrict<number>(params, OVERALL, NATIONAL, `${input.year}-12-31`, {
    year: input.year,
  });
  if (overall) traceParam(trace, overall, `${input.year}年全国总体调整水平（上限）`);
  const retiredBy = `${input.year - 1}-12-31`;
  const eligible = input.retirementDate <= retiredBy;
  trace.add(`retired on or before ${retiredBy}`, eligible, 'boolean', `${retiredBy}前（含）已退休`);
  if (!eligible) {
    return {
      eligible: false,
      increaseFen: fen(0),
      newMonthlyPensionFen: input.monthlyPensionFen,
      components: [],
    };
  }
  const components: AdjustmentComponentResult[] = [];
  let soFar = fen(0);
  for (const c of componentTables(rule)) {
    const kind = c['kind'];
    if (!isKind(kind)) throw badTable(RULES, `unknown component kind ${String(kind)}`);
    componentNote(c, trace);
    const amountFen = COMPONENTS[kind](c, { input, trace, soFar });
    components.push({ kind, amountFen });
    soFar = sumFen(soFar, amountFen);
  }
  const newMonthly = sumFen(input.monthlyPensionFen, soFar);
  trace.add('increase = sum of the components', soFar, 'fen', '调整额 = 各项之和');
  trace.add('new monthly pension', newMonthly, 'fen', '调整后月基本养老金');
  return { eligible: true, increaseFen: soFar, newMonthlyPensionFen: newMonthly, components };
}

export function parsePensionAdjustment(r: FieldReader, params: ParamStore): PensionAdjustmentInput {
  const input: PensionAdjustmentInput = {
    region: readRegion(r, params),
    year: r.int('year', { min: 1990, max: 2100 }),
    monthlyPensionFen: r.fen('monthlyPensionFen'),
    contributionMonths: r.months('contributionMonths'),
    birthDate: r.date('birthDate'),
    retirementDate: r.date('retirementDate'),
  };
  if (input.retirementDate <= input.birthDate) {
    throw new SbError('SB_ERR_VALIDATION', {
      field: 'retirementDate',
      zh: '退休日期应晚于出生日期',
      en: 'retirementDate must be after birthDate',
    });
  }
  return input;
}

export const pensionAdjustmentRule: RuleDefinition<PensionAdjustmentInput, PensionAdjustmentResult> = {
  name: 'pension-adjustment',
  title: { zh: '基本养老金年度调整', en: 'Annual pension adjustment' },
  parse: parsePensionAdjustment,
  compute: (input, { params, trace }) => computePensionAdjustment(input, params, trace),
};
