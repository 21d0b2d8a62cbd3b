// Small pure helpers shared by the contribution, unemployment and injury rules: parameters that
// must exist for a region, dated formula variants, and the 60%–300% wage clamp.
import type { IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { applyPercent, type Fen } from '../core/money.ts';
import { paramTitle, type ParamStore } from '../core/params.ts';
import { regionName } from '../core/regions.ts';
import type { Trace } from '../core/trace.ts';

/** "中文 / English" descriptions of parameter files, split for bilingual trace steps. */
function descriptionParts(params: ParamStore, path: string): { zh: string; en: string } {
  const d = params.definitions.get(path)?.description ?? path;
  const i = d.indexOf(' / ');
  return i < 0 ? { zh: d, en: d } : { zh: d.slice(0, i).trim(), en: d.slice(i + 3).trim() };
}

/**
 * `ParamStore.get` with a bilingual trace step (English `step`, Chinese `stepZh` from the
 * parameter's description). Without a trace it costs one lookup, for batch callers.
 */
export function getParam<T>(
  params: ParamStore,
  path: string,
  region: string,
  date: IsoDate,
  trace?: Trace,
  field = 'date',
): T {
  const value = params.get<T>(path, region, date, undefined, field);
  if (trace) {
    const r = params.tryResolve<T>(path, region, date);
    const { zh, en } = descriptionParts(params, path);
    trace.push({
      step: en,
      stepZh: zh,
      value,
      parameter: path,
      ...(r ? { effectiveFrom: r.effectiveFrom, reference: r.reference } : {}),
      ...(r?.uncertain ? { uncertain: true } : {}),
    });
  }
  return value;
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
      parameter: path,
      effectiveFrom: r.effectiveFrom,
      reference: r.reference,
      ...(r.uncertain ? { uncertain: true } : {}),
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
      `下限 = 平均工资 × ${floorPercent}%（四舍五入到分）`,
    );
    trace.add(
      `ceiling = round(average ${averageFen} × ${ceilingPercent}%)`,
      ceilingFen,
      `上限 = 平均工资 × ${ceilingPercent}%（四舍五入到分）`,
    );
    trace.add(
      `clamped wage = min(max(wage ${wageFen}, floor), ceiling)${clampedFen === wageFen ? '' : clampedFen === floorFen ? ' — raised to the floor' : ' — cut to the ceiling'}`,
      clampedFen,
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
