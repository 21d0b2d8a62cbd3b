// Unemployment (issue 12): `jobless` claims online with one click and no documents (eligible) → the
// clerk proposes the approval from the queue → the reviewer releases it → the clerk prepares this
// month's payment and the reviewer releases it → the citizen and the clerk see the months paid and
// left; the unemployment subsidy, ended in 2021, is offered with no active button. The claim page on a phone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { BASE, futureRefused, launch, login, newPage, settled, shot } from './support.ts';

let browser: Browser;
let citizen: Page;
let clerk: Page;
let reviewer: Page;

before(async () => {
  browser = await launch();
  citizen = (await newPage(browser)).page;
  clerk = (await newPage(browser)).page;
  reviewer = (await newPage(browser)).page;
});
after(async () => {
  await browser.close();
});

async function releaseFirst(page: Page, kind: string, done: RegExp): Promise<void> {
  await page.goto(`${BASE}/agency/unemployment`);
  await page.getByRole('heading', { name: '失业保险待遇' }).waitFor();
  const row = page.locator('.ant-table-row').filter({ hasText: kind }).first();
  await row.waitFor();
  await row.getByRole('button', { name: '复核放行' }).click();
  await page
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /确\s*定|OK/ })
    .click();
  await page.getByText(done).first().waitFor({ timeout: 60_000 });
}

test('jobless claims with one click and no documents: eligible, months, amount and the trace', async () => {
  await login(citizen, 'jobless');
  await citizen.getByRole('menuitem', { name: '失业保险金' }).click();
  await citizen.getByRole('heading', { name: '失业保险金' }).waitFor();
  await citizen.getByText('免证办理').first().waitFor();
  await citizen.getByTestId('ue-claim-button').click();
  await citizen.getByTestId('ue-eligible').filter({ hasText: '符合领取条件' }).waitFor();
  assert.match(await citizen.getByTestId('ue-months').innerText(), /\d+ 个月/);
  assert.match(await citizen.getByTestId('ue-monthly').innerText(), /¥|元|\d/);
  await citizen.getByText('待核定').first().waitFor();
  // the subsidy ended on 2021-12-31 (its parameter): no active button, the reason in words
  await citizen
    .getByTestId('ue-grant-closed-subsidy')
    .filter({ hasText: '失业补助金政策执行至2021年12月31日，现已停止受理申请' })
    .waitFor();
  assert.equal(await citizen.getByTestId('ue-grant-subsidy').isDisabled(), true);
  await shot(citizen, 'unemployment-citizen-claimed');
  // the decision's explanation as the claimant reads it: months with their word, money in yuan
  await citizen.getByRole('button', { name: '计算过程' }).click();
  const steps = citizen.locator('.trace-list').first();
  await steps.waitFor();
  assert.match(await steps.innerText(), /个月/);
  assert.match(await steps.innerText(), /¥[\d,]+\.\d\d/);
  assert.doesNotMatch(await steps.innerText(), /national-bands/);
  await steps.evaluate((el) => el.scrollIntoView());
  await shot(citizen, 'unemployment-citizen-claim-trace');
});

test('the clerk proposes the approval from the queue; the reviewer releases it', async () => {
  await login(clerk, 'clerk');
  await clerk.getByRole('menuitem', { name: '失业保险待遇' }).click();
  await clerk.getByRole('heading', { name: '失业保险待遇' }).waitFor();
  await clerk.getByTestId('ue-queue-row').first().click();
  await clerk.getByTestId('ue-claim').waitFor();
  const queued = clerk
    .locator('.ant-table-row')
    .filter({ has: clerk.getByTestId('ue-queue-row') })
    .first();
  assert.match(await queued.innerText(), /\d+ 个月/, 'months with their unit');
  await shot(clerk, 'unemployment-agency-queue');
  await clerk.getByTestId('ue-approve').click();
  await clerk.getByText(/已提交复核 #\d+/).waitFor();
  await login(reviewer, 'reviewer');
  await reviewer.getByRole('menuitem', { name: '失业保险待遇' }).waitFor();
  await releaseFirst(reviewer, '失业保险金核定', /已放行：失业保险金核定/);
  await shot(reviewer, 'unemployment-reviewer-released');
  await citizen.reload();
  await citizen.getByText('发放中').first().waitFor();
  // being paid, nothing paid yet: the whole entitlement is left
  const months = Number(/(\d+) 个月/.exec(await citizen.getByTestId('ue-months').innerText())?.[1]);
  assert.match(
    await citizen.getByTestId('ue-paid').innerText(),
    new RegExp(`已发放 0 个月.*尚余 ${months} 个月`),
  );
  // the claimant sees the decision, not the usernames of the staff who made it
  assert.equal(await citizen.locator('main').count(), 1, 'one main landmark on the page');
  const claimText = await citizen.locator('main').innerText();
  assert.doesNotMatch(claimText, /\bclerk\b|\breviewer\b/, 'no staff username shown to the claimant');
});

test("the month's payment: the clerk prepares, the reviewer releases, the citizen sees the payment", async () => {
  await clerk.reload();
  await clerk.getByRole('heading', { name: '失业保险待遇' }).waitFor();
  // the claim approved, the queue to decide is empty in the demo: it says so and why, not "choose a claim"
  await settled(clerk);
  if ((await clerk.getByTestId('ue-queue-row').count()) === 0) {
    await clerk.getByText('没有待核定的申领').waitFor();
    assert.equal(
      await clerk.getByText('请从列表中选择一项申领').count(),
      0,
      'a choice offered under no claims',
    );
  }
  // the month is picked, not typed: this month in words, and no later month offered
  const month = clerk.locator('#ue-period');
  assert.match(await month.inputValue(), /^\d{4}年\d{1,2}月$/);
  await month.scrollIntoViewIfNeeded();
  await shot(clerk, 'unemployment-payroll-month');
  await futureRefused(clerk, month, 'unemployment payroll month', true);
  await clerk.getByTestId('ue-payroll-prepare').click();
  await clerk
    .getByText(/已提交复核 #\d+/)
    .first()
    .waitFor();
  await releaseFirst(reviewer, '失业保险金月度发放', /已放行：失业保险金月度发放/);
  await reviewer.reload();
  // the newest run is the table's first line
  const run = reviewer.getByTestId('ue-runs').locator('.ant-table-tbody tr').first();
  await run.waitFor();
  // the run's state in words (the tag said done), and the queue's months with their unit
  assert.match(await run.innerText(), /已完成/);
  assert.doesNotMatch(await run.innerText(), /\bdone\b/);
  // the months at a glance: a chart of people and benefit paid per month (it was a column of cards)
  const chart = reviewer.getByRole('img', { name: /^每月发放人数与失业保险金/ });
  await chart.waitFor();
  const said = (await chart.getAttribute('aria-label')) ?? '';
  assert.match(said, /发放人数：\d{4}年\d{1,2}月 \d+/, said);
  assert.match(said, /失业保险金：\d{4}年\d{1,2}月 ¥[\d,]+\.\d\d/, said);
  await shot(reviewer, 'unemployment-payroll-done');
  await citizen.reload();
  await citizen.getByText(/已发放 1 个月/).waitFor();
  const months = Number(/(\d+) 个月/.exec(await citizen.getByTestId('ue-months').innerText())?.[1]);
  assert.match(await citizen.getByTestId('ue-paid').innerText(), new RegExp(`尚余 ${months - 1} 个月`));
  assert.doesNotMatch(await citizen.getByTestId('ue-claim').innerText(), /经办|\(clerk\)|\(reviewer\)/);
  await shot(citizen, 'unemployment-citizen-paid');
  // the clerk finds the claim among those being paid, with the same figures
  const id = /#(\d+)/.exec(await citizen.getByTestId('ue-claim').innerText())?.[1] ?? '';
  await clerk.locator('.ant-segmented').getByText('发放中', { exact: true }).click();
  await clerk
    .locator('.ant-table-row')
    .filter({ has: clerk.locator('td', { hasText: new RegExp(`^${id}$`) }) })
    .getByTestId('ue-queue-row')
    .click();
  assert.match(
    await clerk.getByTestId('ue-paid').innerText(),
    new RegExp(`已发放 1 个月.*尚余 ${months - 1} 个月`),
  );
  // staff see who decided by name (the login name on hover, not as a tag); the claimant sees neither
  const decided = await clerk.getByTestId('ue-decision').innerText();
  assert.match(decided, /经办 \p{Script=Han}+ · 复核 \p{Script=Han}+/u, decided);
  assert.doesNotMatch(decided, /clerk|reviewer/, decided);
  await shot(clerk, 'unemployment-agency-paid');
});

test('on a phone (390 px) the claim reads in cards', async () => {
  const phone = (await newPage(browser, 390, 844)).page;
  await login(phone, 'jobless');
  await phone.waitForURL(/\/citizen/); // logged in: the session cookie is set before we navigate
  await phone.goto(`${BASE}/citizen/unemployment`);
  await phone.getByRole('heading', { name: '失业保险金' }).waitFor();
  await phone.getByTestId('ue-eligible').waitFor();
  const overflow = await phone.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 1, `no sideways scroll (${overflow}px)`);
  await shot(phone, 'unemployment-citizen-phone');
  // the explanation in English on the phone
  await phone.evaluate(() => localStorage.setItem('shebao.lang', 'en'));
  await phone.reload();
  await phone.getByRole('button', { name: 'How it was calculated' }).click();
  const steps = phone.locator('.trace-list').first();
  await steps.waitFor();
  assert.match(await steps.innerText(), /months/);
  await steps.evaluate((el) => el.scrollIntoView());
  await shot(phone, 'unemployment-citizen-claim-trace-en');
});
