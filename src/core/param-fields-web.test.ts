// A table parameter's fields as a calculation's trace shows them (web/src/components/trace-text.ts):
// named in the reader's language — the retirement case showed "accountDivisor: 139;
// minContributionMonths: 180" to a clerk reading Chinese.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMoneyStep, TRACE_VALUE_CODES, valueText } from '../../web/src/components/trace-text.ts';
import { BENEFIT_PAYERS } from '../injury/injury-codes.rules.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import { projectParams } from './params-loader.ts';
import { descriptionHalves } from './params.ts';

/** The field names of every version of every parameter file (not the numeric keys of a table by grade or age). */
function fieldsOfAllParams(): Map<string, string> {
  const fields = new Map<string, string>();
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) for (const x of v) walk(x, path);
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (!/^\d+$/.test(k)) fields.set(k, path);
        walk(x, path);
      }
  };
  for (const def of projectParams().definitions.values())
    for (const versions of def.regions.values()) for (const v of versions) walk(v.value, def.path);
  return fields;
}

const named = (catalogue: Record<string, string>) => (k: string) => catalogue[`param.${k}`] ?? k;

test('every field of every parameter file has a name in Chinese and in English', () => {
  const fields = fieldsOfAllParams();
  assert.ok(fields.has('accountDivisor') && fields.size > 50, 'the parameter files were read');
  for (const [field, path] of fields) {
    assert.ok(`param.${field}` in zhCN, `param.${field} (${path}) in Chinese`);
    assert.ok(`param.${field}` in en, `param.${field} (${path}) in English`);
  }
});

test("a table parameter's figure reads with its fields named, never as code", () => {
  const rules = { minContributionMonths: 180, accountDivisor: 139 };
  assert.equal(valueText(rules, named(zhCN)), '最低累计缴费月数: 180; 个人账户计发月数: 139');
  assert.equal(
    valueText(rules, named(en)),
    'contribution months at least: 180; account divisor (months): 139',
  );
  assert.equal(
    valueText({ bands: [{ fromMonths: 12, maxMonths: 12 }] }, named(zhCN)),
    '分档: 缴费满（月）: 12; 最长领取月数: 12',
  );
  assert.equal(valueText({ '1': 90, '2': 85 }, named(zhCN)), '1: 90; 2: 85');
  assert.equal(valueText(rules), 'minContributionMonths: 180; accountDivisor: 139');
});

test("every parameter's description splits into a Chinese label without English and an English one", () => {
  // "缴费基数上限（占平均工资）/ contribution base ceiling…" once reached the retirement trace whole.
  for (const def of projectParams().definitions.values()) {
    const { zh, en } = descriptionHalves(def.description);
    assert.doesNotMatch(zh, /\/ [a-z]/i, def.path);
    assert.notEqual(zh, en, def.path);
  }
  assert.deepEqual(descriptionHalves('城镇居民人均可支配收入（元/年）/ urban income'), {
    zh: '城镇居民人均可支配收入（元/年）',
    en: 'urban income',
  });
});

test('a share of a wage is a percent in a trace, not an amount in yuan', () => {
  assert.equal(isMoneyStep('contribution base ceiling, share of the average wage', 300), false);
  assert.equal(isMoneyStep('monthly unemployment benefit as a share of the local minimum wage', 90), false);
  assert.equal(isMoneyStep('basic pension = (C + C×Z)/2 × N × 1%', 281600), true);
});

test('a computed clamp limit or injury benefit is in yuan; a parameter of the same name keeps its own unit', () => {
  // the injury benefit's approval showed 下限 = 442560 and 一次性伤残补助金 = 17523000 (fen, unformatted)
  assert.equal(isMoneyStep('floor = round(average 737600 × 60%)', 442560), true);
  assert.equal(isMoneyStep('ceiling = round(average 737600 × 300%)', 2212800), true);
  assert.equal(
    isMoneyStep('one-off disability subsidy = insured wage 973500 × 18 months (grade 5)', 17523000),
    true,
  );
  assert.equal(isMoneyStep('monthly disability allowance = round(insured wage 973500 × 70%)', 681450), true);
  assert.equal(isMoneyStep('disability allowance percent', 70), false);
  assert.equal(
    isMoneyStep(
      'skill-upgrade subsidy for a level-4 certificate',
      1500,
      'unemployment/skill-subsidy/level-4',
    ),
    false,
  );
});

test('a code in a trace figure is said in words: who pays the disability allowance', () => {
  // the approval page read "伤残津贴支付主体 = 1: fund; …; 5: employer" and "由用人单位支付 = employer"
  for (const prefix of new Set(Object.values(TRACE_VALUE_CODES)))
    for (const payer of BENEFIT_PAYERS) {
      const key = `${prefix}.${payer}`;
      assert.ok((zhCN as Record<string, string>)[key], `zh words for ${key}`);
      assert.ok((en as Record<string, string>)[key], `en words for ${key}`);
    }
  const zh = (c: string): string => (zhCN as Record<string, string>)[`injury.payer.${c}`] ?? c;
  assert.equal(
    valueText({ 4: 'fund', 5: 'employer' }, (k) => k, zh),
    '4: 工伤保险基金; 5: 用人单位',
  );
  assert.equal(
    valueText('employer', (k) => k, zh),
    '用人单位',
  );
});
