// Issue 17 item 4 in the browser: the policy researcher (政策研究员) runs a 20-year baseline on the
// demo city's own population, then a scenario (a 5% yearly adjustment and men retiring at 65), and
// compares the two side by side — fund balance, income and expenditure, dependency ratio, the balance's
// difference year by year — and
// exports the scenario as CSV.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { BASE, launch, login, newPage, shot } from './support.ts';

let browser: Browser;
let page: Page;

before(async () => {
  browser = await launch();
  page = (await newPage(browser, 1366, 900)).page;
});
after(async () => {
  await browser.close();
});

test('the policy user compares a baseline with a scenario and exports it', async () => {
  await login(page, 'policy');
  await page.waitForURL(/\/agency/);
  await page.goto(`${BASE}/agency/simulation`);
  await page.getByRole('heading', { name: '政策模拟' }).waitFor();

  // The first visit opens on the demo city's own 30-year baseline, already a chart.
  const reference = page.locator('.sim-run-card').first();
  await reference.waitFor();
  // the run saved without a name reads in Chinese (the server stores a bilingual default)
  assert.match(await reference.innerText(), /现行政策/);
  assert.doesNotMatch(await reference.innerText(), /baseline/);
  await page.locator('canvas').first().waitFor();
  // Each run is awaited by its answer: a click while the previous run is busy is not taken.
  const runSimulation = async () => {
    const answered = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/simulations'),
      { timeout: 60_000 },
    );
    await page.getByRole('button', { name: /运行模拟/ }).click();
    assert.equal((await answered).status(), 200);
  };

  // The baseline: years only.
  await page.getByLabel('方案名称').fill('基线');
  await page.getByLabel('预测年数（1–50）').fill('20');
  await runSimulation();
  await page.waitForFunction(() =>
    /#\d+ 基线(?! baseline)/.test(document.querySelector('.sim-run-card')?.textContent ?? ''),
  );

  // The scenario: 5% a year and men to 65 (60 months of delay).
  await page.getByLabel('方案名称').fill('调待5%·男65岁');
  await page.getByLabel('养老金年调整比例').fill('5');
  await page.getByLabel('男职工最多延迟（月）').fill('60');
  await runSimulation();
  await page.locator('.sim-run-card').nth(1).waitFor({ timeout: 60_000 });
  const scenario = page.locator('.sim-run-card').nth(1);
  await page.waitForFunction(() => document.querySelectorAll('.sim-run-card').length === 2);
  const text = await scenario.innerText();
  assert.match(text, /调待5%·男65岁/, text);
  assert.match(text, /调待 5%/, text);
  assert.match(text, /男 \+60个月/, text);
  assert.match(text, /年末结余 -?¥[\d,]+\.\d{2}/, text);

  // Side by side: the three charts and the year-by-year table with both balances and the difference.
  for (const name of ['基金累计结余', '收入与支出', '抚养比（退休人数 ÷ 缴费人数）'])
    await page.locator('.ant-card-head-title', { hasText: name }).waitFor();
  await page.locator('canvas').nth(3).waitFor();
  assert.ok((await page.locator('canvas').count()) >= 4, 'four ECharts canvases');
  // What a screen reader hears (it heard raw fen behind a stray index): each run by name, its years
  // and the balance in ¥ with 万/亿 as on the axis; the ratio as a percent.
  const said = async (title: string) =>
    (await page
      .locator('.ant-card')
      .filter({ has: page.locator('.ant-card-head-title', { hasText: title }) })
      .locator('div[role="img"]')
      .getAttribute('aria-label')) ?? '';
  const balanceSaid = await said('基金累计结余');
  assert.match(balanceSaid, /^基金累计结余。基线 #\d+：\d{4} -?¥[\d,]+(\.\d+)?[万亿]?，/, balanceSaid);
  assert.match(balanceSaid, /；调待5%·男65岁 #\d+：/, balanceSaid);
  assert.doesNotMatch(balanceSaid, /\d{5}/, 'no raw fen');
  assert.match(await said('抚养比'), /：\d{4} \d+(\.\d)?%/);
  const table = page.locator('.ant-table').last();
  await table.getByText('差额').waitFor();
  const firstRow = await table.locator('.ant-table-row').first().innerText();
  assert.match(firstRow, /\d{4}/);
  assert.equal((firstRow.match(/¥/g) ?? []).length >= 3, true, firstRow);
  // Each dependency ratio with two decimals (the column wrote 37.1% beside 39.28%).
  for (const cell of await table.locator('.ant-table-row td:last-child').allInnerTexts())
    assert.match(cell.trim(), /^\d+\.\d{2}% \/ \d+\.\d{2}%$/, cell);
  // What the scenario costs the fund against the baseline, year by year, as a chart too.
  await page.getByTestId('sim-difference').locator('.ant-card-head-title', { hasText: '结余差额' }).waitFor();
  await page.getByTestId('sim-difference').locator('canvas').waitFor();
  await shot(page, 'simulation-compare');
  await page
    .locator('.ant-card-head-title', { hasText: '基金累计结余' })
    .evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'simulation-charts');

  // Export: the scenario's CSV, years as rows, yuan with two decimals.
  const href = await scenario.getByRole('link', { name: /导出CSV/ }).getAttribute('href');
  assert.ok(href);
  const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href);
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r\n/);
  assert.equal(lines.length, 2 + 20);
  assert.match(lines[1] ?? '', /^年份 year,/);
  assert.match(lines[2] ?? '', /^\d{4},\d+,\d+,/);
});
