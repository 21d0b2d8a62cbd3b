// Issue 11: a citizen pays their own bill online. The flexible worker's declaration is billed at
// once; the server makes a payment order at the amount due today; the gateway's signed notice makes
// the server record the payment (its date, the order's amount); the notice is idempotent. Attacks:
// someone else's bill, a tampered amount, a replayed notice, a forged notice.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { makeEnrolment, makePerson } from '../testing/factories.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { jobSettled } from '../http/background-jobs.testing.ts';
import { CONTRIBUTION_CHECKS } from './ledger-checks.repository.ts';
import { signNotice } from './gateway-notice.ts';

const SECRET = 'test-gateway-secret-0123456789abcdef';
let t: TestApp;
let citizen: LoginResult;
let clerk: LoginResult;
let otherPersonId = 0;

async function enrolFlexible(personId: number): Promise<void> {
  await makeEnrolment(t.ctx.db, { person_id: personId, region: TEST_REGION, start_date: '2025-01-01' });
}

describe('online payment of a citizen’s own bill', () => {
  before(async () => {
    process.env['SHEBAO_PAYMENT_GATEWAY_SECRET'] = SECRET;
    fixToday('2026-03-10');
    t = await makeTestApp({ demo: true });
    await enrolFlexible(t.personId);
    const other = await makePerson(t.ctx.db, {
      id_number: makeIdNumber('341802', '1979-04-04', 41),
      name: '李四',
      sex: 'M',
      birth_date: '1979-04-04',
      region: TEST_REGION,
    });
    otherPersonId = other.id;
    await enrolFlexible(otherPersonId);
    citizen = await t.login('citizen');
    clerk = await t.login('clerk');
  });
  after(async () => {
    delete process.env['SHEBAO_PAYMENT_GATEWAY_SECRET'];
    fixToday(null);
    await t.close();
  });

  const post = (url: string, who: LoginResult | null, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url,
      ...(who ? { headers: who.headers } : {}),
      payload: payload as object,
    });
  const get = (url: string, who: LoginResult) =>
    t.app.inject({ method: 'GET', url, headers: { cookie: who.cookieHeader } });
  const payments = async (billId: number) =>
    t.ctx.db.selectFrom('contribution_payment').selectAll().where('bill_id', '=', billId).execute();

  let billId = 0;
  let dueFen = 0;

  test('a flexible worker’s declaration is billed at once (no assessment run needed)', async () => {
    const r = await post(`/api/v1/persons/${t.personId}/flexible-declarations`, citizen, {
      period: '2026-02',
      baseFen: 600_000,
    });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json<{ billId: number | null; billTotalFen: number | null }>();
    assert.ok(body.billId !== null && body.billId > 0);
    assert.ok((body.billTotalFen ?? 0) > 0);
    billId = body.billId;
    const bill = await get(`/api/v1/bills/${billId}`, citizen);
    assert.equal(bill.statusCode, 200, bill.body);
    dueFen = bill.json<{ due: { totalFen: number } }>().due.totalFen;
    // Declaring the same base again bills nothing twice; the region's assessment skips it too.
    const again = await post(`/api/v1/persons/${t.personId}/flexible-declarations`, citizen, {
      period: '2026-02',
      baseFen: 600_000,
    });
    assert.equal(again.json<{ billId: number }>().billId, billId);
    const assess = await jobSettled(
      t.app,
      clerk.headers,
      await post('/api/v1/contributions/assessments', clerk, { period: '2026-02', region: TEST_REGION }),
    );
    assert.equal(assess.statusCode, 200, assess.body);
    const bills = await t.ctx.db
      .selectFrom('contribution_bill')
      .select('id')
      .where('person_id', '=', t.personId)
      .where('period', '=', '2026-02')
      .execute();
    assert.equal(bills.length, 1);
  });

  test('a citizen cannot pay someone else’s bill (the same 404 as an unknown bill, without the number), nor read their order', async () => {
    const d = await post(`/api/v1/persons/${otherPersonId}/flexible-declarations`, clerk, {
      period: '2026-02',
      baseFen: 600_000,
    });
    assert.equal(d.statusCode, 200, d.body);
    const theirs = d.json<{ billId: number }>().billId;
    const r = await post(`/api/v1/bills/${theirs}/online-payments`, citizen, {});
    assert.equal(r.statusCode, 404, r.body);
    const unknown = await post('/api/v1/bills/999999/online-payments', citizen, {});
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.body, r.body, 'someone else’s bill answers as an unknown number');
    assert.ok(!r.body.includes(String(theirs)), r.body);
    // Staff and employers do not pay online (a clerk records payments with payment.record).
    assert.equal((await post(`/api/v1/bills/${theirs}/online-payments`, clerk, {})).statusCode, 403);
    assert.equal((await payments(theirs)).length, 0);
  });

  test('the amount is the server’s: a tampered amount is refused when the order is made', async () => {
    const r = await post(`/api/v1/bills/${billId}/online-payments`, citizen, { amountFen: dueFen - 1 });
    assert.equal(r.statusCode, 409, r.body);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_AMOUNT_MISMATCH');
  });

  test('a forged notice (wrong secret) and a re-signed notice with another amount pay nothing', async () => {
    const o = await post(`/api/v1/bills/${billId}/online-payments`, citizen, {});
    assert.equal(o.statusCode, 200, o.body);
    const order = o.json<{ orderNo: string; amountFen: number; status: string }>();
    assert.equal(order.amountFen, dueFen);
    const forged = {
      orderNo: order.orderNo,
      gatewayRef: 'FORGED0001',
      amountFen: order.amountFen,
      status: 'success' as const,
    };
    const f = await post('/api/v1/payment-gateway/notify', null, {
      ...forged,
      signature: signNotice('not-the-gateway-secret-000000000000', forged),
    });
    assert.equal(f.statusCode, 401, f.body);
    assert.equal(f.json<{ error: { code: string } }>().error.code, 'SB_ERR_BAD_SIGNATURE');
    // The right signature over one amount, then the amount changed in transit: refused too.
    const signed = {
      ...forged,
      gatewayRef: 'TAMPER0001',
      signature: signNotice(SECRET, { ...forged, gatewayRef: 'TAMPER0001' }),
    };
    const changed = await post('/api/v1/payment-gateway/notify', null, { ...signed, amountFen: 1 });
    assert.equal(changed.statusCode, 401);
    // Signed by the gateway but for another amount than the order's: refused.
    const other = { ...forged, gatewayRef: 'TAMPER0002', amountFen: order.amountFen - 100 };
    const wrong = await post('/api/v1/payment-gateway/notify', null, {
      ...other,
      signature: signNotice(SECRET, other),
    });
    assert.equal(wrong.statusCode, 409, wrong.body);
    assert.equal((await payments(billId)).length, 0);
    const still = await get(`/api/v1/online-payments/${order.orderNo}`, citizen);
    assert.equal(still.json<{ status: string }>().status, 'pending');
  });

  test('the gateway’s signed notice records the payment at the server’s date for the bill’s amount; a replay pays nothing twice', async () => {
    const o = await post(`/api/v1/bills/${billId}/online-payments`, citizen, {});
    const order = o.json<{ orderNo: string; amountFen: number }>();
    const notice = {
      orderNo: order.orderNo,
      gatewayRef: 'GW20260310A',
      amountFen: order.amountFen,
      status: 'success' as const,
    };
    const body = { ...notice, signature: signNotice(SECRET, notice) };
    const first = await post('/api/v1/payment-gateway/notify', null, body);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json<{ status: string }>().status, 'paid');
    const replay = await post('/api/v1/payment-gateway/notify', null, body);
    assert.equal(replay.statusCode, 200, replay.body);
    assert.deepEqual(replay.json(), first.json());
    const ps = await payments(billId);
    assert.equal(ps.length, 1);
    assert.equal(ps[0]?.paid_date, '2026-03-10');
    assert.equal(Number(ps[0]?.amount_fen), dueFen);
    assert.equal(ps[0]?.bank_ref, 'ONLINE-GW20260310A');
    const bill = await get(`/api/v1/bills/${billId}`, citizen);
    assert.equal(bill.json<{ bill: { status: string } }>().bill.status, 'paid');
    // The older pending order of the same bill can no longer be paid: the bill is paid.
    const more = await post(`/api/v1/bills/${billId}/online-payments`, citizen, {});
    assert.equal(more.statusCode, 409);
    // the status in words (it said 账单状态为 paid)
    assert.match(
      more.json<{ error: { message: string } }>().error.message,
      /：账单已缴 \/ .*: the bill is paid$/,
    );
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'subject_person_id'])
      .where('action', 'in', ['payment.online-order', 'payment.online', 'payment.record'])
      .execute();
    assert.ok(audit.some((a) => a.action === 'payment.online' && Number(a.subject_person_id) === t.personId));
    const v = await verifyLedger(t.ctx.db, CONTRIBUTION_CHECKS);
    assert.ok(v.ok, JSON.stringify(v.subLedgers.filter((x) => !x.ok)));
  });

  test('a bill paid through two orders: the second notice is acknowledged, its money held and refunded through the approval path', async () => {
    const d = await post(`/api/v1/persons/${t.personId}/flexible-declarations`, citizen, {
      period: '2026-01',
      baseFen: 600_000,
    });
    assert.equal(d.statusCode, 200, d.body);
    const bill = d.json<{ billId: number }>().billId;
    // Two tabs, two orders, both paid at the gateway.
    const orders = [
      (await post(`/api/v1/bills/${bill}/online-payments`, citizen, {})).json<{
        orderNo: string;
        amountFen: number;
      }>(),
      (await post(`/api/v1/bills/${bill}/online-payments`, citizen, {})).json<{
        orderNo: string;
        amountFen: number;
      }>(),
    ];
    const notices = orders.map((o, i) => {
      const n = {
        orderNo: o.orderNo,
        gatewayRef: `GW2TABS${i}`,
        amountFen: o.amountFen,
        status: 'success' as const,
      };
      return { ...n, signature: signNotice(SECRET, n) };
    });
    const first = await post('/api/v1/payment-gateway/notify', null, notices[0]);
    assert.equal(first.json<{ status: string }>().status, 'paid', first.body);
    // The gateway has the payer's money and retries a refused notice: it is acknowledged (it was 409).
    const second = await post('/api/v1/payment-gateway/notify', null, notices[1]);
    assert.equal(second.statusCode, 200, second.body);
    const held = second.json<{ status: string; paymentId: number }>();
    assert.equal(held.status, 'refund_due');
    const retry = await post('/api/v1/payment-gateway/notify', null, notices[1]);
    assert.deepEqual(retry.json(), second.json(), 'a retried notice holds nothing twice');
    // The bill is paid once; the second payment is money in, held on the bill, owed back.
    const ps = await payments(bill);
    assert.deepEqual(ps.map((p) => [p.status, Number(p.amount_fen), p.bank_ref]).sort(), [
      ['matched', orders[0]?.amountFen, 'ONLINE-GW2TABS0'],
      ['unallocated', orders[1]?.amountFen, 'ONLINE-GW2TABS1'],
    ]);
    assert.equal(Number(ps.find((p) => p.status === 'unallocated')?.id), held.paymentId);
    const mine = await get(`/api/v1/online-payments/${orders[1]?.orderNo}`, citizen);
    assert.equal(mine.json<{ status: string }>().status, 'refund_due');
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['payment.online-refund-due', 'payment.hold'])
      .where('subject_person_id', '=', t.personId)
      .execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['payment.hold', 'payment.online-refund-due']);
    let v = await verifyLedger(t.ctx.db, CONTRIBUTION_CHECKS);
    assert.ok(v.ok, JSON.stringify(v.subLedgers.filter((x) => !x.ok)));
    // The refund (退费): a clerk prepares returning the held receipt, a reviewer releases it.
    const prepared = await post(`/api/v1/payments/${held.paymentId}/reverse`, clerk, {
      reasonKind: 'refund',
      reason: '重复支付，退还缴费人',
    });
    assert.equal(prepared.statusCode, 200, prepared.body);
    const reviewer = await t.login('reviewer');
    const released = await post(
      `/api/v1/approvals/${prepared.json<{ id: number }>().id}/release`,
      reviewer,
      {},
    );
    assert.equal(released.statusCode, 200, released.body);
    assert.deepEqual((await payments(bill)).map((p) => p.status).sort(), ['matched', 'reversed']);
    const b = await get(`/api/v1/bills/${bill}`, citizen);
    assert.equal(b.json<{ bill: { status: string } }>().bill.status, 'paid');
    // The payer no longer reads 待退费: the order is refunded.
    const refunded = await get(`/api/v1/online-payments/${orders[1]?.orderNo}`, citizen);
    assert.equal(refunded.json<{ status: string }>().status, 'refunded');
    v = await verifyLedger(t.ctx.db, CONTRIBUTION_CHECKS);
    assert.ok(v.ok, JSON.stringify(v.subLedgers.filter((x) => !x.ok)));
  });

  test('the demo gateway simulator confirms an order through the same signed notice', async () => {
    const d = await post(`/api/v1/persons/${t.personId}/flexible-declarations`, citizen, {
      period: '2026-03',
      baseFen: 700_000,
    });
    assert.equal(d.statusCode, 200, d.body);
    const bill = d.json<{ billId: number }>().billId;
    const o = (await post(`/api/v1/bills/${bill}/online-payments`, citizen, {})).json<{
      orderNo: string;
      gatewayUrl: string;
    }>();
    assert.match(o.gatewayUrl, /^\/pay\/gateway\?order=SB/);
    const seen = await t.app.inject({ method: 'GET', url: `/api/v1/payment-gateway/orders/${o.orderNo}` });
    assert.equal(seen.statusCode, 200, seen.body);
    const c = await post(`/api/v1/payment-gateway/orders/${o.orderNo}/confirm`, null, { outcome: 'success' });
    assert.equal(c.statusCode, 200, c.body);
    assert.equal(c.json<{ status: string }>().status, 'paid');
    assert.equal((await payments(bill)).length, 1);
    const again = await post(`/api/v1/payment-gateway/orders/${o.orderNo}/confirm`, null, {
      outcome: 'success',
    });
    assert.equal(again.statusCode, 409);
    // the gateway's page read 订单paid
    assert.match(
      again.json<{ error: { message: string } }>().error.message,
      /：订单已支付 \/ .*: the order is paid$/,
    );
    assert.equal((await payments(bill)).length, 1);
  });

  test('the base limits of a month come from params: an employer gets its region’s minimum base (the yuan-as-fen check’s threshold)', async () => {
    const employer = await t.login('employer');
    const r = await get('/api/v1/contributions/base-limits?period=2026-02', employer);
    assert.equal(r.statusCode, 200, r.body);
    const l = r.json<{ region: string; averageWageFen: number; floorFen: number; ceilingFen: number }>();
    assert.equal(l.region, TEST_REGION);
    assert.ok(l.averageWageFen > 0);
    assert.equal(
      l.floorFen,
      Math.round((l.averageWageFen * 60) / 100),
      'the minimum base is 60% of the average wage',
    );
    assert.equal(l.ceilingFen, Math.round((l.averageWageFen * 300) / 100));
    const anon = await t.app.inject({
      method: 'GET',
      url: '/api/v1/contributions/base-limits?period=2026-02',
    });
    assert.equal(anon.statusCode, 401);
  });
});

describe('online payment on a real database without a gateway secret', () => {
  let r: TestApp;
  before(async () => {
    delete process.env['SHEBAO_PAYMENT_GATEWAY_SECRET'];
    r = await makeTestApp();
  });
  after(async () => r.close());

  test('no simulator, and orders are refused as not configured', async () => {
    const c = await r.login('citizen');
    const o = await r.app.inject({
      method: 'POST',
      url: '/api/v1/bills/1/online-payments',
      headers: c.headers,
      payload: {},
    });
    assert.equal(o.statusCode, 404, o.body);
    const sim = await r.app.inject({
      method: 'POST',
      url: '/api/v1/payment-gateway/orders/SB000000000000000000000000/confirm',
      payload: { outcome: 'success' },
    });
    assert.equal(sim.statusCode, 404);
  });
});
