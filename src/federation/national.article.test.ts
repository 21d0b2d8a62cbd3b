// The national figures in the seed article's form (中国劳动保障报 2022-01-19): "截至2021年9月底，…基金
// 总收入4.78万亿元，总支出4.57万亿元，累计结余6.53万亿元".
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { articleAmount, articleForm } from './national-article.rules.ts';

test('the article’s own figures come back in its words', () => {
  const f = (fund: string, income: number, spent: number, balance: number) => ({
    fund,
    incomeFen: income,
    expenditureFen: spent,
    balanceFen: balance,
    personalAccountFen: 0,
  });
  // 4.78 / 4.57 / 6.53 万亿元 split over the three funds (in fen: 1 万亿元 = 10^14 fen).
  const a = articleForm('2021-09', '全国', 'Nationwide', [
    f('employee_pension', 400e12, 390e12, 550e12),
    f('unemployment', 38e12, 37e12, 53e12),
    f('injury', 40e12, 30e12, 50e12),
  ]);
  assert.equal(
    a.zh,
    '全国：截至2021年9月底，职工养老、失业、工伤三项基金总收入4.78万亿元，总支出4.57万亿元，累计结余6.53万亿元。',
  );
  assert.equal(a.incomeFen, 478e12);
  assert.match(a.en, /took in 4\.78 trillion yuan and spent 4\.57 trillion yuan; .* 6\.53 trillion yuan\.$/);
});

test('amounts pick 万亿元, 亿元, 万元 or 元, half-up to two places, in integer arithmetic', () => {
  assert.equal(articleAmount(99_300_000_000_00).zh, '993.00亿元'); // 2021 UI benefits: 993亿元
  assert.equal(articleAmount(631_800_00).zh, '63.18万元'); // 稳岗返还 63.18万元
  assert.equal(articleAmount(123_456_789_49).zh, '1.23亿元');
  assert.equal(articleAmount(125_000_000_00).zh, '1.25亿元');
  assert.equal(articleAmount(999_999).zh, '9,999.99元');
  assert.equal(articleAmount(-5_000_000_000_00).zh, '-50.00亿元');
});
