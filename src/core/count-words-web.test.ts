// A count in a staff table with what it counts (web/src/format.ts): on a phone each row is a card of
// "title: value" lines, and a transfer's months read 缴费月数: 27, a payroll's payments a bare 1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCountOf } from '../../web/src/format.ts';

test('a count carries its Chinese measure word and its English noun, one or many', () => {
  assert.equal(formatCountOf(27, 'months', 'zh-CN'), '27个月');
  assert.equal(formatCountOf(27, 'months', 'en'), '27 months');
  assert.equal(formatCountOf(1, 'payments', 'en'), '1 payment');
  assert.equal(formatCountOf(0, 'bills', 'en'), '0 bills');
  assert.equal(formatCountOf(12345, 'people', 'zh-CN'), '12,345人');
  assert.equal(formatCountOf(2, 'hospitals', 'zh-CN'), '2家');
});
