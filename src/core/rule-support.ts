// Pure helpers every rule shares: parameter reads with their trace step (one getParam, one trace
// format: params.ts paramTraceStep), parameters that must exist for a region or belong to a year,
// dated formula variants, table values in parameter files, and the 60%–300% wage clamp.
import type { IsoDate } from './dates.ts';
import { SbError } from './errors.ts';
import { applyPercent, type Fen } from './money.ts';
import {
  NATIONAL,
  paramSource,
  paramStepUnit,
  paramTitle,
  paramTraceStep,
  type ParamStore,
  type ResolvedParam,
} from './params.ts';
import { regionLineage, regionName } from './regions.ts';
import type { Trace } from './trace.ts';
import type { Words } from './bilingual.ts';

/**
 * The value of a parameter in force for the region on the date, recorded in the trace (when one is
 * given) as one step: its description in English and Chinese (or `stepZh`), path, value, effective
 * date, reference. None in force, or ended with null: SB_ERR_RULE_NOT_IN_FORCE naming `field`.
 */
export function getParam<T>(params: ParamStore, ...args: Parameters<ParamStore['get']>): T {
  return params.get<T>(...args);
}

/** Records an already resolved parameter in the trace, in the same format as getParam. */
export function traceParam(trace: Trace, r: ResolvedParam, stepZh?: string): void {
  trace.push(paramTraceStep(r, stepZh));
}

/**
 * A regional figure (average wage, minimum wage) that the caller may pass instead: when the
 * region has no value in force, SB_ERR_PARAMETER_MISSING names the input field that would supply it.
 */
export function requireRegionalFigure<T>(
  params: ParamStore,
  path: string,
  region: string,
  date: IsoDate,
  field: string,
  trace?: Trace,
): T {
  const r = params.tryResolve<T>(path, region, date);
  if (!r || r.value === null) {
    const title = paramTitle(params, path);
    throw new SbError('SB_ERR_PARAMETER_MISSING', {
      field,
      zh: `${regionName(region, 'zh')}${date}适用的${title.zh}`,
      en: `${title.en} for ${regionName(region, 'en')} on ${date}`,
    });
  }
  return getParam<T>(params, path, region, date, trace, field);
}

/** A parameter that is optional (a phased cut): undefined when none is in force. */
export function optionalParam<T>(
  params: ParamStore,
  path: string,
  region: string,
  date: IsoDate,
  trace?: Trace,
): T | undefined {
  const r = params.tryResolve<T>(path, region, date);
  if (!r) return undefined;
  if (r.value === null) {
    // Say so in the trace: the end of a phased measure is itself a dated decision.
    trace?.push({
      step: `${path}: not in force (ended)`,
      stepZh: `${path}：已到期，不再适用`,
      value: null,
      unit: paramStepUnit(r.unit),
      ...paramSource(r),
    });
    return undefined;
  }
  return getParam<T>(params, path, region, date, trace);
}

/** A formula that applies from a date until the next variant starts. */
export interface DatedVariant<F> {
  from: IsoDate;
  label: string;
  formula: F;
}

/**
 * The variant in force on `date` (the latest `from` on or before it); a date before the first
 * variant is SB_ERR_RULE_NOT_IN_FORCE naming `field`.
 */
export function selectVariant<F>(
  variants: ReadonlyArray<DatedVariant<F>>,
  date: IsoDate,
  field: string,
  rule: string,
): DatedVariant<F> {
  let found: DatedVariant<F> | undefined;
  for (const v of variants) if (v.from <= date) found = v;
  if (!found) {
    throw new SbError('SB_ERR_RULE_NOT_IN_FORCE', {
      field,
      zh: `${rule} 自 ${variants[0]?.from ?? '?'} 起施行，${date} 无适用规定`,
      en: `${rule} applies from ${variants[0]?.from ?? '?'}; nothing is in force on ${date}`,
    });
  }
  return found;
}

export interface ClampResult {
  floorFen: Fen;
  ceilingFen: Fen;
  clampedFen: Fen;
}

/**
 * Clamp a wage to [floor%, ceiling%] of an average: each limit is first rounded half-up to the
 * fen, then the wage is clamped (calc-contract.md, Clarifications: Clamps).
 */
export function clampToAverage(
  wageFen: Fen,
  averageFen: Fen,
  floorPercent: number,
  ceilingPercent: number,
  trace?: Trace,
): ClampResult {
  const floorFen = applyPercent(averageFen, floorPercent);
  const ceilingFen = applyPercent(averageFen, ceilingPercent);
  const clampedFen: Fen = wageFen < floorFen ? floorFen : wageFen > ceilingFen ? ceilingFen : wageFen;
  if (trace) {
    trace.add(
      `floor = round(average ${averageFen} × ${floorPercent}%)`,
      floorFen,
      'fen',
      `下限 = 平均工资 × ${floorPercent}%（四舍五入到分）`,
    );
    trace.add(
      `ceiling = round(average ${averageFen} × ${ceilingPercent}%)`,
      ceilingFen,
      'fen',
      `上限 = 平均工资 × ${ceilingPercent}%（四舍五入到分）`,
    );
    trace.add(
      `clamped wage = min(max(wage ${wageFen}, floor), ceiling)${clampedFen === wageFen ? '' : clampedFen === floorFen ? ' — raised to the floor' : ' — cut to the ceiling'}`,
      clampedFen,
      'fen',
      clampedFen === wageFen
        ? '核定工资（在上下限之间）'
        : clampedFen === floorFen
          ? '核定工资（按下限）'
          : '核定工资（按上限）',
    );
  }
  return { floorFen, ceilingFen, clampedFen };
}

/** Rejects a zero average: a clamp against 0 makes no sense. */
export function positiveFen(value: Fen, field: string): Fen {
  if (value <= 0)
    throw new SbError('SB_ERR_OUT_OF_RANGE', { field, zh: '应大于 0', en: 'must be greater than 0' });
  return value;
}

export interface StrictLookup {
  /** The value must take effect in this calendar year (a yearly figure). */
  year?: number;
  /** Accept the national default only when the region asked is the nation itself. */
  regionOnly?: boolean;
}

/**
 * Resolves a parameter that may be absent for the region: undefined when no value applies
 * (none in force, ended with null, not of the year asked, or only a national fallback).
 */
export function lookupStrict<T>(
  params: ParamStore,
  path: string,
  region: string,
  date: IsoDate,
  opts: StrictLookup = {},
): ResolvedParam<T> | undefined {
  const r = params.tryResolve<T>(path, region, date);
  if (!r || r.value === null) return undefined;
  if (opts.year !== undefined && Number(r.effectiveFrom.slice(0, 4)) !== opts.year) return undefined;
  if (opts.regionOnly && r.region === NATIONAL && region !== NATIONAL) return undefined;
  return r;
}

/**
 * A parameter the region has not set: SB_ERR_PARAMETER_MISSING in plain words — "缺少参数：安徽省
 * 2026年养老金计发基数 / Missing parameter: Anhui 2026 pension benefit base" — with `field` naming
 * the input a page highlights so a clerk can type the figure. The parameter path stays out of the
 * message: a clerk does not know it.
 */
export function parameterMissing(region: string, what: Words, field: string): SbError {
  const zhRegion = regionLineage(region)
    .map((r) => r.nameZh)
    .join('');
  const enRegion = regionLineage(region)
    .map((r) => r.nameEn)
    .reverse()
    .join(', ');
  return new SbError('SB_ERR_PARAMETER_MISSING', {
    field,
    zh: `${zhRegion || '全国'}${what.zh}`,
    en: `${enRegion || 'National'} ${what.en}`,
  });
}

/** A malformed table value in a parameter file: a configuration error, not the caller's. */
export function badTable(path: string, detail: string): SbError {
  return new SbError('SB_ERR_INVALID_PARAMETER_FILE', { zh: `${path}: ${detail}`, en: `${path}: ${detail}` });
}

export function tableNumber(path: string, o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw badTable(path, `"${key}" must be a number`);
  return v;
}

export function tableOptionalNumber(
  path: string,
  o: Record<string, unknown>,
  key: string,
): number | undefined {
  return o[key] === undefined || o[key] === null ? undefined : tableNumber(path, o, key);
}

export function tableObject(path: string, v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badTable(path, `${what} must be a map`);
  return v as Record<string, unknown>;
}

export function tableArray(path: string, v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw badTable(path, `${what} must be a list`);
  return v;
}
