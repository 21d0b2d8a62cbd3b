// `contribution`: monthly assessment of pension, unemployment and work-injury contributions on a
// base clamped to 60%–300% of the region's average wage, with dated rates and phased cuts.
//
// For batches (monthly assessment of millions of people) resolve the rates once per region and
// period with `resolveContributionRates` and call `computeContribution` per person, without a trace.
import { readRegion, type RuleDefinition } from '../core/rule.ts';
import { periodStart, type IsoDate, type Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { FieldReader } from '../core/input.ts';
import { applyPercent, Dec, roundFen, sumFen, type Fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import {
  clampToAverage,
  getParam,
  optionalParam,
  positiveFen,
  requireRegionalFigure,
} from '../core/rule-support.ts';

export type ContributionKind = 'employee' | 'flexible';
export const CONTRIBUTION_KINDS: readonly ContributionKind[] = ['employee', 'flexible'];

export interface ContributionInput {
  region: string;
  period: Period;
  kind: ContributionKind;
  /** The employee's wage (prior-year monthly average) or the flexible worker's chosen base. */
  wageFen: Fen;
  /** Overrides the region's average wage parameter. */
  averageWageFen?: Fen | undefined;
  /** The employer's own work-injury rate in basis points; otherwise the industry class benchmark. */
  injuryRateBp?: number | undefined;
  /** Work-injury industry risk class 1–8 (I–VIII) when no rate is given; default class I. */
  industryClass?: number | undefined;
}

export interface ContributionResult {
  averageWageFen: Fen;
  floorFen: Fen;
  ceilingFen: Fen;
  baseFen: Fen;
  pension: { employerFen: Fen; employeeFen: Fen; personalAccountFen: Fen };
  unemployment: { employerFen: Fen; employeeFen: Fen };
  injury: { employerFen: Fen; rateBp: number; cutPercent: number };
  employerTotalFen: Fen;
  employeeTotalFen: Fen;
  totalFen: Fen;
}

/** Every rate the assessment needs for one region and period; resolve once, apply to many people. */
export interface ContributionRates {
  region: string;
  period: Period;
  kind: ContributionKind;
  averageWageFen: Fen;
  floorPercent: number;
  ceilingPercent: number;
  pensionEmployerPercent: number;
  pensionEmployeePercent: number;
  personalAccountPercent: number;
  unemploymentEmployerPercent: number;
  unemploymentEmployeePercent: number;
  /** Effective work-injury rate before the phased cut, in bp. */
  injuryRateBp: number;
  injuryCutPercent: number;
}

const P = 'contributions/';

/** The unemployment rates in force: the phased cut while it lasts, else the statutory rates. */
function unemploymentRates(
  params: ParamStore,
  region: string,
  date: IsoDate,
  trace?: Trace,
): { employer: number; employee: number } {
  const cutEmployer = optionalParam<number>(
    params,
    `${P}unemployment-cut-employer-rate`,
    region,
    date,
    trace,
  );
  const cutEmployee = optionalParam<number>(
    params,
    `${P}unemployment-cut-employee-rate`,
    region,
    date,
    trace,
  );
  if (cutEmployer !== undefined && cutEmployee !== undefined) {
    trace?.add('unemployment: phased cut in force', true, 'boolean', '失业保险：阶段性降费率期间');
    return { employer: cutEmployer, employee: cutEmployee };
  }
  return {
    employer: getParam<number>(params, `${P}unemployment-employer-rate`, region, date, trace, 'period'),
    employee: getParam<number>(params, `${P}unemployment-employee-rate`, region, date, trace, 'period'),
  };
}

/** An employer whose industry risk class is not recorded is billed at class I's benchmark rate. */
export const DEFAULT_INDUSTRY_CLASS = 1;

function injuryRate(
  params: ParamStore,
  region: string,
  date: IsoDate,
  input: Pick<ContributionInput, 'injuryRateBp' | 'industryClass'>,
  trace?: Trace,
): number {
  if (input.injuryRateBp !== undefined) {
    trace?.add(
      "work-injury rate (employer's own, bp)",
      input.injuryRateBp,
      'bp',
      '工伤保险费率（单位费率，基点）',
    );
    return input.injuryRateBp;
  }
  const table = getParam<Record<string, number>>(
    params,
    `${P}injury-industry-rate`,
    region,
    date,
    trace,
    'period',
  );
  const cls = input.industryClass ?? DEFAULT_INDUSTRY_CLASS;
  const bp = table[String(cls)];
  if (typeof bp !== 'number') {
    throw new SbError('SB_ERR_PARAMETER_MISSING', {
      field: 'industryClass',
      zh: `行业类别 ${cls} 无基准费率`,
      en: `no benchmark rate for class ${cls}`,
    });
  }
  trace?.add(
    `work-injury benchmark rate, industry class ${cls}${input.industryClass === undefined ? ' (default class I)' : ''} (bp)`,
    bp,
    'bp',
    `工伤保险行业基准费率（第${cls}类，基点）`,
  );
  return bp;
}

export function resolveContributionRates(
  params: ParamStore,
  input: Pick<
    ContributionInput,
    'region' | 'period' | 'kind' | 'averageWageFen' | 'injuryRateBp' | 'industryClass'
  >,
  trace?: Trace,
): ContributionRates {
  const { region, period, kind } = input;
  const date = periodStart(period);
  trace?.add('assessed on the first day of the period', date, 'date', '按缴费期间首日确定参数');
  let averageWageFen: Fen;
  if (input.averageWageFen !== undefined) {
    averageWageFen = positiveFen(input.averageWageFen, 'averageWageFen');
    trace?.add('average wage (given)', averageWageFen, 'fen', '社会平均工资（输入）');
  } else {
    averageWageFen = positiveFen(
      requireRegionalFigure<Fen>(params, `${P}average-wage`, region, date, 'averageWageFen', trace),
      'averageWageFen',
    );
  }
  /** A percentage parameter of the contribution scheme in force on the period's first day. */
  const percent = (name: string): number =>
    getParam<number>(params, `${P}${name}`, region, date, trace, 'period');
  const floorPercent = percent('base-floor-percent');
  const ceilingPercent = percent('base-ceiling-percent');
  // what every kind's rates carry, in this order
  const scheme = { region, period, kind, averageWageFen, floorPercent, ceilingPercent };
  if (kind === 'flexible') {
    return {
      ...scheme,
      pensionEmployerPercent: 0,
      pensionEmployeePercent: percent('flexible-pension-rate'),
      personalAccountPercent: percent('flexible-personal-account-rate'),
      unemploymentEmployerPercent: 0,
      unemploymentEmployeePercent: 0,
      injuryRateBp: 0,
      injuryCutPercent: 0,
    };
  }
  const pensionEmployerPercent = percent('pension-employer-rate');
  const pensionEmployeePercent = percent('pension-employee-rate');
  const personalAccountPercent = percent('pension-personal-account-rate');
  const u = unemploymentRates(params, region, date, trace);
  const injuryRateBp = injuryRate(params, region, date, input, trace);
  const injuryCutPercent =
    optionalParam<number>(params, `${P}injury-phased-cut-percent`, region, date, trace) ?? 0;
  return {
    ...scheme,
    pensionEmployerPercent,
    pensionEmployeePercent,
    personalAccountPercent,
    unemploymentEmployerPercent: u.employer,
    unemploymentEmployeePercent: u.employee,
    injuryRateBp,
    injuryCutPercent,
  };
}

const ZERO = 0 as Fen;

/** Pure and cheap: the contributions of one person for one period at resolved rates. */
export function computeContribution(
  rates: ContributionRates,
  wageFen: Fen,
  trace?: Trace,
): ContributionResult {
  const {
    floorFen,
    ceilingFen,
    clampedFen: baseFen,
  } = clampToAverage(wageFen, rates.averageWageFen, rates.floorPercent, rates.ceilingPercent, trace);
  const part = (percent: number, en: string, zh: string): Fen => {
    const v = applyPercent(baseFen, percent);
    trace?.add(`${en} = round(base ${baseFen} × ${percent}%)`, v, 'fen', `${zh} = 缴费基数 × ${percent}%`);
    return v;
  };
  let pension: ContributionResult['pension'];
  let unemployment: ContributionResult['unemployment'];
  let injury: ContributionResult['injury'];
  if (rates.kind === 'flexible') {
    pension = {
      employerFen: ZERO,
      employeeFen: part(
        rates.pensionEmployeePercent,
        'flexible worker pension (paid wholly by the worker)',
        '灵活就业人员养老保险费（全部个人缴纳）',
      ),
      personalAccountFen: part(
        rates.personalAccountPercent,
        'of which credited to the personal account',
        '其中计入个人账户',
      ),
    };
    unemployment = { employerFen: ZERO, employeeFen: ZERO };
    injury = { employerFen: ZERO, rateBp: 0, cutPercent: 0 };
    trace?.add(
      'flexible worker: no unemployment or work-injury contribution',
      0,
      'fen',
      '灵活就业人员：不缴失业、工伤保险',
    );
  } else {
    pension = {
      employerFen: part(rates.pensionEmployerPercent, 'pension, employer', '养老保险单位缴费'),
      employeeFen: part(rates.pensionEmployeePercent, 'pension, employee', '养老保险个人缴费'),
      personalAccountFen: part(
        rates.personalAccountPercent,
        'credited to the personal account',
        '计入个人账户',
      ),
    };
    unemployment = {
      employerFen: part(rates.unemploymentEmployerPercent, 'unemployment, employer', '失业保险单位缴费'),
      employeeFen: part(rates.unemploymentEmployeePercent, 'unemployment, employee', '失业保险个人缴费'),
    };
    const injuryFen = roundFen(
      new Dec(baseFen).mul(rates.injuryRateBp).mul(new Dec(100).minus(rates.injuryCutPercent)).div(1_000_000),
    );
    trace?.add(
      `work injury, employer = round(base ${baseFen} × ${rates.injuryRateBp} bp × (100% − cut ${rates.injuryCutPercent}%))`,
      injuryFen,
      'fen',
      '工伤保险单位缴费 = 缴费基数 × 费率 × (1 − 阶段性降幅)',
    );
    injury = { employerFen: injuryFen, rateBp: rates.injuryRateBp, cutPercent: rates.injuryCutPercent };
  }
  const employerTotalFen = sumFen(pension.employerFen, unemployment.employerFen, injury.employerFen);
  const employeeTotalFen = sumFen(pension.employeeFen, unemployment.employeeFen);
  const totalFen = sumFen(employerTotalFen, employeeTotalFen);
  trace?.add('total = sum of the rounded parts', totalFen, 'fen', '合计 = 各项（已取整）之和');
  return {
    averageWageFen: rates.averageWageFen,
    floorFen,
    ceilingFen,
    baseFen,
    pension,
    unemployment,
    injury,
    employerTotalFen,
    employeeTotalFen,
    totalFen,
  };
}

/** One person, one period: resolve the rates and assess. */
export function assessContribution(
  input: ContributionInput,
  params: ParamStore,
  trace?: Trace,
): ContributionResult {
  return computeContribution(resolveContributionRates(params, input, trace), input.wageFen, trace);
}

export function parseContributionInput(r: FieldReader, params: ParamStore): ContributionInput {
  return {
    region: readRegion(r, params),
    period: r.period('period'),
    kind: r.oneOf('kind', CONTRIBUTION_KINDS),
    wageFen: r.fen('wageFen'),
    averageWageFen: r.optional('averageWageFen', (k) => r.fen(k)),
    injuryRateBp: r.optional('injuryRateBp', (k) => r.int(k, { min: 0, max: 10_000 })),
    industryClass: r.optional('industryClass', (k) => r.int(k, { min: 1, max: 8 })),
  };
}

export const contributionRule: RuleDefinition<ContributionInput, ContributionResult> = {
  name: 'contribution',
  title: {
    zh: '社会保险费核定（养老、失业、工伤）',
    en: 'Contribution assessment (pension, unemployment, work injury)',
  },
  parse: parseContributionInput,
  compute: (input, { params, trace }) => assessContribution(input, params, trace),
};
