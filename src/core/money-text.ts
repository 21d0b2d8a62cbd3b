// Money as text a person reads, for the server and the web alike (web/src/format.ts delegates here):
// one place writes the ¥ and the sign. No imports, so the web's bundle does not pull in decimal.js.

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
