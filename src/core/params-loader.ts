// Reads the parameter files under params/ (one YAML file per parameter, format in params.ts) into a
// ParamStore, validating each: a malformed file stops the program naming file, line and key.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseDocument, isMap, isScalar, LineCounter, type Node as YamlNode } from 'yaml';
import { isIsoDate } from './dates.ts';
import { SbError } from './errors.ts';
import { Dec } from './money.ts';
import {
  NATIONAL,
  PARAM_UNITS,
  ParamStore,
  type ParamDefinition,
  type ParamReference,
  type ParamUnit,
  type ParamVersion,
} from './params.ts';
import { ENGINEER_NOTE } from './trace.ts';

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
    case 'rate':
    case 'index':
    case 'number':
      return num(v);
    case 'bp':
    case 'months':
    case 'days':
    case 'years':
    case 'age':
    case 'count':
      return int(v);
    case 'date':
      if (!isIsoDate(v)) throw new Error(`expected a YYYY-MM-DD date, got ${JSON.stringify(v)}`);
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw new Error(`expected true or false, got ${JSON.stringify(v)}`);
      return v;
    case 'text':
      if (typeof v !== 'string') throw new Error(`expected a text, got ${JSON.stringify(v)}`);
      return v;
    case 'table':
      if (typeof v !== 'object') throw new Error(`expected a list or a map, got ${JSON.stringify(v)}`);
      return v;
  }
  // a unit added to STEP_UNITS without its conversion here stops the build
  unit satisfies `code:${string}`;
  // code:<list>: a code, or a table of them (the list and its codes are checked by src/code-lists.ts)
  if (typeof v !== 'string' && typeof v !== 'object')
    throw new Error(`expected a code, or a list or map of codes, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * A reference as the reader sees it: `{ zh, en }`, both non-empty, neither holding an engineer's note
 * (ENGINEER_NOTE: a pointer, a tag, a web address; those belong in `source` or `note`, never loaded).
 */
function parseReference(raw: unknown): ParamReference {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error('must be { zh: …, en: … } (where the figure was found goes in source)');
  const o = raw as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== 'zh' && k !== 'en');
  if (extra.length) throw new Error(`unknown keys ${extra.join(', ')}; allowed: zh, en`);
  const text = (k: 'zh' | 'en'): string => {
    const t = o[k];
    if (typeof t !== 'string' || t.trim() === '') throw new Error(`${k} is required (a non-empty text)`);
    if (ENGINEER_NOTE.test(t))
      throw new Error(`${k} is shown to users: it must cite a published source, not an internal note`);
    return t;
  };
  return { zh: text('zh'), en: text('en') };
}

function parseVersions(
  file: string,
  unit: ParamUnit,
  valuesNode: YamlNode | null | undefined,
  defaultReference: ParamReference,
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
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
      const o = raw as Record<string, unknown>;
      if (!('value' in o))
        throw fileError(
          file,
          where,
          lineOf(pair.value as YamlNode),
          'a map entry must have "value" (and may have reference, source, uncertain, note)',
        );
      const extra = Object.keys(o).filter(
        (k) => !['value', 'reference', 'source', 'uncertain', 'note'].includes(k),
      );
      if (extra.length)
        throw fileError(file, where, lineOf(pair.value as YamlNode), `unknown keys ${extra.join(', ')}`);
      value = o['value'];
      if (o['reference'] !== undefined) {
        try {
          reference = parseReference(o['reference']);
        } catch (e) {
          throw fileError(file, `${where}.reference`, lineOf(pair.value as YamlNode), (e as Error).message);
        }
      }
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
    }
    try {
      value = convertValue(unit, value);
    } catch (e) {
      throw fileError(file, where, lineOf(pair.value as YamlNode), (e as Error).message);
    }
    versions.push({ effectiveFrom: key, value, reference, uncertain });
  }
  if (versions.length === 0) throw fileError(file, keyPrefix, lineOf(valuesNode), 'has no values');
  return versions.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
}

function referenceAt(
  file: string,
  key: string,
  node: YamlNode | null | undefined,
  lines: LineCounter,
): ParamReference {
  try {
    return parseReference(node?.toJSON?.());
  } catch (e) {
    const line = node?.range ? lines.linePos(node.range[0]).line : undefined;
    throw fileError(file, key, line, (e as Error).message);
  }
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
  const reference = referenceAt(file, 'reference', get('reference'), lines);
  const unit = str('unit') as ParamUnit;
  if (!PARAM_UNITS.includes(unit) && !/^code:[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)+$/.test(unit))
    throw fileError(file, 'unit', undefined, `must be one of ${PARAM_UNITS.join(', ')}, or code:<list>`);
  const known = ['description', 'reference', 'source', 'unit', 'values', 'regions', 'note'];
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
        throw fileError(
          file,
          `regions.${code}`,
          undefined,
          'must have values (and may have reference, source, note)',
        );
      for (const item of body.items) {
        const k = isScalar(item.key) ? String(item.key.value) : '';
        if (!['values', 'reference', 'source', 'note'].includes(k))
          throw fileError(
            file,
            `regions.${code}.${k}`,
            undefined,
            'unknown key; allowed: values, reference, source, note',
          );
      }
      const refNode = body.get('reference', true) as YamlNode | undefined;
      const regionRef =
        refNode === undefined ? reference : referenceAt(file, `regions.${code}.reference`, refNode, lines);
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
