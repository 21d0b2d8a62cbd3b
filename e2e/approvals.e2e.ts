// Four eyes in the browser (issue #10): the clerk prepares next month's payroll and sees its count and
// total, nothing is paid; the clerk has no release button (its page says why); the reviewer opens it
// from 待复核 on its own page, reads it and releases it there, and the payments appear. The administrator lands on the staff-accounts page, creates an account for a demo
// person (no password: a one-time link), cannot approve its role alone; the supervisor approves it on
// its page (in English, on a phone);
// the new staff member sets their own password through the link and logs in.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { today } from '../src/core/clock.ts';
import { addMonths } from '../src/core/dates.ts';
import { assertFitsPhone, PHONE } from './phone-support.ts';
import { codesShown, session, type Lang } from './pages-support.ts';
import { apiAs, BASE, launch, login, newPage, shot } from './support.ts';

const REGION = '341800';
let browser: Browser;
let page: Page;
let link = '';
const username = `staff${Date.now() % 100000}`;

function nextMonth(): string {
  return addMonths(`${today().slice(0, 7)}-01`, 1).slice(0, 7);
}
const PERIOD = nextMonth();
/** The month as the pages write it (2027年1月): the prepared payroll and its row on 待复核 name it. */
const PERIOD_WORDS = `${Number(PERIOD.slice(0, 4))}年${Number(PERIOD.slice(5, 7))}月`;

async function as(username: string): Promise<void> {
  if (page) await page.context().close();
  page = (await newPage(browser)).page;
  await login(page, username);
  await page.waitForURL(/\/agency\/.+/);
}

async function payrollPayments(): Promise<{ status: string; payments: number }> {
  const reviewer = await apiAs('reviewer');
  return (await reviewer('GET', `/api/v1/payroll/summary?period=${PERIOD}&region=${REGION}`)) as {
    status: string;
    payments: number;
  };
}

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

/**
 * Types the ISO month into the payroll's month picker (it shows the month in words) and takes it. Once (appr36)
 * the picker kept this month: the typing reached it before its calendar had opened. So it types again until
 * the box reads the month in words, three tries.
 */
async function pickPeriod(): Promise<void> {
  const picker = page.getByLabel('发放年月');
  for (let attempt = 1; ; attempt++) {
    await picker.click();
    await picker.fill(PERIOD);
    await picker.press('Enter');
    const shown = await picker.inputValue();
    if (shown === PERIOD_WORDS) return;
    assert.ok(attempt < 3, `the month picker reads "${shown}", not ${PERIOD_WORDS}, after three tries`);
  }
}

test('the clerk prepares next month’s payroll: count and total shown, nothing paid, no release button', async () => {
  await as('clerk');
  await page.goto(`${BASE}/agency/payroll`);
  await page.getByRole('heading', { name: '待遇发放' }).waitFor();
  await pickPeriod();
  await page.getByRole('button', { name: '经办：准备发放' }).click();
  const summary = page.getByTestId('prepared-summary');
  await summary.waitFor();
  const text = await summary.innerText();
  assert.match(text, /\d[\d,]* 笔，[\d,]+ 人，合计 ¥[\d,]+\.\d{2}/, text);
  // the month typed, not the picker's default (this month): a payroll of another month released below
  // left the typed month's summary not_started
  assert.ok(text.startsWith(`${PERIOD_WORDS}：`), text);
  await page.getByText('已准备，待复核员放行').waitFor();
  await page.locator('.ant-table-row').filter({ hasText: '月度养老金发放' }).first().waitFor();
  assert.equal(
    await page.getByRole('button', { name: '复核放行' }).count(),
    0,
    'the maker has no release button',
  );
  await shot(page, 'approvals-payroll-prepared');
  // The prepared payroll's own page: the maker reads why there is no release button.
  await page.getByRole('menuitem', { name: '待复核' }).click();
  await page
    .locator('.ant-table-row')
    .filter({ hasText: '月度养老金发放' })
    .filter({ hasText: PERIOD_WORDS })
    .first()
    .getByRole('link', { name: /^#\d+$/ })
    .click();
  await page.getByTestId('approval-decide').getByText('您是这项业务的经办人').waitFor();
  assert.equal(await page.getByRole('button', { name: '复核放行' }).count(), 0);
  const before = await payrollPayments();
  assert.equal(before.payments, 0, 'nothing is paid before the release');
  assert.equal(before.status, 'not_started');
});

test('the reviewer releases it on 待复核 and the payments appear', async () => {
  await as('reviewer');
  await page.getByRole('menuitem', { name: '待复核' }).click();
  await page.getByRole('heading', { name: '待复核' }).waitFor();
  const row = page
    .locator('.ant-table-row')
    .filter({ hasText: '月度养老金发放' })
    .filter({ hasText: PERIOD_WORDS })
    .first();
  await row.waitFor();
  // the maker by name, the login name on hover: "李丽玲 (clerk)" read as an English role tag
  assert.doesNotMatch(await row.innerText(), /clerk/, await row.innerText());
  assert.equal(await row.locator('span[title="clerk"]').count(), 1);
  await shot(page, 'approvals-reviewer-list');
  // The same list and the return dialog on a phone (the window narrowed: no second login). The table
  // scrolled 183 px sideways there before it became cards.
  await page.setViewportSize(PHONE);
  await assertFitsPhone(page, 'approvals 390');
  await row.getByRole('button', { name: /退\s*回/ }).click();
  const returning = page.locator('.ant-modal').filter({ hasText: '退回理由' });
  await returning.waitFor();
  await assertFitsPhone(page, 'approvals 390: return', '.ant-modal');
  await shot(page, 'approvals-reviewer-return-390');
  await returning.getByRole('button', { name: /取\s*消/ }).click();
  await returning.waitFor({ state: 'hidden' });
  await page.setViewportSize({ width: 1280, height: 800 });
  // The reviewer opens the payroll's own page from its number, reads it in full, and releases it there.
  await row.getByRole('link', { name: /^#\d+$/ }).click();
  await page.waitForURL(/\/agency\/approvals\/\d+$/);
  const what = page.getByTestId('approval-what');
  await what.waitFor();
  const read = await what.innerText();
  assert.match(read, new RegExp(`${PERIOD_WORDS}：[\\d,]+ 笔，[\\d,]+ 人，合计 ¥[\\d,]+\\.\\d{2}`), read);
  assert.match(read, /待复核/, read);
  assert.match(read, /尚未复核/, read);
  assert.match(await page.getByTestId('approval-details').innerText(), /合计\s+¥[\d,]+\.\d{2}/);
  await shot(page, 'approvals-reviewer-one');
  await what.getByRole('button', { name: '复核放行' }).click();
  // The release decides at once (202) and the payroll is computed by the server's background worker;
  // the page follows the job (a progress bar) and says so when it is done.
  const released = page.waitForResponse(
    (r) => r.url().includes('/api/v1/approvals/') && r.url().endsWith('/release'),
  );
  await page
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /确\s*定|OK/ })
    .click();
  assert.equal((await released).status(), 202, 'the payroll runs as a background job');
  await page.getByText('已放行：月度养老金发放').waitFor({ timeout: 120_000 });
  // the page now says who released it and when
  await what.getByText(/于 .+ 复核放行/).waitFor();
  await what.locator('.ant-tag').getByText('已放行').waitFor();
  await shot(page, 'approvals-reviewer-one-released');
  const after = await payrollPayments();
  assert.equal(after.status, 'done');
  assert.ok(after.payments > 0, 'payments appear after the release');
  await page.getByRole('menuitem', { name: '待遇发放' }).click();
  await pickPeriod();
  await page.getByTestId('payroll-summary').locator('.ant-tag').getByText('已完成').waitFor();
  // the past runs under it, the one just released first, and the region by its name, never its code
  const history = page.getByTestId('payroll-history');
  await history.locator('canvas').waitFor();
  const runs = history.locator('.ant-table-row');
  assert.ok((await runs.count()) >= 12, 'the demo city paid a year of payrolls');
  assert.match(await runs.first().innerText(), /已完成/);
  assert.doesNotMatch(await page.locator('.ant-card-head-title').first().innerText(), /\d{6}/);
  await shot(page, 'approvals-payroll-released');
});

test('the administrator lands on staff accounts and creates one for a demo person: a one-time link, the role pending', async () => {
  const clerk = await apiAs('clerk');
  const list = (await clerk('GET', '/api/v1/persons?pageSize=50&page=3')) as { items: Array<{ id: number }> };
  const pick = list.items[7];
  assert.ok(pick);
  const person = (await clerk('GET', `/api/v1/persons/${pick.id}`)) as { idNumber: string; name: string };

  await as('admin');
  await page.getByRole('heading', { name: '人员账号' }).waitFor();
  assert.match(page.url(), /\/agency\/users$/, 'the admin starts on the staff-accounts page');
  await page.locator('.ant-table-row').filter({ hasText: 'reviewer' }).first().waitFor();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('身份号码（须为已登记人员）').fill(person.idNumber);
  await page.getByRole('button', { name: '创建账号' }).click();
  const linkBox = page.getByTestId('set-password-link');
  await linkBox.waitFor();
  link = (await linkBox.innerText()).trim();
  assert.match(link, /\/set-password#token=[A-Za-z0-9_-]{30,}$/);
  const pending = page.locator('.ant-table-row').filter({ hasText: username });
  await pending.first().waitFor();
  assert.match(await pending.first().innerText(), new RegExp(person.name));
  await shot(page, 'approvals-admin-created');
  // The admin cannot approve what they asked for.
  await pending.first().getByRole('button', { name: '复核放行' }).click();
  await page
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /确\s*定|OK/ })
    .click();
  await page
    .getByText(/须由另一人复核/)
    .first()
    .waitFor();
  // It read "…不能复核本人经办的业务 您的账号无权办理此业务": the admin's account may release such
  // work, only not their own.
  const refusal = await page.locator('.ant-alert-error').first().innerText();
  assert.doesNotMatch(refusal, /您的账号无权办理此业务/, refusal);
  assert.match(refusal, /不能复核本人经办的业务。请由另一名复核人员放行。/, refusal);
  await shot(page, 'approvals-admin-refused');
});

test('the supervisor (English, 390) opens the role on its own page, reads it and approves it; the staff member sets their own password and logs in', async () => {
  if (page) await page.context().close();
  page = (await session(browser, 'supervisor', 'en', PHONE.width)).page;
  await page.goto(`${BASE}/agency/approvals`);
  const row = page.locator('.ant-table-row').filter({ hasText: username }).first();
  await row.waitFor();
  assert.match(await row.innerText(), /Staff role/);
  await row.getByRole('link', { name: /^#\d+$/ }).click();
  const what = page.getByTestId('approval-what');
  await what.waitFor();
  assert.match(await what.innerText(), new RegExp(`${username} \\(.+\\) → `), await what.innerText());
  await assertFitsPhone(page, 'approval 390');
  await shot(page, 'approvals-supervisor-one-390');
  await what.getByRole('button', { name: 'Release' }).click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /OK/ }).click();
  await page.getByText('Released: Staff role').waitFor();
  await what.getByText(/released by .+ on /).waitFor();
  await shot(page, 'approvals-supervisor-approved');

  await page.context().close();
  page = (await newPage(browser)).page;
  await page.goto(link.replace(/^https?:\/\/[^/]+/, BASE));
  await page.getByRole('heading', { name: '设置密码' }).waitFor();
  await page.getByLabel('新密码', { exact: true }).fill('my-own-pass-2026');
  await page.getByLabel('再次输入新密码').fill('my-own-pass-2026');
  await shot(page, 'approvals-set-password');
  await page.getByRole('button', { name: '设置密码' }).click();
  await page.getByText(/的密码已设置/).waitFor();
  await login(page, username, 'my-own-pass-2026');
  await page.waitForURL(/\/agency\/.+/);
  await page.getByRole('menuitem', { name: '待遇发放' }).waitFor();

  // The admin disables the account with a reason (the shared reason dialog): no reason, no button.
  await as('admin');
  const account = page.locator('.ant-table-row').filter({ hasText: username }).first();
  await account.getByRole('button', { name: /停\s*用/ }).click();
  const dialog = page.locator('.ant-modal').filter({ hasText: '停用理由' });
  await dialog.waitFor();
  const confirm = dialog.getByRole('button', { name: /停\s*用/ });
  assert.equal(await confirm.isDisabled(), true, 'no reason, no disabling');
  await dialog.getByLabel('停用理由').fill('调离经办岗位');
  await confirm.click();
  await dialog.waitFor({ state: 'hidden' });
  await account.locator('.ant-tag').getByText('停用', { exact: true }).waitFor();
  await shot(page, 'approvals-admin-disabled');
});

/**
 * The labels and values of an approval's page that are a raw field name or code: a camelCase label
 * (planKind), and on the Chinese page an English word standing alone as a value (instalments).
 */
async function rawOnApproval(lang: Lang): Promise<string[]> {
  const raw = await codesShown(page);
  const cells = page.locator('[data-testid^="approval-"] .ant-descriptions-row');
  for (const row of await cells.all()) {
    const label = (await row.locator('.ant-descriptions-item-label').innerText()).trim();
    if (/[a-z][A-Z]/.test(label) || /^[a-z]+$/.test(label)) raw.push(`label ${label}`);
    if (lang !== 'zh') continue;
    const value = (await row.locator('.ant-descriptions-item-content').innerText()).trim();
    for (const word of value.match(/(?<![\w@./-])[a-z]{3,}(?![\w@/-])/g) ?? []) raw.push(`${label}: ${word}`);
  }
  return raw;
}

test('every approval of the demo city reads without a raw field name or code (supervisor; zh 1280, the supervision decision in en 390 too)', async () => {
  const supervisor = await apiAs('supervisor');
  const list = (await supervisor('GET', '/api/v1/approvals?pageSize=100')) as {
    items: Array<{ id: number; kind: string }>;
  };
  assert.ok(
    list.items.some((a) => a.kind === 'supervision.decide'),
    'the demo city has a supervision decision',
  );
  if (page) await page.context().close();
  page = (await session(browser, 'supervisor', 'zh')).page;
  const found: string[] = [];
  for (const a of list.items) {
    await page.goto(`${BASE}/agency/approvals/${a.id}`);
    await page.getByTestId('approval-details').waitFor();
    found.push(...(await rawOnApproval('zh')).map((r) => `#${a.id} ${a.kind}: ${r}`));
  }
  const decision = list.items.find((a) => a.kind === 'supervision.decide')!;
  await page.goto(`${BASE}/agency/approvals/${decision.id}`);
  await page.getByTestId('approval-details').waitFor();
  await shot(page, 'approvals-supervision-decision-1280');
  await page.getByTestId('approval-details').scrollIntoViewIfNeeded();
  await shot(page, 'approvals-supervision-decision-details-1280');
  await page.context().close();
  page = (await session(browser, 'supervisor', 'en', PHONE.width)).page;
  await page.goto(`${BASE}/agency/approvals/${decision.id}`);
  await page.getByTestId('approval-details').waitFor();
  found.push(...(await rawOnApproval('en')).map((r) => `#${decision.id} en: ${r}`));
  await assertFitsPhone(page, 'supervision decision 390');
  await shot(page, 'approvals-supervision-decision-390');
  await page.getByTestId('approval-details').scrollIntoViewIfNeeded();
  await shot(page, 'approvals-supervision-decision-details-390');
  assert.deepEqual(found, []);
});
