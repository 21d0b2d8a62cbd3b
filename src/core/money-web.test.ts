// The web's money display (web/src/format.ts): integer fen as yuan with two decimals, the sign before
// the currency sign — the policy simulator's difference column read "¥-276,786.23".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMoney } from '../../web/src/format.ts';

test('an amount in fen is shown in yuan with two decimals and thousands separators', () => {
  assert.equal(formatMoney(27678623), '¥276,786.23');
  assert.equal(formatMoney(5), '¥0.05');
  assert.equal(formatMoney(0n), '¥0.00');
  assert.equal(formatMoney(null), '—');
});

test('a negative amount puts its minus before the currency sign', () => {
  assert.equal(formatMoney(-27678623), '-¥276,786.23');
  assert.equal(formatMoney(-5n), '-¥0.05');
});
