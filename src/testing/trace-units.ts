// Does each trace step's figure fit the unit its formula gave it? A page formats the figure by that
// unit alone (src/core/trace-text.ts): a rate traced as `fen` would read ¥0.08.
import type { TraceStep } from '../core/trace.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInteger = (v: unknown): boolean => Number.isSafeInteger(v);
/** The numbers of a figure: itself, or those of a table (a percent by grade, days by year). */
const leaves = (v: unknown): unknown[] =>
  v !== null && typeof v === 'object' ? Object.values(v).flatMap(leaves) : [v];
const every =
  (ok: (x: unknown) => boolean) =>
  (v: unknown): boolean =>
    leaves(v).every(ok);

const FITS: Record<string, (v: unknown) => boolean> = {
  fen: every(isInteger),
  percent: every(isNumber),
  bp: every(isInteger),
  rate: every((x) => isNumber(x) && x >= 0 && x <= 1),
  // a contribution index may be an exact decimal written out ("123.4567")
  index: every((x) => (isNumber(x) && x >= 0) || (typeof x === 'string' && /^\d+(\.\d+)?$/.test(x))),
  months: every((x) => isNumber(x) && x >= 0),
  days: every((x) => isInteger(x) && (x as number) >= 0),
  years: every((x) => isNumber(x) && x >= 0),
  age: every((x) => isInteger(x) && (x as number) >= 0),
  count: every((x) => isInteger(x) && (x as number) >= 0),
  number: every(isNumber),
  date: every((x) => typeof x === 'string' && /^\d{4}-\d{2}(-\d{2})?$/.test(x)),
  boolean: (v) => typeof v === 'boolean',
  text: every((x) => typeof x === 'string'),
  table: (v) => v !== null && typeof v === 'object',
};

/** Why a step's figure does not fit its unit, or null when it does (null, a figure not there, fits any). */
export function stepUnitProblem(
  s: Pick<TraceStep, 'step'> & { value?: unknown; unit?: string },
): string | null {
  const what = `"${s.step}" = ${JSON.stringify(s.value)} (${String(s.unit)})`;
  // an answer's steps come through the route's schema: one that drops the unit fails here
  if (s.unit === undefined) return `${what}: no unit`;
  if (s.value === null || s.value === undefined) return null;
  if (s.unit.startsWith('code:')) {
    const list = s.unit.slice('code:'.length);
    for (const code of leaves(s.value)) {
      const key = `${list}.${String(code)}`;
      if (typeof code !== 'string' || !(key in zhCN) || !(key in en)) return `${what}: no words for ${key}`;
    }
    return null;
  }
  const fits = FITS[s.unit];
  if (fits === undefined) return `${what}: unknown unit`;
  return fits(s.value) ? null : `${what}: does not fit its unit`;
}
