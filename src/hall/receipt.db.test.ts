// A paid bill's payment receipt (缴费凭证) as a verifiable PDF: for the employer (its bills), the
// citizen (their own) and the region's staff; never for an unpaid bill, another payer or an
// anonymous caller; and verification codes cannot be enumerated.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixToday } from '../core/clock.ts';
import { makeRegionBill } from '../testing/bill-fixtures.ts';
import { makeEmployer } from '../testing/factories.ts';
import { pdfText } from '../testing/pdf-text.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';

let t: TestApp;
let employer: LoginResult;
let citizen: LoginResult;
let clerk: LoginResult;
let paidEmployerBill: number;
let openEmployerBill: number;
let paidCitizenBill: number;
let otherEmployerBill: number;

const get = (url: string, who?: LoginResult, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { ...(who ? who.headers : {}), ...headers } });

/** A bill for 2025-03 of the test region, paid (with its matched payment) on 2025-03-20 or open. */
const bill = (v: { employerId?: number; status: 'open' | 'paid'; totalFen: number }) =>
  makeRegionBill(t, {
    period: '2025-03',
    status: v.status,
    paidDate: '2025-03-20',
    ...(v.employerId === undefined
      ? { payerKind: 'flexible', pensionEmployeeFen: v.totalFen }
      : // the parts the receipt lists: 64% / 32% / 4% of the total
        {
          employerId: v.employerId,
          pensionEmployerFen: (v.totalFen * 64) / 100,
          pensionEmployeeFen: (v.totalFen * 32) / 100,
          injuryFen: (v.totalFen * 4) / 100,
        }),
  });

before(async () => {
  fixToday('2025-04-15');
  t = await makeTestApp();
  const other = await makeEmployer(t.ctx.db, { name: '宣城另一家有限公司', region: TEST_REGION });
  paidEmployerBill = await bill({ employerId: t.employerId, status: 'paid', totalFen: 100000 });
  openEmployerBill = await bill({ employerId: t.employerId, status: 'open', totalFen: 100000 });
  paidCitizenBill = await bill({ status: 'paid', totalFen: 80000 });
  otherEmployerBill = await bill({
    employerId: other.id,
    status: 'paid',
    totalFen: 5000,
  });
  employer = await t.login('employer');
  citizen = await t.login('citizen');
  clerk = await t.login('clerk');
});

after(async () => {
  fixToday(null);
  await t.close();
});

test('the employer downloads its paid bill’s receipt: a PDF with the CJK font, a QR code and a verification code that verifies', async () => {
  const r = await get(`/api/v1/bills/${paidEmployerBill}/receipt.pdf`, employer);
  assert.equal(r.statusCode, 200, r.body.slice(0, 300));
  assert.equal(r.headers['content-type'], 'application/pdf');
  const code = String(r.headers['x-verification-code']);
  assert.match(code, /^[2-9A-Z]{4}(-[2-9A-Z]{4}){3}$/);
  const text = r.rawPayload.toString('latin1');
  assert.match(text, /\/FontFile3?/);
  assert.match(text, /\/Subtype \/Image/, 'the QR code');
  // The period and the days in words in both languages beside the bilingual labels (they were
  // 2025-03, 2025-03-20 and 2025-04-15); no ISO anywhere a person reads but the verification address.
  const read = pdfText(r.rawPayload);
  for (const words of [
    '费款所属期 Period：\n2025年3月 / Mar 2025',
    '缴费日期 Paid on：\n2025年3月20日 / 20 Mar 2025',
    '兹证明上述社会保险费已足额缴纳（2025年3月，',
    'for Mar 2025 were paid in full',
    '出具日期 Date：2025年4月15日 / 15 Apr 2025',
    // money as the pages write it (it was 1000.00 under a "(yuan)" label)
    '实缴金额 Paid：\n¥1,000.00',
    '养老保险（单位）\n¥640.00',
    '实缴合计 Paid\n¥1,000.00',
  ])
    assert.ok(read.includes(words), `${words} in\n${read}`);
  const beyondAddress = read.replace(/\S*\/verify\/\S*/g, '');
  assert.doesNotMatch(beyondAddress, /\d{4}-\d{2}/, read);
  const v = await get(`/api/v1/verify/${code}`);
  assert.equal(v.statusCode, 200);
  const body = v.json<{
    kind: string;
    statement: { billId: number; paidFen: number; period: string; payerName: string };
  }>();
  assert.equal(body.kind, 'receipt');
  assert.equal(body.statement.billId, paidEmployerBill);
  assert.equal(body.statement.paidFen, 100000);
  assert.equal(body.statement.payerName, '宣城测试有限公司');
  const up = await t.app.inject({
    method: 'POST',
    url: `/api/v1/verify/${code}/pdf`,
    headers: { 'content-type': 'application/pdf' },
    payload: r.rawPayload,
  });
  assert.equal(up.json<{ pdfMatches: boolean }>().pdfMatches, true);
});

test('a citizen gets the receipt of their own bill, the name masked on the public page; staff of the region at the counter', async () => {
  const r = await get(`/api/v1/bills/${paidCitizenBill}/receipt.pdf`, citizen);
  assert.equal(r.statusCode, 200, r.body.slice(0, 300));
  const v = (await get(`/api/v1/verify/${String(r.headers['x-verification-code'])}`)).json<{
    statement: { payerName: string; payerId: string };
  }>();
  assert.equal(v.statement.payerName, '张*');
  assert.match(v.statement.payerId, /\*{6,}/);
  assert.equal((await get(`/api/v1/bills/${paidCitizenBill}/receipt.pdf`, clerk)).statusCode, 200);
});

test('no receipt for an unpaid bill', async () => {
  const r = await get(`/api/v1/bills/${openEmployerBill}/receipt.pdf`, employer);
  assert.equal(r.statusCode, 409);
});

test('attacks: another payer’s bill, another citizen’s, another region’s: the 404 of an unknown number (the same body, without the number); anonymous 401; a role without bills 403', async () => {
  const far = await loginAsNew(t, 'farclerk', { role: 'clerk', region: '110000' });
  for (const [who, bill] of [
    [employer, otherEmployerBill],
    [citizen, paidEmployerBill],
    [employer, paidCitizenBill],
    [far, paidEmployerBill],
  ] as const) {
    const theirs = await get(`/api/v1/bills/${bill}/receipt.pdf`, who);
    const unknown = await get('/api/v1/bills/999999/receipt.pdf', who);
    assert.equal(theirs.statusCode, 404, `${who.user.username}: ${theirs.body}`);
    assert.equal(theirs.body, unknown.body, `${who.user.username}: someone else’s bill looks unknown`);
    assert.ok(!theirs.body.includes(String(bill)), theirs.body);
  }
  assert.equal((await get(`/api/v1/bills/${paidEmployerBill}/receipt.pdf`)).statusCode, 401);
  const admin = await t.login('admin');
  assert.equal((await get(`/api/v1/bills/${paidEmployerBill}/receipt.pdf`, admin)).statusCode, 403);
});

test('verification codes cannot be enumerated: unknown codes all look alike, and one address is cut off after 60 a minute', async () => {
  const a = await get('/api/v1/verify/AAAA-BBBB-CCCC-DDDD', undefined, { 'x-forwarded-for': '1.2.3.4' });
  const b = await get('/api/v1/verify/2222-3333-4444-5555', undefined, { 'x-forwarded-for': '1.2.3.4' });
  assert.equal(a.statusCode, 404);
  assert.equal(a.body, b.body, 'no hint in the answer');
  let limited = 0;
  for (let i = 0; i < 70; i++) {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/verify/ZZZZ-ZZZZ-ZZZZ-${String(1000 + i)}`,
      remoteAddress: '10.9.8.7',
    });
    if (r.statusCode === 429) limited++;
  }
  assert.ok(limited >= 8, `${limited} of 70 refused`);
  // 32^16 = 2^80 codes: at 60 a minute an address needs ~10^19 years for even odds.
});
