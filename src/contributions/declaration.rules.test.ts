// The declaration file's wage column: yuan as payroll systems write it, read to the exact fen; the
// older fen column still read as before; what is not a wage refused line by line, in words a clerk
// understands (docs/contribution-csv.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeIdNumber } from '../core/ids.ts';
import { DECLARATION_TEMPLATE, parseDeclarationCsv, parseReceiptCsv } from './declaration.rules.ts';

const TODAY = '2024-06-15';
const ID = makeIdNumber('341802', '1985-06-15', 11);
const file = (header: string, ...wages: string[]): string =>
  [header, ...wages.map((w, i) => `${ID},张三,${2012 + i}-01,${w}`)].join('\n');
const wagesOf = (text: string) => parseDeclarationCsv(text, TODAY).lines.map((l) => l.wageFen);
const problems = (text: string) =>
  parseDeclarationCsv(text, TODAY).errors.map((e) => [e.line, e.field, e.reasonZh]);

test('yuan: 6500 → 650000 fen, 6500.5 → 650050, 6500.50 → 650050, "6,500.00" quoted → 650000, 0.01 → 1', () => {
  assert.deepEqual(
    wagesOf(file('id_number,name,period,wage_yuan', '6500', '6500.5', '6500.50', '"6,500.00"', '0.01', '0')),
    [650000, 650050, 650050, 650000, 1, 0],
  );
  assert.deepEqual(wagesOf(file('公民身份号码,姓名,缴费期间,月工资（元）', '18480.05')), [1848005]);
});

test('full-width digits ６５００ (an input method in full-width mode) read as 6500 yuan = 650000 fen', () => {
  assert.deepEqual(
    wagesOf(file('id_number,name,period,wage_yuan', '６５００', '６５００．５０')),
    [650000, 650050],
  );
});

test('the template is a yuan file that reads back as 6500.00 yuan = 650000 fen', () => {
  const r = parseDeclarationCsv(DECLARATION_TEMPLATE, TODAY);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(
    r.lines.map((l) => l.wageFen),
    [650000],
  );
  assert.match(DECLARATION_TEMPLATE, /^id_number,name,period,wage_yuan\n/);
});

test('old files: wage_fen / 月工资（分） read integer fen as before (650000 → 650000, 6500 → 6500)', () => {
  assert.deepEqual(wagesOf(file('id_number,name,period,wage_fen', '650000', '6500')), [650000, 6500]);
  assert.deepEqual(wagesOf(file('公民身份号码,姓名,缴费期间,月工资（分）', '650000')), [650000]);
  // in fen, a decimal is no more a wage than it was
  assert.deepEqual(problems(file('id_number,name,period,wage_fen', '6500.00')), [
    [2, 'wage_fen', '不是以分为单位的非负整数'],
  ]);
});

test('a header with both wage_yuan and wage_fen is refused: the unit must be beyond doubt', () => {
  const r = parseDeclarationCsv(
    `id_number,name,period,wage_yuan,wage_fen\n${ID},张三,2024-01,6500,650000\n`,
    TODAY,
  );
  assert.deepEqual(r.lines, []);
  assert.deepEqual(
    r.errors.map((e) => [e.line, e.field]),
    [[1, '(header)']],
  );
  assert.match(r.errors[0]?.reason ?? '', /both wage_yuan and wage_fen/);
  assert.equal(
    parseDeclarationCsv('公民身份号码,姓名,缴费期间,月工资（元）,月工资（分）\n', TODAY).errors.length,
    1,
  );
});

test('what is not a wage in yuan is refused on its line, nothing else of the file kept', () => {
  const bad = [
    '',
    '-5',
    '6500.005',
    '1e9',
    '0x10',
    '=1+1',
    '+6500',
    '6500元',
    '1000000000000',
    '100000000.01',
  ];
  const r = parseDeclarationCsv(file('id_number,name,period,wage_yuan', '6500', ...bad), TODAY);
  assert.equal(r.errors.length, bad.length);
  assert.ok(r.errors.every((e) => e.field === 'wage_yuan'));
  assert.deepEqual(
    r.errors.map((e) => e.reasonZh),
    [
      '月工资为空：请填写金额（元），如 6500.00',
      '月工资不能为负数',
      '月工资超过两位小数：金额只精确到分（0.01 元）',
      '月工资格式不正确：请只写以元为单位的数字，最多两位小数，如 6500 或 6500.00',
      '月工资格式不正确：请只写以元为单位的数字，最多两位小数，如 6500 或 6500.00',
      '月工资格式不正确：请只写以元为单位的数字，最多两位小数，如 6500 或 6500.00',
      '月工资格式不正确：请只写以元为单位的数字，最多两位小数，如 6500 或 6500.00',
      '月工资格式不正确：请只写以元为单位的数字，最多两位小数，如 6500 或 6500.00',
      '月工资超出允许范围（不超过 ¥100,000,000.00）',
      '月工资超出允许范围（不超过 ¥100,000,000.00）',
    ],
  );
  assert.match(r.errors[3]?.reason ?? '', /^the wage is not an amount in yuan/);
  // the line and column are named; what the cell held is never repeated (it may be anyone's data)
  for (const e of r.errors)
    for (const v of bad.filter(Boolean))
      assert.ok(!`${e.reason} ${e.reasonZh}`.includes(v), `${v}: ${e.reasonZh}`);
});

test('a line with extra columns is refused; an unquoted 6,500.00 is told to drop the separator', () => {
  const r = parseDeclarationCsv(
    `id_number,name,period,wage_yuan\n${ID},张三,2024-01,6500,extra\n${ID},张三,2024-02,6,500.00\n`,
    TODAY,
  );
  assert.deepEqual(r.lines, []);
  assert.deepEqual(
    r.errors.map((e) => [e.line, e.field, e.reasonZh]),
    [
      [2, '(line)', '应为 4 列，实为 5 列'],
      [3, '(line)', '应为 4 列，实为 5 列：月工资请不要写千位分隔符（写 6500.00，不写 6,500.00）'],
    ],
  );
});

test('bank receipts: amount_yuan 10132.89 → 1013289 fen, as amount_fen 1013289; zero, 1e3, 0.001 and both units refused', () => {
  const receipts = (header: string, ...amounts: string[]) =>
    parseReceiptCsv([header, ...amounts.map((a, i) => `R-000${i},2024-06-01,4711,${a}`)].join('\n'), TODAY);
  assert.deepEqual(
    receipts('bank_ref,paid_date,bill_no,amount_yuan', '10132.89', '"1,013.20"').lines.map(
      (l) => l.amountFen,
    ),
    [1013289, 101320],
  );
  assert.deepEqual(
    receipts('bank_ref,paid_date,bill_no,amount_fen', '1013289').lines.map((l) => l.amountFen),
    [1013289],
  );
  assert.deepEqual(
    receipts('bank_ref,paid_date,bill_no,amount_yuan', '0.00', '1e3', '0.001').errors.map((e) => [
      e.line,
      e.field,
      e.reasonZh,
    ]),
    [
      [2, 'amount_yuan', '金额须大于零'],
      [3, 'amount_yuan', '金额格式不正确：请只写以元为单位的数字，最多两位小数，如 6500 或 6500.00'],
      [4, 'amount_yuan', '金额超过两位小数：金额只精确到分（0.01 元）'],
    ],
  );
  assert.deepEqual(
    receipts('bank_ref,paid_date,bill_no,amount_yuan,amount_fen').errors.map((e) => e.field),
    ['(header)'],
    'both units: refused',
  );
});
