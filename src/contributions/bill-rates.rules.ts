// The rates behind a bill, per fund: the rates the `contribution` rule resolves for the bill's region,
// period, kind and industry class (the resolution the assessment itself uses), each parameter's
// source taken from that rule's own trace, the previous period's rates beside them, and a check that
// the rates reproduce the bill's stored amounts line by line with the rule's own rounding
// (computeContribution). The amounts shown are always the bill's stored ones.
import { addDays, addPeriods, type IsoDate, type Period } from '../core/dates.ts';
import { isSbError } from '../core/errors.ts';
import { Dec, fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import { Trace, type TraceStep } from '../core/trace.ts';
import {
  computeContribution,
  DEFAULT_INDUSTRY_CLASS,
  resolveContributionRates,
  type ContributionKind,
  type ContributionRates,
} from './contribution.rules.ts';

export type RatedFund = 'employee_pension' | 'unemployment' | 'injury';

/** Where a rate comes from, as recorded in params/: the document, the dates, and whether it is confirmed. */
export interface RateSource {
  parameters: string[];
  referenceZh: string;
  reference: string;
  effectiveFrom: IsoDate;
  /** The day before the parameter's next version takes effect; null while no later version is recorded. */
  effectiveUntil: IsoDate | null;
  /** params/ marks the value as not verified against the text (from memory, [M], or an end not confirmed). */
  uncertain: boolean;
  /** A phased measure that is no longer in force in this period (the rate it replaced applies again). */
  ended: boolean;
}

export interface FundRates {
  fund: RatedFund;
  /** The sum of the staff's contribution bases on the bill. */
  baseFen: number;
  /** Rates in parts per million of the base (16% = 160,000); work injury after any phased cut. */
  employerPpm: number;
  employeePpm: number;
  previousEmployerPpm: number | null;
  previousEmployeePpm: number | null;
  /** The bill's stored amounts of this fund. */
  employerFen: number;
  employeeFen: number;
  /** Each line's base × these rates, rounded per line as the assessment does, gives the stored amounts. */
  reproduced: boolean;
  sources: RateSource[];
}

export interface BillRates {
  period: Period;
  previousPeriod: Period;
  kind: ContributionKind;
  /** The work-injury industry risk class whose benchmark rate applies (employees only). */
  industryClass: number | null;
  funds: FundRates[];
  totalFen: number;
}

/** The stored amounts of a bill or of one of its lines. */
export interface StoredAmounts {
  pension_employer_fen: number;
  pension_employee_fen: number;
  unemployment_employer_fen: number;
  unemployment_employee_fen: number;
  injury_fen: number;
}

export interface BillRatesInput {
  region: string;
  period: Period;
  kind: ContributionKind;
  industryClass: number | undefined;
  bill: StoredAmounts & { total_fen: number };
  lines: Array<StoredAmounts & { base_fen: number }>;
}

const P = 'contributions/';
const PARAMETERS: Record<RatedFund, Record<ContributionKind, string[]>> = {
  employee_pension: {
    employee: [`${P}pension-employer-rate`, `${P}pension-employee-rate`],
    flexible: [`${P}flexible-pension-rate`],
  },
  unemployment: {
    employee: [
      `${P}unemployment-cut-employer-rate`,
      `${P}unemployment-cut-employee-rate`,
      `${P}unemployment-employer-rate`,
      `${P}unemployment-employee-rate`,
    ],
    flexible: [],
  },
  injury: { employee: [`${P}injury-industry-rate`, `${P}injury-phased-cut-percent`], flexible: [] },
};

const ppm = (percent: number): number => new Dec(percent).mul(10_000).toNumber();

/** Employer and employee rates of a fund, in ppm (work injury: bp × (100 − cut%) = ppm). */
function fundPpm(r: ContributionRates, fund: RatedFund): [number, number] {
  switch (fund) {
    case 'employee_pension':
      return [ppm(r.pensionEmployerPercent), ppm(r.pensionEmployeePercent)];
    case 'unemployment':
      return [ppm(r.unemploymentEmployerPercent), ppm(r.unemploymentEmployeePercent)];
    case 'injury':
      return [new Dec(r.injuryRateBp).mul(new Dec(100).minus(r.injuryCutPercent)).toNumber(), 0];
  }
}

function fundAmounts(a: StoredAmounts, fund: RatedFund): [number, number] {
  switch (fund) {
    case 'employee_pension':
      return [Number(a.pension_employer_fen), Number(a.pension_employee_fen)];
    case 'unemployment':
      return [Number(a.unemployment_employer_fen), Number(a.unemployment_employee_fen)];
    case 'injury':
      return [Number(a.injury_fen), 0];
  }
}

/** The day before the next version of `path` (as the region chain sees it) after the one from `from`. */
function versionUntil(params: ParamStore, path: string, region: string, from: IsoDate): IsoDate | null {
  for (const day of params.versionStarts(path, region))
    if (day > from && params.tryResolve(path, region, day)?.effectiveFrom !== from) return addDays(day, -1);
  return null;
}

/** The sources of one fund's rates from the rule's trace; the same document read twice is listed once. */
function sourcesOf(steps: TraceStep[], paths: string[], params: ParamStore, region: string): RateSource[] {
  const out: RateSource[] = [];
  for (const s of steps) {
    if (s.parameter === undefined || !paths.includes(s.parameter) || s.effectiveFrom === undefined) continue;
    const ended = s.value === null;
    const same = out.find(
      (o) => o.referenceZh === s.referenceZh && o.effectiveFrom === s.effectiveFrom && o.ended === ended,
    );
    if (same) {
      same.parameters.push(s.parameter);
      continue;
    }
    out.push({
      parameters: [s.parameter],
      referenceZh: s.referenceZh ?? s.reference ?? '',
      reference: s.reference ?? '',
      effectiveFrom: s.effectiveFrom,
      effectiveUntil: versionUntil(params, s.parameter, region, s.effectiveFrom),
      uncertain: s.uncertain === true,
      ended,
    });
  }
  // What applies first, then the measures that ended (the reason the rate is what it is again).
  return [...out.filter((o) => !o.ended), ...out.filter((o) => o.ended)];
}

/** The previous period's rates, or null when none were in force then (before the rule's first month). */
function previousRates(params: ParamStore, input: BillRatesInput, period: Period): ContributionRates | null {
  try {
    return resolveContributionRates(params, { ...rateQuery(input), period });
  } catch (e) {
    if (isSbError(e)) return null;
    throw e;
  }
}

const rateQuery = (input: BillRatesInput) => ({
  region: input.region,
  period: input.period,
  kind: input.kind,
  industryClass: input.industryClass,
});

export function billRates(params: ParamStore, input: BillRatesInput): BillRates {
  const trace = new Trace();
  const rates = resolveContributionRates(params, rateQuery(input), trace);
  const previousPeriod = addPeriods(input.period, -1);
  const before = previousRates(params, input, previousPeriod);
  // The rule's own formula per line: the base on a line is already clamped, so it is assessed as is.
  const recomputed = input.lines.map((l) => {
    const c = computeContribution(rates, fen(Number(l.base_fen)));
    return {
      pension_employer_fen: c.pension.employerFen,
      pension_employee_fen: c.pension.employeeFen,
      unemployment_employer_fen: c.unemployment.employerFen,
      unemployment_employee_fen: c.unemployment.employeeFen,
      injury_fen: c.injury.employerFen,
    };
  });
  const baseFen = input.lines.reduce((s, l) => s + Number(l.base_fen), 0);
  const funds: RatedFund[] =
    input.kind === 'flexible' ? ['employee_pension'] : ['employee_pension', 'unemployment', 'injury'];
  return {
    period: input.period,
    previousPeriod,
    kind: input.kind,
    industryClass: input.kind === 'employee' ? (input.industryClass ?? DEFAULT_INDUSTRY_CLASS) : null,
    funds: funds.map((fund) => {
      const [employerPpm, employeePpm] = fundPpm(rates, fund);
      const [previousEmployerPpm, previousEmployeePpm] = before ? fundPpm(before, fund) : [null, null];
      const [employerFen, employeeFen] = fundAmounts(input.bill, fund);
      const sum = (i: 0 | 1) => recomputed.reduce((s, l) => s + fundAmounts(l, fund)[i], 0);
      return {
        fund,
        baseFen,
        employerPpm,
        employeePpm,
        previousEmployerPpm,
        previousEmployeePpm,
        employerFen,
        employeeFen,
        reproduced: sum(0) === employerFen && sum(1) === employeeFen,
        sources: sourcesOf(trace.steps, PARAMETERS[fund][input.kind], params, input.region),
      };
    }),
    totalFen: Number(input.bill.total_fen),
  };
}
