// The online service hall: a person registered at the counter creates their own account (the code
// read from the demo SMS page), logs in, downloads an insurance certificate, verifies it on the
// public page (and the PDF by upload), applies for a service, sees it in their applications; a
// clerk approves it from the work queue and the citizen finds the message.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page, Response } from 'playwright-core';
import { assertFitsPhone, PHONE } from './phone-support.ts';
import { apiAs, BASE, freshIdNumber, launch, login, newPage, shot, untilMessage } from './support.ts';

let browser: Browser;
let citizen: Page;
const idNumber = freshIdNumber();
const phone = `139${String(Date.now()).slice(-8)}`;
const name = '网厅注册测试';
const password = 'Hall-e2e-2026!';
let certCode = '';
let pdfPath = '';
let recordCode = '';

before(async () => {
  // The agency registered the person at the counter, with the mobile number on record.
  const clerk = await apiAs('clerk');
  await clerk('POST', '/api/v1/persons', { idNumber, name, region: '341802', phone });
  browser = await launch();
  citizen = (await newPage(browser)).page;
});
after(async () => {
  await browser.close();
});

test('a new citizen registers from the login page with a code sent to the phone on record', async () => {
  await citizen.goto(`${BASE}/login`);
  await citizen.getByRole('link', { name: '注册新账号' }).click();
  await citizen.getByRole('heading', { name: '注册' }).waitFor();
  await citizen.getByLabel('公民身份号码').fill(idNumber);
  await citizen.getByLabel('姓名').fill(name);
  await citizen.getByLabel('预留手机号').fill(phone);
  await citizen.getByRole('button', { name: '获取验证码' }).click();
  await citizen.getByText(/验证码已发送至 139\*\*\*\*/).waitFor();

  // The demo sends no SMS: the message is on the demo page.
  const sms = await citizen.context().newPage();
  await sms.goto(`${BASE}/demo-sms?phone=${phone}`);
  const text = await sms.getByTestId('sms').first().innerText();
  const code = /(\d{6})/.exec(text)?.[1];
  assert.ok(code, `a code in the SMS: ${text}`);
  await shot(sms, 'hall-demo-sms');
  await sms.close();

  await citizen.getByLabel('短信验证码').fill(code);
  await citizen.getByLabel('设置密码').fill(password);
  await citizen.getByRole('button', { name: '完成注册' }).click();
  await citizen.getByText(`注册成功，用户名为 ${idNumber.toLowerCase()}`).waitFor();
  await shot(citizen, 'hall-register-done');
});

test('the new citizen logs in and downloads an insurance certificate with a verification code', async () => {
  await login(citizen, idNumber, password);
  await citizen.getByRole('menuitem', { name: '证明打印' }).click();
  await citizen.getByRole('heading', { name: '证明打印' }).waitFor();
  const download = citizen.waitForEvent('download');
  await citizen.getByTestId('download-insurance').click();
  const file = await download;
  pdfPath = await file.path();
  const shown = await citizen.getByTestId('code-insurance').innerText();
  certCode = /([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})/.exec(shown)?.[1] ?? '';
  assert.ok(certCode, `the code is shown: ${shown}`);
  assert.match(file.suggestedFilename(), new RegExp(`${certCode}\\.pdf$`));
  const record = citizen.waitForEvent('download');
  await citizen.getByTestId('download-record').click();
  await record;
  const recordShown = await citizen.getByTestId('code-record').innerText();
  recordCode = /([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})/.exec(recordShown)?.[1] ?? '';
  assert.ok(recordCode, `the record statement's code is shown: ${recordShown}`);
  await shot(citizen, 'hall-certificates');
});

test('anyone verifies it on the public page, and the downloaded PDF matches', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${BASE}/verify/${certCode}`);
  await page.getByTestId('verify-valid').waitFor();
  await page.getByText('网*****').first().waitFor();
  // The day in words, as the PDF writes it (the page showed 2026-12-03); this new person has no
  // enrolment rows yet (hall.db.test.ts reads a certificate's rows in words).
  const stated = await page.locator('.ant-card-body').first().innerText();
  assert.match(stated, /出具日期\s+\d{4}年\d{1,2}月\d{1,2}日/, stated);
  assert.doesNotMatch(stated, /\d{4}-\d{2}/, stated);
  await page.locator('input[type=file]').setInputFiles(pdfPath);
  const upload = await page.getByTestId('verify-upload').innerText();
  assert.match(upload, /完全一致/);
  await shot(page, 'hall-verify');
  // The record statement states the account as money is written (¥, thousands) and its years.
  await page.goto(`${BASE}/verify/${recordCode}`);
  await page.getByTestId('record-account').waitFor();
  assert.match(await page.getByTestId('record-account').innerText(), /^¥[\d,]+\.\d{2}$/);
  const record = await page.locator('.ant-card-body').first().innerText();
  assert.doesNotMatch(record, /\d{4}-\d{2}/, record);
  await shot(page, 'hall-verify-record');
  await page.goto(`${BASE}/verify/AAAA-BBBB-CCCC-DDDD`);
  await page.getByTestId('verify-invalid').waitFor();
  await context.close();
});

test('the citizen applies for a service and sees it in their applications', async () => {
  await citizen.getByRole('menuitem', { name: '我的办件' }).click();
  await citizen.getByRole('heading', { name: '我的办件' }).waitFor();
  await citizen.getByLabel('选择要申请的事项').click();
  await citizen.locator('.ant-select-item-option', { hasText: '社会保险登记变更' }).click();
  // Each thing the row needs, awaited and named: the choice taken by the form, the application's
  // answer, the list the page reads again after it. (Under two journey runs the row alone was not seen
  // in 20 s, which said none of these.)
  await citizen.locator('.ant-select-content-has-value', { hasText: '社会保险登记变更' }).waitFor();
  await citizen.getByLabel('说明').fill('变更联系地址');
  const applications = (method: string) => (r: Response) =>
    r.request().method() === method && new URL(r.url()).pathname === '/api/v1/applications';
  let posted = false; // set as the answer comes, so that only a list read after it counts
  const applied = citizen.waitForResponse((r) => (posted ||= applications('POST')(r)));
  const reread = citizen.waitForResponse((r) => posted && applications('GET')(r));
  await citizen.getByRole('button', { name: '提交申请' }).click();
  const answer = await applied;
  assert.equal(answer.status(), 201, await answer.text());
  assert.equal((await reread).status(), 200, 'the list read after the application');
  const row = citizen.locator('.ant-table-tbody tr.ant-table-row', { hasText: '社会保险登记变更' });
  await row.waitFor();
  assert.match(await row.innerText(), /已提交/);
  assert.match(await row.innerText(), /剩余 10 个工作日/);
  await shot(citizen, 'hall-my-applications');
});

test('a clerk approves it from the work queue and the citizen gets a message', async () => {
  const { context, page: clerk } = await newPage(browser);
  await login(clerk, 'clerk');
  await clerk.getByRole('menuitem', { name: '待办队列' }).click();
  await clerk.getByRole('heading', { name: '待办队列' }).waitFor();
  const row = clerk.locator('.ant-table-tbody tr.ant-table-row', { hasText: name }).last();
  await row.waitFor();
  await shot(clerk, 'hall-work-queue');
  await row.getByRole('link', { name: '社会保险登记变更' }).click();
  await clerk.getByRole('heading', { name: /办件详情/ }).waitFor();
  // The same page on a clerk's phone: the history, the decision's form and its buttons.
  await clerk.setViewportSize(PHONE);
  await clerk.waitForLoadState('networkidle');
  await assertFitsPhone(clerk, 'application 390 (clerk)');
  await shot(clerk, 'hall-application-clerk-390');
  await clerk.setViewportSize({ width: 1280, height: 800 });
  await clerk.getByLabel('说明（退回、不予办理时必填）').fill('材料齐全');
  await clerk.getByRole('button', { name: '审核通过' }).click();
  await clerk.getByTestId('app-status').getByText('审核通过').waitFor();
  await shot(clerk, 'hall-application-clerk');
  await context.close();

  await citizen.getByRole('menuitem', { name: '消息中心' }).click();
  await citizen.getByRole('heading', { name: /消息中心/ }).waitFor();
  // The server's background consumer turns the clerk's action into a message within a pass or two.
  const message = await untilMessage(citizen, '审核通过');
  await shot(citizen, 'hall-messages');
  await message.getByRole('button', { name: '前往' }).click();
  await citizen.getByTestId('app-status').getByText('审核通过').waitFor();
});

test('on a phone (390 px) the citizen finds the same applications, messages and certificates', async () => {
  const { context, page } = await newPage(browser, 390, 844);
  await login(page, idNumber, password);
  await page.waitForURL(/\/citizen/);
  for (const [path, heading] of [
    ['/citizen/applications', '我的办件'],
    ['/citizen/messages', /消息中心/],
    ['/citizen/certificates', '证明打印'],
  ] as const) {
    await page.goto(`${BASE}${path}`);
    await page.getByRole('heading', { name: heading }).waitFor();
    await page.waitForLoadState('networkidle');
    await assertFitsPhone(page, `${path} 390`);
  }
  await page.goto(`${BASE}/citizen/applications`);
  const row = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '社会保险登记变更' }).first();
  await row.waitFor();
  // the apply form's fields one under another, each the form's width (inline they stood ragged, 280 and 240 px)
  const widths = await page
    .locator('form:has(.ant-select)')
    .evaluate((f) =>
      [f, f.querySelector('.ant-select'), f.querySelector('input[aria-label="说明"]')].map((e) =>
        Math.round(e?.getBoundingClientRect().width ?? 0),
      ),
    );
  assert.deepEqual(widths.slice(1), [widths[0], widths[0]], `form, choice, note: ${widths.join(', ')} px`);
  await shot(page, 'hall-my-applications-390');
  // the application's own page: its status, history and what was sent
  await row.getByRole('link').first().click();
  await page.getByTestId('app-status').getByText('审核通过').waitFor();
  await assertFitsPhone(page, 'application 390');
  await shot(page, 'hall-application-390');
  await page.goto(`${BASE}/citizen/messages`);
  await page.getByTestId('message').first().waitFor();
  await shot(page, 'hall-messages-390');
  await context.close();
});
