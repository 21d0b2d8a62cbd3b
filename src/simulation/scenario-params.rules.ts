// A scenario is the live parameters with some versions added: the simulator never carries formulas
// of its own, it gives the live rules (retirement-age, contribution, employee-pension,
// pension-adjustment, account-interest) a parameter store in which the scenario's changes, and the
// projected figures of years not yet published, are ordinary dated versions.
import { dec, roundFen, type Fen } from '../core/money.ts';
import { NATIONAL, ParamStore, type ParamDefinition, type ParamVersion } from '../core/params.ts';
import { lookupStrict } from '../core/rule-support.ts';

/** Parts per million: 1,000,000 = 100%. */
export const PPM = 1_000_000;

export interface RetirementScheduleChange {
  /** Months of delay at the end of the schedule (the law: 36 for men and female-55, 60 for female-50). */
  maxDelayMonths: number;
  /** One month of delay per this many birth months (the law: 4, or 2 for female-50). */
  stepMonths: number;
}

export interface Scenario {
  years: number;
  /** Yearly pension adjustment as a share of each pension, replacing the region's rule in projected years. */
  adjustmentRatePpm?: number | undefined;
  /** Employer pension contribution rate (the law since 2019-05: 16%). */
  employerRatePpm?: number | undefined;
  /** Contribution base floor as a share of the average wage (60%). */
  baseFloorPpm?: number | undefined;
  retirementAge?: Partial<Record<'male' | 'female-55' | 'female-50', RetirementScheduleChange>> | undefined;
  assumptions?:
    | {
        wageGrowthPpm?: number | undefined;
        fundInterestPpm?: number | undefined;
        entrantsPpm?: number | undefined;
      }
    | undefined;
}

const SCENARIO_REF = { zh: '政策仿真的情景设定（非法规）', en: 'scenario of the policy simulator (not law)' };
const PROJECTED_REF = {
  zh: '政策仿真推算：最近公布值 ×（1 + 工资增长率）',
  en: 'projected by the policy simulator: the last published value × (1 + wage growth)',
};

/** A store whose definitions are the live ones plus added versions; the live store is not touched. */
export class OverlayBuilder {
  private readonly added = new Map<string, Map<string, ParamVersion[]>>();
  constructor(readonly base: ParamStore) {}

  add(path: string, region: string, version: ParamVersion): void {
    let byRegion = this.added.get(path);
    if (!byRegion) this.added.set(path, (byRegion = new Map<string, ParamVersion[]>()));
    const list = byRegion.get(region) ?? [];
    list.push(version);
    byRegion.set(region, list);
  }

  build(): ParamStore {
    const defs = new Map<string, ParamDefinition>(this.base.definitions);
    for (const [path, byRegion] of this.added) {
      const def = defs.get(path);
      if (!def) throw new Error(`unknown parameter ${path}`);
      const regions = new Map(def.regions);
      for (const [region, versions] of byRegion) {
        // A version added on a date replaces the live one of the same date.
        const kept = (regions.get(region) ?? []).filter(
          (v) => !versions.some((a) => a.effectiveFrom === v.effectiveFrom),
        );
        regions.set(
          region,
          [...kept, ...versions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1)),
        );
      }
      defs.set(path, { ...def, regions });
    }
    return new ParamStore(defs);
  }
}

const jan1 = (year: number): string => `${String(year).padStart(4, '0')}-01-01`;

/** A ppm share as the percent number the live parameter files hold (160000 → 16). */
export const ppmToPercent = (ppm: number): number => dec(ppm).div(10_000).toNumber();

/** The simulator's own assumption, as an integer, from params/simulation/. */
export function assumption(params: ParamStore, name: string, region: string, year: number): number {
  return params.get<number>(`simulation/${name}`, region, jan1(year));
}

export interface ProjectionYears {
  region: string;
  startYear: number;
  years: number;
}

/**
 * The live store plus, for every projected year: the average wage and benefit base wage grown from
 * the last published year, the crediting rate held where none is published, the adjustment rule
 * of the latest encoded year (or the scenario's rate), and the scenario's rates, floor and schedule.
 */
export function scenarioParams(base: ParamStore, y: ProjectionYears, s: Scenario): ParamStore {
  const o = new OverlayBuilder(base);
  const { region, startYear, years } = y;
  const last = startYear + years - 1;
  const growth = s.assumptions?.wageGrowthPpm ?? assumption(base, 'wage-growth', region, startYear);
  const grow = (prev: Fen): Fen =>
    roundFen(
      dec(prev)
        .mul(PPM + growth)
        .div(PPM),
    );
  const uncertain = { uncertain: true, reference: PROJECTED_REF };

  // Average wage (contribution bases) and C (pensions): grown year by year after the last published.
  let wage: Fen | undefined;
  let c: Fen | undefined;
  for (let t = startYear - 1; t <= last; t++) {
    const w = lookupStrict<Fen>(base, 'contributions/average-wage', region, jan1(t));
    const published = w !== undefined && Number(w.effectiveFrom.slice(0, 4)) === t;
    if (published || wage === undefined) wage = w?.value;
    else {
      wage = grow(wage);
      o.add('contributions/average-wage', region, { effectiveFrom: jan1(t), value: wage, ...uncertain });
    }
    const ct = lookupStrict<Fen>(base, 'pension/benefit-base-wage', region, jan1(t));
    const cPublished = ct !== undefined && Number(ct.effectiveFrom.slice(0, 4)) === t;
    if (cPublished || c === undefined) c = ct?.value;
    else {
      c = grow(c);
      o.add('pension/benefit-base-wage', region, { effectiveFrom: jan1(t), value: c, ...uncertain });
    }
  }

  // The crediting rate where none is published.
  for (let t = startYear; t <= last; t++) {
    if (!lookupStrict(base, 'contributions/account-interest-rate', NATIONAL, jan1(t)))
      o.add('contributions/account-interest-rate', NATIONAL, {
        effectiveFrom: jan1(t),
        value: assumption(base, 'account-interest-future', region, t),
        reference: {
          zh: '政策仿真假设的未来记账利率',
          en: 'assumed future crediting rate of the policy simulator',
        },
        uncertain: true,
      });
  }

  // The adjustment: the scenario's rate, or the region's latest rule repeated in later years.
  for (let t = startYear; t <= last; t++) {
    if (s.adjustmentRatePpm !== undefined) {
      o.add('pension/adjustment-rules', region, {
        effectiveFrom: jan1(t),
        value: {
          year: t,
          components: [
            {
              kind: 'percentOfOwn',
              percent: ppmToPercent(s.adjustmentRatePpm),
              baseMonth: `${t - 1}-12`,
            },
          ],
        },
        reference: SCENARIO_REF,
        uncertain: true,
      });
      continue;
    }
    const own = lookupStrict<unknown>(base, 'pension/adjustment-rules', region, `${t}-12-31`, {
      year: t,
      regionOnly: true,
    });
    if (own) continue;
    const latest = lookupStrict<Record<string, unknown>>(
      base,
      'pension/adjustment-rules',
      region,
      `${t}-12-31`,
      { regionOnly: true },
    );
    const overall = lookupStrict<number>(base, 'pension/adjustment-overall-rate', NATIONAL, `${t}-12-31`);
    const value = latest
      ? { ...latest.value, year: t }
      : {
          year: t,
          components: [{ kind: 'percentOfOwn', percent: overall?.value ?? 0, baseMonth: `${t - 1}-12` }],
        };
    o.add('pension/adjustment-rules', region, {
      effectiveFrom: jan1(t),
      value,
      reference: latest
        ? {
            zh: `假设沿用本地区${latest.effectiveFrom.slice(0, 4)}年的调整办法（${latest.reference.zh}）`,
            en: `assumed: the ${latest.effectiveFrom.slice(0, 4)} rule of the region repeated (${latest.reference.en})`,
          }
        : {
            zh: '假设按最近的全国总体调整水平，各人按本人养老金同比例调整',
            en: 'assumed: the latest national overall level as a percentage of each pension',
          },
      uncertain: true,
    });
  }

  if (s.employerRatePpm !== undefined)
    o.add('contributions/pension-employer-rate', region, {
      effectiveFrom: jan1(startYear),
      value: ppmToPercent(s.employerRatePpm),
      reference: SCENARIO_REF,
      uncertain: true,
    });
  if (s.baseFloorPpm !== undefined)
    o.add('contributions/base-floor-percent', region, {
      effectiveFrom: jan1(startYear),
      value: ppmToPercent(s.baseFloorPpm),
      reference: SCENARIO_REF,
      uncertain: true,
    });
  if (s.retirementAge !== undefined && Object.keys(s.retirementAge).length > 0) {
    const live = base.tryResolve<Record<string, Record<string, unknown>>>(
      'pension/retirement-age-schedule',
      NATIONAL,
      jan1(startYear),
    );
    if (live?.value) {
      const table: Record<string, Record<string, unknown>> = { ...live.value };
      for (const [cat, change] of Object.entries(s.retirementAge)) {
        if (change) table[cat] = { ...table[cat], ...change };
      }
      o.add('pension/retirement-age-schedule', NATIONAL, {
        effectiveFrom: jan1(startYear),
        value: table,
        reference: SCENARIO_REF,
        uncertain: true,
      });
    }
  }
  return o.build();
}
