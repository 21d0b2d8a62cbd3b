// Employer: a CSV declaration (wages in yuan, as the template) with bad lines is refused with each
// line's problem listed; a good one is accepted; the bills page shows amounts in yuan.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
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
  assert.match(text, /\b4\b[\s\S]*“=1\+1”不是以元为单位的金额/, `the formula is refused as a wage: ${text}`);
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
  await page.getByRole('menuitem', { name: '账单与欠费' }).click();
  await page.getByRole('heading', { name: '账单与欠费' }).waitFor();
  await page.getByText('欠缴金额').waitFor();
  await page
    .locator('.ant-statistic-content')
    .filter({ hasText: /¥[\d,]+\.\d{2}/ })
    .first()
    .waitFor();
  await page.locator('.ant-table').waitFor();
  await shot(page, 'employer-bills');
  // every column in sight at 1280 px: the action column (缴费凭证) was cut at the card's edge
  assert.deepEqual(await tablesCut(page), []);
});
