// Exact fractions: sums and comparisons without rounding, BigInt past 2^53, one half-up rounding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatHalfUp, FractionSum, fractionOf, greater, plus, quotient } from './fraction.ts';

const third = quotient({ num: 1, den: 1 }, { num: 3, den: 1 });

test('1/3 + 1/3 + 1/3 = 1 exactly (a decimal of any fixed precision would give 0.99…)', () => {
  const s = new FractionSum();
  for (let i = 0; i < 3; i++) s.add(third);
  const t = s.total();
  assert.equal(t.num, t.den);
  assert.equal(formatHalfUp(plus(plus(third, third), third), 4), '1.0000');
});

test('sums over several denominators: 1/3 + 1/7 + 2 × 1/6 = 17/21', () => {
  const s = new FractionSum();
  s.add(third);
  s.add({ num: 1, den: 7 });
  s.add({ num: 1, den: 6 }, 2);
  const t = s.total();
  assert.equal(t.num * 21n, 17n * t.den);
  const other = new FractionSum();
  other.addAll(s);
  other.add({ num: 4, den: 21 });
  assert.equal(formatHalfUp(other.total(), 4), '1.0000');
});

test('comparisons: 2/3 > 665/1000, 2/3 is not > 4/6, 3/10 is not > 1/3', () => {
  assert.equal(greater({ num: 2, den: 3 }, { num: 665, den: 1000 }), true);
  assert.equal(greater({ num: 2, den: 3 }, { num: 4, den: 6 }), false);
  assert.equal(greater({ num: 3, den: 10 }, third), false);
});

test('beyond safe integers: (2^53 − 1)/3 + (2^53 − 1)/3 sums in BigInt, exactly', () => {
  const max = Number.MAX_SAFE_INTEGER; // 9007199254740991 = 3 × 3002399751580330 + 1
  const f = quotient({ num: max, den: 1 }, { num: 3, den: 1 });
  const twice = plus(f, f);
  assert.equal(typeof twice.num, 'bigint');
  assert.equal(formatHalfUp(twice, 2), '6004799503160660.67');
  const s = new FractionSum();
  s.add(f, 4);
  assert.equal(formatHalfUp(s.total(), 2), '12009599006321321.33');
  // a comparison whose cross-products pass 2^53
  assert.equal(greater(f, { num: max - 1, den: 3 }), true);
  assert.equal(greater({ num: max - 1, den: 3 }, f), false);
});

test('half up at a half-way point: 1.23445 → 1.2345, −1.23445 → −1.2345 (away from zero), 1.23444… → 1.2344', () => {
  assert.equal(formatHalfUp(fractionOf('1.23445', 'x'), 4), '1.2345');
  assert.equal(formatHalfUp(fractionOf('-1.23445', 'x'), 4), '-1.2345');
  assert.equal(formatHalfUp(fractionOf('1.2344499999', 'x'), 4), '1.2344');
  // the half-way point reached by division: 24689 ÷ (10000 × 2) = 1.23445
  assert.equal(formatHalfUp({ num: 24689, den: 10000 }, 4, 2), '1.2345');
  assert.equal(formatHalfUp({ num: 1, den: 3 }, 4), '0.3333');
  assert.equal(formatHalfUp({ num: 0, den: 7 }, 4), '0.0000');
});

test('decimal strings read exactly; anything else is refused with its field', () => {
  assert.equal(formatHalfUp(fractionOf('3e-5', 'x'), 5), '0.00003');
  assert.equal(formatHalfUp(fractionOf(' 0.7 ', 'x'), 1), '0.7');
  assert.equal(formatHalfUp(fractionOf(1.5, 'x'), 1), '1.5');
  assert.throws(() => fractionOf('1.2.3', 'archived.index'), { code: 'SB_ERR_VALIDATION' });
  assert.throws(() => fractionOf('.', 'archived.index'), { code: 'SB_ERR_VALIDATION' });
});

test('half up in plain numbers gives the digits BigInt gives, half-way points and the 2^53 edge included', () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const cases: Array<[number, number, number, number]> = [
    [24689, 10000, 4, 2],
    [-24689, 10000, 4, 2],
    [1, 3, 4, 1],
    [-1, 200000, 4, 1], // −0.000005 → "-0.0000"
    [Math.floor(Number.MAX_SAFE_INTEGER / 20000), 1, 4, 1], // the last that fits: 2 × num × 10^4 + den ≤ 2^53
    [Math.floor(Number.MAX_SAFE_INTEGER / 20000) + 1, 1, 4, 1],
    [Number.MAX_SAFE_INTEGER, 3, 4, 1],
  ];
  for (let i = 0; i < 20000; i++) {
    const den = 1 + Math.floor(next() * 10 ** (1 + Math.floor(next() * 9)));
    // Many exactly half-way: num = (k + 1/2) × den / 10^4 when den is even.
    const num =
      i % 3 === 0
        ? Math.round(((Math.floor(next() * 1e6) + 0.5) * den) / 1e4)
        : Math.floor((next() - 0.3) * 10 ** (1 + Math.floor(next() * 12)));
    cases.push([num, den, 1 + Math.floor(next() * 6), 1 + Math.floor(next() * 480)]);
  }
  for (const [num, den, decimals, divisor] of cases)
    assert.equal(
      formatHalfUp({ num, den }, decimals, divisor),
      formatHalfUp({ num: BigInt(num), den: BigInt(den) }, decimals, divisor),
      `${num} / ${den} / ${divisor} to ${decimals}`,
    );
});

test('a sum of one denominator stays in plain numbers and is worth its total', () => {
  const s = new FractionSum();
  s.add({ num: 2, den: 7 });
  s.add({ num: 3, den: 7 }, 2);
  assert.deepEqual(s.value(), { num: 8, den: 7 });
  assert.deepEqual(s.total(), { num: 8n, den: 7n });
  s.add({ num: 1, den: 3 });
  assert.deepEqual(s.value(), s.total());
});
