// The policy simulator's projection: a region's contributors and pensioners, held as cohorts (birth
// month × sex and retirement category × kind × base index for contributors; birth year × sex ×
// contribution years × pension band for pensioners), aged year by year with the mortality table, by
// the live rules called once per cohort and year on a parameter store that carries the scenario
// (scenario-params.rules.ts). No formula of the live system is copied here: contributions come from
// `contribution`, the personal account from `account-interest`, the retirement date and minimum
// years from `retirement-age`, the first pension from `employee-pension`, the yearly increase from
// `pension-adjustment`. What is the simulator's own is the bookkeeping between them: head counts
// (in millionths of a person, BigInt), deaths, entrants, the fund's interest. Deterministic: no
// randomness, no clock; money in integer fen, shares in parts per million.
import { accountInterestRate, creditAccountYear } from '../contributions/account-interest.rules.ts';
import {
  computeContribution,
  resolveContributionRates,
  type ContributionKind,
  type ContributionRates,
} from '../contributions/contribution.rules.ts';
import type { IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { dec, fen, type Fen } from '../core/money.ts';
import type { ParamReference, ParamStore } from '../core/params.ts';
import { Trace } from '../core/trace.ts';
import { computeEmployeePension } from '../pension/employee-pension.rules.ts';
import { computePensionAdjustment } from '../pension/pension-adjustment.rules.ts';
import { MAX_DIVISOR_AGE_MONTHS } from '../pension/annuity-divisor.rules.ts';
import { computeRetirementAge, type RetirementCategory } from '../pension/retirement-age.rules.ts';
import { assumption, PPM, scenarioParams, type Scenario } from './scenario-params.rules.ts';

export type Sex = 'M' | 'F';

/** Contributors alike in birth year, sex, kind and base index (base ÷ average wage). */
export interface ContributorGroup {
  birthYear: number;
  /** Born in this month (1–12) only; without it the births are spread evenly over the year. */
  birthMonth?: number | undefined;
  sex: Sex;
  kind: ContributionKind;
  /** The group's contribution base over the average wage, parts per million (1,000,000 = 100%). */
  indexPpm: number;
  count: number;
  /** Per person: months contributed so far (actual + deemed). */
  contributionMonths: number;
  /** Per person: personal-account balance. */
  accountFen: number;
}

/** Pensioners alike in birth year, sex, pension and contribution years. */
export interface PensionerGroup {
  birthYear: number;
  sex: Sex;
  /** Per person: the monthly pension now. */
  monthlyFen: number;
  contributionMonths: number;
  /** The latest retirement date in the group (decides the first adjustment year). */
  retirementDate: IsoDate;
  count: number;
}

export interface Snapshot {
  region: string;
  /** The day the population was read. */
  asOf: IsoDate;
  /** The employee pension fund's balance on the ledger at asOf. */
  balanceFen: number;
  contributors: ContributorGroup[];
  pensioners: PensionerGroup[];
}

export interface ProjectionYear {
  year: number;
  contributors: number;
  pensioners: number;
  entrants: number;
  newRetirees: number;
  deaths: number;
  /** Pensioners per contributor at the year's end, parts per million. */
  dependencyRatioPpm: number;
  averageWageFen: number;
  averagePensionFen: number;
  contributionIncomeFen: number;
  interestFen: number;
  /** contributions + interest */
  incomeFen: number;
  expenditureFen: number;
  balanceFen: number;
}

export interface ProjectionAssumption {
  parameter: string;
  effectiveFrom: string;
  reference: ParamReference;
  uncertain: boolean;
  value: string;
}

export interface ProjectionResult {
  region: string;
  startYear: number;
  openingBalanceFen: number;
  years: ProjectionYear[];
  assumptions: ProjectionAssumption[];
  cohorts: { contributors: number; pensioners: number };
}

const M = BigInt(PPM);
const HALF = M / 2n;
/** a × b ÷ 1e6, half up, for non-negative BigInts. */
const mulPpm = (a: bigint, ppm: bigint): bigint => (a * ppm + HALF) / M;
/** Micro-units to whole units, half up (non-negative). */
const whole = (micro: bigint): number => Number((micro + HALF) / M);
/** Signed micro-fen to fen, half away from zero. */
const roundMicro = (micro: bigint): number =>
  micro >= 0n ? Number((micro + HALF) / M) : -Number((-micro + HALF) / M);

/** Years past the statutory age a contributor short of the minimum may keep paying (延长缴费). */
const MAX_EXTENSION_YEARS = 10;

interface Working {
  birthYear: number;
  /** Birth months (1–12) of the cohort not yet retired; the cohort is spread evenly over them. */
  pending: number[];
  /** Past the statutory age short of the minimum years since this year: keeps paying (延长缴费). */
  extendedSince?: number;
  sex: Sex;
  category: RetirementCategory;
  kind: ContributionKind;
  indexPpm: number;
  micro: bigint;
  months: number;
  accountFen: Fen;
}

interface Retired {
  birthYear: number;
  sex: Sex;
  monthlyFen: Fen;
  months: number;
  retirementDate: IsoDate;
  micro: bigint;
}

/** The mortality table as two lists of parts per million by completed age. */
function mortality(params: ParamStore, region: string, year: number): Record<Sex, number[]> {
  const t = params.get<Record<string, unknown>>('simulation/mortality', region, `${year}-01-01`);
  const list = (k: string): number[] => {
    const v = t[k];
    const flat = Array.isArray(v) ? (v.flat(2) as unknown[]) : [];
    if (flat.length === 0 || !flat.every((x) => Number.isSafeInteger(x) && (x as number) >= 0))
      throw new SbError('SB_ERR_INVALID_PARAMETER_FILE', {
        zh: `simulation/mortality: ${k} 应为整数列表`,
        en: `simulation/mortality: ${k} must be a list of integers`,
      });
    return flat as number[];
  };
  return { M: list('male'), F: list('female') };
}

const qOf = (table: number[], age: number): bigint =>
  BigInt(Math.min(PPM, table[Math.max(0, Math.min(age, table.length - 1))] ?? PPM));

function categoriesOf(sex: Sex, cadrePpm: number): { category: RetirementCategory; sharePpm: number }[] {
  if (sex === 'M') return [{ category: 'male', sharePpm: PPM }];
  return [
    { category: 'female-55', sharePpm: cadrePpm },
    { category: 'female-50', sharePpm: PPM - cadrePpm },
  ].filter((c) => c.sharePpm > 0) as { category: RetirementCategory; sharePpm: number }[];
}

function mergeKey(r: Retired, year: number): string {
  // After the first adjustment year the retirement date no longer matters; pension and years by band.
  const when = r.retirementDate.slice(0, 4) >= String(year) ? r.retirementDate.slice(0, 4) : 'old';
  return `${r.birthYear}|${r.sex}|${Math.floor(r.months / 60)}|${Math.min(100, Math.floor(r.monthlyFen / 100_000))}|${when}`;
}

/** Pensioner cohorts of one band become one: weighted means, rounded half-up. */
function mergeRetired(list: Retired[], year: number): Retired[] {
  const groups = new Map<string, Retired[]>();
  for (const r of list) {
    if (r.micro === 0n) continue;
    const k = mergeKey(r, year);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const out: Retired[] = [];
  for (const g of groups.values()) {
    const first = g[0] as Retired;
    if (g.length === 1) {
      out.push(first);
      continue;
    }
    let micro = 0n;
    let monthly = 0n;
    let months = 0n;
    let latest = first.retirementDate;
    for (const r of g) {
      micro += r.micro;
      monthly += r.micro * BigInt(r.monthlyFen);
      months += r.micro * BigInt(r.months);
      if (r.retirementDate > latest) latest = r.retirementDate;
    }
    out.push({
      birthYear: first.birthYear,
      sex: first.sex,
      micro,
      monthlyFen: fen(Number((monthly + micro / 2n) / micro)),
      months: Number((months + micro / 2n) / micro),
      retirementDate: latest,
    });
  }
  return out;
}

export interface ProjectionOptions {
  /** The first projected year (default: the year after the snapshot's). */
  startYear?: number;
}

/** Projects the fund year by year under the scenario. Pure: the same inputs give the same answer. */
export function projectFund(
  snapshot: Snapshot,
  scenario: Scenario,
  live: ParamStore,
  opts: ProjectionOptions = {},
): ProjectionResult {
  const region = snapshot.region;
  const startYear = opts.startYear ?? Number(snapshot.asOf.slice(0, 4)) + 1;
  const params = scenarioParams(live, { region, startYear, years: scenario.years }, scenario);
  const mort = mortality(params, region, startYear);
  const cadrePpm = assumption(params, 'female-cadre-share', region, startYear);

  // Contributors: each female group split into the two retirement categories.
  let working: Working[] = [];
  for (const g of snapshot.contributors) {
    for (const c of categoriesOf(g.sex, cadrePpm)) {
      working.push({
        birthYear: g.birthYear,
        pending: g.birthMonth === undefined ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] : [g.birthMonth],
        sex: g.sex,
        category: c.category,
        kind: g.kind,
        indexPpm: g.indexPpm,
        micro: BigInt(g.count) * BigInt(c.sharePpm),
        months: g.contributionMonths,
        accountFen: fen(g.accountFen),
      });
    }
  }
  let retired: Retired[] = mergeRetired(
    snapshot.pensioners.map((p) => ({
      birthYear: p.birthYear,
      sex: p.sex,
      monthlyFen: fen(p.monthlyFen),
      months: p.contributionMonths,
      retirementDate: p.retirementDate,
      micro: BigInt(p.count) * M,
    })),
    startYear,
  );

  // The live retirement-age rule, once per birth month and category (born on the 1st).
  const retirementOf = new Map<string, ReturnType<typeof computeRetirementAge>>();
  const retirement = (birthYear: number, month: number, category: RetirementCategory) => {
    const k = `${birthYear}-${month}|${category}`;
    let r = retirementOf.get(k);
    if (!r) {
      r = computeRetirementAge(
        { birthDate: `${birthYear}-${String(month).padStart(2, '0')}-01`, category },
        params,
        new Trace(),
      );
      retirementOf.set(k, r);
    }
    return r;
  };

  let balance = BigInt(snapshot.balanceFen);
  const years: ProjectionYear[] = [];
  for (let t = startYear; t < startYear + scenario.years; t++) {
    const period = `${t}-01`;
    const rates: Record<ContributionKind, ContributionRates> = {
      employee: resolveContributionRates(params, { region, period, kind: 'employee' }),
      flexible: resolveContributionRates(params, { region, period, kind: 'flexible' }),
    };
    const averageWage = rates.employee.averageWageFen;
    const creditRate = accountInterestRate(params, t);
    const fundRate = BigInt(
      scenario.assumptions?.fundInterestPpm ?? assumption(params, 'fund-interest-rate', region, t),
    );
    const entrantRule = params.get<Record<string, number>>('simulation/entrants', region, `${t}-01-01`);
    const entrantsPpm = BigInt(scenario.assumptions?.entrantsPpm ?? entrantRule['ratePpm'] ?? 0);

    // One contribution per kind and base index a year: the live rule on the projected wage.
    const contributionMemo = new Map<string, { paid: bigint; account: Fen }>();
    const contributionOf = (kind: ContributionKind, indexPpm: number) => {
      const k = `${kind}|${indexPpm}`;
      let c = contributionMemo.get(k);
      if (!c) {
        const wage = fen(Number((BigInt(averageWage) * BigInt(indexPpm) + HALF) / M));
        const r = computeContribution(rates[kind], wage);
        c = {
          paid: BigInt(r.pension.employerFen + r.pension.employeeFen),
          account: r.pension.personalAccountFen,
        };
        contributionMemo.set(k, c);
      }
      return c;
    };

    // Entrants: one new cohort of employees at the entry age, from January.
    const contributorsAtStart = working.reduce((s, w) => s + w.micro, 0n);
    const entrantsMicro = mulPpm(contributorsAtStart, entrantsPpm);
    if (entrantsMicro > 0n) {
      const age = entrantRule['entryAgeYears'] ?? 22;
      const malePpm = BigInt(entrantRule['malePpm'] ?? PPM / 2);
      const indexPpm = entrantRule['baseIndexPpm'] ?? PPM;
      const men = mulPpm(entrantsMicro, malePpm);
      const shares: [Sex, bigint][] = [
        ['M', men],
        ['F', entrantsMicro - men],
      ];
      for (const [sex, micro] of shares) {
        for (const c of categoriesOf(sex, cadrePpm)) {
          working.push({
            birthYear: t - age,
            pending: [7],
            sex,
            category: c.category,
            kind: 'employee',
            indexPpm,
            micro: mulPpm(micro, BigInt(c.sharePpm)),
            months: 0,
            accountFen: fen(0),
          });
        }
      }
    }

    let contributionMicro = 0n;
    let expenditureMicro = 0n;
    let deathsMicro = 0n;
    let newRetireesMicro = 0n;
    const stillWorking: Working[] = [];
    const newlyRetired: Retired[] = [];
    for (const w of working) {
      const q = qOf(mort[w.sex], t - w.birthYear);
      const end = w.micro - mulPpm(w.micro, q);
      const mid = (w.micro + end) / 2n;
      deathsMicro += w.micro - end;
      const c = contributionOf(w.kind, w.indexPpm);
      const credit = (months: number) =>
        creditAccountYear(creditRate, w.accountFen, fen(c.account * months)).closingBalanceFen;
      const retire = (
        micro: bigint,
        months: number,
        accountFen: Fen,
        retirementDate: IsoDate,
        ageMonths: number,
        paidMonthsSum: number,
        n: number,
      ) => {
        const pension = computeEmployeePension(
          {
            region,
            retirementDate,
            averageContributionIndex: dec(w.indexPpm).div(PPM).toNumber(),
            contributionMonths: months,
            personalAccountFen: accountFen,
            ageMonths: Math.min(ageMonths, MAX_DIVISOR_AGE_MONTHS),
          },
          params,
          new Trace(),
        );
        expenditureMicro += (micro * BigInt(paidMonthsSum) * BigInt(pension.totalFen)) / BigInt(n);
        newRetireesMicro += micro;
        newlyRetired.push({
          birthYear: w.birthYear,
          sex: w.sex,
          monthlyFen: pension.totalFen,
          months,
          retirementDate,
          micro,
        });
      };

      if (w.extendedSince !== undefined) {
        // Short of the minimum at the statutory age: pays the whole year, retires at its end once met.
        contributionMicro += mid * 12n * c.paid;
        const months = w.months + 12;
        const accountFen = credit(12);
        const first = w.pending[0] ?? 7;
        if (months >= retirement(w.birthYear, first, w.category).minContributionMonths) {
          retire(end, months, accountFen, `${t}-12-31`, (t - w.birthYear) * 12 + 12 - first, 0, 1);
        } else if (t - w.extendedSince < MAX_EXTENSION_YEARS) {
          stillWorking.push({ ...w, micro: end, months, accountFen });
        }
        continue;
      }

      // The birth months whose statutory date falls in this year (or before it, for the snapshot).
      const now: { month: number; date: IsoDate; ageMonths: number; min: number; worked: number }[] = [];
      const later: number[] = [];
      for (const m of w.pending) {
        const r = retirement(w.birthYear, m, w.category);
        const y = Number(r.retirementDate.slice(0, 4));
        if (y > t) later.push(m);
        else
          now.push({
            month: m,
            date: y === t ? r.retirementDate : `${t}-01-01`,
            ageMonths: r.ageMonths,
            min: r.minContributionMonths,
            worked: y === t ? Number(r.retirementDate.slice(5, 7)) - 1 : 0,
          });
      }
      if (now.length === 0) {
        contributionMicro += mid * 12n * c.paid;
        stillWorking.push({ ...w, micro: end, months: w.months + 12, accountFen: credit(12) });
        continue;
      }
      const n = BigInt(w.pending.length);
      const k = BigInt(now.length);
      const endRetiring = (end * k) / n;
      const midRetiring = (mid * k) / n;
      if (later.length > 0) {
        contributionMicro += (mid - midRetiring) * 12n * c.paid;
        stillWorking.push({
          ...w,
          pending: later,
          micro: end - endRetiring,
          months: w.months + 12,
          accountFen: credit(12),
        });
      }
      // The retiring part: its months of work this year, then one pension for the part.
      const workedSum = now.reduce((s, x) => s + x.worked, 0);
      contributionMicro += (midRetiring * BigInt(workedSum) * c.paid) / k;
      const worked = Math.floor((2 * workedSum + now.length) / (2 * now.length));
      const months = w.months + worked;
      const accountFen = credit(worked);
      const min = Math.max(...now.map((x) => x.min));
      if (months < min) {
        stillWorking.push({
          ...w,
          pending: now.map((x) => x.month),
          extendedSince: t,
          micro: endRetiring,
          months,
          accountFen,
        });
        continue;
      }
      const latest = now.reduce((a, x) => (x.date > a ? x.date : a), now[0]?.date ?? `${t}-01-01`);
      const ageSum = now.reduce((s, x) => s + x.ageMonths, 0);
      const paidSum = now.reduce((s, x) => s + (12 - Number(x.date.slice(5, 7))), 0);
      retire(
        endRetiring,
        months,
        accountFen,
        latest,
        Math.floor((2 * ageSum + now.length) / (2 * now.length)),
        paidSum,
        now.length,
      );
    }

    const stillRetired: Retired[] = [];
    let pensionSumMicro = 0n;
    for (const r of retired) {
      const q = qOf(mort[r.sex], t - r.birthYear);
      const end = r.micro - mulPpm(r.micro, q);
      const mid = (r.micro + end) / 2n;
      deathsMicro += r.micro - end;
      const adj = computePensionAdjustment(
        {
          region,
          year: t,
          monthlyPensionFen: r.monthlyFen,
          contributionMonths: r.months,
          birthDate: `${r.birthYear}-07-01`,
          retirementDate: r.retirementDate,
        },
        params,
        new Trace(),
      );
      expenditureMicro += mid * 12n * BigInt(adj.newMonthlyPensionFen);
      pensionSumMicro += end * BigInt(adj.newMonthlyPensionFen);
      stillRetired.push({ ...r, micro: end, monthlyFen: adj.newMonthlyPensionFen });
    }
    for (const r of newlyRetired) pensionSumMicro += r.micro * BigInt(r.monthlyFen);

    working = stillWorking;
    retired = mergeRetired([...stillRetired, ...newlyRetired], t + 1);

    const contributionIncome = roundMicro(contributionMicro);
    const expenditure = roundMicro(expenditureMicro);
    const flow = BigInt(contributionIncome - expenditure);
    // interest = round(opening × r + net flow × r ÷ 2), r in ppm
    const interestMicro = balance * fundRate + (flow * fundRate) / 2n;
    const interest = roundMicro(interestMicro);
    balance += flow + BigInt(interest);
    const contributorsMicro = working.reduce((s, w) => s + w.micro, 0n);
    const pensionersMicro = retired.reduce((s, r) => s + r.micro, 0n);
    years.push({
      year: t,
      contributors: whole(contributorsMicro),
      pensioners: whole(pensionersMicro),
      entrants: whole(entrantsMicro),
      newRetirees: whole(newRetireesMicro),
      deaths: whole(deathsMicro),
      dependencyRatioPpm:
        contributorsMicro === 0n
          ? 0
          : Number((pensionersMicro * M + contributorsMicro / 2n) / contributorsMicro),
      averageWageFen: averageWage,
      averagePensionFen:
        pensionersMicro === 0n ? 0 : Number((pensionSumMicro + pensionersMicro / 2n) / pensionersMicro),
      contributionIncomeFen: fen(contributionIncome),
      interestFen: fen(interest),
      incomeFen: fen(contributionIncome + interest),
      expenditureFen: fen(expenditure),
      balanceFen: fen(Number(balance)),
    });
  }
  return {
    region,
    startYear,
    openingBalanceFen: snapshot.balanceFen,
    years,
    assumptions: assumptionsUsed(params, region, startYear, startYear + scenario.years - 1),
    cohorts: { contributors: snapshot.contributors.length, pensioners: snapshot.pensioners.length },
  };
}

const SHOWN = [
  'simulation/mortality',
  'simulation/wage-growth',
  'simulation/fund-interest-rate',
  'simulation/entrants',
  'simulation/female-cadre-share',
  'simulation/account-interest-future',
  'contributions/average-wage',
  'pension/benefit-base-wage',
  'pension/adjustment-rules',
  'contributions/pension-employer-rate',
  'contributions/base-floor-percent',
  'pension/retirement-age-schedule',
];

/** The parameters the projection leaned on, at its first and last year, with sources and flags. */
function assumptionsUsed(
  params: ParamStore,
  region: string,
  first: number,
  last: number,
): ProjectionAssumption[] {
  const out: ProjectionAssumption[] = [];
  const seen = new Set<string>();
  for (const path of SHOWN) {
    for (const year of [first, last]) {
      const r = params.tryResolve(path, region, `${year}-12-31`);
      if (!r || r.value === null) continue;
      const key = `${path}|${r.effectiveFrom}|${r.region}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const text = JSON.stringify(r.value);
      out.push({
        parameter: path,
        effectiveFrom: r.effectiveFrom,
        reference: r.reference,
        uncertain: r.uncertain,
        value: text.length > 160 ? `${text.slice(0, 157)}…` : text,
      });
    }
  }
  return out;
}
