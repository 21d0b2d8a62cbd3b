// Money is integer fen (分). Every division goes through one rounding helper.
import { Decimal } from 'decimal.js';
import { SbError } from './errors.ts';

declare const fenBrand: unique symbol;
export type Fen = number & { readonly [fenBrand]: true };

/** The only way to make a Fen: rejects fractions and values beyond 2^53. */
export function fen(value: number | bigint, field?: string): Fen {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (!Number.isSafeInteger(n) || (typeof value === 'bigint' && BigInt(n) !== value)) {
    throw new SbError('SB_ERR_INVALID_AMOUNT', {
      ...(field === undefined ? {} : { field }),
      // the value itself is not repeated: it may be what a caller typed
      zh: Number.isInteger(n) ? '超出可精确计算的范围' : '不是整数',
      en: Number.isInteger(n) ? 'beyond the range of exact amounts' : 'not a whole number',
    });
  }
  return n as Fen;
}

/** Decimal arithmetic for intermediate figures (indices, rates); money leaves it only through roundFen. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;
export const dec = (v: Decimal.Value): Dec => new Dec(v);

/**
 * Round a decimal amount in fen to a whole fen, half away from zero (ROUND_HALF_UP),
 * the rule the regulations use unless they say otherwise.
 */
export function roundFen(amountInFen: Decimal.Value): Fen {
  return fen(new Dec(amountInFen).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber());
}

/** amount × numerator ÷ denominator, rounded half-up to the fen. */
export function mulDiv(amount: Fen | number, numerator: Decimal.Value, denominator: Decimal.Value = 1): Fen {
  if (Number.isInteger(amount) && Number.isInteger(numerator) && Number.isInteger(denominator)) {
    // Integers whose product is a safe integer: the same rounding in plain numbers, exactly (issue 18:
    // the record averages a base per year on every request, and Decimal was most of its own time).
    // Only integers: a fraction such as 1/3 can make a float product whole where Decimal's is not.
    const product = amount * (numerator as number);
    const d = denominator as number;
    if (Number.isSafeInteger(Math.abs(product) + Math.abs(d)) && d !== 0) return halfUpQuotient(product, d);
  }
  return roundFen(new Dec(amount).mul(numerator).div(denominator));
}

/**
 * a ÷ b for integers with |a| + |b| safe (b ≠ 0), half away from zero (ROUND_HALF_UP), as roundFen
 * rounds; a zero keeps the sign Decimal gives it.
 */
function halfUpQuotient(a: number, b: number): Fen {
  const neg = (a < 0 || Object.is(a, -0)) !== b < 0;
  const n = Math.abs(a);
  const d = Math.abs(b);
  let q = Math.floor(n / d);
  // The division is a double's: it can land one above or below the exact quotient.
  let r = n - q * d;
  if (r < 0) {
    q -= 1;
    r += d;
  } else if (r >= d) {
    q += 1;
    r -= d;
  }
  if (r >= d - r) q += 1;
  return fen(neg ? -q : q);
}

/** amount × rate in basis points (1 bp = 0.01%), rounded half-up to the fen. */
export const applyBp = (amount: Fen | number, bp: number): Fen => mulDiv(amount, bp, 10000);

/** amount × percent (e.g. 8 for 8%), rounded half-up to the fen. */
export const applyPercent = (amount: Fen | number, percent: Decimal.Value): Fen =>
  mulDiv(amount, percent, 100);

export const sumFen = (...parts: number[]): Fen => fen(parts.reduce((a, b) => a + b, 0));

/** Yuan as written in a document ("11883", "2818.5") to fen, exactly; rejects sub-fen digits. */
export function yuanToFen(yuan: string | number, field?: string): Fen {
  const d = new Dec(yuan).mul(100);
  if (!d.isInteger()) {
    throw new SbError('SB_ERR_INVALID_AMOUNT', {
      ...(field === undefined ? {} : { field }),
      zh: `${String(yuan)} 元精确到分以下`,
      en: `${String(yuan)} yuan has more than two decimals`,
    });
  }
  return fen(d.toNumber(), field);
}

// Money as text lives apart from the arithmetic, so the web can show it without bundling decimal.js.
export { formatMoney, formatYuan } from './money-text.ts';
