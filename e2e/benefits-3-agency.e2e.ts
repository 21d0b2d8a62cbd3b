// Agency: a clerk opens a retirement case for someone reaching retirement age, computes it (with
// paper-archive years and the benefit base wage), sees the trace, submits; the clerk cannot approve
// it; the reviewer approves. A case that does not qualify the clerk refuses with a reason. The clerk prepares the month's payroll and the reviewer releases it. The
// clerk creates the year's certification campaign and a pensioner not yet certified finds its message.
// The supervisor sees the fund dashboard chart, verifies the ledger and reads the audit log.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { apiAs, BASE, launch, login, newPage, shot, untilMessage } from './support.ts';

let browser: Browser;
let page: Page;
let caseUrl = '';

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

async function as(username: string, heading: RegExp | string): Promise<void> {
  if (page) await page.context().close();
  page = (await newPage(browser)).page;
  await login(page, username);
  await page.getByRole('heading', { name: heading }).first().waitFor();
}

test('clerk opens a retirement case, computes it with its trace, submits it', async () => {
  await as('clerk', /统计概览/);
  await page.getByRole('menuitem', { name: '退休审批' }).click();
  await page.getByRole('heading', { name: '退休审批' }).waitFor();
  // Next month may have nobody reaching retirement age in the demo city: pick the first month that does.
  const clerk = await apiAs('clerk');
  let employee: { name: string } | undefined;
  for (let i = 1; i <= 24; i++) {
    const d = new Date();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + i);
    const month = d.toISOString().slice(0, 7);
    // an employee without a case: a resident's case asks for none of the figures typed below
    const due = (await clerk('GET', `/api/v1/retirement/due?month=${month}`)) as {
      items: Array<{ name: string; scheme: string; caseId: number | null }>;
    };
    employee = due.items.find((x) => x.scheme === 'employee_pension' && x.caseId === null);
    if (!employee) continue;
    if (i > 1) {
      await page.locator('#due-month').click();
      await page.locator('#due-month').fill(month);
      await page.locator('#due-month').press('Enter');
    }
    break;
  }
  assert.ok(employee, 'an employee reaches retirement age within two years');
  const open = page.getByRole('button', { name: `为${employee.name}开立退休案件` }).first();
  await open.waitFor();
  await shot(page, 'agency-retirement-due');
  await open.click();
  await page.waitForURL(/\/agency\/retirement\/\d+$/);
  caseUrl = page.url();
  await page.getByLabel('计发基数（元/月）').fill('8,500.00');
  await page.getByLabel('档案缴费月数').fill('240');
  await page.getByLabel('档案缴费指数').fill('1.2');
  const account = page.getByLabel('档案个人账户储存额（元）');
  await account.fill('120000');
  await account.blur();
  assert.equal(await account.inputValue(), '120,000.00', 'the amount as the pages write money');
  await page.getByRole('button', { name: '计算', exact: true }).click();
  await page.getByText('月基本养老金', { exact: true }).waitFor();
  assert.match(await page.locator('.ant-statistic-content').first().innerText(), /¥[\d,]+\.\d{2}/);
  assert.ok((await page.locator('.trace-list li').count()) >= 5, 'the trace explains the steps');
  const steps = await page.locator('.trace-list').innerText();
  // The base ceiling's step read "缴费基数上限（占平均工资）/ contribution base ceiling, …" in the Chinese page,
  // and its 300 (per cent) as "¥3.00"; the step's unit (percent) now writes it 300%.
  assert.doesNotMatch(steps, /contribution base|share of the/, steps);
  assert.match(steps, /缴费基数上限（占平均工资） = 300%/, steps);
  // The delay step counted birth months "自1975-01起".
  assert.doesNotMatch(steps, /自\d{4}-\d{2}起/, steps);
  assert.match(steps, /自1975年1月起的出生月数/, steps);
  await shot(page, 'agency-retirement-case');
  await page.getByRole('button', { name: '提交复核' }).click();
  await page.locator('.ant-tag').getByText('待复核').waitFor();
});

test('the clerk who opened the case is not offered approve/return; the reviewer approves it', async () => {
  await page
    .getByText(/待复核|复核中/)
    .first()
    .waitFor();
  assert.equal(await page.getByRole('button', { name: '批准' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: '退回' }).count(), 0);
  await as('reviewer', /统计概览/);
  await page.goto(caseUrl);
  await page.getByRole('button', { name: '批准' }).click();
  // What was awarded in words: the amount and the month it starts (it said only "待遇编号 405").
  await page.getByText(/^已批准：自\d{4}年\d{1,2}月起每月发放养老金 ¥[\d,]+\.\d{2}$/).waitFor();
  await page.getByText(/^待遇编号 \d+$/).waitFor();
  await shot(page, 'agency-retirement-approved');
});

test('a case that does not qualify: the clerk refuses it (不予受理) with the reason the applicant reads, and the case ends', async () => {
  const clerk = await apiAs('clerk');
  let personId: number | undefined;
  for (let i = 1; i <= 24 && personId === undefined; i++) {
    const d = new Date();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + i);
    const due = (await clerk('GET', `/api/v1/retirement/due?month=${d.toISOString().slice(0, 7)}`)) as {
      items: Array<{ personId: number; scheme: string; caseId: number | null }>;
    };
    personId = due.items.find((x) => x.scheme === 'employee_pension' && x.caseId === null)?.personId;
  }
  assert.ok(personId, 'another employee reaches retirement age within two years');
  const opened = (await clerk('POST', '/api/v1/retirement/cases', {
    personId,
    scheme: 'employee_pension',
  })) as { id: number };
  await as('clerk', /统计概览/);
  await page.goto(`${BASE}/agency/retirement/${opened.id}`);
  await page.getByRole('button', { name: '不予受理' }).click();
  const dialog = page.getByRole('dialog');
  const confirm = dialog.getByRole('button', { name: '不予受理' });
  assert.equal(await confirm.isDisabled(), true, 'no refusal without a reason');
  await dialog.getByLabel('不予受理的原因（申请人可见）').fill('   ');
  assert.equal(await confirm.isDisabled(), true, 'spaces are no reason');
  // cancelled and opened again, the dialog starts empty (the shared dialog drops what was typed)
  await dialog.getByLabel('不予受理的原因（申请人可见）').fill('草稿');
  await dialog.getByRole('button', { name: /取\s*消/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: '不予受理' }).click();
  assert.equal(await dialog.getByLabel('不予受理的原因（申请人可见）').inputValue(), '');
  const reason = '累计缴费不足15年，本人不申请延长缴费';
  await dialog.getByLabel('不予受理的原因（申请人可见）').fill(reason);
  await confirm.click();
  // the dialog fades out after the answer: its own 不予受理 button is counted until it is gone
  await dialog.waitFor({ state: 'hidden' });
  await page.locator('.ant-tag').getByText('不予受理').waitFor();
  await page.getByText('本案件已不予受理').waitFor();
  await page.getByText(reason).first().waitFor();
  assert.equal(await page.getByRole('button', { name: '计算', exact: true }).count(), 0, 'the case ended');
  assert.equal(await page.getByRole('button', { name: '不予受理' }).count(), 0);
  await shot(page, 'agency-retirement-refused');
});

test('clerk prepares the month’s payroll; the reviewer releases it and sees it complete', async () => {
  await as('clerk', /统计概览/);
  await page.getByRole('menuitem', { name: '待遇发放' }).click();
  await page.getByRole('heading', { name: '待遇发放' }).waitFor();
  // The month is said in words in its picker, as everywhere on the pages (it showed 2026-12).
  assert.match(await page.locator('#payroll-period').inputValue(), /^\d{4}年\d{1,2}月$/);
  await page.getByRole('button', { name: '经办：准备发放' }).click();
  const prepared = await page.getByTestId('prepared-summary').innerText();
  const payments = /([\d,]+) 笔/.exec(prepared)?.[1];
  assert.ok(payments, prepared);
  await as('reviewer', /统计概览/);
  await page.getByRole('menuitem', { name: '待遇发放' }).click();
  const row = page.locator('.ant-table-row').filter({ hasText: '月度养老金发放' }).first();
  await row.getByRole('button', { name: '复核放行' }).click();
  await page
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /确\s*定|OK/ })
    .click();
  await page
    .getByTestId('payroll-summary')
    .locator('.ant-tag')
    .getByText('已完成')
    .waitFor({ timeout: 120_000 });
  const total = page.getByTestId('payroll-summary').locator('.ant-statistic').filter({ hasText: '发放总额' });
  assert.match(await total.locator('.ant-statistic-content').innerText(), /¥[\d,]+\.\d{2}/);
  // the count is of payments (笔), as prepared: it was titled 发放人数, and a person may be paid twice
  const count = page.locator('.ant-statistic').filter({ hasText: '发放笔数' });
  assert.equal(await count.locator('.ant-statistic-content-value').innerText(), payments);
  await shot(page, 'agency-payroll');
});

test('clerk creates the year’s certification campaign and sees counts by channel and the uncertified list', async () => {
  await as('clerk', /统计概览/);
  await page.getByRole('menuitem', { name: '资格认证' }).click();
  await page.getByRole('heading', { name: '资格认证' }).waitFor();
  await page.getByRole('button', { name: '创建年度认证批次' }).click();
  await page.getByText('应认证人数').waitFor();
  assert.match(await page.locator('.ant-statistic-content').first().innerText(), /\d/);
  await page.locator('canvas').first().waitFor();
  await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
  await shot(page, 'agency-certification');
});

test('the pensioner not yet certified finds the campaign’s message in the message centre, linking to certification', async () => {
  await page.context().close();
  page = (await newPage(browser)).page;
  await login(page, 'retiree');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(`${BASE}/citizen/messages`);
  await page.getByRole('heading', { name: /消息中心/ }).waitFor();
  // The server's background consumer expands the campaign's event within a pass or two.
  const message = await untilMessage(page, '请完成领取养老金资格认证');
  assert.match(await message.innerText(), /请于\d{4}年12月31日前完成认证，逾期将暂停发放。/);
  await shot(page, 'citizen-certification-due');
  await message.getByRole('button', { name: '前往' }).click();
  await page.waitForURL(/\/citizen\/certification$/);
});

test('supervisor: fund dashboard chart, ledger verification, audit log', async () => {
  await as('supervisor', /统计概览/);
  await page.getByRole('menuitem', { name: '基金收支' }).click();
  await page.getByRole('heading', { name: /基金收支/ }).waitFor();
  await page.getByRole('columnheader', { name: '其中个人账户' }).first().waitFor();
  assert.ok((await page.locator('canvas').count()) >= 2, 'fund chart and insured chart');
  // The funds over time, one fund at a time: twelve months of income and expenditure and the balance
  // at each month's end, in 万/亿 (the page showed the period's figures only).
  const months = page.getByRole('img', { name: /^近12个月收支与结余 · 企业职工基本养老保险基金/ });
  await months.waitFor();
  const said = (await months.getAttribute('aria-label')) ?? '';
  assert.equal(said.match(/\d{4}年\d{1,2}月 ¥/g)?.length, 36, said);
  assert.match(said, /累计结余：.*¥[\d.]+亿/, said);
  await page.locator('.ant-segmented-item', { hasText: /^失业$/ }).click();
  await page.getByRole('img', { name: /^近12个月收支与结余 · 失业保险基金/ }).waitFor();
  await shot(page, 'agency-funds');
  await page.getByRole('menuitem', { name: '审计日志' }).click();
  await page.getByRole('heading', { name: '审计日志' }).waitFor();
  await page.getByRole('button', { name: '开始核对' }).click();
  await page.getByText(/账务核对通过|账务核对发现差异/).waitFor();
  // Every sub-ledger check by its Chinese name (four showed the server's English name).
  const checks = await page
    .locator('.ant-card')
    .filter({ has: page.locator('.ant-card-head-title', { hasText: '账务核对' }) })
    .locator('ul')
    .innerText();
  assert.match(checks, /养老金发放/, checks);
  assert.doesNotMatch(checks, /[A-Za-z]{3,}/, checks);
  const first = page.locator('.ant-table-tbody tr.ant-table-row').first();
  await first.waitFor();
  // the action column (after the expand cell, time and operator) shows the action by name
  const action = (await first.locator('td').nth(3).innerText()).trim();
  assert.doesNotMatch(action, /^[a-z-]+\.[a-z.-]+$/, 'an action by name, not its code');
  // Pick the action as a user at the keyboard does: type its name, step down to it, Enter; then see
  // the form hold it (its title). Each option reads "name code" (登录 auth.login; 登录失败 also
  // matches). A click chose nothing once under load: typing shrinks the list, the popup is placed
  // again, and the pointer can land where the option was; the keys do not depend on where it is drawn.
  await page.getByLabel('事项').click();
  await page.keyboard.type(action);
  const options = page.locator('.ant-select-item-option');
  const wanted = options.filter({ hasText: new RegExp(`^${action} [a-z]`) });
  await wanted.waitFor();
  const texts = await options.evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  const active = await options.evaluateAll((els) =>
    els.findIndex((e) => e.classList.contains('ant-select-item-option-active')),
  );
  const target = texts.findIndex((x) => new RegExp(`^${action} [a-z]`).test(x));
  // (none active: the first ArrowDown reaches the first option)
  for (let i = active; i !== target; i += Math.sign(target - i))
    await page.keyboard.press(target > i ? 'ArrowDown' : 'ArrowUp');
  await wanted.and(page.locator('.ant-select-item-option-active')).waitFor({ timeout: 5_000 });
  await page.keyboard.press('Enter');
  await page
    .locator('.ant-form-item')
    .filter({ has: page.getByLabel('事项') })
    .locator(`.ant-select-content-has-value[title="${action}"]`)
    .waitFor({ timeout: 5_000 });
  // Wait for the table to show the filtered answer, row for row. The table keeps the unfiltered rows
  // until the page has read that answer, and neither the response nor the spinner says it has: the
  // response event comes from the network while a busy renderer has not yet drawn the spinner (AntD
  // turns it on a timer tick after the request leaves), so "no spinner" held at once and the
  // unfiltered rows were read.
  const filtered = page.waitForResponse((r) => /\/audit\?.*action=/.test(r.url()) && r.ok(), {
    timeout: 30_000,
  });
  await page.getByRole('button', { name: '查询' }).click();
  const answer = (await (await filtered).json()) as { items: Array<{ id: number }> };
  const ids = answer.items.map((i) => String(i.id));
  assert.ok(ids.length > 0, 'the action picked from the list has entries');
  await page.waitForFunction(
    (want) => {
      const shown = Array.from(document.querySelectorAll('.ant-table-tbody tr.ant-table-row')).map((r) =>
        r.getAttribute('data-row-key'),
      );
      return shown.length === want.length && shown.every((k, i) => k === want[i]);
    },
    ids,
    { timeout: 30_000 },
  );
  for (const row of await page.locator('.ant-table-tbody tr.ant-table-row').all())
    assert.equal(
      (await row.locator('td').nth(3).innerText()).trim(),
      action,
      'the filter keeps only that action',
    );
  await shot(page, 'agency-audit');
});
