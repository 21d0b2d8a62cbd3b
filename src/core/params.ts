// Dated, regional policy parameters: the pure store (lookup, trace steps). Reading and validating
// the YAML files is params-loader.ts; this file touches no file system.
//
// One file per parameter: params/<path>.yaml, e.g. params/pension/benefit-base-wage.yaml
//
//   description: 养老金计发基数 / pension benefit base wage (C)
//   reference:                # the legal source as the reader sees it under the trace step, in both languages
//     zh: 《国务院关于完善企业职工基本养老保险制度的决定》（国发〔2005〕38号）第六条
//     en: State Council Decision on Improving the Basic Pension System (Guofa [2005] No. 38), section 6
//   source: 国发〔2005〕38号 第六部分 (domain.md §1.2 [L])   # for engineers: where the figure was found, how sure
//   note: why this value      # for engineers; source and note are never loaded, never shown (also per region, per value)
//   unit: yuan                # a trace step's unit (STEP_UNITS in trace.ts), money in yuan (converted to fen)
//                             # | code:<list> (a code, or a table of codes, of a list in src/code-lists.ts)
//   values:                   # national default (000000); key = the date the value takes effect
//     2024-01-01: 11883
//     2026-01-01: { value: 12500, reference: { zh: …, en: … }, source: …, uncertain: true }
//     2027-01-01: null        # no longer in force from this date
//   regions:
//     "110000":
//       reference: { zh: 京人社发〔2024〕16号, en: "Beijing HRSS Bureau, Jingrenshefa [2024] No. 16" }
//       source: …
//       values: { 2024-01-01: 11883 }
//
// Lookup takes the latest start date on or before the date asked, at the most specific level
// that has one: the city (440300), then its province (440000), then the nation (000000).
import { addDays, type IsoDate } from './dates.ts';
import { SbError } from './errors.ts';
import { regionChain } from './regions.ts';
import { STEP_UNITS, type StepUnit, type Trace, type TraceStep } from './trace.ts';
import type { Words } from './bilingual.ts';

export const NATIONAL = '000000';

/**
 * A parameter file's `unit`: a trace step's, but money is written in yuan (loaded as fen), so a unit
 * added to STEP_UNITS is one a file may declare and its step carries.
 */
export type ParamUnit = Exclude<StepUnit, 'fen'> | 'yuan';

/** The units a parameter file may name, but a code's (`code:<list>`). */
export const PARAM_UNITS: readonly ParamUnit[] = STEP_UNITS.map((u) => (u === 'fen' ? 'yuan' : u));

/** The legal source of a value, as a reader sees it: in Chinese and in English, no engineering notes. */
export type ParamReference = Words;

export interface ParamVersion {
  effectiveFrom: IsoDate;
  /** null: the parameter is not in force from this date. `yuan` values are stored as fen. */
  value: unknown;
  reference: ParamReference;
  uncertain: boolean;
}

export interface ParamDefinition {
  path: string;
  file: string;
  description: string;
  unit: ParamUnit;
  /** region code → versions sorted by date */
  regions: Map<string, ParamVersion[]>;
}

export interface ResolvedParam<T = unknown> {
  path: string;
  region: string;
  value: T;
  effectiveFrom: IsoDate;
  reference: ParamReference;
  uncertain: boolean;
  unit: ParamUnit;
  /** "中文 / English" description of the parameter file. */
  description: string;
}

/** The region's own code, then its prefecture and province, then the nation (core/regions.ts). */
export { regionChain };

export class ParamStore {
  constructor(readonly definitions: ReadonlyMap<string, ParamDefinition>) {}

  has(path: string): boolean {
    return this.definitions.has(path);
  }

  /** Resolve a parameter; undefined when no version is in force for the region on that date. */
  tryResolve<T = unknown>(path: string, region: string, date: IsoDate): ResolvedParam<T> | undefined {
    const def = this.definitions.get(path);
    if (!def) throw new Error(`unknown parameter ${path}`);
    for (const code of regionChain(region)) {
      const versions = def.regions.get(code);
      if (!versions) continue;
      let found: ParamVersion | undefined;
      for (const v of versions) if (v.effectiveFrom <= date) found = v;
      if (found) {
        return {
          path,
          region: code,
          value: found.value as T,
          effectiveFrom: found.effectiveFrom,
          reference: found.reference,
          uncertain: found.uncertain,
          unit: def.unit,
          description: def.description,
        };
      }
    }
    return undefined;
  }

  /** Every day a version of the parameter starts at some level of the region's chain, oldest first. */
  versionStarts(path: string, region: string): IsoDate[] {
    const def = this.definitions.get(path);
    if (!def) throw new Error(`unknown parameter ${path}`);
    const starts = new Set<IsoDate>();
    for (const code of regionChain(region))
      for (const v of def.regions.get(code) ?? []) starts.add(v.effectiveFrom);
    return [...starts].sort();
  }

  /**
   * The spans of days on which a parameter has a value (not null) for a region, oldest first, as
   * tryResolve sees them through the region chain; `until` is the last day, absent while still in force.
   */
  inForceSpans(path: string, region: string): { from: IsoDate; until?: IsoDate }[] {
    const spans: { from: IsoDate; until?: IsoDate }[] = [];
    let open: IsoDate | undefined;
    for (const day of this.versionStarts(path, region)) {
      const r = this.tryResolve(path, region, day);
      const inForce = r !== undefined && r.value !== null;
      if (inForce && open === undefined) open = day;
      if (!inForce && open !== undefined) {
        spans.push({ from: open, until: addDays(day, -1) });
        open = undefined;
      }
    }
    if (open !== undefined) spans.push({ from: open });
    return spans;
  }

  /**
   * Resolve a parameter and record it in the trace. A parameter with no version in force
   * (or one ended with null) is an SB_ERR_RULE_NOT_IN_FORCE naming `field` (default: the date).
   */
  get<T = unknown>(
    path: string,
    region: string,
    date: IsoDate,
    trace?: Trace,
    field = 'date',
    stepZh?: string,
  ): T {
    const r = this.tryResolve<T>(path, region, date);
    if (!r || r.value === null) {
      throw new SbError('SB_ERR_RULE_NOT_IN_FORCE', {
        field,
        zh: `${path} 在 ${date}（地区 ${region}）无适用值`,
        en: `${path} has no value in force on ${date} for region ${region}`,
      });
    }
    trace?.push(paramTraceStep(r, stepZh));
    return r.value;
  }

  /** Every parameter resolved for a region and date (GET /api/v1/params). */
  resolveAll(region: string, date: IsoDate): ResolvedParam[] {
    const out: ResolvedParam[] = [];
    for (const def of this.definitions.values()) {
      const r = this.tryResolve(def.path, region, date);
      if (r) out.push(r);
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }
}

/**
 * The one trace step for a parameter read: English label and Chinese label from the file's
 * "中文 / English" description (the Chinese one replaced by `stepZh` when the rule says more, e.g.
 * the year), then the value and where it came from (paramSource).
 */
export function paramTraceStep(r: ResolvedParam, stepZh?: string): TraceStep {
  const { zh, en } = descriptionHalves(r.description || r.path);
  return { step: en, stepZh: stepZh ?? zh, value: r.value, unit: paramStepUnit(r.unit), ...paramSource(r) };
}

/** A parameter's figure in a trace has the file's unit; yuan are loaded as fen. */
export function paramStepUnit(unit: ParamUnit): StepUnit {
  return unit === 'yuan' ? 'fen' : unit;
}

/**
 * Where a traced parameter came from: path, effective date, the legal source in English
 * (`reference`) and Chinese (`referenceZh`, as `step`/`stepZh`), and the uncertain flag.
 */
export function paramSource(
  r: ResolvedParam,
): Pick<TraceStep, 'parameter' | 'effectiveFrom' | 'reference' | 'referenceZh' | 'uncertain'> {
  return {
    parameter: r.path,
    effectiveFrom: r.effectiveFrom,
    reference: r.reference.en,
    referenceZh: r.reference.zh,
    ...(r.uncertain ? { uncertain: true } : {}),
  };
}

/**
 * A description's Chinese and English halves. Most files write "…（注）/ English" with no space before
 * the slash, so the separator is the first "/ " (a slash inside the Chinese, as in 元/年, has no space after).
 */
export function descriptionHalves(d: string): Words {
  const m = / ?\/ /.exec(d);
  return m ? { zh: d.slice(0, m.index).trim(), en: d.slice(m.index + m[0].length).trim() } : { zh: d, en: d };
}

/** The plain-words name of a parameter for a message: its description's Chinese and English halves, without bracketed notes. */
export function paramTitle(store: ParamStore, path: string): Words {
  const { zh, en } = descriptionHalves(store.definitions.get(path)?.description ?? path);
  return {
    zh: zh.replace(/（[^）]*）/g, '').trim(),
    en: en
      .replace(/\([^)]*\)/g, '')
      .replace(/,.*$/, '')
      .trim(),
  };
}
