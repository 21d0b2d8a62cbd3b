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
