// Citizen: log in → my record and enrolments → pension estimate with its explanation → who looked at my record.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { apiAs, launch, login, newPage, shot } from './support.ts';

let browser: Browser;
let page: Page;
before(async () => {
  browser = await launch();
  page = (await newPage(browser)).page;
  await login(page, 'citizen');
  await page.getByRole('heading', { name: '我的参保' }).waitFor();
});
after(async () => {
  await browser.close();
});

test('my record shows my details and enrolments', async () => {
  await page.getByText('公民身份号码').first().waitFor();
  await page.getByRole('columnheader', { name: '险种' }).waitFor();
  await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
  const rows = await page.locator('.ant-table-tbody tr.ant-table-row').count();
  assert.ok(rows >= 1, 'the demo citizen has at least one enrolment');
  await shot(page, 'citizen-record');
});

test('pension estimate computes with the server rules and explains each step', async () => {
  await page.getByRole('menuitem', { name: '养老金测算' }).click();
  await page.getByText('法定退休日期').waitFor();
  await page.getByLabel('退休时个人账户储存额（元）').fill('120000');
  await page.getByLabel('计发基数（元/月）').fill('8,000.00');
  await page.getByRole('button', { name: '测算' }).click();
  await page.getByText('养老金是怎样算出来的').waitFor();
  const items = await page.locator('.trace-list li').count();
  assert.ok(items >= 3, `the trace lists the steps (${items})`);
  const total = await page.locator('.ant-statistic-content').first().innerText();
  assert.match(total, /¥\s*[\d,]+\.\d{2}/, `total shown in yuan with two decimals: ${total}`);
  await shot(page, 'citizen-pension-estimate');
});

test('who looked at my record: a clerk reads it, and the citizen sees who, what and when in Chinese', async () => {
  const citizen = await apiAs('citizen');
  const me = (await citizen('GET', '/api/v1/auth/me')) as { user: { personId: number } };
  const clerk = await apiAs('clerk');
  await clerk('GET', `/api/v1/persons/${me.user.personId}`);
  await page.getByRole('menuitem', { name: '查询记录' }).click();
  await page.getByRole('heading', { name: '查询记录' }).waitFor();
  const log = page.locator('.ant-table', { has: page.locator('th', { hasText: '事由' }) });
  const row = log.locator('.ant-table-tbody tr.ant-table-row').first();
  await row.waitFor();
  const cells = await row.locator('td').allInnerTexts();
  assert.equal(cells.length, 5, `time, who, which office, what, why: ${cells.join(' | ')}`);
  assert.match(cells[0] ?? '', /^\d{4}年\d{1,2}月\d{1,2}日/, `the time as a Chinese date: ${cells[0]}`);
  for (const [i, cell] of cells.slice(1).entries())
    assert.doesNotMatch(cell, /[A-Za-z_]{3,}/, `column ${i + 2} in Chinese, not a code or English: ${cell}`);
  assert.match(cells[1] ?? '', /经办/, `the reader's role in words: ${cells[1]}`);
  assert.match(
    cells[2] ?? '',
    /^\p{Script=Han}+[市区县省]社会保险经办机构$/u,
    `the reader's office by name: ${cells[2]}`,
  );
  await shot(page, 'citizen-access-log');
});
