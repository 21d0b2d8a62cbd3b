// The clerk's actions on a person's page: correct the details and record a death (zh, 1280), and
// the same page on a phone in English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertNoErrors, codesShown, noSidewaysOverflow, session, sessions } from './pages-support.ts';
import { assertFitsPhone } from './phone-support.ts';
import { dateInWords } from '../src/core/dates.ts';
import { makeCreditCode } from '../src/core/ids.ts';
import { agencyToday, apiAs, BASE, freshIdNumber, futureRefused, launch, shot } from './support.ts';

let browser: Browser;
const logins = sessions(() => browser);
/** The receipts page's format hints name the amount's two columns on purpose. */
const COLUMNS = ['amount_fen', 'amount_yuan'];
let personId = 0;
let livingId = 0;
before(async () => {
  browser = await launch();
  const clerk = await apiAs('clerk');
  const p = (await clerk('POST', '/api/v1/persons', {
    idNumber: freshIdNumber(),
    name: '测试办理',
    region: '341802',
  })) as { id: number };
  personId = p.id;
  // the phone's person is alive (the first one's death is recorded at 1280): its actions are there
  const q = (await clerk('POST', '/api/v1/persons', {
    idNumber: freshIdNumber(),
    name: '测试手机',
    region: '341802',
  })) as { id: number };
  livingId = q.id;
});
after(async () => {
  await logins.close();
  await browser.close();
});

test('clerk (中文, 1280): edits a person’s phone, then records the death', async () => {
  const s = await session(browser, 'clerk', 'zh');
  // The clerk's PC clock runs three days ahead: the death date's picker still goes by the agency's today
  // (it offered the next three days, which the server refuses)
  await s.page.clock.setFixedTime(Date.now() + 3 * 86_400_000);
  await s.page.goto(`${BASE}/agency/persons/${personId}`);
  await s.page.getByRole('button', { name: '修改信息' }).click();
  const dialog = s.page.getByRole('dialog');
  await dialog.getByLabel('联系电话').fill('13912345678');
  await dialog.getByRole('button', { name: '确定' }).click();
  await s.page.getByText('已保存').waitFor();
  await s.page.getByText('13912345678').or(s.page.getByText('139****5678')).first().waitFor();
  // the enrolment's start day offered is the agency's today, not the PC's three days later
  await s.page.locator('#main').getByRole('button', { name: '参保登记' }).click();
  const start = dialog.getByLabel('参保日期');
  await start.waitFor();
  const today = dateInWords(await agencyToday(s.page), 'zh');
  assert.equal(await start.inputValue(), today, 'the default start day');
  await shot(s.page, 'pages-staff-enrol-today-zh');
  await s.page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await s.page.getByRole('button', { name: '死亡登记' }).click();
  await futureRefused(s.page, dialog.getByLabel('死亡日期'), 'date of death');
  await dialog.getByLabel('死亡日期').click();
  await dialog.getByLabel('死亡日期').fill('2026-11-20');
  await dialog.getByLabel('死亡日期').press('Enter');
  await dialog.getByLabel('信息来源').fill('家属告知');
  await dialog.getByRole('button', { name: '确定' }).click();
  await s.page.getByText('已完成死亡登记').waitFor();
  await s.page.getByText('2026年11月20日').first().waitFor(); // the page reloaded the person
  await s.page.getByRole('button', { name: '死亡登记' }).waitFor({ state: 'detached' });
  await shot(s.page, 'pages-staff-person-zh');
  assert.deepEqual(await codesShown(s.page), [], 'person page');
  assert.equal(await s.page.getByRole('button', { name: '死亡登记' }).count(), 0, 'no second death');
  assertNoErrors(s, 'person actions');
  // its own login: the clock set ahead stays with its page
  await s.context.close();
});

test('clerk (English, 390): the person page, its actions and their dialogs fit a phone', async () => {
  const s = await logins.open('clerk', 'en', 390, `/agency/persons/${livingId}`);
  await s.page.getByText('Actions').first().waitFor();
  await s.page.waitForLoadState('networkidle');
  await assertFitsPhone(s.page, 'person 390');
  await shot(s.page, 'pages-staff-person-en-390');
  assert.deepEqual(await codesShown(s.page), [], 'person 390');
  // the actions' dialogs (a form each) on the phone too
  for (const action of ['Edit details', 'Record a death', 'Enrol in a scheme']) {
    await s.page.locator('#main').getByRole('button', { name: action }).click();
    const dialog = s.page.locator('.ant-modal').filter({ hasText: /\S/ }).last();
    await dialog.locator('form').waitFor();
    await assertFitsPhone(s.page, `person 390: ${action}`, '.ant-modal');
    await shot(s.page, `pages-staff-person-en-390-${action.split(' ')[0]?.toLowerCase() ?? ''}`);
    await s.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  }
  assertNoErrors(s, 'person en');
});

test('clerk (中文 1280, then English 390): a pensioner suspended for not certifying — the person page’s 资格认证 card says so and from which month', async () => {
  const clerk = await apiAs('clerk');
  // the demo's pensioner whose pension the sweep suspended (detector.plant.ts), read only: the
  // supervision journey still finds it suspended
  const [held] = (
    (await clerk('GET', `/api/v1/persons?name=${encodeURIComponent('暂停仍发演示')}`)) as {
      items: Array<{ id: number }>;
    }
  ).items;
  assert.ok(held, 'the demo suspended pensioner');
  const s = await logins.open('clerk', 'zh', 1280, `/agency/persons/${held.id}`);
  const card = s.page.locator('.ant-card').filter({
    has: s.page.locator('.ant-card-head-title', { hasText: /^资格认证$/ }),
  });
  await card.getByText('暂停发放').first().waitFor();
  await card.getByText(/因未按时认证，自\d{4}年\d{1,2}月起暂停发放/).waitFor();
  await card.scrollIntoViewIfNeeded();
  await shot(s.page, 'pages-staff-person-certification-zh');
  assert.deepEqual(await codesShown(s.page), [], 'certification card');
  assertNoErrors(s, 'certification card');

  const e = await logins.open('clerk', 'en', 390, `/agency/persons/${held.id}`);
  const en = e.page.locator('.ant-card').filter({
    has: e.page.locator('.ant-card-head-title', { hasText: /^Eligibility certification$/ }),
  });
  await en.getByText('Suspended', { exact: true }).first().waitFor();
  await en.getByText(/Suspended from \w{3} \d{4} for not certifying in time/).waitFor();
  await en.scrollIntoViewIfNeeded();
  await assertFitsPhone(e.page, 'certification card 390');
  await shot(e.page, 'pages-staff-person-certification-en-390');
  assertNoErrors(e, 'certification card en');
});

test("clerk (中文 1280, then English 390): a receipt naming no bill is held; the list shows it, refuses a wrong bill, and sends its refund for review; the demo's short receipt and its top-up are allocated together", async () => {
  const s = await logins.open('clerk', 'zh', 1280, '/agency/receipts');
  const ref = `E2E-HELD-${Date.now()}`;
  await s.page
    .locator('input[type=file]')
    .first()
    .setInputFiles({
      name: 'held.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `bank_ref,paid_date,bill_no,amount_yuan\n${ref},${await agencyToday(s.page)},999999999,123.45\n`,
      ),
    });
  await s.page.getByRole('button', { name: '导入 held.csv' }).click();
  await s.page.getByText('暂收 1 笔').waitFor();
  const list = s.page.getByTestId('held-receipts');
  const row = list.locator('tr', { hasText: ref });
  await row.waitFor();
  assert.match(await row.innerText(), /¥?123\.45[\s\S]*未列账单[\s\S]*未知[\s\S]*待处理/);
  // A bill number that is no bill of the region: refused in words, nothing allocated.
  await row.getByRole('button', { name: '分配到账单' }).click();
  const dialog = s.page.getByRole('dialog');
  await dialog.getByLabel('账单编号').fill('999999999');
  await dialog.getByLabel('原因').fill('单位来电说明');
  await dialog.getByRole('button', { name: '确定' }).click();
  await dialog.getByText('本地区没有这个账单编号').waitFor();
  await shot(s.page, 'pages-staff-held-allocate-zh');
  await s.page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await row.getByRole('button', { name: '退费' }).click();
  await dialog.getByLabel('原因').fill('查无此账单，退回付款人');
  await dialog.getByRole('button', { name: '确定' }).click();
  await s.page.getByText(/退费申请已提交复核/).waitFor();
  await row.getByText('退费待复核').waitFor();
  // the tag names the approval it awaits, linked to its page (as the bill page's 待复核 #n)
  await row.getByRole('link', { name: /^退费待复核 #\d+$/ }).waitFor();
  await list.scrollIntoViewIfNeeded();
  await shot(s.page, 'pages-staff-held-zh');
  assert.deepEqual(await codesShown(s.page, COLUMNS), [], 'receipts page');
  // The demo's short receipt and its top-up, ticked: their sum weighed against the bill's amount due.
  for (const demo of ['DEMO-HELD-SHORT', 'DEMO-HELD-TOPUP'])
    await list.locator('tr', { hasText: demo }).getByRole('checkbox').check();
  await list.getByTestId('held-chosen').getByText('已选 2 笔').waitFor();
  await list.getByRole('button', { name: '合并分配到账单' }).click();
  await dialog.getByTestId('held-weigh').getByText('金额一致，可以分配').waitFor();
  await shot(s.page, 'pages-staff-held-together-zh');
  await s.page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  // the wrong bill is a 404 the user caused (its allocation, and the amount due it asked for)
  assert.deepEqual(
    s.errors.filter(
      (e) => !/^404 (POST \/api\/v1\/payments\/allocate|GET \/api\/v1\/payments\/held\/due)/.test(e),
    ),
    [],
  );
  const clerkApi = await apiAs('clerk');
  const heldNow = (await clerkApi('GET', '/api/v1/payments/held')) as {
    items: Array<{ paymentId: number; bankRef: string | null; amountFen: number }>;
  };
  const topUp = heldNow.items.find((i) => i.bankRef === 'DEMO-HELD-TOPUP')?.paymentId;
  assert.ok(topUp !== undefined, 'the demo top-up is held');
  const en = await logins.open('clerk', 'en', 390, '/agency/receipts');
  const enList = en.page.getByTestId('held-receipts');
  await enList.locator('tr', { hasText: ref }).getByText('refund awaiting review').waitFor();
  await enList
    .locator('tr', { hasText: ref })
    .getByRole('link', { name: /^Refund awaiting review #\d+$/ })
    .waitFor();
  // the cells in words, capitalised as the tags beside them ("unknown" read as a code)
  assert.match(
    await enList.locator('tr', { hasText: ref }).innerText(),
    /None, or not a bill of this region[\s\S]*Unknown/,
  );
  await enList.scrollIntoViewIfNeeded();
  await shot(en.page, 'pages-staff-held-en');
  assert.deepEqual(await codesShown(en.page, COLUMNS), [], 'receipts page en');
  // On a phone, in English: the two demo receipts allocated together to the bill they pay.
  for (const demo of ['DEMO-HELD-SHORT', 'DEMO-HELD-TOPUP'])
    await enList.locator('tr', { hasText: demo }).getByRole('checkbox').check();
  await enList.getByRole('button', { name: 'Allocate together' }).click();
  const enDialog = en.page.getByRole('dialog');
  await enDialog.getByTestId('held-weigh').getByText('equal: can be allocated').waitFor();
  await enDialog.getByLabel('Reason').fill('The employer paid the 100 yuan it was short');
  await assertFitsPhone(en.page, 'held together 390', '.ant-modal');
  await shot(en.page, 'pages-staff-held-together-en-390');
  await enDialog.getByRole('button', { name: 'OK' }).click();
  await en.page.getByText(/Allocated to bill #\d+/).waitFor();
  await enList.locator('tr', { hasText: 'DEMO-HELD-TOPUP' }).waitFor({ state: 'detached' });
  assertNoErrors(en, 'held receipts en');
  // The bank returns the top-up (退票): before releasing its reversal the reviewer reads on 待复核 that the
  // bill opens again and the short receipt goes back to held, not refunded.
  // The clerk finds the top-up by its bank reference and prepares its return on the receipts page,
  // reading first that the bill reopens and the short receipt goes back to held.
  const c = await logins.open('clerk', 'zh', 1280, '/agency/receipts');
  const finder = c.page.getByTestId('payment-return');
  await finder.getByLabel('流水号或账单编号').fill('DEMO-HELD-TOPUP');
  await finder.getByLabel('流水号或账单编号').press('Enter');
  await finder
    .locator('tr', { hasText: 'DEMO-HELD-TOPUP' })
    .getByRole('button', { name: '银行退票' })
    .click();
  const returnDialog = c.page.getByRole('dialog');
  await returnDialog
    .getByTestId('return-preview')
    .getByText(/其余 1 笔转回暂收款（不退回）：DEMO-HELD-SHORT ¥\d/)
    .waitFor();
  // why first: the payer's notice is worded from it, never from the note
  await returnDialog.getByRole('radio', { name: /银行退票（款项被银行退回）/ }).check();
  // and what the release does to the money, before it is sent
  await returnDialog.getByTestId('return-money').getByText('款项：银行已退回，资金流出银行账户').waitFor();
  await returnDialog.getByLabel(/说明（供复核人和审计查看/).fill('银行退票：付款账户已销户');
  await shot(c.page, 'pages-staff-held-return-prepare-zh');
  await returnDialog.getByRole('button', { name: '确定' }).click();
  await c.page.getByText(/冲正已提交复核/).waitFor();
  await finder
    .locator('tr', { hasText: 'DEMO-HELD-TOPUP' })
    .getByText(/退票待复核/)
    .waitFor();
  assertNoErrors(c, 'bank return prepared');
  const r = await logins.open('reviewer', 'zh', 1280, '/agency/approvals');
  const review = r.page.locator('.ant-table-row', { hasText: 'DEMO-HELD-TOPUP' });
  await review.getByText(/银行退票（款项被银行退回） · DEMO-HELD-TOPUP/).waitFor();
  await review.getByText(/将重开，其余 1 笔款项转回暂收款（不退回）：DEMO-HELD-SHORT ¥\d/).waitFor();
  await review.getByText(/款项：银行已退回，资金流出银行账户/).waitFor();
  await shot(r.page, 'pages-staff-held-return-review-zh');
  // its own page says the same about the money, in a field of its own, before the reviewer decides
  await review
    .getByRole('link', { name: /^#\d+$/ })
    .first()
    .click();
  await r.page.getByText('银行已退回，资金流出银行账户', { exact: true }).waitFor();
  await shot(r.page, 'pages-staff-held-return-approval-zh');
  // and from the records it concerns, the receipt itself: the money line as the bank sent it, what it
  // pays now, and this approval waiting on it
  await r.page
    .getByTestId('approval-what')
    .getByRole('link', { name: new RegExp(`^缴费款项 #${topUp}$`) })
    .click();
  await r.page.waitForURL(new RegExp(`/agency/receipts/${topUp}$`));
  const bankLine = r.page.getByTestId('receipt-bank-line');
  await bankLine.getByText('DEMO-HELD-TOPUP', { exact: true }).waitFor();
  const moneyLine = await bankLine.innerText();
  assert.match(moneyLine, /到账日期[\s\S]*?\d{4}年\d{1,2}月\d{1,2}日/, moneyLine);
  assert.match(moneyLine, /金额[\s\S]*?¥[\d,]+\.\d{2}/, moneyLine);
  assert.match(moneyLine, /已入账/, moneyLine);
  await r.page
    .getByTestId('receipt-approvals')
    .locator('li', { hasText: '冲正缴费' })
    .getByText('待复核', { exact: true })
    .waitFor();
  await shot(r.page, 'pages-staff-receipt-zh');
  await r.page.goBack();
  await r.page.getByTestId('approval-what').waitFor();
  await r.page.goBack();
  await review.getByRole('button', { name: '复核放行' }).click();
  await r.page
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /确\s*定|OK/ })
    .click();
  await r.page.getByText(/已放行/).waitFor();
  const back = (await clerkApi('GET', '/api/v1/payments/held')) as {
    items: Array<{ bankRef: string | null; status: string; billId: number | null }>;
  };
  const shortHeld = back.items.find((i) => i.bankRef === 'DEMO-HELD-SHORT');
  assert.equal(shortHeld?.status, 'held');
  assertNoErrors(r, 'held receipt returned: review');
  // The bank's return file (银行退票文件), the demo's sample: per line what became of it — the receipt
  // that named no bill prepared as a bank return for the reviewer (a receipt of no bill: no bill's page
  // changes), the returned top-up already reversed, the refund above already waiting, a figure that is
  // not the receipt's, a reference the city never received.
  const f = await logins.open('clerk', 'zh', 1280, '/agency/receipts');
  const returns = f.page.getByTestId('bank-returns');
  // the demo's sample file, built from the receipts as they now stand, one line of each result
  await returns.getByTestId('returns-demo-sample').getByText('载入演示示例文件（5 行').click();
  await returns
    .getByRole('button', { name: /^导入退票文件 demo-bank-returns-\d{4}-\d{2}-\d{2}\.csv$/ })
    .click();
  await returns.getByText('退票文件已导入').waitFor();
  const result = await returns.locator('.ant-table').innerText();
  for (const said of [/已生成申请 #\d+/, /已冲正/, /已有待复核申请/, /金额不符/, /本地区无此到账/])
    assert.match(result, said, result);
  // the line is said once, in its own column (the detail repeated it: "第 3 行 bank_ref：…")
  assert.doesNotMatch(result, /第 \d+ 行|bank_ref|amount_fen/, result);
  await returns
    .getByText(/生成冲正申请 1 笔；本地区无此到账 1 笔；金额不符 1 笔；已冲正 1 笔；已有待复核申请 1 笔/)
    .waitFor();
  await returns.scrollIntoViewIfNeeded();
  await shot(f.page, 'pages-staff-bank-returns-zh');
  assert.deepEqual(await codesShown(f.page, COLUMNS), [], 'bank return file');
  assertNoErrors(f, 'bank return file');

  // The employer rings: "why is our bill unpaid again?" The clerk opens the bill from the held list and
  // reads it on one page: open again, the top-up struck with the bank's reason and who released it, the
  // short receipt held on it, the late fee's start, and the history in order.
  const billId = shortHeld?.billId ?? 0;
  const v = await logins.open('clerk', 'zh', 1280, '/agency/receipts');
  await v.page
    .getByTestId('held-receipts')
    .locator('tr', { hasText: 'DEMO-HELD-SHORT' })
    .getByRole('link', { name: new RegExp(`^#${billId} · `) })
    .click();
  await v.page.waitForURL(new RegExp(`/agency/bills/${billId}$`));
  const paid = v.page.getByTestId('bill-payments');
  const returned = paid.locator('tr', { hasText: 'DEMO-HELD-TOPUP' });
  await returned.getByText(/冲正 · 银行退票（款项被银行退回）：银行退票：付款账户已销户/).waitFor();
  await returned.getByText(/经 \S+ 复核放行 · 审批 #\d+/).waitFor();
  await returned.getByRole('link', { name: /^审批 #\d+$/ }).waitFor();
  assert.equal(await returned.locator('del').count(), 2, 'the returned receipt is struck');
  await paid.locator('tr', { hasText: 'DEMO-HELD-SHORT' }).getByText('暂收款（未分配）').waitFor();
  await v.page.getByTestId('bill-summary').getByText('待缴费').waitFor();
  assert.match(await v.page.getByTestId('bill-late-fee').innerText(), /起按日 0\.05% 加收/);
  const steps = await v.page.getByTestId('bill-history').locator('.ant-timeline-item').allInnerTexts();
  const at = (text: string) => steps.findIndex((x) => x.includes(text));
  assert.ok(at('开具账单') === 0, steps.join(' | '));
  assert.ok(
    at('暂收款分配到本账单') > 0 && at('暂收款分配到本账单') < at('款项冲正，账单重新变为未缴 · 银行退票'),
    steps.join(' | '),
  );
  assert.ok(at('本笔转回暂收款') > at('款项冲正，账单重新变为未缴 · 银行退票'), steps.join(' | '));
  await shot(v.page, 'pages-staff-bill-zh');
  assert.deepEqual(await codesShown(v.page), [], 'bill page');
  await v.page.getByTestId('bill-history').scrollIntoViewIfNeeded();
  await shot(v.page, 'pages-staff-bill-history-zh');
  assertNoErrors(v, 'bill page');
  const vEn = await logins.open('clerk', 'en', 390, `/agency/bills/${billId}`);
  await vEn.page
    .getByText('Payment reversed: the bill is open again · Bank return (the bank sent the money back)')
    .waitFor();
  await vEn.page
    .getByText(/reversed on .+ · Bank return \(the bank sent the money back\): 银行退票：付款账户已销户/)
    .waitFor();
  await noSidewaysOverflow(vEn.page, 'bill 390');
  await shot(vEn.page, 'pages-staff-bill-en-390');
  assert.deepEqual(await codesShown(vEn.page), [], 'bill 390');
  await vEn.page.getByTestId('bill-payments').scrollIntoViewIfNeeded();
  await shot(vEn.page, 'pages-staff-bill-payments-en-390');
  // the returned top-up's own page, on the phone: the bank line, the bill it paid, its reversal and reviewer
  await vEn.page.getByTestId('bill-payments').getByRole('link', { name: 'DEMO-HELD-TOPUP' }).first().click();
  await vEn.page.waitForURL(new RegExp(`/agency/receipts/${topUp}$`));
  await vEn.page.getByTestId('receipt-bank-line').getByText('DEMO-HELD-TOPUP', { exact: true }).waitFor();
  const story = vEn.page.getByTestId('receipt-history');
  await story.getByText('Payment reversed · Bank return (the bank sent the money back)').waitFor();
  await story.getByText('Money: the bank took it back; it leaves the bank account').waitFor();
  await story.getByRole('link', { name: /^approval #\d+$/ }).waitFor();
  await noSidewaysOverflow(vEn.page, 'receipt 390');
  await shot(vEn.page, 'pages-staff-receipt-en-390');
  await story.scrollIntoViewIfNeeded();
  await shot(vEn.page, 'pages-staff-receipt-history-en-390');
  assertNoErrors(vEn, 'bill page en');
});

// The demo's bill the first journey reopened: the clerk keys a payment on it, finds it was another payer's
// money and takes it off as the wrong bill (a reviewer releases it). The held list says so under that bill.
test('clerk (中文 1280, then English 390): a payment taken off the wrong bill is held under that bill, linked, and says its allocation needs a reviewer', async () => {
  const clerkApi = await apiAs('clerk');
  const reviewerApi = await apiAs('reviewer');
  const held = (await clerkApi('GET', '/api/v1/payments/held')) as {
    items: Array<{ bankRef: string | null; billId: number | null }>;
  };
  const billId = held.items.find((i) => i.bankRef === 'DEMO-HELD-SHORT')?.billId;
  assert.ok(billId, 'the demo short receipt names its bill, open again');
  const ref = `E2E-WRONG-${Date.now()}`;
  const paid = (await clerkApi('POST', `/api/v1/bills/${billId}/payments`, { bankRef: ref })) as {
    paymentId: number;
  };
  const prepared = (await clerkApi('POST', `/api/v1/payments/${paid.paymentId}/reverse`, {
    reasonKind: 'wrong_bill',
    reason: '款项属另一单位，误记本账单',
  })) as { id: number };
  await reviewerApi('POST', `/api/v1/approvals/${prepared.id}/release`, {});

  const s = await logins.open('clerk', 'zh', 1280, '/agency/receipts');
  const row = s.page.getByTestId('held-receipts').locator('tr', { hasText: ref });
  await row
    .getByTestId('held-off-wrong-bill')
    .getByText('误记账单，已从该账单转回：缴费人未知，再分配须经复核')
    .waitFor();
  await row.getByRole('link', { name: new RegExp(`^#${billId} · `) }).waitFor();
  assert.match(await row.innerText(), /未知[\s\S]*待处理/);
  // the allocation dialog does not offer the bill it came off
  await row.getByRole('button', { name: '分配到账单' }).click();
  const dialog = s.page.getByRole('dialog');
  assert.equal(await dialog.getByLabel('账单编号').inputValue(), '');
  await s.page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await row.scrollIntoViewIfNeeded();
  await shot(s.page, 'pages-staff-held-wrong-bill-zh');
  assertNoErrors(s, 'held: off the wrong bill');

  const en = await logins.open('clerk', 'en', 390, '/agency/receipts');
  const enRow = en.page.getByTestId('held-receipts').locator('tr', { hasText: ref });
  await enRow
    .getByText(
      'Taken off this bill, posted to the wrong bill: payer unknown, its allocation needs a reviewer',
    )
    .waitFor();
  await enRow.scrollIntoViewIfNeeded();
  await noSidewaysOverflow(en.page, 'held: off the wrong bill 390');
  await shot(en.page, 'pages-staff-held-wrong-bill-en-390');
  assertNoErrors(en, 'held: off the wrong bill en');
});

// A bank file's line skipped because a record keyed wrongly held its reference: once that record is
// withdrawn, the same file offers 重新处理跳过的行, which records that line alone (before, the same file
// answered its first import and the line came again only by hand).
test('clerk (中文, 1280): a line skipped for a reference a record keyed wrongly held is recorded with 重新处理跳过的行', async () => {
  const clerkApi = await apiAs('clerk');
  const reviewerApi = await apiAs('reviewer');
  const ref = `E2E-KEYED-${Date.now()}`;
  const s = await logins.open('clerk', 'zh', 1280, '/agency/receipts');
  const day = await agencyToday(s.page);
  const importFile = async (name: string, yuan: string, counts: string) => {
    await s.page
      .locator('input[type=file]')
      .first()
      .setInputFiles({
        name,
        mimeType: 'text/csv',
        buffer: Buffer.from(`bank_ref,paid_date,bill_no,amount_yuan\n${ref},${day},999999999,${yuan}\n`),
      });
    await s.page.getByRole('button', { name: `导入 ${name}` }).click();
    await s.page.getByText(counts).first().waitFor();
  };
  // the line keyed with an amount the bank never sent holds the reference; the bank's own file is skipped
  await importFile('keyed.csv', '12.34', '暂收 1 笔');
  await importFile('bank.csv', '123.45', '暂收 0 笔');
  const held = (await clerkApi('GET', '/api/v1/payments/held')) as {
    items: Array<{ paymentId: number; bankRef: string | null }>;
  };
  const keyed = held.items.find((i) => i.bankRef === ref);
  assert.ok(keyed, 'the keyed line is held');
  const prepared = (await clerkApi('POST', `/api/v1/payments/${keyed.paymentId}/reverse`, {
    reasonKind: 'keying_error',
    reason: '金额录错，以银行回单为准',
  })) as { id: number };
  await reviewerApi('POST', `/api/v1/approvals/${prepared.id}/release`, {});
  // the bank's file again: its first import, and the line that can be recorded now
  await importFile('bank.csv', '123.45', '暂收 0 笔');
  await s.page.getByText('其中 1 行首次导入时因流水号已被其他记录占用而跳过').waitFor();
  await s.page.getByRole('button', { name: '重新处理跳过的行' }).click();
  await s.page.getByText('已重新处理跳过的行').waitFor();
  await s.page.getByText('暂收 1 笔').first().waitFor();
  const row = s.page.getByTestId('held-receipts').locator('tr', { hasText: ref });
  await row.waitFor();
  assert.match(await row.innerText(), /123\.45/);
  await shot(s.page, 'pages-staff-receipts-skipped-again-zh');
  assertNoErrors(s, 'receipts: skipped lines again');
});

test('clerk (中文, 1280): registers an employer and lands on its page', async () => {
  const s = await logins.open('clerk', 'zh', 1280, '/agency/employers/new');
  // 341801 is in no demo employer's code, so this one is free.
  const code = makeCreditCode('341801', 5000 + (Date.now() % 4000));
  await s.page.getByLabel('统一社会信用代码').fill(code);
  await s.page.getByLabel('单位名称').fill('宣城测试登记有限公司');
  await s.page.getByLabel('所在地').click();
  await s.page.keyboard.type('宣州');
  await s.page.keyboard.press('Enter');
  await s.page.getByRole('button', { name: '登记单位' }).click();
  await s.page.waitForURL(/\/agency\/employers\/\d+$/);
  await s.page.getByText('宣城测试登记有限公司').first().waitFor();
  await shot(s.page, 'pages-staff-employer-zh');
  assert.deepEqual(await codesShown(s.page), [], 'employer page');
  assertNoErrors(s, 'register employer');
});

test('clerk (English, 390): a receipt file with a bad line lists the problem with the field in words', async () => {
  const s = await logins.open('clerk', 'en', 390, '/agency/receipts');
  // The amount in yuan is described first, with its sample; the fen form second (the page named only
  // amount_fen, though clerks count in yuan).
  await s.page.getByTestId('receipts-yuan').waitFor();
  const formats = await s.page.locator('[data-testid^="receipts-"]').allInnerTexts();
  assert.equal(formats.length, 2, formats.join('|'));
  assert.match(formats[0]!, /amount in yuan[\s\S]*,amount_yuan\n.*,10132\.89\s*$/, formats[0]);
  assert.match(formats[1]!, /amount_fen\n.*,1013289\s*$/, formats[1]);
  await s.page
    .locator('input[type=file]')
    .first()
    .setInputFiles({
      name: 'bank.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('bank_ref,paid_date,bill_no,amount_yuan\nR-1,2026-13-40,1,1.00\n'),
    });
  await s.page.getByRole('button', { name: 'Import bank.csv' }).click();
  await s.page.locator('.line-errors').waitFor();
  const table = await s.page.locator('.line-errors').innerText();
  assert.doesNotMatch(table, /paid_date/, 'the field in words');
  await noSidewaysOverflow(s.page, 'receipts 390');
  await shot(s.page, 'pages-staff-receipts-en-390');
  assert.deepEqual(await codesShown(s.page, COLUMNS), [], 'receipts 390, a bad line');
  // The find-a-payment card on the phone, in English: the top-up the bank returned (the test above)
  // found by its reference, its row whole on the card.
  const finder = s.page.getByTestId('payment-return');
  await finder.getByLabel('Bank reference or bill number').fill('DEMO-HELD-TOPUP');
  await finder.getByLabel('Bank reference or bill number').press('Enter');
  await finder.locator('tr', { hasText: 'DEMO-HELD-TOPUP' }).getByText('Reversed', { exact: true }).waitFor();
  await finder.scrollIntoViewIfNeeded();
  await assertFitsPhone(s.page, 'find a payment 390');
  await shot(s.page, 'pages-staff-payment-return-en-390');
  // the rejected file is a 400 the user caused
  assert.deepEqual(
    s.errors.filter((e) => !e.startsWith('400 POST /api/v1/payments/bank-receipts.csv')),
    [],
  );
});
