// The retirement due list as a clerk reads it (web/src/pages/agency/RetirementPage.tsx): every
// category the service puts on the list has a name in both languages — a missing one showed the code
// "resident" in the 人员类别 column — and the statutory age is an age (60岁), not a span of years (60年).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAge } from '../../web/src/format.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import { RETIREMENT_CATEGORIES } from './retirement-age.rules.ts';

// The employees' categories, and 'resident' for the resident scheme's people (retirement.service.ts).
const DUE_CATEGORIES = [...RETIREMENT_CATEGORIES, 'resident'];

test('every category on the due list has a name in Chinese and in English', () => {
  for (const c of DUE_CATEGORIES) {
    const key = `retire.category.${c}`;
    assert.ok(key in zhCN && zhCN[key as keyof typeof zhCN] !== c, `${key} in Chinese`);
    assert.ok(key in en && en[key as keyof typeof en] !== c, `${key} in English`);
  }
});

test('a statutory retirement age reads as an age, with its months', () => {
  assert.equal(formatAge(720, 'zh-CN'), '60岁');
  assert.equal(formatAge(63 * 12 + 3, 'zh-CN'), '63岁3个月');
  assert.equal(formatAge(720, 'en'), '60 years');
  assert.equal(formatAge(55 * 12 + 1, 'en'), '55 years 1 month');
  assert.equal(formatAge(58 * 12 + 7, 'en'), '58 years 7 months');
});
