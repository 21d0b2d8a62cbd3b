// What a chart says to a screen reader (web/src/components/chart-description.ts): ECharts' own text
// read "0的数据是21000000000" — a category index and raw fen. The text names the series and the
// categories in the order the chart draws them and writes amounts as the page does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeChart } from '../../web/src/components/chart-description.ts';

// The funds chart's shape: funds on an inverse category y axis (first at the top), fen in the series.
const funds = {
  yAxis: { type: 'category', inverse: true, data: ['企业职工基本养老保险', '失业保险'] },
  xAxis: { type: 'value' },
  series: [
    { name: '收入', type: 'bar', data: [210_000_000_00, 34_000_000_00] },
    { name: '支出', type: 'bar', data: [123_450_000_00, 5_000_00] },
  ],
};

test('money on a 万/亿 axis: ¥ and 万/亿 in Chinese, exact below ¥1万 and in English; no raw fen, no index', () => {
  const zh = describeChart('基金收支', funds, 'money-wan-yi', 'zh-CN');
  assert.equal(
    zh,
    '基金收支。收入：企业职工基本养老保险 ¥2.1亿，失业保险 ¥3,400万；支出：企业职工基本养老保险 ¥1.2345亿，失业保险 ¥5,000.00。',
  );
  assert.doesNotMatch(zh, /21000000000|\b0的/);
  const en = describeChart('Fund income and expenditure', funds, 'money-wan-yi', 'en');
  assert.equal(
    en,
    'Fund income and expenditure. 收入: 企业职工基本养老保险 ¥210,000,000.00, 失业保险 ¥34,000,000.00; 支出: 企业职工基本养老保险 ¥123,450,000.00, 失业保险 ¥5,000.00.',
  );
});

test('exact money, a negative amount with its sign before ¥, and a point not drawn left out', () => {
  const option = {
    xAxis: { type: 'category', data: ['2024', '2025', '2026'] },
    yAxis: { type: 'value' },
    series: [{ name: '差额', type: 'bar', data: [{ value: -27678623 }, null, 1848000] }],
  };
  assert.equal(
    describeChart('方案差额', option, 'money', 'zh-CN'),
    '方案差额。差额：2024 -¥276,786.23，2026 ¥18,480.00。',
  );
});

test('a category y axis that is not inverse is read top down: its last category first', () => {
  const option = {
    yAxis: { type: 'category', data: ['职工养老', '失业', '工伤'] },
    xAxis: { type: 'value' },
    series: [{ name: '参保人数', type: 'bar', data: [1200, 800, 30] }],
  };
  // one series named as the chart is not named twice; counts grouped, no ¥
  assert.equal(
    describeChart('参保人数', option, 'count', 'zh-CN'),
    '参保人数。工伤 30，失业 800，职工养老 1,200。',
  );
  assert.equal(
    describeChart('参保人数', { ...option, yAxis: { ...option.yAxis, inverse: true } }, 'count', 'en'),
    '参保人数. 职工养老 1,200, 失业 800, 工伤 30.',
  );
});

test('counts as counts (the age pyramid draws men as negatives), one kind per series, pie slices by name', () => {
  const pyramid = {
    yAxis: { type: 'category', inverse: true, data: ['60+'] },
    series: [
      { name: '男', data: [-12345] },
      { name: '女', data: [678] },
    ],
  };
  assert.equal(
    describeChart('年龄结构', pyramid, 'count', 'zh-CN'),
    '年龄结构。男：60+ 12,345；女：60+ 678。',
  );
  const mixed = {
    xAxis: { type: 'category', data: ['2026年11月'] },
    series: [
      { name: '疑点', data: [3] },
      { name: '追回金额', data: [100000] },
    ],
  };
  assert.equal(
    describeChart('按月', mixed, ['count', 'money'], 'zh-CN'),
    '按月。疑点：2026年11月 3；追回金额：2026年11月 ¥1,000.00。',
  );
  const pie = {
    series: [
      {
        type: 'pie',
        data: [
          { name: '宣州区', value: 12 },
          { name: '郎溪县', value: 3 },
        ],
      },
    ],
  };
  assert.equal(describeChart('按地区', pie, 'count', 'en'), '按地区. 宣州区 12, 郎溪县 3.');
  assert.equal(
    describeChart(
      '比例',
      { xAxis: { type: 'category', data: ['2030'] }, series: [{ data: [37.1] }] },
      'percent',
      'en',
    ),
    '比例. 2030 37.1%.',
  );
});

test('a series of zeros is "none", not every ¥0.00 month; a chart of only zeros says so once', () => {
  const months = ['Jan 2026', 'Feb 2026', 'Mar 2026'];
  const bills = (overdue: number[]) => ({
    xAxis: { type: 'category', data: months },
    series: [
      { name: 'Paid', data: [100_00, 200_00, 0] },
      { name: 'Overdue', data: overdue },
    ],
  });
  assert.equal(
    describeChart('Bills', bills([0, 0, 0]), 'money', 'en'),
    'Bills. Paid: Jan 2026 ¥100.00, Feb 2026 ¥200.00, Mar 2026 ¥0.00; Overdue: none.',
  );
  assert.equal(
    describeChart('账单', bills([0, 0, 0]), 'money', 'zh-CN'),
    '账单。Paid：Jan 2026 ¥100.00，Feb 2026 ¥200.00，Mar 2026 ¥0.00；Overdue：无。',
  );
  const nothing = {
    ...bills([0, 0, 0]),
    series: [
      { name: 'Paid', data: [0, null, 0] },
      { name: 'Overdue', data: [] },
    ],
  };
  assert.equal(describeChart('Bills', nothing, 'money', 'en'), 'Bills. No data.');
  assert.equal(describeChart('账单', nothing, 'money', 'zh-CN'), '账单。无数据。');
  assert.doesNotMatch(describeChart('Bills', nothing, 'money', 'en'), /¥0\.00/);
});
