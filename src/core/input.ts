// Field readers for untrusted JSON input: each throws an SbError naming the field.
import { parseDate, parsePeriod, type IsoDate, type Period } from './dates.ts';
import { SbError } from './errors.ts';
import { fen, type Fen } from './money.ts';

export type Json = Record<string, unknown>;

/** The most months a rule's input takes (100 years): the forms that send months use it too. */
export const MAX_MONTHS = 1200;

export function asObject(v: unknown, field = '(body)'): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new SbError('SB_ERR_INVALID_TYPE', { field, zh: '应为 JSON 对象', en: 'expected a JSON object' });
  }
  return v as Json;
}

const prefix = (path: string | undefined, key: string): string => (path ? `${path}.${key}` : key);

/** Reads fields of one JSON object; `path` prefixes field names in errors (`transitional.deemedMonths`). */
export class FieldReader {
  constructor(
    readonly obj: Json,
    readonly path?: string,
  ) {}

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  private raw(key: string): unknown {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      throw new SbError('SB_ERR_REQUIRED', {
        field: prefix(this.path, key),
        zh: prefix(this.path, key),
        en: prefix(this.path, key),
      });
    }
    return v;
  }

  private typeError(key: string, zh: string, en: string): SbError {
    return new SbError('SB_ERR_INVALID_TYPE', { field: prefix(this.path, key), zh, en });
  }

  string(key: string): string {
    const v = this.raw(key);
    if (typeof v !== 'string') throw this.typeError(key, '应为文本', 'expected a string');
    return v;
  }

  number(key: string, opts: { min?: number; max?: number } = {}): number {
    const v = this.raw(key);
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw this.typeError(key, '应为数字', 'expected a number');
    this.range(key, v, opts);
    return v;
  }

  int(key: string, opts: { min?: number; max?: number } = {}): number {
    const v = this.raw(key);
    if (typeof v !== 'number' || !Number.isSafeInteger(v))
      throw this.typeError(key, '应为整数', 'expected an integer');
    this.range(key, v, opts);
    return v;
  }

  /** Months are whole and never negative. */
  months(key: string, opts: { max?: number } = {}): number {
    return this.int(key, { min: 0, max: opts.max ?? MAX_MONTHS });
  }

  /** An amount in fen: a non-negative safe integer unless `allowNegative`. */
  fen(key: string, opts: { allowNegative?: boolean } = {}): Fen {
    const v = this.raw(key);
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      throw new SbError('SB_ERR_INVALID_AMOUNT', { field: prefix(this.path, key) });
    }
    if (!opts.allowNegative && v < 0) {
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: prefix(this.path, key),
        zh: '金额不能为负',
        en: 'amount cannot be negative',
      });
    }
    return fen(v, prefix(this.path, key));
  }

  boolean(key: string): boolean {
    const v = this.raw(key);
    if (typeof v !== 'boolean') throw this.typeError(key, '应为 true 或 false', 'expected true or false');
    return v;
  }

  date(key: string): IsoDate {
    return parseDate(this.raw(key), prefix(this.path, key));
  }

  period(key: string): Period {
    return parsePeriod(this.raw(key), prefix(this.path, key));
  }

  oneOf<T extends string | number>(key: string, allowed: readonly T[]): T {
    const v = this.raw(key);
    if (!allowed.includes(v as T)) {
      throw new SbError('SB_ERR_VALIDATION', {
        field: prefix(this.path, key),
        zh: `应为 ${allowed.join('、')} 之一`,
        en: `must be one of ${allowed.join(', ')}`,
      });
    }
    return v as T;
  }

  object(key: string): FieldReader {
    return new FieldReader(asObject(this.raw(key), prefix(this.path, key)), prefix(this.path, key));
  }

  /**
   * A list of at most `max` items (default MAX_MONTHS: no list a rule reads — a career's months, its
   * segments, the provinces, the dependents — is longer), so a public calculation's work stays bounded.
   */
  array(key: string, { max = MAX_MONTHS }: { max?: number } = {}): unknown[] {
    const v = this.raw(key);
    if (!Array.isArray(v)) throw this.typeError(key, '应为数组', 'expected an array');
    if (v.length > max)
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: prefix(this.path, key),
        zh: `最多 ${max} 项`,
        en: `at most ${max} items`,
      });
    return v;
  }

  optional<T>(key: string, read: (key: string) => T): T | undefined {
    return this.has(key) ? read.call(this, key) : undefined;
  }

  private range(key: string, v: number, { min, max }: { min?: number; max?: number }): void {
    if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: prefix(this.path, key),
        zh: `应在 ${min ?? '-∞'} 至 ${max ?? '∞'} 之间`,
        en: `must be between ${min ?? '-∞'} and ${max ?? '∞'}`,
      });
    }
  }
}
