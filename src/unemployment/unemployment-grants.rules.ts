// One-off unemployment grants of the calculation contract:
// - `unemployment-subsidy` (失业补助金, 2020–2021): people whose benefit ended without a job, and insured
//   unemployed people who do not qualify for benefit, get up to `subsidy-months` months at up to
//   `subsidy-percent` of the local monthly benefit (domain.md §6.3, domain-2.md §2.4). No medical premiums,
//   funeral grant or 抚恤金 for recipients.
// - `migrant-allowance` (农民合同制工人一次性生活补助, 失业保险条例 Art. 21): ≥1 year of continuous work →
//   months of the local benefit per full year, capped (province-set; params/unemployment/migrant-allowance.yaml).
// - `unemployment-death-grant` (社会保险法 Art. 49): funeral grant and 抚恤金 on death during receipt, as
//   multiples of the person's own monthly benefit (params/unemployment/death-benefit.yaml).
import { readRegion, type RuleDefinition } from '../core/rule.ts';
import { dateInWords, yearOf, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { FieldReader } from '../core/input.ts';
import { applyPercent, fen, type Fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import type { SubsidyGroup } from './unemployment-codes.rules.ts';
import { getParam, traceParam } from '../core/rule-support.ts';

const P = 'unemployment/';

// ---- whether a grant takes applications ----

export interface GrantWindow {
  /** the grant's parameter has a value in force on the date */
  open: boolean;
  /** when closed after having been in force: the last day it was (the day before the null version) */
  until?: IsoDate;
}

/** The last day of the parameter's latest span in force that ended before `day` (none: undefined). */
function lastSpanEndBefore(
  params: ParamStore,
  path: string,
  region: string,
  day: IsoDate,
): IsoDate | undefined {
  return params
    .inForceSpans(path, region)
    .filter((s) => s.until !== undefined && s.until < day)
    .at(-1)?.until;
}

/**
 * Whether the citizen can apply for a grant on a date, read from the same parameter the rule reads (a
 * null version ends the policy), so the page offers no application the rule will refuse for its date.
 */
export function grantWindow(
  kind: 'subsidy' | 'migrant',
  region: string,
  on: IsoDate,
  params: ParamStore,
): GrantWindow {
  const path = `${P}${kind === 'subsidy' ? 'subsidy-percent' : 'migrant-allowance'}`;
  const r = params.tryResolve(path, region, on);
  if (r && r.value !== null) return { open: true };
  const until = lastSpanEndBefore(params, path, region, on);
  return until === undefined ? { open: false } : { open: false, until };
}

// ---- unemployment-subsidy ----

export interface UnemploymentSubsidyInput {
  region: string;
  claimDate: IsoDate;
  group: SubsidyGroup;
  /** for benefit-ended: the day the benefit entitlement ended */
  benefitEndDate?: IsoDate | undefined;
  /** the local monthly unemployment benefit the subsidy is a share of */
  monthlyBenefitFen: Fen;
}

export interface UnemploymentSubsidyResult {
  eligible: boolean;
  months: number;
  monthlyFen: Fen;
  totalFen: Fen;
  reason?: string;
  reasonZh?: string;
}

function notEligible(trace: Trace | undefined, reason: string, reasonZh: string): UnemploymentSubsidyResult {
  trace?.add('not eligible', reason, 'text', reasonZh);
  return { eligible: false, months: 0, monthlyFen: fen(0), totalFen: fen(0), reason, reasonZh };
}

/**
 * The refusal for a claim date the subsidy does not cover, with the dates of the span the parameter
 * gives for the region: the last one begun by then, else the first to come; none: it never applied there.
 */
function notInForce(
  trace: Trace | undefined,
  claimDate: IsoDate,
  spans: { from: IsoDate; until?: IsoDate }[],
): UnemploymentSubsidyResult {
  const on = { zh: dateInWords(claimDate, 'zh'), en: dateInWords(claimDate, 'en') };
  const span = spans.filter((s) => s.from <= claimDate).at(-1) ?? spans[0];
  if (!span)
    return notEligible(
      trace,
      `the unemployment subsidy is not paid on ${on.en}: it does not apply in this region`,
      `${on.zh}不在失业补助金政策执行期内：本地区未实施失业补助金政策`,
    );
  const from = { zh: dateInWords(span.from, 'zh'), en: dateInWords(span.from, 'en') };
  const window =
    span.until === undefined
      ? { zh: `${from.zh}起`, en: `it applies from ${from.en}` }
      : {
          zh: `${from.zh}至${dateInWords(span.until, 'zh')}`,
          en: `it ${span.from > claimDate ? 'applies' : 'applied'} from ${from.en} to ${dateInWords(span.until, 'en')}`,
        };
  return notEligible(
    trace,
    `the unemployment subsidy is not paid on ${on.en} (${window.en})`,
    `${on.zh}不在失业补助金政策执行期内（${window.zh}）`,
  );
}

export function assessUnemploymentSubsidy(
  input: UnemploymentSubsidyInput,
  params: ParamStore,
  trace?: Trace,
): UnemploymentSubsidyResult {
  const { region, claimDate, group } = input;
  trace?.add('group', group, 'code:unemployment.group', '人员类别');
  const inForce = params.tryResolve<number>(`${P}subsidy-percent`, region, claimDate);
  if (!inForce || inForce.value === null)
    return notInForce(trace, claimDate, params.inForceSpans(`${P}subsidy-percent`, region));
  if (group === 'benefit-ended') {
    const end = input.benefitEndDate;
    if (end === undefined)
      throw new SbError('SB_ERR_REQUIRED', {
        field: 'benefitEndDate',
        zh: 'benefitEndDate',
        en: 'benefitEndDate',
      });
    trace?.add('benefit entitlement ended', end, 'date', '失业保险金领取期满之日');
    if (end > claimDate)
      return notEligible(
        trace,
        `the benefit runs until ${dateInWords(end, 'en')}: not yet ended`,
        `失业保险金领取至${dateInWords(end, 'zh')}，尚未期满`,
      );
    // Benefit that ran out, on a day the subsidy was not in force, in a year after one of its spans had
    // ended is not covered: each year's continuation covers the people who became unemployed that year
    // (人社部发〔2021〕29号, 〔2022〕23号). The trace gives the version in force that day and its source.
    // No start date applies: 2019-01-01 is the 2020 migrant workers' allowance's, not this subsidy's.
    const endRule = params.tryResolve<number>(`${P}subsidy-percent`, region, end);
    if (endRule && endRule.value === null) {
      if (trace) traceParam(trace, endRule, '失业保险金期满之日的失业补助金政策');
      const lastUntil = lastSpanEndBefore(params, `${P}subsidy-percent`, region, end);
      if (lastUntil !== undefined && yearOf(end) > yearOf(lastUntil))
        return notEligible(
          trace,
          `the benefit ended on ${dateInWords(end, 'en')}, outside the years the subsidy applied`,
          `失业保险金于${dateInWords(end, 'zh')}期满，不在失业补助金适用年度`,
        );
    }
  }
  const percent = getParam<number>(params, `${P}subsidy-percent`, region, claimDate, trace, 'claimDate');
  const months = getParam<number>(params, `${P}subsidy-months`, region, claimDate, trace, 'claimDate');
  trace?.add('local monthly unemployment benefit', input.monthlyBenefitFen, 'fen', '当地失业保险金月标准');
  const monthlyFen = applyPercent(input.monthlyBenefitFen, percent);
  trace?.add(
    `monthly subsidy = round(${input.monthlyBenefitFen} × ${percent}%)`,
    monthlyFen,
    'fen',
    `失业补助金月标准 = 失业保险金 × ${percent}%`,
  );
  const totalFen = fen(monthlyFen * months);
  trace?.add(`total = ${monthlyFen} × ${months} months`, totalFen, 'fen', `合计 = 月标准 × ${months}个月`);
  return { eligible: true, months, monthlyFen, totalFen };
}

export const unemploymentSubsidyRule: RuleDefinition<UnemploymentSubsidyInput, UnemploymentSubsidyResult> = {
  name: 'unemployment-subsidy',
  title: { zh: '失业补助金（2020–2021年）', en: 'Unemployment subsidy (2020–2021)' },
  parse: (r: FieldReader, params: ParamStore) => {
    const group = r.string('group');
    if (group !== 'benefit-ended' && group !== 'not-qualified')
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'group',
        zh: '应为 benefit-ended 或 not-qualified',
        en: 'expected benefit-ended or not-qualified',
      });
    return {
      region: readRegion(r, params),
      claimDate: r.date('claimDate'),
      group,
      benefitEndDate: r.optional('benefitEndDate', (k) => r.date(k)),
      monthlyBenefitFen: r.fen('monthlyBenefitFen'),
    };
  },
  compute: (input, { params, trace }) => assessUnemploymentSubsidy(input, params, trace),
};

// ---- migrant-allowance ----

export interface MigrantAllowanceInput {
  region: string;
  separationDate: IsoDate;
  /** months of continuous work with the insured employer */
  continuousMonths: number;
  monthlyBenefitFen: Fen;
}

export interface MigrantAllowanceResult {
  eligible: boolean;
  months: number;
  totalFen: Fen;
  reason?: string;
  reasonZh?: string;
}

interface MigrantTable {
  minMonths: number;
  monthsPerYear: number;
  capMonths: number;
}

export function assessMigrantAllowance(
  input: MigrantAllowanceInput,
  params: ParamStore,
  trace?: Trace,
): MigrantAllowanceResult {
  const t = getParam<MigrantTable>(
    params,
    `${P}migrant-allowance`,
    input.region,
    input.separationDate,
    trace,
    'separationDate',
  );
  trace?.add('months of continuous work', input.continuousMonths, 'months', '连续工作月数');
  if (input.continuousMonths < t.minMonths) {
    const reason = `fewer than ${t.minMonths} months of continuous work`;
    const reasonZh = `连续工作不满${t.minMonths}个月`;
    trace?.add('not eligible', reason, 'text', reasonZh);
    return { eligible: false, months: 0, totalFen: fen(0), reason, reasonZh };
  }
  const years = Math.floor(input.continuousMonths / 12);
  const months = Math.min(t.capMonths, years * t.monthsPerYear);
  trace?.add(
    `${years} full years × ${t.monthsPerYear} month(s), at most ${t.capMonths} → ${months}`,
    months,
    'months',
    `每满1年${t.monthsPerYear}个月，最多${t.capMonths}个月`,
  );
  trace?.add('local monthly unemployment benefit', input.monthlyBenefitFen, 'fen', '当地失业保险金月标准');
  const totalFen = fen(input.monthlyBenefitFen * months);
  trace?.add(
    `allowance = ${input.monthlyBenefitFen} × ${months}`,
    totalFen,
    'fen',
    '一次性生活补助 = 月标准 × 月数',
  );
  return { eligible: true, months, totalFen };
}

export const migrantAllowanceRule: RuleDefinition<MigrantAllowanceInput, MigrantAllowanceResult> = {
  name: 'migrant-allowance',
  title: { zh: '农民合同制工人一次性生活补助', en: "Migrant contract workers' one-off living allowance" },
  parse: (r: FieldReader, params: ParamStore) => ({
    region: readRegion(r, params),
    separationDate: r.date('separationDate'),
    continuousMonths: r.months('continuousMonths'),
    monthlyBenefitFen: r.fen('monthlyBenefitFen'),
  }),
  compute: (input, { params, trace }) => assessMigrantAllowance(input, params, trace),
};

// ---- unemployment-death-grant ----

export interface DeathGrantInput {
  region: string;
  deathDate: IsoDate;
  monthlyBenefitFen: Fen;
  dependents: number;
}

export interface DeathGrantResult {
  funeralGrantFen: Fen;
  survivorFen: Fen;
  totalFen: Fen;
}

interface DeathTable {
  funeralMultiple: number;
  survivorMultiple?: number;
  survivorPerDependent?: number;
  survivorCap?: number;
}

export function assessDeathGrant(
  input: DeathGrantInput,
  params: ParamStore,
  trace?: Trace,
): DeathGrantResult {
  const t = getParam<DeathTable>(
    params,
    `${P}death-benefit`,
    input.region,
    input.deathDate,
    trace,
    'deathDate',
  );
  trace?.add('monthly unemployment benefit', input.monthlyBenefitFen, 'fen', '本人失业保险金月标准');
  const funeralGrantFen = fen(input.monthlyBenefitFen * t.funeralMultiple);
  trace?.add(
    `funeral grant = ${t.funeralMultiple} × benefit`,
    funeralGrantFen,
    'fen',
    `丧葬补助金 = ${t.funeralMultiple}个月失业保险金`,
  );
  let multiple = 0;
  if (t.survivorPerDependent !== undefined)
    multiple = Math.min(t.survivorCap ?? Number.MAX_SAFE_INTEGER, t.survivorPerDependent * input.dependents);
  else if (input.dependents > 0) multiple = t.survivorMultiple ?? 0;
  trace?.add(
    `dependents ${input.dependents} → 抚恤金 ${multiple} × benefit`,
    multiple,
    'months',
    `供养亲属${input.dependents}人：抚恤金为${multiple}个月失业保险金`,
  );
  const survivorFen = fen(input.monthlyBenefitFen * multiple);
  trace?.add('抚恤金', survivorFen, 'fen', '抚恤金');
  const totalFen = fen(funeralGrantFen + survivorFen);
  trace?.add('total', totalFen, 'fen', '合计');
  return { funeralGrantFen, survivorFen, totalFen };
}

export const deathGrantRule: RuleDefinition<DeathGrantInput, DeathGrantResult> = {
  name: 'unemployment-death-grant',
  title: {
    zh: '领取失业保险金期间死亡的丧葬补助金和抚恤金',
    en: 'Funeral grant and survivors’ benefit on death during receipt',
  },
  parse: (r: FieldReader, params: ParamStore) => ({
    region: readRegion(r, params),
    deathDate: r.date('deathDate'),
    monthlyBenefitFen: r.fen('monthlyBenefitFen'),
    dependents: r.int('dependents', { min: 0, max: 20 }),
  }),
  compute: (input, { params, trace }) => assessDeathGrant(input, params, trace),
};
