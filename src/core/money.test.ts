// mulDiv rounds integers in plain numbers (issue 18): the same fen, sign of zero included, as the
// Decimal path it replaces for them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Dec, mulDiv, roundFen } from './money.ts';

const viaDecimal = (a: number, n: number, d: number) => roundFen(new Dec(a).mul(n).div(d));

test('mulDiv of integers: 7 ÷ 2 = 4, -7 ÷ 2 = -4, 5 ÷ 3 = 2, 4 ÷ 3 = 1, -1 ÷ 3 = -0, 0 × -3 ÷ 5 = -0', () => {
  assert.equal(mulDiv(7, 1, 2), 4);
  assert.equal(mulDiv(-7, 1, 2), -4);
  assert.equal(mulDiv(7, 1, -2), -4);
  assert.equal(mulDiv(5, 1, 3), 2);
  assert.equal(mulDiv(4, 1, 3), 1);
  assert.ok(Object.is(mulDiv(-1, 1, 3), -0) && Object.is(viaDecimal(-1, 1, 3), -0));
  assert.ok(Object.is(mulDiv(0, -3, 5), -0) && Object.is(viaDecimal(0, -3, 5), -0));
  assert.equal(mulDiv(2 ** 53 - 2, 1, 1), 2 ** 53 - 2);
});

test('mulDiv of integers gives what Decimal gives, near 2^53 and at every half', () => {
  const big = fc.oneof(
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
    fc.integer({ min: 2 ** 52, max: 2 ** 53 - 1 }),
  );
  const divisor = fc.oneof(
    fc.integer({ min: 1, max: 24 }),
    fc.integer({ min: -1e9, max: 1e12 }).filter((x) => x !== 0),
  );
  fc.assert(
    fc.property(big, fc.integer({ min: -10000, max: 10000 }), divisor, (a, n, d) => {
      if (!Number.isSafeInteger(a * n)) return;
      assert.ok(Object.is(mulDiv(a, n, d), viaDecimal(a, n, d)), `${a} × ${n} ÷ ${d}`);
    }),
    { numRuns: 20000 },
  );
  for (let d = 1; d <= 24; d++)
    for (let a = -3 * d; a <= 3 * d; a++)
      assert.ok(Object.is(mulDiv(a, 1, d), viaDecimal(a, 1, d)), `${a} ÷ ${d}`);
});

test('mulDiv with a fraction stays on Decimal: 3 × (1/3) ÷ 2 is 0.49999… → 0, not the float 1 ÷ 2 → 1', () => {
  assert.equal(3 * (1 / 3), 1);
  assert.equal(mulDiv(3, 1 / 3, 2), viaDecimal(3, 1 / 3, 2));
  assert.equal(mulDiv(3, 1 / 3, 2), 0);
});
