// Explanation traces: every formula says which parameters it read and which figures it computed.

/**
 * What a step's figure is, said by the formula that wrote it (or the parameter file's `unit`), so a
 * page formats it without guessing from the step's words (an injury benefit's floor once read 442560).
 * - `fen`: money, integer fen · `percent`: 60 = 60% · `bp`: basis points, 50 = 0.5% · `rate`: a
 *   fraction, 0.08 = 8% · `index`: a ratio or multiple (contribution index 1.2, divisor 139.0)
 * - `months` / `days` / `years` (a duration) / `age` (whole years of age): shown with their word,
 *   "180 个月", "60 岁" · `count` / `number`: plain figures (`number`: anything else numeric)
 * - `date`: `YYYY-MM-DD` or `YYYY-MM` · `boolean` · `text`: words already (or a list of them) ·
 *   `table`: a record or list of figures, its fields named on the page
 * - `code:<list>`: a code (or a record of codes) from the list the web catalogue keys `<list>.<code>`
 *   (e.g. `code:injury.payer`), shown in the reader's words
 */
export const STEP_UNITS = [
  'fen',
  'percent',
  'bp',
  'rate',
  'index',
  'months',
  'days',
  'years',
  'age',
  'count',
  'number',
  'date',
  'boolean',
  'text',
  'table',
] as const;

/** The one list of units: a parameter file declares the same ones, `yuan` in place of `fen` (params.ts). */
export type StepUnit = (typeof STEP_UNITS)[number] | `code:${string}`;

export interface TraceStep {
  /** English label of the step (an identifier-like phrase: "basic pension = (C + C×Z)/2 × N × 1%"). */
  step: string;
  /** Chinese label, shown by `--explain` in zh. */
  stepZh?: string;
  value: unknown;
  unit: StepUnit;
  parameter?: string;
  effectiveFrom?: string;
  /** The legal source in English (a parameter's `reference.en`; some rules cite a Chinese document only). */
  reference?: string;
  /** The legal source in Chinese, shown in zh. */
  referenceZh?: string;
  /** The source marks this figure as uncertain (from memory, not verified against the text). */
  uncertain?: boolean;
}

export class Trace {
  readonly steps: TraceStep[] = [];

  /** An intermediate figure or input, with what it is (money in fen, a rate, months…). */
  add(step: string, value: unknown, unit: StepUnit, stepZh?: string): this {
    this.steps.push(stepZh === undefined ? { step, value, unit } : { step, stepZh, value, unit });
    return this;
  }

  push(step: TraceStep): this {
    this.steps.push(step);
    return this;
  }
}

/**
 * A note for engineers, never shown as a source: a pointer into the design notes (domain.md §7,
 * calc-contract.md), a confidence tag ([L], [S], [M]), a worked example's id (WE-24), a commit of a
 * law's text (@3cd6e86) or the site it was read at (https://…, sldihb.cn). The parameter loader refuses
 * a reference holding one; a reference saved before references became { zh, en } (commit 565e4be) is
 * shown without them.
 */
export const ENGINEER_NOTE =
  /\bdomain\b|[\w-]+\.md\b|\[[A-Z]\]|\bWE-\d+\b|@[0-9a-f]{7}\b|https?:\/\/|\bwww\.|\b[\w-]+\.(?:com|cn|net|org)\b/;

/**
 * The source under a step, in the reader's language. A step saved before references became
 * { zh, en } has one mixed text and no `referenceZh`: it is shown as saved (it is the record of what
 * was decided), less the notes meant for engineers — a bracketed part keeps its other phrases.
 */
export function shownReference(
  s: Pick<TraceStep, 'reference' | 'referenceZh'>,
  lang: 'zh' | 'en',
): string | undefined {
  if (s.referenceZh !== undefined) return lang === 'zh' ? s.referenceZh : s.reference;
  if (s.reference === undefined) return undefined;
  const text = s.reference
    .replace(/\s*([(（])([^()（）]*)([)）])/g, (whole, open: string, inner: string, close: string) => {
      const parts = inner.split(/\s*[;；]\s*|,\s+/);
      const kept = parts.filter((p) => !ENGINEER_NOTE.test(p));
      if (kept.length === parts.length) return whole;
      return kept.length > 0 ? ` ${open}${kept.join('; ')}${close}` : '';
    })
    // outside brackets: "…, via https://…", "京人社发〔2024〕16号 https://…", "domain-2.md §4.3 — …"
    .replace(/[,，]?\s*(?:via\s+)?https?:\/\/\S+/g, '')
    .replace(
      /(?:domain(?:-\d+)?|calc-contract)\.md(?:\s*§[\d.]+(?:\/§[\d.]+)*)?(?:\s*\[[A-Z]\])?\s*[—;,]?\s*/g,
      '',
    )
    .replace(/\s*\[[A-Z]\]/g, '')
    .trim();
  return text === '' ? undefined : text;
}

/**
 * The unit of a step stored before steps carried one (in approvals, decisions and cases saved until
 * then), by the rule the pages used: an integer whose label names an amount ("basic pension = …",
 * "floor = round(…)") is money in fen, unless the label says it is a divisor, index, months, rate or
 * share; the payer of an injury allowance is a code. Anything else is the plain figure it was shown as.
 */
export function legacyStepUnit(s: {
  step: string;
  value: unknown;
  parameter?: string | undefined;
}): StepUnit {
  if (s.parameter === 'injury/disability-allowance-payer' || s.step === 'allowance paid by')
    return 'code:injury.payer';
  const v = s.value;
  if (typeof v === 'string') return 'text';
  if (typeof v === 'boolean') return 'boolean';
  if (v !== null && typeof v === 'object') return 'table';
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) return 'number';
  const subject = s.step.split(/=|\(/)[0] ?? '';
  if (/\b(divisor|index|months?|years?|age|rate|percent|share|multiple)\b/i.test(subject)) return 'number';
  if (/pension|wage|total|fen|balance|amount|grant|account|contribution|interest/i.test(subject))
    return 'fen';
  // a parameter named like a computed limit may be in other units: only computed steps
  return s.parameter === undefined && /\b(floor|ceiling|subsidy|allowance|compensation)\b/i.test(subject)
    ? 'fen'
    : 'number';
}

/**
 * A trace as a table column holds it (JSON text or already parsed; null when none was kept), each step
 * with its unit: a step saved before steps carried one gets the old rule's (legacyStepUnit). Every read
 * of a stored trace goes through here, so a TraceStep always has its unit.
 */
export function storedTrace(raw: unknown): TraceStep[] {
  const steps: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  if (!Array.isArray(steps)) return [];
  return steps.map((x: unknown) => {
    const s = x as Omit<TraceStep, 'unit'> & { unit?: StepUnit };
    return s.unit === undefined ? { ...s, unit: legacyStepUnit(s) } : (s as TraceStep);
  });
}
