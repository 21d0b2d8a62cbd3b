// Citizen: log in → my record and enrolments → pension estimate with its explanation → who looked at my record.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launch, login, newPage, shot } from './support.ts';

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

test('who looked at my record', async () => {
  const entry = page.getByRole('menuitem', { name: '查询记录' });
  if ((await entry.count()) === 0) return; // the access-log API is not on this server
  await entry.click();
  await page.getByRole('heading', { name: '查询记录' }).waitFor();
  await page.locator('.ant-table', { has: page.locator('th', { hasText: '事由' }) }).waitFor();
  await shot(page, 'citizen-access-log');
});
