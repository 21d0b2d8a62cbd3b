// Agency: a clerk opens the retirement case of a resident turning 60 (城乡居民) from the due list and
// sees the residents' case ask only for what its rule reads — paper-record months and account, not
// the employee pension's benefit base wage, index or deemed years — computes it, and reads the
// result as basic pension + account ÷ 139 with that rule's trace; the same page on a phone (390 px).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { apiAs, launch, login, newPage, shot } from './support.ts';

interface DueItem {
  personId: number;
  name: string;
  scheme: string;
  caseId: number | null;
}

let browser: Browser;
let caseUrl = '';

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

/** The fields a residents' case must not ask for, by their labels on an employee case. */
const EMPLOYEE_ONLY = ['计发基数（元/月）', '档案缴费指数', '视同缴费月数', '视同缴费指数'];

async function assertResidentForm(page: Page): Promise<void> {
  await page.getByLabel('补录档案缴费月数（记录之外）').waitFor();
  await page.getByLabel('补录档案个人账户储存额（元）').waitFor();
  for (const label of EMPLOYEE_ONLY)
    assert.equal(
      await page.getByLabel(label, { exact: true }).count(),
      0,
      `no ${label} on a residents' case`,
    );
  assert.match(
    await page.getByText(/^城乡居民养老金 = 基础养老金 \+ 个人账户全部储存额 ÷ 139/).innerText(),
    /年满60周岁/,
  );
}

test('the clerk opens a resident’s case from the due list and sees only the residents’ inputs', async () => {
  // The first month (from next month) with a resident turning 60 and no case yet.
  const clerk = await apiAs('clerk');
  let found: { month: string; item: DueItem } | null = null;
  for (let i = 1; i <= 24 && !found; i++) {
    const d = new Date();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + i);
    const month = d.toISOString().slice(0, 7);
    const due = (await clerk('GET', `/api/v1/retirement/due?month=${month}`)) as { items: DueItem[] };
    const item = due.items.find((x) => x.scheme === 'resident_pension' && x.caseId === null);
    if (item) found = { month, item };
  }
  assert.ok(found, 'a resident turns 60 within two years in the demo city');
  const { page } = await newPage(browser);
  await login(page, 'clerk');
  await page.getByRole('menuitem', { name: '退休审批' }).click();
  await page.getByRole('heading', { name: '退休审批' }).waitFor();
  await page.locator('#due-month').click();
  await page.locator('#due-month').fill(found.month);
  await page.locator('#due-month').press('Enter');
  const row = page
    .locator('.ant-table-row')
    .filter({ hasText: found.item.name })
    .filter({ hasText: '城乡居民' });
  await row.getByRole('button', { name: `为${found.item.name}开立退休案件` }).click();
  await page.waitForURL(/\/agency\/retirement\/\d+$/);
  caseUrl = page.url();
  await assertResidentForm(page);

  await page.getByRole('button', { name: '计算', exact: true }).click();
  const trace = page.locator('.trace-list');
  await trace.getByText('城乡居民养老保险缴费月数（本人记录）').waitFor();
  const steps = await trace.innerText();
  assert.match(steps, /累计缴费满15年/);
  assert.match(steps, /个人账户养老金 = 个人账户全部储存额 ÷ 139 = ¥[\d,]+\.\d{2}/);
  assert.doesNotMatch(steps, /计发基数|缴费工资指数|视同缴费|过渡性养老金/, steps);
  const result = page
    .locator('.ant-card')
    .filter({ has: page.locator('.ant-card-head-title', { hasText: '计算结果' }) });
  if (await result.getByText('月城乡居民养老金').count()) {
    assert.match(
      await page.getByTestId('resident-parts').innerText(),
      /^基础养老金 ¥[\d,]+\.\d{2} \+ 个人账户养老金 ¥[\d,]+\.\d{2}$/,
    );
  } else {
    // Short of 15 years: the options, without moving to the residents' scheme it is already in.
    const options = await result.innerText();
    assert.match(options, /尚差 \d+ 个月/);
    assert.doesNotMatch(options, /转入城乡居民/);
  }
  await shot(page, 'agency-retirement-case-resident');

  // Paper-record figures typed as a clerk types them: the money box writes 1390 as 1,390.00 and the
  // computation adds exactly that account (¥10.00 a month more: 1,390.00 ÷ 139).
  const before = await page.getByTestId('resident-parts').count();
  await page.getByLabel('补录档案缴费月数（记录之外）').fill('12');
  const account = page.getByLabel('补录档案个人账户储存额（元）');
  await account.fill('1390');
  await account.blur();
  assert.equal(await account.inputValue(), '1,390.00');
  await page.getByRole('button', { name: '计算', exact: true }).click();
  await trace.getByText('经办人员补录的档案个人账户储存额').waitFor();
  const added = await trace.innerText();
  assert.match(added, /经办人员补录的档案缴费月数 = 12\b/);
  assert.match(added, /经办人员补录的档案个人账户储存额 = ¥1,390\.00/);
  assert.doesNotMatch(added, /NaN|undefined|Invalid/);
  if (before)
    assert.match(await page.getByTestId('resident-parts').innerText(), /个人账户养老金 ¥[\d,]+\.\d{2}$/);
  await shot(page, 'agency-retirement-case-resident-added');
  await page.context().close();
});

test('on a phone (390 px) the residents’ case asks for the same two figures', async () => {
  const { context, page } = await newPage(browser, 390, 844);
  await login(page, 'clerk');
  await page
    .getByRole('heading', { name: /统计概览/ })
    .first()
    .waitFor();
  await page.goto(caseUrl);
  await assertResidentForm(page);
  await page.getByText('城乡居民养老保险缴费月数（本人记录）').waitFor();
  await shot(page, 'agency-retirement-case-resident-390');
  await page.getByLabel('补录档案缴费月数（记录之外）').scrollIntoViewIfNeeded();
  await shot(page, 'agency-retirement-case-resident-390-form');
  await context.close();
});
