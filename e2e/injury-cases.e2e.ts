// Work injury (issue 13): the employer reports an injury of its worker (1280 px) → the clerk accepts
// it and proposes recognition, a reviewer releases it → the clerk records the appraisal (grade 5) and
// proposes the one-off subsidy, the reviewer releases it → the worker sees the recognised case, the
// decision letter and the benefit on a 390 px phone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { today } from '../src/core/clock.ts';
import { dayNumber, fromDayNumber } from '../src/core/dates.ts';
import { apiAs, BASE, datesBroken, launch, login, newPage, shot } from './support.ts';
import { assertFitsPhone, PHONE } from './phone-support.ts';
import { codesShown, session } from './pages-support.ts';

let browser: Browser;
let caseId = 0;
let idNumber = '';

const daysAgo = (n: number): string => fromDayNumber(dayNumber(today()) - n);

before(async () => {
  browser = await launch();
  // The demo worker `injured` works for the demo employer: a second accident of theirs is reported.
  const me = await apiAs('injured');
  const who = (await me('GET', '/api/v1/auth/me')) as { user: { personId: number } };
  const person = (await me('GET', `/api/v1/persons/${who.user.personId}`)) as { idNumber: string };
  idNumber = person.idNumber;
});
after(async () => {
  await browser.close();
});

async function release(page: Page, kindText: string): Promise<void> {
  await page.goto(`${BASE}/agency/injury`);
  const row = page.locator('tr', { hasText: kindText }).first();
  await row.getByRole('button', { name: '复核放行' }).click();
  await page
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /确\s?定|OK|放行/ })
    .click();
  await page
    .getByText(/已放行|放行/)
    .first()
    .waitFor();
}

/**
 * The released benefit's approval page reads in words (zh 1280, en 390): who pays it is 支付方 / Paid by
 * with the payer's name (it was labelled 缴费人, the payer of a bill), and what the release wrote (the
 * benefit, its status, the ledger entry) is labelled — benefitId and journalEntryId showed raw.
 */
async function benefitApprovalRead(reviewer: Page): Promise<void> {
  const api = await apiAs('reviewer');
  const list = (await api('GET', '/api/v1/approvals?kind=injury-benefit&status=released&pageSize=100')) as {
    items: Array<{ id: number; summary: { caseId?: number } }>;
  };
  const approval = list.items.find((a) => a.summary.caseId === caseId);
  assert.ok(approval, 'the released benefit is an approval of the case');
  await reviewer.goto(`${BASE}/agency/approvals/${approval.id}`);
  const details = reviewer.getByTestId('approval-details');
  await details.waitFor();
  assert.match(await details.innerText(), /支付方\s+工伤保险基金/);
  // the calculation's amounts read in yuan and its payer in words (it read 下限 = 442560 and = employer)
  const steps = await details.locator('.trace-list').innerText();
  assert.match(steps, /下限 = [^\n]*= ¥[\d,]+\.\d{2}/, steps);
  assert.match(steps, /一次性伤残补助金 = [^\n]*= ¥[\d,]+\.\d{2}/, steps);
  assert.doesNotMatch(steps, /\b(fund|employer)\b/, steps);
  const result = await reviewer.getByTestId('approval-result').innerText();
  assert.match(result, /执行后状态\s+已支付/, result);
  assert.doesNotMatch(result, /[a-z][A-Z]/, result);
  assert.deepEqual(await codesShown(reviewer), []);
  await shot(reviewer, 'injury-benefit-approval-1280');
  await reviewer.getByTestId('approval-result').scrollIntoViewIfNeeded();
  await shot(reviewer, 'injury-benefit-approval-result-1280');
  const en = await session(browser, 'reviewer', 'en', PHONE.width);
  await en.page.goto(`${BASE}/agency/approvals/${approval.id}`);
  const enDetails = en.page.getByTestId('approval-details');
  await enDetails.waitFor();
  assert.match(await enDetails.innerText(), /Paid by\s+Work-injury fund/);
  assert.deepEqual(await codesShown(en.page), []);
  await assertFitsPhone(en.page, 'injury benefit approval 390');
  await shot(en.page, 'injury-benefit-approval-390');
  await en.context.close();
  // back to the queue, where the journey goes on
  await reviewer.goto(`${BASE}/agency/injury`);
  await reviewer.locator('.ant-table-tbody tr.ant-table-row', { hasText: '工伤频发演示' }).first().waitFor();
}

test('the employer reports the injury and sees every deadline of the case', async () => {
  const { page } = await newPage(browser);
  await login(page, 'employer');
  await page.getByRole('menuitem', { name: '工伤报告' }).click();
  await page.getByLabel('职工身份证号码').fill(idNumber);
  // The day in words in its picker (the bare date box showed 12/04/2026); the ISO day may be typed.
  const day = page.getByLabel('事故（诊断）日期');
  assert.match(await day.inputValue(), /^\d{4}年\d{1,2}月\d{1,2}日$/);
  await day.click();
  await day.fill(daysAgo(2));
  await day.press('Enter');
  await page.getByLabel('事故经过').fill('装卸货物时被货箱砸伤右脚');
  await page.getByRole('button', { name: '提交申请' }).click();
  await page.getByRole('heading', { name: /工伤案件 #\d+/ }).waitFor();
  caseId = Number(/injury\/(\d+)/.exec(page.url())?.[1]);
  assert.ok(caseId > 0, page.url());
  await page.getByText('单位申请期限（30日）').waitFor();
  await page
    .getByText('认定决定（60日）')
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  await page.getByText('受理决定（15日）').waitFor();
  await shot(page, 'injury-employer-report');
});

test('the clerk accepts and proposes recognition; a reviewer releases it', async () => {
  const { page } = await newPage(browser);
  await login(page, 'clerk');
  await page.getByRole('menuitem', { name: '工伤认定' }).click();
  // the payroll's month in words in the shared picker (the bare month box showed 2026-12)
  assert.match(await page.getByLabel('发放期间').inputValue(), /^\d{4}年\d{1,2}月$/);
  await page.getByLabel('发放期间').scrollIntoViewIfNeeded();
  // the demo's last month's run: its month in words and its state by name (they were 2026-11 and done)
  const runs = page
    .locator('.ant-card')
    .filter({ has: page.locator('.ant-card-head-title', { hasText: '工伤定期待遇发放' }) })
    .locator('.ant-table-row');
  await runs.first().waitFor();
  const run = await runs.first().innerText();
  // the count of payments with its word (it read a bare 1 under 笔数)
  assert.match(run, /^\d{4}年\d{1,2}月\s+已完成\s+\d+笔\s+¥[\d,]+\.\d{2}$/, run);
  await shot(page, 'injury-agency-payroll-month');
  await page.waitForLoadState('networkidle');
  await page.goto(`${BASE}/agency/injury/${caseId}`);
  await page.getByRole('button', { name: '受理', exact: true }).click();
  await page.getByText('认定决定（60日）').waitFor();
  await page.getByLabel('认定意见').fill('工作时间在工作场所内因工作原因受到事故伤害');
  await page.getByRole('button', { name: '提交复核' }).click();
  await page.getByText('待复核').first().waitFor();
  await shot(page, 'injury-agency-case');
  const reviewer = (await newPage(browser)).page;
  await login(reviewer, 'reviewer');
  await reviewer.getByRole('menuitem', { name: '工伤认定' }).waitFor();
  await release(reviewer, '工伤认定决定');
  await reviewer.goto(`${BASE}/agency/injury/${caseId}`);
  await reviewer.getByText('认定工伤').first().waitFor();
  // appraisal and the one-off subsidy by the clerk, released by the reviewer
  await page.reload();
  // the days in words in the shared pickers (the bare date boxes showed 12/04/2026)
  const inWords = /^\d{4}年\d{1,2}月\d{1,2}日$/;
  assert.match(await page.getByLabel('收到申请').inputValue(), inWords);
  await page.getByLabel('收到申请').scrollIntoViewIfNeeded();
  await shot(page, 'injury-agency-appraisal');
  await page.getByRole('button', { name: '登记鉴定申请' }).click();
  assert.match(await page.getByLabel('结论日期').inputValue(), inWords);
  await page.getByRole('button', { name: '录入鉴定结论' }).click();
  await page.getByText('5级').waitFor();
  await page.getByRole('button', { name: '核定并提交复核' }).click();
  await page.getByText('已提交，等待复核员放行').waitFor();
  await release(reviewer, '工伤待遇核定');
  await benefitApprovalRead(reviewer);
  // Cases not accepted as simple showed the 15-day simple-case date as their next limit, long past
  // and yet not overdue; their next limit is the 60-day decision.
  const planted = await reviewer
    .locator('.ant-table-tbody tr.ant-table-row', { hasText: '工伤频发演示' })
    .allInnerTexts();
  assert.ok(planted.length > 0, 'the demo’s frequent-injury cases are listed');
  for (const row of planted) assert.doesNotMatch(row, /简易认定/, row);
  await shot(reviewer, 'injury-agency-queue');
  // the days whole at 1280 px: the next limit broke as 2026年10月19 / 日
  assert.deepEqual(await datesBroken(reviewer), []);
  // the statistics with their units: the employers' class read a bare "1" beside the chart's "1类",
  // the counts had no 件 on the axis or in the headings
  await page.getByRole('menuitem', { name: '工伤统计' }).click();
  const byEmployer = page
    .locator('.ant-card')
    .filter({ has: page.locator('.ant-card-head-title', { hasText: '按用人单位' }) });
  await byEmployer.locator('.ant-table-row').first().waitFor();
  assert.match(await byEmployer.locator('thead').innerText(), /申请（件）\s+认定工伤（件）/);
  for (const row of await byEmployer.locator('.ant-table-row').allInnerTexts())
    assert.match(row, /\t\d+类\t\d+\t\d+$/, row);
  await shot(page, 'injury-agency-statistics');
});

test('the worker sees the recognised case, the decision letter and the paid subsidy on a phone', async () => {
  const { page } = await newPage(browser, 390, 844);
  await login(page, 'injured');
  await page.getByRole('heading', { name: '我的参保' }).waitFor();
  await page.goto(`${BASE}/citizen/injury/${caseId}`);
  await page.getByText('认定工伤').first().waitFor();
  await page.getByText('一次性伤残补助金').waitFor();
  await page.getByText('已支付').first().waitFor();
  await assertFitsPhone(page, "the worker's case 390");
  await page.getByRole('button', { name: '查看认定决定书' }).click();
  await page.getByText('认定工伤决定书').first().waitFor();
  await assertFitsPhone(page, 'the decision letter 390', '.ant-modal');
  const letter = await page.getByRole('dialog').innerText();
  assert.doesNotMatch(letter, /\d{4}-\d{2}-\d{2}|（\d{6}）/, 'days in words, the office by name');
  await shot(page, 'injury-worker-phone');
});
