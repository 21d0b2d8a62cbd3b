// Dated, regional policy parameters loaded from YAML files under params/.
//
// One file per parameter: params/<path>.yaml, e.g. params/pension/benefit-base-wage.yaml
//
//   description: 养老金计发基数 / pension benefit base wage (C)
//   reference: 国发〔2005〕38号 第六部分
//   unit: yuan                # yuan (converted to fen) | percent | bp | months | years | count | number | date | boolean | table
//   values:                   # national default (000000); key = the date the value takes effect
//     2024-01-01: 11883
//     2026-01-01: { value: 12500, reference: …, uncertain: true, note: … }
//     2027-01-01: null        # no longer in force from this date
//   regions:
//     "110000":
//       reference: 京人社发〔2024〕16号
//       values: { 2024-01-01: 11883 }
//
// Lookup takes the latest start date on or before the date asked, at the most specific level
// that has one: the city (440300), then its province (440000), then the nation (000000).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseDocument, isMap, isScalar, LineCounter, type Node as YamlNode } from 'yaml';
import { isIsoDate, type IsoDate } from './dates.ts';
import { SbError } from './errors.ts';
import { regionChain } from './regions.ts';
import { Dec } from './money.ts';
import type { Trace } from './trace.ts';

export const NATIONAL = '000000';

export type ParamUnit =
  'yuan' | 'percent' | 'bp' | 'months' | 'years' | 'count' | 'number' | 'date' | 'boolean' | 'table';
const UNITS: readonly ParamUnit[] = [
  'yuan',
  'percent',
  'bp',
  'months',
  'years',
  'count',
  'number',
  'date',
  'boolean',
  'table',
];

export interface ParamVersion {
  effectiveFrom: IsoDate;
  /** null: the parameter is not in force from this date. `yuan` values are stored as fen. */
  value: unknown;
  reference: string;
  uncertain: boolean;
  note?: string;
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
  reference: string;
  uncertain: boolean;
  unit: ParamUnit;
}

class ParamFileError extends Error {}

function fileError(file: string, key: string, line: number | undefined, msg: string): ParamFileError {
  return new ParamFileError(`${file}${line ? `:${line}` : ''}: key "${key}": ${msg}`);
}

/** Converts a YAML value to the unit's runtime form; throws a message naming what is wrong. */
function convertValue(unit: ParamUnit, v: unknown): unknown {
  if (v === null) return null;
  const num = (x: unknown): number => {
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new Error(`expected a number, got ${JSON.stringify(x)}`);
    return x;
  };
  const int = (x: unknown): number => {
    const n = num(x);
    if (!Number.isSafeInteger(n)) throw new Error(`expected an integer, got ${n}`);
    return n;
  };
  switch (unit) {
    case 'yuan': {
      const d = new Dec(num(v)).mul(100);
      if (!d.isInteger()) throw new Error(`${JSON.stringify(v)} yuan has more than two decimals`);
      return d.toNumber();
    }
    case 'percent':
    case 'number':
      return num(v);
    case 'bp':
    case 'months':
    case 'years':
    case 'count':
      return int(v);
    case 'date':
      if (!isIsoDate(v)) throw new Error(`expected a YYYY-MM-DD date, got ${JSON.stringify(v)}`);
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw new Error(`expected true or false, got ${JSON.stringify(v)}`);
      return v;
    case 'table':
      if (typeof v !== 'object') throw new Error(`expected a list or a map, got ${JSON.stringify(v)}`);
      return v;
  }
}

function parseVersions(
  file: string,
  unit: ParamUnit,
  valuesNode: YamlNode | null | undefined,
  defaultReference: string,
  keyPrefix: string,
  lines: LineCounter,
): ParamVersion[] {
  const lineOf = (n: YamlNode | null | undefined): number | undefined =>
    n?.range ? lines.linePos(n.range[0]).line : undefined;
  if (!isMap(valuesNode))
    throw fileError(file, keyPrefix, lineOf(valuesNode), 'must be a map of YYYY-MM-DD dates to values');
  const versions: ParamVersion[] = [];
  for (const pair of valuesNode.items) {
    const keyNode = pair.key as YamlNode;
    const rawKey = isScalar(keyNode) ? keyNode.value : undefined;
    const key = rawKey instanceof Date ? rawKey.toISOString().slice(0, 10) : String(rawKey);
    const where = `${keyPrefix}.${key}`;
    if (!isIsoDate(key))
      throw fileError(file, where, lineOf(keyNode), 'the key must be a real YYYY-MM-DD date');
    const raw: unknown =
      (pair.value as YamlNode | null)?.toJSON?.() ?? (isScalar(pair.value) ? pair.value.value : null);
    let value: unknown = raw;
    let reference = defaultReference;
    let uncertain = false;
    let note: string | undefined;
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      const o = raw as Record<string, unknown>;
      if (!('value' in o))
        throw fileError(
          file,
          where,
          lineOf(pair.value as YamlNode),
          'a map entry must have "value" (and may have reference, uncertain, note)',
        );
      const extra = Object.keys(o).filter((k) => !['value', 'reference', 'uncertain', 'note'].includes(k));
      if (extra.length)
        throw fileError(file, where, lineOf(pair.value as YamlNode), `unknown keys ${extra.join(', ')}`);
      value = o['value'];
      if (o['reference'] !== undefined)
        reference = typeof o['reference'] === 'string' ? o['reference'] : JSON.stringify(o['reference']);
      if (o['uncertain'] !== undefined) {
        if (typeof o['uncertain'] !== 'boolean')
          throw fileError(
            file,
            `${where}.uncertain`,
            lineOf(pair.value as YamlNode),
            'must be true or false',
          );
        uncertain = o['uncertain'];
      }
      if (o['note'] !== undefined)
        note = typeof o['note'] === 'string' ? o['note'] : JSON.stringify(o['note']);
    }
    try {
      value = convertValue(unit, value);
    } catch (e) {
      throw fileError(file, where, lineOf(pair.value as YamlNode), (e as Error).message);
    }
    versions.push({
      effectiveFrom: key,
      value,
      reference,
      uncertain,
      ...(note === undefined ? {} : { note }),
    });
  }
  if (versions.length === 0) throw fileError(file, keyPrefix, lineOf(valuesNode), 'has no values');
  return versions.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
}

export function parseParamFile(file: string, text: string, path: string): ParamDefinition {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e?.linePos?.[0]?.line;
    throw fileError(file, '(yaml)', line, e?.message.split('\n')[0] ?? 'YAML syntax error');
  }
  const root = doc.contents;
  if (!isMap(root)) throw fileError(file, '(root)', 1, 'must be a map');
  const get = (k: string): YamlNode | null | undefined => root.get(k, true);
  const str = (k: string): string => {
    const n = get(k);
    if (!isScalar(n) || typeof n.value !== 'string' || n.value.trim() === '')
      throw fileError(file, k, undefined, 'is required (a non-empty text)');
    return n.value;
  };
  const description = str('description');
  const reference = str('reference');
  const unit = str('unit') as ParamUnit;
  if (!UNITS.includes(unit)) throw fileError(file, 'unit', undefined, `must be one of ${UNITS.join(', ')}`);
  const known = ['description', 'reference', 'unit', 'values', 'regions', 'note'];
  for (const item of root.items) {
    const k = isScalar(item.key) ? String(item.key.value) : '';
    if (!known.includes(k)) throw fileError(file, k, undefined, `unknown key; allowed: ${known.join(', ')}`);
  }
  const regions = new Map<string, ParamVersion[]>();
  if (get('values') !== undefined)
    regions.set(NATIONAL, parseVersions(file, unit, get('values'), reference, 'values', lines));
  const regionsNode = get('regions');
  if (regionsNode !== undefined) {
    if (!isMap(regionsNode))
      throw fileError(file, 'regions', undefined, 'must be a map of 6-digit region codes');
    for (const pair of regionsNode.items) {
      const code = String((pair.key as YamlNode & { value?: unknown }).value);
      if (!/^\d{6}$/.test(code))
        throw fileError(
          file,
          `regions.${code}`,
          undefined,
          'region must be a 6-digit GB/T 2260 code (quote it)',
        );
      const body = pair.value as YamlNode;
      if (!isMap(body))
        throw fileError(file, `regions.${code}`, undefined, 'must have values (and may have reference)');
      const refNode = body.get('reference', true) as YamlNode | undefined;
      const regionRef = isScalar(refNode) && typeof refNode.value === 'string' ? refNode.value : reference;
      regions.set(
        code,
        parseVersions(file, unit, body.get('values', true), regionRef, `regions.${code}.values`, lines),
      );
    }
  }
  if (regions.size === 0)
    throw fileError(file, 'values', undefined, 'a parameter needs national values or regional values');
  return { path, file, description, unit, regions };
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
        };
      }
    }
    return undefined;
  }

  /**
   * Resolve a parameter and record it in the trace. A parameter with no version in force
   * (or one ended with null) is an SB_ERR_RULE_NOT_IN_FORCE naming `field` (default: the date).
   */
  get<T = unknown>(path: string, region: string, date: IsoDate, trace?: Trace, field = 'date'): T {
    const r = this.tryResolve<T>(path, region, date);
    if (!r || r.value === null) {
      throw new SbError('SB_ERR_RULE_NOT_IN_FORCE', {
        field,
        zh: `${path} 在 ${date}（地区 ${region}）无适用值`,
        en: `${path} has no value in force on ${date} for region ${region}`,
      });
    }
    trace?.push({
      step: path,
      value: r.value,
      parameter: path,
      effectiveFrom: r.effectiveFrom,
      reference: r.reference,
      ...(r.uncertain ? { uncertain: true } : {}),
    });
    return r.value;
  }

  /** Every parameter resolved for a region and date (GET /api/v1/params). */
  resolveAll(region: string, date: IsoDate): Array<ResolvedParam & { description: string }> {
    const out: Array<ResolvedParam & { description: string }> = [];
    for (const def of this.definitions.values()) {
      const r = this.tryResolve(def.path, region, date);
      if (r) out.push({ ...r, description: def.description });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : 1));
  }
}

function listYaml(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listYaml(full));
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) out.push(full);
  }
  return out;
}

/** Loads and validates every parameter file; any malformed file throws, naming file, line and key. */
export function loadParams(dir: string): ParamStore {
  const defs = new Map<string, ParamDefinition>();
  for (const file of listYaml(dir)) {
    const path = relative(dir, file)
      .split(sep)
      .join('/')
      .replace(/\.ya?ml$/, '');
    try {
      defs.set(path, parseParamFile(relative(process.cwd(), file), readFileSync(file, 'utf8'), path));
    } catch (e) {
      if (e instanceof ParamFileError) {
        throw new SbError('SB_ERR_INVALID_PARAMETER_FILE', { zh: e.message, en: e.message });
      }
      throw e;
    }
  }
  return new ParamStore(defs);
}

const PARAMS_DIR = join(import.meta.dirname, '..', '..', 'params');
let shared: ParamStore | undefined;

/** The project's parameter files (or SHEBAO_PARAMS_DIR's), loaded once per process. */
export function projectParams(): ParamStore {
  shared ??= loadParams(process.env['SHEBAO_PARAMS_DIR'] || PARAMS_DIR);
  return shared;
}

/** The plain-words name of a parameter for a message: its description's Chinese and English halves, without bracketed notes. */
export function paramTitle(store: ParamStore, path: string): { zh: string; en: string } {
  const d = store.definitions.get(path)?.description ?? path;
  const [zh = d, en = d] = d.split(' / ');
  return {
    zh: zh.replace(/（[^）]*）/g, '').trim(),
    en: en
      .replace(/\([^)]*\)/g, '')
      .replace(/,.*$/, '')
      .trim(),
  };
}
