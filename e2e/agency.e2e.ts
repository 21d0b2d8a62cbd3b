// Agency: log in → dashboard → search a person → open the record → register a person with a bad ID
// number (refused on the field) and then a good one → employers → coverage gaps.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { badIdNumber, freshIdNumber, launch, login, newPage, shot, tablesCut } from './support.ts';

let browser: Browser;
let page: Page;
before(async () => {
  browser = await launch();
  page = (await newPage(browser)).page;
  await login(page, 'clerk');
  await page.getByRole('heading', { name: /统计概览/ }).waitFor();
});
after(async () => {
  await browser.close();
});

test('dashboard draws the insured-by-scheme chart and the age pyramid', async () => {
  await page.getByText('各险种参保人数').waitFor();
  assert.equal((await page.locator('canvas').count()) >= 2, true, 'two ECharts canvases');
  await shot(page, 'agency-dashboard');
  // The table under the chart whole at 1280 px: its 合计 column was cut at the half-width card's edge.
  assert.deepEqual(await tablesCut(page), []);
});

test('search a person by name and open the record', async () => {
  await page.getByRole('menuitem', { name: '人员查询' }).click();
  await page.getByLabel('姓名').fill('王');
  await page.getByRole('button', { name: '查询' }).click();
  const first = page.locator('.ant-table-tbody tr.ant-table-row').first();
  await first.waitFor();
  const masked = await first.locator('td').nth(1).innerText();
  assert.match(masked, /^\d{4}\*+[\dX]{4}$/, `ID numbers are masked in lists: ${masked}`);
  await shot(page, 'agency-person-search');
  await first.getByRole('link').click();
  await page.getByText('参保情况').waitFor();
  await page.getByText('出生日期').waitFor();
  // The person's own facts; the certification card below has its own descriptions and loads on its own time.
  const facts = page.locator('.ant-descriptions', { has: page.getByText('出生日期') });
  assert.match(await facts.innerText(), /\d{4}年\d{1,2}月\d{1,2}日/, 'dates in Chinese format');
  await shot(page, 'agency-person-detail');
});

test('register a person: a bad ID number is refused on the field, a good one is registered', async () => {
  const good = freshIdNumber();
  await page.getByRole('menuitem', { name: '人员登记' }).click();
  await page.getByLabel('公民身份号码').fill(badIdNumber(good));
  await page.getByLabel('姓名').fill('登记测试');
  await page.getByRole('button', { name: '登记' }).click();
  await page.getByText(/公民身份号码不正确：校验码（最后一位）不正确/).waitFor();
  await shot(page, 'agency-register-bad-id');
  await page.getByLabel('公民身份号码').fill(good);
  await page.getByText(/由号码自动得出/).waitFor();
  await page.getByRole('button', { name: '登记' }).click();
  await page.getByText('已登记：登记测试').waitFor();
  assert.match(page.url(), /\/agency\/persons\/\d+/);
  await page.getByText(good).waitFor();
});

test('the server refuses a duplicate and the form says so', async () => {
  // Same person again: the client check passes, the server answers 409 and the page shows its message.
  // the person's own facts, not the certification card's descriptions
  const detailId = await page
    .locator('.ant-descriptions', { has: page.getByText('出生日期') })
    .getByText(/^\d{17}[\dX]$/)
    .innerText();
  await page.getByRole('menuitem', { name: '人员登记' }).click();
  await page.getByLabel('公民身份号码').fill(detailId);
  await page.getByLabel('姓名').fill('登记测试');
  await page.getByRole('button', { name: '登记' }).click();
  await page
    .getByText(/记录已存在/)
    .first()
    .waitFor();
});

test('employers and coverage gaps', async () => {
  await page.getByRole('menuitem', { name: '单位查询' }).click();
  await page.getByRole('button', { name: '查询' }).click();
  const first = page.locator('.ant-table-tbody tr.ant-table-row').first();
  await first.waitFor();
  await first.getByRole('link').click();
  await page.getByText('统一社会信用代码').first().waitFor();
  await shot(page, 'agency-employer-detail');
  const gaps = page.getByRole('menuitem', { name: '应保未保' });
  if ((await gaps.count()) > 0) {
    await gaps.click();
    await page.getByRole('heading', { name: '应保未保' }).waitFor();
    await page.locator('.ant-table', { has: page.locator('th', { hasText: '未参加' }) }).waitFor();
    await shot(page, 'agency-coverage-gaps');
  }
});
