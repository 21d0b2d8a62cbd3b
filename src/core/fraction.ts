// Exact fractions of integers, for a rule that must round once at the end (money.ts rounds each
// division to the fen). Decimals of a fixed precision would round each quotient (1 ÷ 3) and could land
// a total that is exactly half-way a few units below it. A fraction is plain numbers while every figure
// is a safe integer (the common case, and the cheap one), BigInt from the first figure that is not.
import { SbError } from './errors.ts';

/** num ÷ den, den > 0, exactly. */
export interface BigFraction {
  num: bigint;
  den: bigint;
}
/** The same with both parts safe integers. */
export interface SmallFraction {
  num: number;
  den: number;
}
export type Fraction = SmallFraction | BigFraction;

const isBig = (f: Fraction): f is BigFraction => typeof f.num === 'bigint';
const big = (f: Fraction): BigFraction => (isBig(f) ? f : { num: BigInt(f.num), den: BigInt(f.den) });
const safe = Number.isSafeInteger;

/** The exact value of a number or decimal string ("0.7", "1.2345", "3e-5"); `field` names it in the error. */
export function fractionOf(v: number | string, field: string): Fraction {
  if (typeof v === 'number' && safe(v)) return { num: v, den: 1 };
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(String(v).trim());
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) {
    throw new SbError('SB_ERR_VALIDATION', {
      field,
      zh: `${String(v)} 不是数`,
      en: `${String(v)} is not a number`,
    });
  }
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? '0') - frac.length;
  let num = BigInt(`${m[2]}${frac}` || '0');
  if (m[1] === '-') num = -num;
  return exp >= 0 ? { num: num * 10n ** BigInt(exp), den: 1n } : { num, den: 10n ** BigInt(-exp) };
}

/**
 * base ÷ wage for two figures that are usually safe integers: that fraction as it stands, without the
 * two intermediate fractions `quotient(fractionOf(a), fractionOf(b))` makes (the same value; issue 18:
 * the record divides every line of a working life on each request). Anything else goes that way.
 */
export function ratioOf(a: number, b: number, fieldA: string, fieldB: string): Fraction {
  if (safe(a) && safe(b)) return { num: a, den: b };
  return quotient(fractionOf(a, fieldA), fractionOf(b, fieldB));
}

/** a ÷ b, b > 0. */
export function quotient(a: Fraction, b: Fraction): Fraction {
  if (!isBig(a) && !isBig(b)) {
    const num = a.num * b.den;
    const den = a.den * b.num;
    if (safe(num) && safe(den)) return { num, den };
  }
  const x = big(a);
  const y = big(b);
  return { num: x.num * y.den, den: x.den * y.num };
}

/** a + b. */
export function plus(a: Fraction, b: Fraction): Fraction {
  if (!isBig(a) && !isBig(b)) {
    if (a.den === b.den) {
      const num = a.num + b.num;
      if (safe(num)) return { num, den: a.den };
    } else {
      const num = a.num * b.den + b.num * a.den;
      const den = a.den * b.den;
      if (safe(a.num * b.den) && safe(b.num * a.den) && safe(num) && safe(den)) return { num, den };
    }
  }
  const x = big(a);
  const y = big(b);
  return x.den === y.den
    ? { num: x.num + y.num, den: x.den }
    : { num: x.num * y.den + y.num * x.den, den: x.den * y.den };
}

/** a > c. */
export function greater(a: Fraction, c: Fraction): boolean {
  if (!isBig(a) && !isBig(c)) {
    const left = a.num * c.den;
    const right = c.num * a.den;
    if (safe(left) && safe(right)) return left > right;
  }
  const x = big(a);
  const y = big(c);
  return x.num * y.den > y.num * x.den;
}

const gcd = (a: bigint, b: bigint): bigint => {
  if (a < 0n) a = -a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

/**
 * Fractions summed per denominator: adding is one addition. A sum of a few dozen denominators (a
 * rule's one wage a year) is brought to one denominator only when a figure is shown.
 */
export class FractionSum {
  private readonly small = new Map<number, number>();
  /** made at the first figure past 2^53 (most sums never have one) */
  private big: Map<bigint, bigint> | undefined;
  add(f: Fraction, times = 1): void {
    if (!isBig(f)) {
      const n = f.num * times;
      const sum = (this.small.get(f.den) ?? 0) + n;
      if (safe(n) && safe(sum)) {
        this.small.set(f.den, sum);
        return;
      }
    }
    const b = big(f);
    this.big ??= new Map<bigint, bigint>();
    this.big.set(b.den, (this.big.get(b.den) ?? 0n) + b.num * BigInt(times));
  }
  addAll(s: FractionSum): void {
    for (const [den, num] of s.small) this.add({ num, den });
    for (const [den, num] of s.big ?? []) this.add({ num, den });
  }
  /** The sum as one fraction: plain numbers while it has one denominator of them (a year of one wage), else as total. */
  value(): Fraction {
    if (this.big === undefined && this.small.size === 1)
      for (const [den, num] of this.small) return { num, den };
    return this.total();
  }
  /** The sum as one fraction. */
  total(): BigFraction {
    if (this.big === undefined && this.small.size === 1)
      for (const [d, n] of this.small) return { num: BigInt(n), den: BigInt(d) };
    let num = 0n;
    let den = 1n;
    const fold = (n: bigint, d: bigint) => {
      const g = gcd(den, d);
      const l = (den / g) * d;
      num = num * (l / den) + n * (l / d);
      den = l;
    };
    for (const [d, n] of this.small) fold(BigInt(n), BigInt(d));
    for (const [d, n] of this.big ?? []) fold(n, d);
    return { num, den };
  }
}

/** num ÷ (den × divisor) to `decimals` places, half up (away from zero), as "1.2345". */
export function formatHalfUp(f: Fraction, decimals: number, divisor = 1): string {
  if (!isBig(f)) {
    // The same digits in plain numbers while every figure below stays a safe integer (exact).
    const den = f.den * divisor;
    const scaled = Math.abs(f.num) * 10 ** decimals;
    const a = 2 * scaled + den;
    const b = 2 * den;
    if (safe(den) && safe(scaled) && safe(a + 2 * b)) {
      let q = Math.floor(a / b);
      // The division is a double's: it can land one above or below the exact quotient.
      if (q * b > a) q -= 1;
      else if ((q + 1) * b <= a) q += 1;
      return digitsOf(f.num < 0, String(q), decimals);
    }
  }
  const { num, den: d } = big(f);
  const den = d * BigInt(divisor);
  const neg = num < 0n;
  const scaled = (neg ? -num : num) * 10n ** BigInt(decimals);
  const q = (2n * scaled + den) / (2n * den);
  return digitsOf(neg, q.toString(), decimals);
}

/** q (the value × 10^decimals, rounded) as "1.2345", with its sign. */
function digitsOf(neg: boolean, q: string, decimals: number): string {
  const digits = q.padStart(decimals + 1, '0');
  const cut = digits.length - decimals;
  return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}
