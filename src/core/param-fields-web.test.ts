// A table parameter's fields as a calculation's trace shows them (src/core/trace-text.ts):
// named in the reader's language — the retirement case showed "accountDivisor: 139;
// minContributionMonths: 180" to a clerk reading Chinese.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { figureText, valueText, type FigureWords } from './trace-text.ts';
import { legacyStepUnit, storedTrace } from './trace.ts';
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
  // the unemployment decision read "计算办法: national-bands"
  assert.equal(
    shown('duration rule', { method: 'national-bands', bands: [{ fromMonths: 12, maxMonths: 12 }] }, 'table'),
    '计算办法: 按缴费年限分档（全国）; 分档: 缴费满（月）: 12; 最长领取月数: 12',
  );
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

const zhWords: FigureWords = {
  lang: 'zh',
  fieldName: named(zhCN),
  code: (list, c) => (zhCN as Record<string, string>)[`${list}.${c}`] ?? c,
};
/** A step as a route answers it: read as stored (storedTrace), so one saved without a unit gets the old rule's. */
const shown = (step: string, value: unknown, unit?: string): string =>
  figureText(storedTrace([{ step, value, ...(unit === undefined ? {} : { unit }) }])[0]!, zhWords);

test('a step is written by the unit its formula gave it, whatever its words', () => {
  // the injury benefit's approval showed 下限 = 442560 until the word list learnt "floor"
  assert.equal(shown('floor = round(average 737600 × 60%)', 442560, 'fen'), '¥4,425.60');
  assert.equal(shown('lower limit', 442560, 'fen'), '¥4,425.60');
  assert.equal(shown('contribution base ceiling, share of the average wage', 300, 'percent'), '300%');
  assert.equal(shown('total', 300, 'percent'), '300%');
  assert.equal(shown('work-injury rate', 20, 'bp'), '0.2%');
  assert.equal(shown('pooled rate', 0.075, 'rate'), '7.5%');
  assert.equal(shown('pension on', '2026-03-01', 'date'), '2026年3月1日');
  assert.equal(shown('first month', '2026-03', 'date'), '2026年3月');
  assert.equal(shown('allowance paid by', 'employer', 'code:injury.payer'), '用人单位');
  assert.equal(shown('group', 'benefit-ended', 'code:unemployment.group'), '领取失业保险金期满仍未就业');
  assert.equal(
    shown('payers by grade', { 4: 'fund', 5: 'employer' }, 'code:injury.payer'),
    '4: 工伤保险基金; 5: 用人单位',
  );
  assert.equal(shown('wage', null, 'fen'), '—');
});

test('a step stored before steps said their unit is read by the old word rule', () => {
  // approvals and decisions saved until then keep their traces as they were
  assert.equal(legacyStepUnit({ step: 'basic pension = (C + C×Z)/2 × N × 1%', value: 281600 }), 'fen');
  assert.equal(
    legacyStepUnit({ step: 'contribution base ceiling, share of the average wage', value: 300 }),
    'number',
  );
  assert.equal(
    legacyStepUnit({
      step: 'monthly disability allowance = round(insured wage 973500 × 70%)',
      value: 681450,
    }),
    'fen',
  );
  assert.equal(legacyStepUnit({ step: 'disability allowance percent', value: 70 }), 'number');
  assert.equal(
    legacyStepUnit({
      step: 'skill-upgrade subsidy for a level-4 certificate',
      value: 1500,
      parameter: 'unemployment/skill-subsidy/level-4',
    }),
    'number',
  );
  assert.equal(legacyStepUnit({ step: 'allowance paid by', value: 'employer' }), 'code:injury.payer');
  assert.equal(shown('floor = round(average 737600 × 60%)', 442560), '¥4,425.60');
  assert.equal(shown('allowance paid by', 'employer'), '用人单位');
  assert.equal(shown('contribution months', 180), '180');
  // a unit given wins over the words
  assert.equal(shown('total months', 180, 'months'), '180 个月');
});

test("a duration or an age reads with its word, in the reader's language", () => {
  // the unemployment decision showed "最长领取月数 = 24", the retirement case "周岁 = 60"
  assert.equal(shown('total months', 180, 'months'), '180 个月');
  assert.equal(shown('suspended days', 15, 'days'), '15 天');
  assert.equal(shown('years counted', 15, 'years'), '15 年');
  assert.equal(shown('age in completed years', 60, 'age'), '60 岁');
  const inEnglish = (value: number, unit: string): string =>
    figureText({ step: 's', value, unit }, { ...zhWords, lang: 'en' });
  assert.equal(inEnglish(180, 'months'), '180 months');
  assert.equal(inEnglish(1, 'months'), '1 month');
  assert.equal(inEnglish(15, 'days'), '15 days');
  assert.equal(inEnglish(60, 'age'), '60 years');
  assert.equal(inEnglish(1.5, 'years'), '1.5 years');
});
