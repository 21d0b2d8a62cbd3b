// Citizen, after contributions land: the contribution record draws its charts (the journey declares,
// assesses and pays two years of wages for the demo citizen first when the demo city has no
// history), my pension (the demo citizen draws none: the empty state says why), personal pension.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { apiAs, launch, login, newPage, shot, tablesCut } from './support.ts';

let browser: Browser;
let page: Page;

/** Two years of paid wages for the citizen at their current employer, when the record is empty. */
async function ensureHistory(): Promise<void> {
  const citizen = await apiAs('citizen');
  const me = (await citizen('GET', '/api/v1/auth/me')) as { user: { personId: number } };
  const personId = me.user.personId;
  const record = (await citizen('GET', `/api/v1/persons/${personId}/record`)) as { years: unknown[] };
  if (record.years.length > 0) return;
  const clerk = await apiAs('clerk');
  const enrolments = (await clerk('GET', `/api/v1/persons/${personId}/enrolments`)) as
    | Array<{ scheme: string; status: string; employerId: number | null }>
    | { items: Array<{ scheme: string; status: string; employerId: number | null }> };
  const list = Array.isArray(enrolments) ? enrolments : enrolments.items;
  const employerId = list.find((e) => e.scheme === 'employee_pension' && e.status === 'active')?.employerId;
  assert.ok(employerId, 'the demo citizen has an employer');
  const periods: string[] = [];
  for (let y = 2024; y <= 2025; y++)
    for (let m = 1; m <= 12; m++) periods.push(`${y}-${String(m).padStart(2, '0')}`);
  await clerk('POST', `/api/v1/employers/${employerId}/declarations`, {
    lines: periods.map((period, i) => ({ personId, period, wageFen: 780_000 + (i >= 12 ? 40_000 : 0) })),
  });
  for (const period of periods) await clerk('POST', '/api/v1/contributions/assessments', { period });
  const bills = (await clerk('GET', `/api/v1/bills?employerId=${employerId}&status=open&pageSize=200`)) as {
    items: Array<{ id: number; period: string }>;
  };
  for (const b of bills.items.filter((x) => periods.includes(x.period)))
    await clerk('POST', `/api/v1/bills/${b.id}/payments`, {});
}

before(async () => {
  await ensureHistory();
  browser = await launch();
  page = (await newPage(browser)).page;
  await login(page, 'citizen');
  await page.getByRole('heading', { name: '我的参保' }).waitFor();
});
after(async () => {
  await browser.close();
});

test('contribution record: months by year chart, account chart, bases and employers', async () => {
  await page.getByRole('menuitem', { name: '权益记录单' }).click();
  await page.getByRole('heading', { name: '权益记录单' }).waitFor();
  await page.getByText('各年度缴费月数').waitFor();
  await page.getByText('个人账户余额与利息').waitFor();
  assert.ok((await page.locator('canvas').count()) >= 2, 'two ECharts canvases');
  const table = await page.locator('.ant-table').first().innerText();
  assert.match(table, /¥[\d,]+\.\d{2}/, 'bases and balances in yuan with two decimals');
  // at 1280 px every column of the years, the year-end balance above all, without scrolling sideways
  assert.deepEqual(await tablesCut(page), []);
  await page.getByRole('link', { name: /打印权益记录单/ }).waitFor();
  await shot(page, 'citizen-contribution-record');
});

test('my pension: an empty state that says when it will appear', async () => {
  await page.getByRole('menuitem', { name: '我的养老金' }).click();
  await page.getByRole('heading', { name: '我的养老金' }).waitFor();
  await page
    .getByText(/您尚未领取养老金|月养老金/)
    .first()
    .waitFor();
  await shot(page, 'citizen-my-pension');
});

test('personal pension: open the account, pay in within the yearly cap', async () => {
  await page.getByRole('menuitem', { name: '个人养老金' }).click();
  await page.getByRole('heading', { name: '个人养老金' }).waitFor();
  const open = page.getByRole('button', { name: '开立个人养老金账户' });
  await open.or(page.getByText('账户余额')).first().waitFor();
  if (await open.isVisible()) await open.click();
  await page.getByText('账户余额').waitFor();
  await page.getByLabel('金额（元）').first().fill('20000');
  await page.getByRole('button', { name: '缴费', exact: true }).click();
  await page.getByText(/超过本年剩余额度/).waitFor();
  await page.getByLabel('金额（元）').first().fill('1,000.00');
  await page.getByRole('button', { name: '缴费', exact: true }).click();
  await page.getByText('缴费成功').waitFor();
  await page.locator('.ant-table-tbody').getByText('¥1,000.00').first().waitFor();
  await shot(page, 'citizen-personal-pension');
});
