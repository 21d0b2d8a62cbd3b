// A trace step's figure in words, for the web's trace view and `shebao calc --explain` alike (one
// formatter: the CLI printed raw numbers, 442560 for ¥4,425.60, while the page wrote money).
import { dateInWords, isIsoDate, monthInWords } from './dates.ts';
import { formatMoney } from './money-text.ts';
import { shownReference, type TraceStep } from './trace.ts';

/** A step as the pages receive it: every route reads a stored trace through storedTrace, so each has its unit. */
export type ShownStep = Pick<TraceStep, 'step' | 'value'> & { unit: string };

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

/** The reader's language, and how they read a table's field names and a code list's words. */
export interface FigureWords {
  lang: 'zh' | 'en';
  fieldName: (key: string) => string;
  code: (list: string, code: string) => string;
}

/** A share written as a percent without float noise: 0.075 × 100 → "7.5%". */
const percentText = (n: number): string => `${Number(n.toPrecision(12))}%`;

/** The word after a duration or an age: "180 个月" / "180 months", "1 day", "60 岁". */
const DURATION: Record<'months' | 'days' | 'years' | 'age', { zh: string; en: [string, string] }> = {
  months: { zh: '个月', en: ['month', 'months'] },
  days: { zh: '天', en: ['day', 'days'] },
  years: { zh: '年', en: ['year', 'years'] },
  age: { zh: '岁', en: ['year', 'years'] },
};

/** A step's figure by its unit: ¥ for fen, % for a percent, basis points or rate, a duration with its word, a code or a date in words. */
export function figureText(s: ShownStep, words: FigureWords): string {
  const unit = s.unit;
  const v = s.value;
  const plain = (word?: (c: string) => string): string => valueText(v, words.fieldName, word);
  if (unit.startsWith('code:')) return plain((c) => words.code(unit.slice('code:'.length), c));
  if (typeof v === 'number') {
    if (unit === 'fen') return formatMoney(v);
    if (unit === 'percent') return percentText(v);
    if (unit === 'bp') return percentText(v / 100);
    if (unit === 'rate') return percentText(v * 100);
    if (unit === 'months' || unit === 'days' || unit === 'years' || unit === 'age') {
      const w = DURATION[unit];
      return words.lang === 'zh' ? `${v} ${w.zh}` : `${v} ${w.en[v === 1 ? 0 : 1]}`;
    }
    return plain();
  }
  // a table's words (a method such as national-bands) are named in the same catalogue as its fields
  if (unit === 'table') return plain(words.fieldName);
  if (unit === 'date' && typeof v === 'string')
    return isIsoDate(v) ? dateInWords(v, words.lang) : monthInWords(v, words.lang);
  return plain();
}

/** The trace as readable lines, each figure as the page writes it, for `shebao calc --explain`. */
export function explainTrace(steps: readonly TraceStep[], words: FigureWords): string {
  const zh = words.lang === 'zh';
  return steps
    .map((s, i) => {
      const extra: string[] = [];
      if (s.parameter) extra.push(`${zh ? '参数' : 'parameter'} ${s.parameter}`);
      if (s.effectiveFrom) extra.push(`${zh ? '自' : 'from'} ${dateInWords(s.effectiveFrom, words.lang)}`);
      const reference = shownReference(s, words.lang);
      if (reference) extra.push(`${zh ? '依据' : 'source'}: ${reference}`);
      if (s.uncertain) extra.push(zh ? '⚠ 待核实' : '⚠ unverified');
      const label = zh ? (s.stepZh ?? s.step) : s.step;
      const figure = figureText(s, words);
      return `${String(i + 1).padStart(2)}. ${label} = ${figure}${extra.length ? `  (${extra.join('; ')})` : ''}`;
    })
    .join('\n');
}
