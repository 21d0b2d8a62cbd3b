// A trace step's figure in words, without React (the server's test runner reads it too).

/**
 * Traces carry money as integer fen without a unit field; a step whose figure names an amount
 * ("basic pension = …", "total = …", "benefit base wage C") is shown in yuan, with the fen kept; a
 * share or multiple of a wage ("base ceiling, share of the average wage" = 300) is a percent, not ¥3.00.
 */
export function isMoneyStep(step: string, value: unknown, parameter?: string): boolean {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return false;
  const subject = step.split(/=|\(/)[0] ?? '';
  if (/\b(divisor|index|months?|years?|age|rate|percent|share|multiple)\b/i.test(subject)) return false;
  if (/pension|wage|total|fen|balance|amount|grant|account|contribution|interest/i.test(subject)) return true;
  // A computed clamp limit or benefit ("floor = round(average × 60%)", "one-off disability subsidy = …")
  // is in fen; a parameter of the same name may be in yuan (a skill subsidy's 1,500), so only computed steps.
  return parameter === undefined && /\b(floor|ceiling|subsidy|allowance|compensation)\b/i.test(subject);
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

/** Steps whose figure is a code, by parameter path or English step: the message prefix of its words. */
export const TRACE_VALUE_CODES: Readonly<Record<string, string>> = {
  'injury/disability-allowance-payer': 'injury.payer',
  'allowance paid by': 'injury.payer',
};
