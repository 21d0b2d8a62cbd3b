// The web's money display (web/src/format.ts): integer fen as yuan with two decimals, the sign before
// the currency sign — the policy simulator's difference column read "¥-276,786.23". The web delegates
// to the server's money text (src/core/money-text.ts), so a page and a stored note write an amount alike.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { fenToYuan, formatMoney, parseYuan, yuanToFen } from '../../web/src/format.ts';
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

// The money box (web/src/components/MoneyInput.tsx) shows what it holds as the pages write money and
// reads the exact fen back: wages showed as 18480.00, and "12,34" was taken as 1,234 yuan.
test('typed yuan reads back as exact fen: 0, 0.01, 1,234,567.89, full-width and a ¥ sign', () => {
  const fen = (text: string) => parseYuan(text);
  assert.deepEqual(fen('0'), { fen: 0 });
  assert.deepEqual(fen('0.01'), { fen: 1 });
  assert.deepEqual(fen('1,234,567.89'), { fen: 123456789 });
  assert.deepEqual(fen(' 18480 '), { fen: 1848000 });
  assert.deepEqual(fen('18480.5'), { fen: 1848050 });
  assert.deepEqual(fen('¥18,480.00'), { fen: 1848000 });
  assert.deepEqual(fen('１８，４８０．０５'), { fen: 1848005 }, 'full-width digits and marks');
  assert.deepEqual(fen('18480。5'), { fen: 1848050 }, 'the 。 a Chinese input method types for "."');
  assert.deepEqual(fen('9,999,999,999,999.99'), { fen: 999_999_999_999_999 });
});

test('what is not an amount says why, and is never read as another amount', () => {
  const problem = (text: string) => {
    const r = parseYuan(text);
    return 'problem' in r ? r.problem : `read as ${r.fen} fen`;
  };
  assert.equal(problem(''), 'empty');
  assert.equal(problem('   '), 'empty');
  assert.equal(problem('abc'), 'notAmount');
  assert.equal(problem('12,34'), 'notAmount', 'a comma not between groups of three');
  assert.equal(problem('1,2345'), 'notAmount');
  assert.equal(problem('1.2.3'), 'notAmount');
  assert.equal(problem('1e5'), 'notAmount');
  assert.equal(problem('.5'), 'notAmount');
  assert.equal(problem('0.001'), 'decimals');
  assert.equal(problem('18480.005'), 'decimals');
  assert.equal(problem('-5'), 'negative');
  assert.equal(problem('10000000000000'), 'tooLarge', '14 digits of yuan');
  assert.equal(yuanToFen('12,34'), null);
  assert.equal(yuanToFen('1,234.5'), 123450);
});

test('property: every amount the box shows (grouped or not) reads back as the same fen', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 999_999_999_999_999 }), (fen) => {
      assert.deepEqual(parseYuan(fenToYuan(fen)), { fen });
      assert.deepEqual(parseYuan(formatYuan(fen, false)), { fen });
    }),
  );
});
