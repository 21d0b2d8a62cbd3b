// Core units: money rounding, month arithmetic at month ends and leap days, ID and credit-code
// vectors from domain.md, parameter lookup at boundaries.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  addMonths,
  ageInMonths,
  monthInWords,
  monthsBetween,
  parseDate,
  parsePeriod,
  periodCount,
  periodRange,
} from './dates.ts';
import { SbError } from './errors.ts';
import {
  checkCreditCode,
  checkIdNumber,
  creditCheckChar,
  idCheckChar,
  makeCreditCode,
  makeIdNumber,
  maskIdNumber,
  maskIdNumbersDeep,
  maskIdNumbersIn,
} from './ids.ts';
import { applyBp, applyPercent, fen, formatMoney, mulDiv, roundFen, yuanToFen } from './money.ts';
import { parseParamFile } from './params-loader.ts';
import { ParamStore, regionChain } from './params.ts';

describe('money', () => {
  test('fen rejects fractions and unsafe integers', () => {
    assert.throws(() => fen(1.5), SbError);
    assert.throws(() => fen(2 ** 53), SbError);
    assert.equal(fen(123), 123);
  });
  test('roundFen is half away from zero: 0.5 → 1, 1.4999 → 1, −0.5 → −1', () => {
    assert.equal(roundFen('0.5'), 1);
    assert.equal(roundFen('1.4999'), 1);
    assert.equal(roundFen('-0.5'), -1);
    assert.equal(roundFen('2.5'), 3);
  });
  test('mulDiv is exact where floats are not: 1005 × 0.5 = 502.5 → 503; 0.1 × 3 … ', () => {
    assert.equal(mulDiv(1005, '0.5'), 503);
    assert.equal(applyPercent(333, 8), 27); // 26.64 → 27
    assert.equal(applyBp(1_000_000, 5), 500); // 0.05% a day of 10,000.00 yuan = 5.00 yuan
    assert.equal(mulDiv(10, 1, 3), 3);
  });
  test('yuanToFen is exact and refuses sub-fen amounts', () => {
    assert.equal(yuanToFen('2818.5'), 281850);
    assert.equal(yuanToFen(11883), 1188300);
    assert.equal(yuanToFen('0.29'), 29);
    assert.throws(() => yuanToFen('1.005'), SbError);
  });
  test('money in text is written as the web shows it: ¥ and thousands separators (a note said 35,240.50 元)', () => {
    assert.equal(formatMoney(3524050), '¥35,240.50');
    assert.equal(formatMoney(5), '¥0.05');
    assert.equal(formatMoney(-3524050), '-¥35,240.50');
  });
  test('property: mulDiv results are integers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 11 }), fc.integer({ min: 0, max: 100000 }), (a, bp) =>
        Number.isSafeInteger(applyBp(a, bp)),
      ),
    );
  });
});

describe('dates', () => {
  test('addMonths keeps the day or clamps to the month end', () => {
    assert.equal(addMonths('2021-01-31', 1), '2021-02-28');
    assert.equal(addMonths('2024-01-31', 1), '2024-02-29');
    assert.equal(addMonths('2024-02-29', 12), '2025-02-28');
    assert.equal(addMonths('2024-02-29', 48), '2028-02-29');
    assert.equal(addMonths('2021-03-31', -1), '2021-02-28');
    assert.equal(addMonths('1965-12-15', 60 * 12 + 3), '2026-03-15');
  });
  test('ages in months count whole months completed', () => {
    assert.equal(ageInMonths('1965-01-31', '2025-01-30'), 719);
    assert.equal(ageInMonths('1965-01-31', '2025-01-31'), 720);
    assert.equal(monthsBetween('2024-01-31', '2024-02-29'), 1);
    assert.equal(monthsBetween('2024-02-29', '2025-02-28'), 12);
  });
  test('impossible dates are refused with SB_ERR_INVALID_DATE', () => {
    for (const bad of ['1965-13-40', '2021-02-29', '2021-4-01', '20210401', '']) {
      assert.throws(
        () => parseDate(bad, 'birthDate'),
        (e: unknown) => e instanceof SbError && e.code === 'SB_ERR_INVALID_DATE' && e.field === 'birthDate',
      );
    }
    assert.equal(parseDate('2024-02-29'), '2024-02-29');
  });
  test('date arithmetic on an impossible date says what was wrong, not the date (it may be a birth date)', () => {
    for (const bad of ['2021-02-31', '1965-13-40', '19650401<script>'])
      assert.throws(
        () => addMonths(bad, 1),
        (e: unknown) => e instanceof SbError && e.code === 'SB_ERR_INVALID_DATE' && !e.message.includes(bad),
      );
  });
  test('an impossible period is refused naming the field, not repeating what was sent', () => {
    for (const bad of ['2025-13', '2025-4<script>', 'x'.repeat(40)])
      assert.throws(
        () => parsePeriod(bad, 'fromPeriod'),
        (e: unknown) =>
          e instanceof SbError &&
          e.code === 'SB_ERR_INVALID_PERIOD' &&
          e.field === 'fromPeriod' &&
          !e.message.includes(bad),
      );
  });
  test('a month in words, as the pages show periods: 2025-04 → 2025年4月 / Apr 2025', () => {
    assert.equal(monthInWords('2025-04', 'zh'), '2025年4月');
    assert.equal(monthInWords('2025-04', 'en'), 'Apr 2025');
    assert.equal(monthInWords('2024-12', 'en'), 'Dec 2024');
    assert.equal(monthInWords('2025-13', 'zh'), '2025-13', 'not a month: as it is');
  });
  test('periods count inclusively across years', () => {
    assert.equal(periodCount('2021-11', '2022-02'), 4);
    assert.deepEqual(periodRange('2021-12', '2022-01'), ['2021-12', '2022-01']);
    assert.equal(periodCount('2022-02', '2021-11'), 0);
  });
});

describe('ids (domain.md §12 vectors)', () => {
  const vectors: Array<[string, string]> = [
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['32108319781216211', '9'],
    ['81000019980902013', 'X'],
    ['82000020000910003', '2'],
    ['83000020020906006', '5'],
    ['93268219850101001', '7'],
  ];
  for (const [body, check] of vectors)
    test(`${body} → ${check}`, () => assert.equal(idCheckChar(body), check));
  test('15 → 18 conversion', () => {
    assert.deepEqual(
      [checkIdNumber('150102880730303'), checkIdNumber('330102200403064')].map((r) =>
        r.valid ? r.normalized : r.reason,
      ),
      ['150102198807303035', '33010219200403064X'],
    );
  });
  test('future birth dates are refused when a date is given', () => {
    const id = makeIdNumber('341802', '2030-01-01', 1);
    assert.equal(checkIdNumber(id, '2026-11-28').valid, false);
    assert.equal(checkIdNumber(id).valid, true);
  });
  test('credit codes: position 18 and the GB 11714 inner check', () => {
    for (const code of [
      '91350100M000100Y43',
      '91440300708461136T',
      '91110108551385082Q',
      '91110000802100433B',
      '91310110666007217T',
    ]) {
      assert.equal(checkCreditCode(code).valid, true, code);
    }
    assert.equal(creditCheckChar('91350100M000100Y4'), '3');
    const r = checkCreditCode('91350100M000100Y43');
    assert.ok(r.valid && r.orgCodeCheckOk);
  });
  test('masking keeps 4 + 4 characters', () => {
    assert.equal(maskIdNumber('34010219850615123X'), '3401**********123X');
  });
  test('full ID numbers inside a text are masked (18 with X or 15 digits); other numbers are left', () => {
    assert.equal(
      maskIdNumbersIn('15-digit ID number 341802850615123 converted to 34180219850615123x.'),
      '15-digit ID number 3418*******5123 converted to 3418**********123X.',
    );
    assert.equal(
      maskIdNumbersIn('账单 #1234，账号 6222021234567890，流水 B0001'),
      '账单 #1234，账号 6222021234567890，流水 B0001',
    );
    assert.equal(
      maskIdNumbersIn('id34010219850615123Xy'),
      'id3401**********123Xy',
      'letters around do not hide it',
    );
    assert.equal(
      maskIdNumbersIn('6222021234567890123'),
      '6222021234567890123',
      'a longer number is not an ID number',
    );
    assert.deepEqual(maskIdNumbersDeep({ a: ['34010219850615123X', 3], b: { c: null } }), {
      a: ['3401**********123X', 3],
      b: { c: null },
    });
  });
  test('property: every generated ID is valid and every single-character change is caught', () => {
    const digits = '0123456789X';
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 36500 }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 10 }),
        (days, seq, pos, shift) => {
          const birth = new Date(Date.UTC(1930, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);
          const id = makeIdNumber('341802', birth, seq);
          if (!checkIdNumber(id).valid) return false;
          const alphabet = pos === 17 ? digits : digits.slice(0, 10);
          const i = alphabet.indexOf(id[pos] ?? '');
          const changed =
            id.slice(0, pos) + (alphabet[(i + shift) % alphabet.length] ?? '') + id.slice(pos + 1);
          return changed === id || !checkIdNumber(changed).valid;
        },
      ),
      { numRuns: 2000 },
    );
  });
  test('property: every generated credit code is valid', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        (n) => checkCreditCode(makeCreditCode('341800', n)).valid,
      ),
    );
  });
});

describe('parameters', () => {
  const file = `
description: 测试 / test
reference: { zh: 文件甲, en: doc A }
source: where it was found (domain.md §1 [S])
unit: yuan
values:
  2020-01-01: 100
  2021-07-01: { value: 110.5, reference: { zh: 文件乙, en: doc B }, source: a note, uncertain: true }
  2023-01-01: null
regions:
  "440000":
    reference: { zh: 广东文件, en: GD doc }
    source: a note
    values:
      2021-01-01: 200
  "440300":
    values:
      2022-01-01: 300
`;
  const store = new ParamStore(new Map([['t/x', parseParamFile('t/x.yaml', file, 't/x')]]));
  test('latest start date on or before the date, at the most specific region', () => {
    assert.equal(store.tryResolve('t/x', '000000', '2019-12-31'), undefined);
    assert.equal(store.tryResolve('t/x', '000000', '2020-01-01')?.value, 10000);
    assert.equal(store.tryResolve('t/x', '000000', '2021-06-30')?.value, 10000);
    const jul = store.tryResolve('t/x', '000000', '2021-07-01');
    assert.equal(jul?.value, 11050);
    assert.equal(jul?.uncertain, true);
    assert.deepEqual(jul?.reference, { zh: '文件乙', en: 'doc B' });
    assert.deepEqual(store.tryResolve('t/x', '440300', '2021-12-31')?.reference, {
      zh: '广东文件',
      en: 'GD doc',
    });
    assert.equal(store.tryResolve('t/x', '440300', '2021-12-31')?.value, 20000);
    assert.equal(store.tryResolve('t/x', '440300', '2022-01-01')?.value, 30000);
    assert.equal(store.tryResolve('t/x', '440100', '2020-06-01')?.value, 10000);
    assert.deepEqual(regionChain('440300'), ['440300', '440000', '000000']);
  });
  test('a value ended with null is not in force', () => {
    assert.throws(
      () => store.get('t/x', '000000', '2023-01-01'),
      (e: unknown) => e instanceof SbError && e.code === 'SB_ERR_RULE_NOT_IN_FORCE',
    );
  });
  test('a malformed file names the file, the line and the key', () => {
    const head = 'description: d\nreference: { zh: 甲, en: r }\nunit: yuan\n';
    const bad = `${head}values:\n  2021-02-30: 1\n`;
    assert.throws(
      () => parseParamFile('p/bad.yaml', bad, 'p/bad'),
      /p\/bad\.yaml:5: key "values\.2021-02-30"/,
    );
    const badValue = `${head}values:\n  2021-01-01: 1.234\n`;
    assert.throws(() => parseParamFile('p/bad.yaml', badValue, 'p/bad'), /more than two decimals/);
    assert.throws(
      () => parseParamFile('p/bad.yaml', 'description: d\nunit: yuan\nvalues: {}\n', 'p/bad'),
      /key "reference"/,
    );
  });
  test('a reference is shown to users: { zh, en }, never a bare text or an internal pointer', () => {
    const withRef = (ref: string) =>
      `description: d\nreference: ${ref}\nunit: yuan\nvalues:\n  2021-01-01: 1\n`;
    assert.throws(
      () => parseParamFile('p/r.yaml', withRef('社会保险法'), 'p/r'),
      /p\/r\.yaml:2: key "reference": must be \{ zh/,
    );
    assert.throws(() => parseParamFile('p/r.yaml', withRef('{ zh: 甲 }'), 'p/r'), /en is required/);
    assert.throws(
      () => parseParamFile('p/r.yaml', withRef('{ zh: 甲, en: "art. 1 (domain.md §2 [L])" }'), 'p/r'),
      /en is shown to users/,
    );
    // a web address or a site's name is where an engineer read the figure, not its legal source
    for (const en of ['"notice, via https://example.org/a"', '"income (sldihb.cn)"', '"art. 2 (WE-24)"'])
      assert.throws(
        () => parseParamFile('p/r.yaml', withRef(`{ zh: 甲, en: ${en} }`), 'p/r'),
        /en is shown to users/,
      );
    const inValue = `description: d\nreference: { zh: 甲, en: a }\nunit: yuan\nvalues:\n  2021-01-01: { value: 1, reference: "x [S]" }\n`;
    assert.throws(() => parseParamFile('p/r.yaml', inValue, 'p/r'), /key "values\.2021-01-01\.reference"/);
  });
});
