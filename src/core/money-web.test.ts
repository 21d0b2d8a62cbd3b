// The web's money display (web/src/format.ts): integer fen as yuan with two decimals, the sign before
// the currency sign — the policy simulator's difference column read "¥-276,786.23". The web delegates
// to the server's money text (src/core/money-text.ts), so a page and a stored note write an amount alike.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { fenToYuan, formatMoney } from '../../web/src/format.ts';
import { formatMoney as coreFormatMoney, formatYuan } from './money.ts';

test('an amount in fen is shown in yuan with two decimals and thousands separators', () => {
  assert.equal(formatMoney(27678623), '¥276,786.23');
  assert.equal(formatMoney(5), '¥0.05');
  assert.equal(formatMoney(0n), '¥0.00');
  assert.equal(formatMoney(null), '—');
  assert.equal(fenToYuan(123456789n), '1,234,567.89');
});

test('a negative amount puts its minus before the currency sign', () => {
  assert.equal(formatMoney(-27678623), '-¥276,786.23');
  assert.equal(formatMoney(-5n), '-¥0.05');
});

test('what is not a whole number of fen within 2^53 is a dash, not "¥—" or a wrong figure', () => {
  assert.equal(formatMoney(12.5), '—', 'a fraction of a fen');
  assert.equal(formatMoney(Number.NaN), '—');
  assert.equal(formatMoney(2n ** 53n + 1n), '—', 'beyond what a number holds exactly');
  assert.equal(fenToYuan(0.1), '—');
});

test('property: the web writes every amount, number or bigint, exactly as the server does', () => {
  fc.assert(
    fc.property(fc.maxSafeInteger(), (fen) => {
      assert.equal(formatMoney(fen), coreFormatMoney(fen));
      assert.equal(formatMoney(BigInt(fen)), coreFormatMoney(fen));
      assert.equal(fenToYuan(fen), formatYuan(fen));
    }),
  );
});

test('the money text imports nothing, so the web bundle does not pull in decimal.js', () => {
  const source = readFileSync(new URL('./money-text.ts', import.meta.url), 'utf8');
  assert.doesNotMatch(source, /^\s*import\b/m);
});
