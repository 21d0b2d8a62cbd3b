// Parameter look-ups shared by the pension rules where the plain "latest value on or before the
// date, falling back to the nation" is not the legal rule: yearly figures that must belong to the
// year asked, and regional figures that must not fall back to the national default.
import { SbError } from '../core/errors.ts';
import type { IsoDate } from '../core/dates.ts';
import { NATIONAL, type ParamStore, type ResolvedParam } from '../core/params.ts';
import { regionLineage } from '../core/regions.ts';
import type { Trace } from '../core/trace.ts';

/** Records a resolved parameter in the trace the way ParamStore.get does. */
export function traceParam(trace: Trace, r: ResolvedParam, stepZh?: string): void {
  trace.push({
    step: r.path,
    ...(stepZh === undefined ? {} : { stepZh }),
    value: r.value,
    parameter: r.path,
    effectiveFrom: r.effectiveFrom,
    reference: r.reference,
    ...(r.uncertain ? { uncertain: true } : {}),
  });
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
export function parameterMissing(region: string, what: { zh: string; en: string }, field: string): SbError {
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

/**
 * ParamStore.get with a Chinese label on the trace step: a parameter with no version in force (or
 * one ended with null) is SB_ERR_RULE_NOT_IN_FORCE naming `field`.
 */
export function getParam<T>(
  params: ParamStore,
  path: string,
  region: string,
  date: IsoDate,
  trace: Trace,
  field: string,
  stepZh: string,
): T {
  const r = params.tryResolve<T>(path, region, date);
  if (!r || r.value === null) {
    throw new SbError('SB_ERR_RULE_NOT_IN_FORCE', {
      field,
      zh: `${path} 在 ${date}（地区 ${region}）无适用值`,
      en: `${path} has no value in force on ${date} for region ${region}`,
    });
  }
  traceParam(trace, r, stepZh);
  return r.value;
}
