// Employer: a CSV declaration (wages in yuan, as the template) with bad lines is refused with each
// line's problem listed; a good one is accepted; the bills page shows amounts in yuan, and a bill's
// rates with their sources (2026-01: the unemployment cut ended, 2% + 1% against 0.5% + 0.5%).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page, Request } from 'playwright-core';
import { noSidewaysOverflow } from './pages-support.ts';
import { apiAs, launch, login, newPage, shot, tablesCut } from './support.ts';

let browser: Browser;
let page: Page;
let goodLine = '';
let badWageLine = '';

before(async () => {
  // A real staff member's full ID number (the employer sees it masked; the clerk sees it whole).
  const employer = await apiAs('employer');
  const me = (await employer('GET', '/api/v1/auth/me')) as { user: { employerId: number } };
  const staff = (await employer('GET', `/api/v1/employers/${me.user.employerId}/staff?pageSize=1`)) as {
    items: Array<{ personId: number; name: string }>;
  };
  const first = staff.items[0];
  assert.ok(first, 'the demo employer has staff');
  const person = (await (
    await apiAs('clerk')
  )('GET', `/api/v1/persons/${first.personId}`)) as {
    idNumber: string;
  };
  goodLine = `${person.idNumber},${first.name},2026-01,6500.00`;
  badWageLine = `${person.idNumber},${first.name},2025-12,=1+1`;
  browser = await launch();
  page = (await newPage(browser)).page;
  await login(page, 'employer');
  await page.getByRole('heading', { name: '职工名册' }).waitFor();
});
after(async () => {
  await browser.close();
});

const csv = (lines: string[]) =>
  Buffer.from(`id_number,name,period,wage_yuan\n${lines.join('\n')}\n`, 'utf8');

test('a CSV with bad lines is refused and each line is listed; a good one (6500.00 yuan) is accepted', async () => {
  await page.getByRole('menuitem', { name: '缴费申报' }).click();
  await page.getByRole('heading', { name: '缴费申报' }).waitFor();
  await page.getByRole('link', { name: /下载模板/ }).waitFor();
  // The month is said once, in its picker (the words were echoed again beside it).
  const period = page.locator('#declare-period');
  assert.match(await period.inputValue(), /^\d{4}年\d{1,2}月$/);
  const periodLine = page.locator('.ant-space').filter({ has: period }).first();
  assert.doesNotMatch(await periodLine.innerText(), /\d{4}年/);
  const input = page.locator('input[type=file]');
  await input.setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: csv([goodLine, '341802199003070011,错误号码,2026-01,6500', badWageLine]),
  });
  await page.getByRole('button', { name: '上传申报' }).click();
  const errors = page.locator('.line-errors');
  await errors.waitFor();
  const text = await errors.innerText();
  assert.match(text, /\b3\b/, `the bad ID line is listed with its number: ${text}`);
  assert.match(text, /\b4\b[\s\S]*月工资格式不正确/, `the formula is refused as a wage: ${text}`);
  // The reason is read whole in the narrow upload card: it wraps, it does not run off behind a scrollbar.
  const [table, reason] = await Promise.all([
    errors.boundingBox(),
    errors.locator('.ant-table-row td').last().boundingBox(),
  ]);
  assert.ok(table && reason, 'the table and its reason cell are shown');
  assert.ok(
    reason.x + reason.width <= table.x + table.width + 1,
    `the reason ends inside the table: ${JSON.stringify([table, reason])}`,
  );
  assert.match(await errors.locator('.ant-table-row').first().locator('td').last().innerText(), /校验码/);
  await shot(page, 'employer-declaration-errors');
  await input.setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: csv([goodLine]) });
  await page.getByRole('button', { name: '上传申报' }).click();
  await page.getByText(/申报成功|该文件已上传过/).waitFor();
  assert.equal(await errors.count(), 0, 'no line errors after the good file');
});

test('bills and arrears in yuan', async () => {
  const reads: string[] = [];
  const onRequest = (r: Request) => {
    if (new URL(r.url()).pathname === '/api/v1/bills') reads.push(r.url());
  };
  page.on('request', onRequest);
  await page.getByRole('menuitem', { name: '账单与欠费' }).click();
  await page.getByRole('heading', { name: '账单与欠费' }).waitFor();
  await page.getByText('欠缴金额').waitFor();
  await page
    .locator('.ant-statistic-content')
    .filter({ hasText: /¥[\d,]+\.\d{2}/ })
    .first()
    .waitFor();
  const bills = page.locator('.ant-card', {
    has: page.locator('.ant-card-head-title', { hasText: /^缴费账单$/ }),
  });
  await bills.locator('.ant-table').waitFor();
  // the last twelve months as bars, their totals in words, and the newest month's figure the same as
  // the table's (the page had only the table)
  const chart = page.getByTestId('bills-chart');
  const summary = await chart.getByTestId('bills-chart-summary').innerText();
  const yuan = '¥[\\d,]+\\.\\d{2}';
  assert.match(
    summary,
    new RegExp(
      `^\\d{4}年\\d{1,2}月至\\d{4}年\\d{1,2}月应缴 ${yuan}，已缴 ${yuan}，未缴 ${yuan}（其中逾期 ${yuan}）。$`,
    ),
    summary,
  );
  const newest = bills.locator('.ant-table-row').first().locator('td');
  const month = /\d{4}年\d{1,2}月/.exec(await newest.nth(0).innerText())?.[0];
  const total = (await newest.nth(5).innerText()).trim(); // 应缴合计
  const described = (await chart.getByRole('img').getAttribute('aria-label')) ?? '';
  assert.ok(described.includes(`${month} ${total}`), `${month} ${total} in ${described}`);
  await shot(page, 'employer-bills');
  // every column in sight at 1280 px: the action column (缴费凭证) was cut at the card's edge
  assert.deepEqual(await tablesCut(page), []);
  // the table is what the employer came for: its first bill on the first screen, beside the chart
  // (under a full-width chart the rows began below 800 px), and one read of the bills for both
  const row = await bills.locator('.ant-table-row').first().boundingBox();
  assert.ok(row && row.y + row.height <= 800, `the newest bill at ${JSON.stringify(row)}`);
  // the status filter pages that read: 已缴费 the paid bills only, 待缴费 none of them
  const listed = () => bills.locator('.ant-pagination-total-text').innerText();
  const everything = await listed();
  const choose = async (status: string) => {
    await page.getByLabel('状态').click();
    await page.locator('.ant-select-item-option', { hasText: status }).click();
  };
  // the status column's tags, not a back payment's 补缴
  const tags = () => bills.locator('.ant-table-row > td:nth-child(8) .ant-tag').allInnerTexts();
  await choose('已缴费');
  const paid = await tags();
  assert.ok(paid.length > 0 && paid.every((x) => x === '已缴费'), `paid bills only: ${paid.join(', ')}`);
  await choose('待缴费');
  assert.ok(!(await tags()).includes('已缴费'), 'no paid bill among the open ones');
  await choose('全部');
  assert.equal(await listed(), everything);
  page.off('request', onRequest);
  assert.equal(reads.length, 1, `the bills read once: ${reads.join(', ')}`);
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await chart.scrollIntoViewIfNeeded();
    // the chart redraws at the new width when its resize observer fires: the page as the phone shows it
    // after that (CI of 0b1d1a3 measured the 1280 px canvas still in place), and if it never fits, the
    // assertion below says by how much
    await page
      .waitForFunction(
        () => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1,
        null,
        {
          timeout: 5_000,
        },
      )
      .catch(() => undefined);
    await noSidewaysOverflow(page, 'bills chart 390');
    const [card, canvas] = await Promise.all([chart.boundingBox(), chart.locator('canvas').boundingBox()]);
    assert.ok(card && canvas && canvas.x + canvas.width <= card.x + card.width, 'the chart inside its card');
    await shot(page, 'employer-bills-chart-390');
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
});

test('the rates behind the bill of 2026-01: unemployment 2% + 1% against 0.5% + 0.5% in 2025-12, each rate with its source, the unconfirmed end flagged (1280 and 390 px)', async () => {
  await page.getByRole('button', { name: '查看2026年1月账单的费率与依据' }).click();
  const dialog = page.getByRole('dialog', { name: '2026年1月账单：费率与依据' });
  await dialog.waitFor();
  const row = (fund: string) => dialog.locator('.ant-table-row').filter({ hasText: fund }).innerText();
  assert.match(await row('失业保险'), /2%\s*上期 0\.5%[\s\S]*1%\s*上期 0\.5%/, 'the rate and the change');
  assert.match(await row('养老保险'), /16%[\s\S]*8%/);
  assert.doesNotMatch(await row('养老保险'), /上期/, 'an unchanged rate has no note');
  assert.match(await row('工伤保险'), /%/);
  await dialog.getByText('与上期（2025年12月）相比，以下费率有变化：').waitFor();
  const statutory = dialog.locator('li').filter({ hasText: '《失业保险条例》第六条（1999年1月22日）' });
  assert.match(await statutory.innerText(), /1999年1月22日起/);
  const ended = dialog.locator('li').filter({ hasText: '人社部发〔2024〕40号' });
  assert.match(
    await ended.innerText(),
    /2026年1月1日起不再执行[\s\S]*待核实/,
    'the end of the cut is flagged unconfirmed',
  );
  assert.equal(await dialog.locator('.ant-alert-error').count(), 0, 'the rates reproduce the bill');
  // The funds add up to the bill's total, as the bills table shows it.
  const total = (await dialog.getByText(/各险种合计/).innerText()).match(/¥[\d,]+\.\d{2}/)?.[0];
  const listed = await page.locator('.ant-table-row').filter({ hasText: '2026年1月' }).first().innerText();
  assert.ok(total && listed.includes(total), `${total} in ${listed}`);
  await shot(page, 'employer-bill-rates');
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await dialog.getByText('费率依据').scrollIntoViewIfNeeded();
    await noSidewaysOverflow(page, 'bill rates 390');
    assert.deepEqual(await tablesCut(page), []);
    await shot(page, 'employer-bill-rates-390');
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
});
