// `injury-death`: benefits on a work-related death (工伤保险条例 Art. 39): funeral grant = 6 ×
// the regional average monthly wage; one-off death grant = 20 × the prior-year national urban
// per-capita disposable income; dependants' pension = 40% of the insured wage to the spouse, 30%
// to each other dependant, +10% for a lone elder or orphan, the total capped at the insured wage.
import type { RuleDefinition } from '../core/rule.ts';
import { yearOf, type IsoDate } from '../core/dates.ts';
import { asObject, FieldReader } from '../core/input.ts';
import { applyPercent, Dec, fen, mulDiv, roundFen, sumFen, type Fen } from '../core/money.ts';
import { NATIONAL, type ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { getParam, positiveFen } from '../core/rule-support.ts';
import { injuryInsuredWage } from './insured-wage.rules.ts';
import { DEPENDENT_RELATIONS, type DependentRelation } from './injury-codes.rules.ts';

export interface Dependent {
  relation: DependentRelation;
  /** A lone elder (孤寡老人) or an orphan (孤儿): +10%. */
  alone?: boolean | undefined;
}

export interface InjuryDeathInput {
  deathDate: IsoDate;
  averageMonthlyWageFen: Fen;
  regionalAverageWageFen: Fen;
  dependents: Dependent[];
  /** A grade 1–4 worker who dies after paid leave ended gets no death grant (Art. 39, last paragraph). */
  grade1to4AfterPaidLeave?: boolean | undefined;
}

export interface InjuryDeathResult {
  insuredWageFen: Fen;
  funeralGrantFen: Fen;
  deathGrantFen: Fen;
  dependentAmounts: Array<{ relation: DependentRelation; percent: number; amountFen: Fen }>;
  dependentsUncappedFen: Fen;
  dependentsMonthlyFen: Fen;
  dependentsCapped: boolean;
  lumpSumTotalFen: Fen;
}

interface DependentPercents {
  spouse: number;
  other: number;
  aloneExtra: number;
}

export function assessInjuryDeath(
  input: InjuryDeathInput,
  params: ParamStore,
  trace?: Trace,
): InjuryDeathResult {
  const date = input.deathDate;
  const { clampedFen: insuredWageFen } = injuryInsuredWage(
    params,
    date,
    input.averageMonthlyWageFen,
    input.regionalAverageWageFen,
    'deathDate',
    trace,
  );

  const funeralMonths = getParam<number>(
    params,
    'injury/funeral-grant-months',
    NATIONAL,
    date,
    trace,
    'deathDate',
  );
  const funeralGrantFen = mulDiv(input.regionalAverageWageFen, funeralMonths);
  trace?.add(
    `funeral grant = regional average wage ${input.regionalAverageWageFen} × ${funeralMonths}`,
    funeralGrantFen,
    'fen',
    `丧葬补助金 = 统筹地区上年度职工月平均工资 × ${funeralMonths}`,
  );

  let deathGrantFen: Fen;
  if (input.grade1to4AfterPaidLeave === true) {
    deathGrantFen = fen(0);
    trace?.add(
      'grade 1–4 worker who died after paid leave ended: no one-off death grant',
      0,
      'fen',
      '一至四级伤残职工停工留薪期满后死亡：无一次性工亡补助金',
    );
  } else {
    const multiple = getParam<number>(
      params,
      'injury/death-grant-multiple',
      NATIONAL,
      date,
      trace,
      'deathDate',
    );
    const income = getParam<Fen>(
      params,
      'injury/death-grant-income-base',
      NATIONAL,
      date,
      trace,
      'deathDate',
    );
    deathGrantFen = roundFen(new Dec(income).mul(multiple));
    trace?.add(
      `one-off death grant = ${multiple} × prior-year national urban disposable income ${income} (death in ${yearOf(date)})`,
      deathGrantFen,
      'fen',
      `一次性工亡补助金 = 上一年度全国城镇居民人均可支配收入 × ${multiple}`,
    );
  }

  const pct = getParam<DependentPercents>(
    params,
    'injury/dependent-pension-percent',
    NATIONAL,
    date,
    trace,
    'deathDate',
  );
  const dependentAmounts = input.dependents.map((d) => {
    const percent =
      (d.relation === 'spouse' ? pct.spouse : pct.other) + (d.alone === true ? pct.aloneExtra : 0);
    const amountFen = applyPercent(insuredWageFen, percent);
    trace?.add(
      `dependant (${d.relation}${d.alone === true ? ', alone' : ''}) = round(insured wage ${insuredWageFen} × ${percent}%)`,
      amountFen,
      'fen',
      `供养亲属抚恤金（${d.relation}${d.alone === true ? '，孤寡或孤儿' : ''}）= 本人工资 × ${percent}%`,
    );
    return { relation: d.relation, percent, amountFen };
  });
  const dependentsUncappedFen = sumFen(...dependentAmounts.map((d) => d.amountFen));
  const dependentsCapped = dependentsUncappedFen > insuredWageFen;
  const dependentsMonthlyFen = dependentsCapped ? insuredWageFen : dependentsUncappedFen;
  trace?.add(
    `dependants' pension total = min(sum ${dependentsUncappedFen}, insured wage ${insuredWageFen})`,
    dependentsMonthlyFen,
    'fen',
    '供养亲属抚恤金合计（不高于工亡职工本人工资）',
  );
  const lumpSumTotalFen = sumFen(funeralGrantFen, deathGrantFen);
  trace?.add(
    'one-off payments = funeral grant + death grant',
    lumpSumTotalFen,
    'fen',
    '一次性支付合计 = 丧葬补助金 + 一次性工亡补助金',
  );
  return {
    insuredWageFen,
    funeralGrantFen,
    deathGrantFen,
    dependentAmounts,
    dependentsUncappedFen,
    dependentsMonthlyFen,
    dependentsCapped,
    lumpSumTotalFen,
  };
}

export function parseInjuryDeathInput(r: FieldReader): InjuryDeathInput {
  const deathDate = r.date('deathDate');
  const averageMonthlyWageFen = r.fen('averageMonthlyWageFen');
  const regionalAverageWageFen = positiveFen(r.fen('regionalAverageWageFen'), 'regionalAverageWageFen');
  const dependents = r.array('dependents').map((item, i): Dependent => {
    const path = `dependents[${i}]`;
    const d = new FieldReader(asObject(item, path), path);
    return {
      relation: d.oneOf('relation', DEPENDENT_RELATIONS),
      alone: d.optional('alone', (k) => d.boolean(k)),
    };
  });
  return {
    deathDate,
    averageMonthlyWageFen,
    regionalAverageWageFen,
    dependents,
    grade1to4AfterPaidLeave: r.optional('grade1to4AfterPaidLeave', (k) => r.boolean(k)),
  };
}

export const injuryDeathRule: RuleDefinition<InjuryDeathInput, InjuryDeathResult> = {
  name: 'injury-death',
  title: {
    zh: '工亡待遇（丧葬补助金、一次性工亡补助金、供养亲属抚恤金）',
    en: 'Work-related death benefits',
  },
  parse: (r) => parseInjuryDeathInput(r),
  compute: (input, { params, trace }) => assessInjuryDeath(input, params, trace),
};
