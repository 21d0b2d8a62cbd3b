// Money as text a person reads or writes, for the server and the web alike (web/src/format.ts delegates
// here): one place writes the ¥ and the sign, and one reads yuan back to fen (the money box and the
// declaration upload). No imports, so the web's bundle does not pull in decimal.js.

/**
 * Caps on money a person types, far above any real figure, so that every amount stays an exact integer
 * of fen (2^53 is about 90 trillion yuan) and a slip of the keyboard is refused, not stored:
 * a month's wage or base at most 100 million yuan, any other amount (a payment, a benefit, a
 * receipt, an account) at most 10 billion yuan.
 */
export const MAX_WAGE_FEN = 10_000_000_000;
export const MAX_AMOUNT_FEN = 1_000_000_000_000;

/** Fen as yuan text by integer arithmetic: 1234567 → "12,345.67" (or "12345.67" without grouping, for files). */
export function formatYuan(amount: number, grouping = true): string {
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const whole = Math.trunc(abs / 100);
  const yuan = grouping ? whole.toLocaleString('en-US') : String(whole);
  const cents = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}

/**
 * Fen as money in text a person reads (a message, a note, an error), as the web shows it:
 * 3524050 → "¥35,240.50"; a negative amount → "-¥35,240.50".
 */
export function formatMoney(amount: number): string {
  const text = formatYuan(amount);
  return text.startsWith('-') ? `-¥${text.slice(1)}` : `¥${text}`;
}

/** Why written text is not an amount in yuan (the money box and the upload's line errors say it in words). */
export type YuanProblem = 'empty' | 'notAmount' | 'decimals' | 'negative' | 'tooLarge';

/**
 * Yuan written by a person (a money box, a cell of an uploaded file) → integer fen by integer
 * arithmetic, or why not. "18,480.00", "18480", "0.5" and "¥1,234,567.89" are amounts, also in the
 * full-width characters and the 。 a Chinese input method types; commas only between groups of three
 * ("12,34" is a mistyped 12.34, not 1,234 yuan). No exponent, sign, hex or formula: "1e9", "+5",
 * "0x10" and "=1+1" are not amounts.
 */
export function parseYuan(text: string): { fen: number } | { problem: YuanProblem } {
  const s = text
    .trim()
    .replace(/[\uff10-\uff19\uff0c\uff0e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replaceAll('。', '.')
    .replace(/^[¥￥]\s*/, '');
  if (s === '') return { problem: 'empty' };
  const m = /^(-)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return { problem: 'notAmount' };
  const [, minus, whole = '', cents = ''] = m;
  if (minus) return { problem: 'negative' };
  if (cents.length > 2) return { problem: 'decimals' };
  const digits = whole.replaceAll(',', '').replace(/^0+(?=\d)/, '');
  // 13 digits of yuan in fen stay below 2^53, so Number() is exact
  if (digits.length > 13) return { problem: 'tooLarge' };
  return { fen: Number(digits) * 100 + Number(cents.padEnd(2, '0')) };
}
