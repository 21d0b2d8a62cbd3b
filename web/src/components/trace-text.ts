// A trace step's figure in words, without React (the server's test runner reads it too).
import type { StepUnit, TraceStep } from '../../../src/core/trace.ts';
import { isIsoDate } from '../format.ts';

/** A step as the pages receive it: a step stored before steps said their unit has none. */
export type ShownStep = Pick<TraceStep, 'step' | 'value' | 'parameter'> & { unit?: string | undefined };

/**
 * The unit of a step stored before steps carried one (in approvals and decisions saved until then),
 * by the rule the pages used: an integer whose label names an amount ("basic pension = …", "floor =
 * round(…)") is money in fen, unless the label says it is a divisor, index, months, rate or share; the
 * payer of an injury allowance is a code. Anything else is shown as it was saved.
 */
export function legacyStepUnit(s: ShownStep): StepUnit | undefined {
  if (s.parameter === 'injury/disability-allowance-payer' || s.step === 'allowance paid by')
    return 'code:injury.payer';
  if (typeof s.value !== 'number' || !Number.isSafeInteger(s.value)) return undefined;
  const subject = s.step.split(/=|\(/)[0] ?? '';
  if (/\b(divisor|index|months?|years?|age|rate|percent|share|multiple)\b/i.test(subject)) return undefined;
  if (/pension|wage|total|fen|balance|amount|grant|account|contribution|interest/i.test(subject))
    return 'fen';
  // a parameter named like a computed limit may be in other units: only computed steps
  return s.parameter === undefined && /\b(floor|ceiling|subsidy|allowance|compensation)\b/i.test(subject)
    ? 'fen'
    : undefined;
}

/** The step's own unit, or for a step stored without one, the old rule's. */
export function stepUnit(s: ShownStep): StepUnit | undefined {
  return (s.unit as StepUnit | undefined) ?? legacyStepUnit(s);
}

/** A figure in words: lists joined, records as "name: value" pairs with the fields named — never raw JSON. */
export function valueText(
  v: unknown,
  fieldName: (key: string) => string = (k) => k,
  word: (code: string) => string = (c) => c,
): string {
  const text = (x: unknown): string => valueText(x, fieldName, word);
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return word(v);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  if (Array.isArray(v)) return v.map(text).join('、');
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${fieldName(k)}: ${text(x)}`)
      .join('; ');
  return typeof v === 'bigint' ? v.toString() : '—';
}

/** How the page writes money, dates, a table's field names and a code list's words, in the reader's language. */
export interface FigureWords {
  money: (fen: number) => string;
  date: (iso: string) => string;
  fieldName: (key: string) => string;
  code: (list: string, code: string) => string;
}

/** A share written as a percent without float noise: 0.075 × 100 → "7.5%". */
const percentText = (n: number): string => `${Number(n.toPrecision(12))}%`;

/** A step's figure by its unit: ¥ for fen, % for a percent, basis points or rate, words for a code, a date in words. */
export function figureText(s: ShownStep, words: FigureWords): string {
  const unit = stepUnit(s);
  const v = s.value;
  const plain = (word?: (c: string) => string): string => valueText(v, words.fieldName, word);
  if (unit === undefined) return plain();
  if (unit.startsWith('code:')) return plain((c) => words.code(unit.slice('code:'.length), c));
  if (typeof v === 'number') {
    if (unit === 'fen') return words.money(v);
    if (unit === 'percent') return percentText(v);
    if (unit === 'bp') return percentText(v / 100);
    if (unit === 'rate') return percentText(v * 100);
    return plain();
  }
  if (unit === 'date' && isIsoDate(v)) return words.date(v);
  return plain();
}
