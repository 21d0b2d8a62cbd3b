// Held receipts (暂收款) through the real app: the clerk's list, allocation to a bill it pays exactly
// (a part or a surplus refused in words), the reviewed refund with the payer told in the hall, and the
// attacker's look — another district's clerk, the payer, a double allocation, allocation racing a
// refund — with the ledger checks balanced after each.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { ApprovalService } from '../approval/approval.service.ts';
import { systemActor, type Actor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { consumeEvents } from '../hall/events.job.ts';
import { BANK_RECEIPT_HEADER, billMoneyTools } from '../testing/bill-fixtures.ts';
import { makeEmployer, makePerson } from '../testing/factories.ts';
import { TEST_REGION, makeTestApp, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';
import { amountDue } from './bill-support.ts';
import { ContributionService } from './contribution.service.ts';

let t: TestApp;
let clerk: LoginResult;
let reviewer: LoginResult;
let farClerk: LoginResult;
let employer: LoginResult;
let citizen: LoginResult;

interface Held {
  items: Array<{
    paymentId: number;
    bankRef: string;
    daysHeld: number;
    amountFen: number;
    billId: number | null;
    payer: { kind: string; id: number; name: string } | null;
    status: string;
    approvalId: number | null;
  }>;
  totals: Array<{ status: string; count: number; amountFen: number }>;
}

const {
  send,
  openBill,
  receive,
  paymentStatus: status,
  balanced,
} = billMoneyTools(
  () => t,
  () => clerk,
);

/**
 * Receipts tied to the test employer, as a bank receipt naming one of its bills is: the bill's own payer,
 * so one clerk allocates them (money of no known payer needs a reviewer: the test on 四眼 below).
 */
const ofOurEmployer = async (ids: Iterable<number>) => {
  await t.ctx.db
    .updateTable('contribution_payment')
    .set({ employer_id: t.employerId })
    .where('id', 'in', [...ids])
    .execute();
};

const fullBill = (id: number) =>
  t.ctx.db.selectFrom('contribution_bill').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const clerkActor = (): Actor => ({
  userId: clerk.user.id,
  username: clerk.user.username,
  role: 'clerk',
  personId: clerk.user.personId,
  employerId: null,
  region: TEST_REGION,
});

before(async () => {
  fixToday('2021-10-20');
  t = await makeTestApp();
  clerk = await t.login('clerk');
  reviewer = await t.login('reviewer');
  farClerk = await loginAsNew(t, 'farclerk', { role: 'clerk', region: '340100' });
  employer = await t.login('employer');
  citizen = await t.login('citizen');
});

after(async () => {
  fixToday(null);
  await t.close();
});

test('the list: each held receipt with its bill, payer and days held, totals per status, filtered by age; nobody else reads it', async () => {
  const bill = await openBill();
  const ids = await receive([`R-LIST-01,2021-10-02,${bill},99999`, `R-LIST-02,2021-10-18,999999,5000`]);
  const r = await send('GET', '/api/v1/payments/held', clerk);
  assert.equal(r.statusCode, 200, r.body);
  const body = r.json<Held>();
  const mine = body.items.filter((i) => i.bankRef.startsWith('R-LIST-'));
  assert.deepEqual(
    mine.map((i) => [i.bankRef, i.daysHeld, i.amountFen, i.billId, i.payer?.kind ?? null, i.status]),
    [
      ['R-LIST-01', 18, 99999, bill, 'employer', 'held'],
      ['R-LIST-02', 2, 5000, null, null, 'held'],
    ],
  );
  const held = body.totals.find((x) => x.status === 'held');
  assert.equal(held?.count, body.items.length);
  const old = (await send('GET', '/api/v1/payments/held?minDays=10', clerk)).json<Held>();
  assert.ok(old.items.some((i) => i.paymentId === ids.get('R-LIST-01')));
  assert.ok(!old.items.some((i) => i.paymentId === ids.get('R-LIST-02')), 'held 2 days: not at least 10');
  // Another district's clerk, the payer and an anonymous caller read nothing.
  assert.equal((await send('GET', `/api/v1/payments/held?region=${TEST_REGION}`, farClerk)).statusCode, 403);
  const far = (await send('GET', '/api/v1/payments/held', farClerk)).json<Held>();
  assert.deepEqual(far.items, [], "the far clerk's own region holds none of these");
  assert.equal((await send('GET', '/api/v1/payments/held', employer)).statusCode, 403);
  assert.equal((await send('GET', '/api/v1/payments/held', citizen)).statusCode, 403);
  assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/payments/held' })).statusCode, 401);
});

test('allocate: the exact amount pays the bill (2301 → receivable, audited with the reason); a part, a surplus, a second allocation refused', async () => {
  const bill = await openBill();
  const other = await openBill();
  const ids = await receive([
    `R-ALLOC-01,2021-10-12,888888,100000`,
    `R-ALLOC-02,2021-10-12,888888,99999`,
    `R-ALLOC-03,2021-10-12,888888,100001`,
  ]);
  await ofOurEmployer(ids.values());
  const exact = ids.get('R-ALLOC-01') ?? 0;
  const url = (id: number) => `/api/v1/payments/${id}/allocate`;
  // The payer and another district cannot allocate (a held receipt elsewhere is not found).
  assert.equal(
    (await send('POST', url(exact), employer, { billId: bill, reason: '单位来电确认' })).statusCode,
    403,
  );
  assert.equal(
    (await send('POST', url(exact), citizen, { billId: bill, reason: '单位来电确认' })).statusCode,
    403,
  );
  assert.equal(
    (await send('POST', url(exact), farClerk, { billId: bill, reason: '单位来电确认' })).statusCode,
    404,
  );
  // A part and a surplus: refused with what to do, the bill still open, the receipts still held.
  const part = await send('POST', url(ids.get('R-ALLOC-02') ?? 0), clerk, { billId: bill, reason: '核对' });
  assert.equal(part.statusCode, 409, part.body);
  assert.match(part.json<{ error: { message: string } }>().error.message, /少于账单应缴.*不能部分缴费/);
  const over = await send('POST', url(ids.get('R-ALLOC-03') ?? 0), clerk, { billId: bill, reason: '核对' });
  assert.equal(over.statusCode, 409, over.body);
  assert.match(over.json<{ error: { message: string } }>().error.message, /多于账单应缴.*请退费/);
  assert.equal(await status(ids.get('R-ALLOC-02') ?? 0), 'unallocated');
  // A bill of another district answers as a number that is no bill at all.
  const foreign = await openBill({ region: '340100' });
  const there = await send('POST', url(exact), clerk, { billId: foreign, reason: '核对' });
  const nowhere = await send('POST', url(exact), clerk, { billId: 999_999_999, reason: '核对' });
  assert.equal(there.statusCode, 404, there.body);
  assert.deepEqual(there.json(), nowhere.json());
  // The exact amount pays the bill.
  const ok = await send('POST', url(exact), clerk, { billId: bill, reason: '单位来电确认流水对应该账单' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json(), {
    paymentId: exact,
    billId: bill,
    amountFen: 100000,
    contributionFen: 100000,
    lateFeeFen: 0,
    paidDate: '2021-10-12',
    status: 'matched',
  });
  const b = await t.ctx.db
    .selectFrom('contribution_bill')
    .select(['status', 'paid_date'])
    .where('id', '=', bill)
    .executeTakeFirstOrThrow();
  assert.deepEqual(b, { status: 'paid', paid_date: '2021-10-12' });
  const audit = await t.ctx.db
    .selectFrom('audit_log')
    .select(['action', 'reason'])
    .where('action', '=', 'payment.allocate')
    .where('entity_id', '=', String(exact))
    .execute();
  assert.deepEqual(audit, [{ action: 'payment.allocate', reason: '单位来电确认流水对应该账单' }]);
  // Twice: the receipt is no longer held; another bill does not take it either.
  const again = await send('POST', url(exact), clerk, { billId: other, reason: '再次分配' });
  assert.equal(again.statusCode, 409, again.body);
  assert.match(again.json<{ error: { message: string } }>().error.message, /已分配/);
  await balanced();
});

test('two allocations at once, and an allocation racing a refund: one outcome each time', async () => {
  const a = await openBill();
  const b = await openBill();
  const ids = await receive([`R-RACE-01,2021-10-12,777777,100000`, `R-RACE-02,2021-10-12,777777,100000`]);
  await ofOurEmployer(ids.values());
  const first = ids.get('R-RACE-01') ?? 0;
  const both = await Promise.all([
    send('POST', `/api/v1/payments/${first}/allocate`, clerk, { billId: a, reason: '并发一' }),
    send('POST', `/api/v1/payments/${first}/allocate`, clerk, { billId: b, reason: '并发二' }),
  ]);
  assert.deepEqual(both.map((r) => r.statusCode).sort(), [200, 409]);
  const paid = await t.ctx.db
    .selectFrom('contribution_bill')
    .select('id')
    .where('id', 'in', [a, b])
    .where('status', '=', 'paid')
    .execute();
  assert.equal(paid.length, 1, 'one bill paid by one receipt');
  // A refund prepared while the receipt was held, and the receipt allocated before that was seen
  // (the prepare read it unlocked): the release is refused rather than reversing the allocated payment
  // and reopening its bill. On the code before this pass the release reversed it.
  const second = ids.get('R-RACE-02') ?? 0;
  const open = paid[0]?.id === a ? b : a;
  const ok = await send('POST', `/api/v1/payments/${second}/allocate`, clerk, {
    billId: open,
    reason: '分配',
  });
  assert.equal(ok.statusCode, 200, ok.body);
  const stale = await new ApprovalService(t.ctx.db).prepare(clerkActor(), {
    kind: 'payment.reverse',
    dedupeKey: String(second),
    region: TEST_REGION,
    subjectPersonId: null,
    payload: { paymentId: second, reason: '缴费人申请退费', status: 'unallocated' },
    summary: { paymentId: second },
  });
  const release = await send('POST', `/api/v1/approvals/${stale.id}/release`, reviewer, {});
  assert.notEqual(release.statusCode, 200, release.body);
  assert.equal(await status(second), 'matched');
  const billNow = await t.ctx.db
    .selectFrom('contribution_bill')
    .select('status')
    .where('id', '=', open)
    .executeTakeFirstOrThrow();
  assert.equal(billNow.status, 'paid');
  // A refund awaiting review holds the receipt: it cannot be allocated meanwhile.
  const c = await openBill();
  const third = (await receive([`R-RACE-03,2021-10-12,777777,100000`])).get('R-RACE-03') ?? 0;
  const prepared = await send('POST', `/api/v1/payments/${third}/reverse`, clerk, {
    reasonKind: 'refund',
    reason: '缴费人申请退费',
  });
  assert.equal(prepared.statusCode, 200, prepared.body);
  const blocked = await send('POST', `/api/v1/payments/${third}/allocate`, clerk, {
    billId: c,
    reason: '分配',
  });
  assert.equal(blocked.statusCode, 409, blocked.body);
  assert.match(blocked.json<{ error: { message: string } }>().error.message, /退费正待复核/);
  await balanced();
});

test('refund (退费): prepared by one clerk, released by a reviewer, 2301 emptied, audited, the payer told in the hall', async () => {
  const bill = await openBill();
  const ids = await receive([`R-REFUND-01,2021-10-12,${bill},123456`]);
  const id = ids.get('R-REFUND-01') ?? 0;
  // another district's receipt answers as an unknown one
  assert.equal(
    (await send('POST', `/api/v1/payments/${id}/reverse`, farClerk, { reasonKind: 'refund', reason: '退费' }))
      .statusCode,
    404,
  );
  assert.equal(
    (await send('POST', `/api/v1/payments/${id}/reverse`, employer, { reasonKind: 'refund', reason: '退费' }))
      .statusCode,
    403,
  );
  const prepared = await send('POST', `/api/v1/payments/${id}/reverse`, clerk, {
    reasonKind: 'refund',
    reason: '金额不符，退回单位',
  });
  assert.equal(prepared.statusCode, 200, prepared.body);
  const approval = prepared.json<{ id: number }>().id;
  // The maker cannot release it; a reviewer of another district cannot either.
  assert.equal((await send('POST', `/api/v1/approvals/${approval}/release`, clerk, {})).statusCode, 403);
  const listed = (await send('GET', '/api/v1/payments/held', clerk)).json<Held>();
  assert.equal(listed.items.find((i) => i.paymentId === id)?.status, 'refundReview');
  // the list names the approval its refund awaits (待复核 #n, linked on the page)
  assert.equal(listed.items.find((i) => i.paymentId === id)?.approvalId, approval);
  const released = await send('POST', `/api/v1/approvals/${approval}/release`, reviewer, {});
  assert.equal(released.statusCode, 200, released.body);
  assert.equal(await status(id), 'reversed');
  assert.equal(
    (
      await t.ctx.db
        .selectFrom('contribution_bill')
        .select('status')
        .where('id', '=', bill)
        .executeTakeFirstOrThrow()
    ).status,
    'open',
    'a refunded receipt paid nothing: its bill stays open',
  );
  const after = (await send('GET', '/api/v1/payments/held', clerk)).json<Held>();
  assert.ok(!after.items.some((i) => i.paymentId === id), 'no longer held');
  const audit = await t.ctx.db
    .selectFrom('audit_log')
    .select(['action', 'reason'])
    .where('action', '=', 'payment.refund')
    .where('entity_id', '=', String(id))
    .execute();
  assert.deepEqual(audit, [{ action: 'payment.refund', reason: '金额不符，退回单位' }]);
  await balanced();
  // The employer named by the receipt's bill is told through the hall.
  await consumeEvents(t.ctx);
  const told = (
    await sql<{ body_zh: string }>`
      SELECT body_zh FROM hall_message WHERE employer_id = ${t.employerId} AND body_zh LIKE ${'%R-REFUND-01%'}`.execute(
      t.ctx.db,
    )
  ).rows;
  assert.equal(told.length, 1, JSON.stringify(told));
});

test('amounts in yuan with three decimals are refused; a receipt of no known payer is refunded without a message', async () => {
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/v1/payments/bank-receipts.csv?region=${TEST_REGION}`,
    headers: { ...clerk.headers, 'content-type': 'text/csv' },
    payload: ['bank_ref,paid_date,bill_no,amount_yuan', 'R-YUAN-01,2021-10-12,1,1000.005'].join('\n'),
  });
  assert.equal(r.statusCode, 400, r.body);
  const ids = await receive([`R-NOBODY-01,2021-10-12,666666,4200`]);
  const id = ids.get('R-NOBODY-01') ?? 0;
  const before = await t.ctx.db
    .selectFrom('outbox')
    .select((e) => e.fn.countAll().as('n'))
    .where('topic', '=', 'case.status')
    .executeTakeFirstOrThrow();
  const prepared = await send('POST', `/api/v1/payments/${id}/reverse`, clerk, {
    reasonKind: 'refund',
    reason: '查无此单位，退回',
  });
  const released = await send(
    'POST',
    `/api/v1/approvals/${prepared.json<{ id: number }>().id}/release`,
    reviewer,
    {},
  );
  assert.equal(released.statusCode, 200, released.body);
  const afterCount = await t.ctx.db
    .selectFrom('outbox')
    .select((e) => e.fn.countAll().as('n'))
    .where('topic', '=', 'case.status')
    .executeTakeFirstOrThrow();
  assert.equal(Number(afterCount.n), Number(before.n));
  await balanced();
});

test('together: a short receipt and its top-up pay the bill, late fee to the day the last came; every wrong choice refused with nothing written', async () => {
  const bill = await openBill();
  const spare = await openBill();
  const foreignIds = await t.app.inject({
    method: 'POST',
    url: '/api/v1/payments/bank-receipts.csv?region=340100',
    headers: { ...farClerk.headers, 'content-type': 'text/csv' },
    payload: `${BANK_RECEIPT_HEADER}\nR-JOIN-FAR,2021-10-12,888888,40000\n`,
  });
  assert.equal(foreignIds.statusCode, 200, foreignIds.body);
  const far = foreignIds.json<{ results: Array<{ paymentId: number }> }>().results[0]?.paymentId ?? 0;
  // Due 2021-10-15: the top-up came on the 18th, so three days of late fee run on the whole bill.
  const b = await fullBill(bill);
  const due = amountDue(t.ctx.params, b, '2021-10-18');
  assert.ok(due.lateFeeFen > 0, 'the top-up came late');
  const topUp = due.totalFen - 60_000;
  const ids = await receive([
    `R-JOIN-SHORT,2021-10-12,${bill},60000`,
    `R-JOIN-TOPUP,2021-10-18,${bill},${topUp}`,
    `R-JOIN-ODD,2021-10-18,888888,12345`,
    `R-JOIN-REFUND,2021-10-18,888888,${topUp}`,
    `R-JOIN-ONLINE,2021-10-18,888888,${topUp}`,
  ]);
  const id = (ref: string) => ids.get(ref) ?? 0;
  const short = id('R-JOIN-SHORT');
  const top = id('R-JOIN-TOPUP');
  const together = (who: LoginResult, paymentIds: number[], billId = bill) =>
    send('POST', '/api/v1/payments/allocate', who, {
      paymentIds,
      billId,
      reason: '单位补缴差额，两笔合并缴清',
    });
  const refusal = (r: { json: <T>() => T }) => r.json<{ error: { message: string } }>().error.message;

  // What the clerk weighs the receipts against: the amount due on the day the last of them came.
  const dueUrl = (billId: number) => `/api/v1/payments/held/due?billId=${billId}&on=2021-10-18`;
  const weighed = await send('GET', dueUrl(bill), clerk);
  assert.equal(weighed.statusCode, 200, weighed.body);
  assert.equal(weighed.json<{ due: { totalFen: number } }>().due.totalFen, due.totalFen);
  assert.equal((await send('GET', dueUrl(bill), employer)).statusCode, 403);
  const unknown = await send('GET', dueUrl(999_999_999), clerk);
  assert.equal(unknown.statusCode, 404, unknown.body);
  assert.deepEqual((await send('GET', dueUrl(bill), farClerk)).json(), unknown.json());
  // The payer, a citizen: forbidden. Another district's clerk: our receipts are not found there.
  assert.equal((await together(employer, [short, top])).statusCode, 403);
  assert.equal((await together(citizen, [short, top])).statusCode, 403);
  assert.equal((await together(farClerk, [short, top])).statusCode, 404);
  // Another district's receipt or bill answers as numbers that do not exist.
  const nowhere = await together(clerk, [short, 999_999_999]);
  assert.equal(nowhere.statusCode, 404, nowhere.body);
  assert.deepEqual((await together(clerk, [short, far])).json(), nowhere.json());
  const foreignBill = await openBill({ region: '340100' });
  const noBill = await together(clerk, [short, top], 999_999_999);
  assert.equal(noBill.statusCode, 404, noBill.body);
  assert.deepEqual((await together(clerk, [short, top], foreignBill)).json(), noBill.json());
  // The same receipt twice cannot make up the sum.
  const twice = await together(clerk, [short, short]);
  assert.equal(twice.statusCode, 400, twice.body);
  assert.match(refusal(twice), /出现了两次/);
  // Short alone: the difference named; with the wrong top-up: the sum against the amount due.
  const alone = await together(clerk, [short]);
  assert.equal(alone.statusCode, 409, alone.body);
  assert.match(refusal(alone), /暂收款 ¥600\.00 少于账单应缴.*不能部分缴费/);
  const odd = await together(clerk, [short, id('R-JOIN-ODD')]);
  assert.equal(odd.statusCode, 409, odd.body);
  assert.match(refusal(odd), /所选 2 笔暂收款合计 ¥723\.45 少于账单应缴.*计至最后一笔到账日 2021-10-18/);
  // An online order's surplus goes back where it came from; a receipt whose refund awaits review stays put.
  await t.ctx.db
    .insertInto('online_payment_order')
    .values({
      order_no: 'SB00000000000000000000A001',
      bill_id: spare,
      person_id: t.personId,
      region: TEST_REGION,
      amount_fen: topUp,
      status: 'refund_due',
      created_by: 'test',
      expires_at: '2021-10-19T00:00:00Z',
      payment_id: id('R-JOIN-ONLINE'),
    })
    .execute();
  const online = await together(clerk, [short, id('R-JOIN-ONLINE')]);
  assert.equal(online.statusCode, 409, online.body);
  assert.match(
    refusal(online),
    /流水 R-JOIN-ONLINE：网上缴费订单 SB00000000000000000000A001 的重复支付款只能原路退费/,
  );
  const prepared = await send('POST', `/api/v1/payments/${id('R-JOIN-REFUND')}/reverse`, clerk, {
    reasonKind: 'refund',
    reason: '缴费人申请退费',
  });
  assert.equal(prepared.statusCode, 200, prepared.body);
  const inReview = await together(clerk, [id('R-JOIN-REFUND'), short]);
  assert.equal(inReview.statusCode, 409, inReview.body);
  assert.match(refusal(inReview), /流水 R-JOIN-REFUND：该暂收款的退费正待复核/);
  // Nothing of the refusals was written.
  assert.equal(await status(short), 'unallocated');
  const allocations = () =>
    t.ctx.db
      .selectFrom('audit_log')
      .select(['entity_id', 'after', 'reason'])
      .where('action', '=', 'payment.allocate')
      .where('entity_id', 'in', [String(short), String(top)])
      .orderBy('entity_id')
      .execute();
  assert.deepEqual(await allocations(), []);

  // Together they pay it: paid on the 18th, the short receipt pays contributions, the top-up the rest and the late fee.
  const ok = await together(clerk, [top, short]);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json(), {
    billId: bill,
    amountFen: due.totalFen,
    contributionFen: 100_000,
    lateFeeFen: due.lateFeeFen,
    paidDate: '2021-10-18',
    status: 'matched',
    payments: [
      {
        paymentId: short,
        bankRef: 'R-JOIN-SHORT',
        paidDate: '2021-10-12',
        amountFen: 60_000,
        contributionFen: 60_000,
        lateFeeFen: 0,
      },
      {
        paymentId: top,
        bankRef: 'R-JOIN-TOPUP',
        paidDate: '2021-10-18',
        amountFen: topUp,
        contributionFen: 40_000,
        lateFeeFen: due.lateFeeFen,
      },
    ],
  });
  const paid = await t.ctx.db
    .selectFrom('contribution_bill')
    .select(['status', 'paid_date'])
    .where('id', '=', bill)
    .executeTakeFirstOrThrow();
  assert.deepEqual(paid, { status: 'paid', paid_date: '2021-10-18' });
  const rows = await t.ctx.db
    .selectFrom('contribution_payment')
    .select(['id', 'status', 'bill_id', 'contribution_fen', 'late_fee_fen'])
    .where('id', 'in', [short, top])
    .orderBy('id')
    .execute();
  assert.deepEqual(
    rows.map((r) => [
      Number(r.id),
      r.status,
      Number(r.bill_id),
      Number(r.contribution_fen),
      Number(r.late_fee_fen),
    ]),
    [
      [short, 'matched', bill, 60_000, 0],
      [top, 'matched', bill, 40_000, due.lateFeeFen],
    ],
  );
  // Each receipt's audit entry names the other and why the late fee ran to the 18th.
  const audit = await allocations();
  assert.equal(audit.length, 2);
  for (const [a, other] of [
    [audit[0], 'R-JOIN-TOPUP'],
    [audit[1], 'R-JOIN-SHORT'],
  ] as const) {
    const after = (typeof a?.after === 'string' ? JSON.parse(a.after) : a?.after) as {
      together: Array<{ bankRef: string }>;
      lateFeeTo: string;
      billPaidDate: string;
    };
    assert.deepEqual(
      after.together.map((x) => x.bankRef),
      [other],
    );
    assert.match(after.lateFeeTo, /^2021-10-18: 最后一笔到账之日/);
    assert.equal(a?.reason, '单位补缴差额，两笔合并缴清');
  }
  // One payment event for the hall, of the bill's whole amount.
  const events = await t.ctx.db
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', 'payment.recorded')
    .execute();
  const mine = events
    .map(
      (e) =>
        (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as {
          billId: number;
          amountFen: number;
        },
    )
    .filter((e) => e.billId === bill);
  assert.deepEqual(
    mine.map((e) => e.amountFen),
    [due.totalFen],
  );
  // Matched now: neither receipt goes to another bill, alone or together.
  const again = await together(clerk, [short, top], spare);
  assert.equal(again.statusCode, 409, again.body);
  assert.match(refusal(again), /流水 R-JOIN-SHORT：该暂收款已分配到账单/);
  await balanced();
});

test('together, twice at once over the same receipts in either order: one bill paid, the other clerk refused, no deadlock', async () => {
  const x = await openBill();
  const y = await openBill();
  const ids = await receive([`R-JRACE-01,2021-10-12,888888,60000`, `R-JRACE-02,2021-10-13,888888,40000`]);
  await ofOurEmployer(ids.values());
  const a = ids.get('R-JRACE-01') ?? 0;
  const b = ids.get('R-JRACE-02') ?? 0;
  const both = await Promise.all([
    send('POST', '/api/v1/payments/allocate', clerk, { paymentIds: [a, b], billId: x, reason: '并发一' }),
    send('POST', '/api/v1/payments/allocate', clerk, { paymentIds: [b, a], billId: y, reason: '并发二' }),
  ]);
  assert.deepEqual(both.map((r) => r.statusCode).sort(), [200, 409]);
  const paid = await t.ctx.db
    .selectFrom('contribution_bill')
    .select('id')
    .where('id', 'in', [x, y])
    .where('status', '=', 'paid')
    .execute();
  assert.equal(paid.length, 1, 'one bill paid by the two receipts');
  await balanced();
});

/** A bill paid by two held receipts together (60,000 and 40,000 fen, before the due day: no late fee): their ids. */
async function paidTogether(tag: string): Promise<{ bill: number; a: number; b: number }> {
  const bill = await openBill();
  const ids = await receive([`R-${tag}-A,2021-10-12,${bill},60000`, `R-${tag}-B,2021-10-13,${bill},40000`]);
  const a = ids.get(`R-${tag}-A`) ?? 0;
  const b = ids.get(`R-${tag}-B`) ?? 0;
  const ok = await send('POST', '/api/v1/payments/allocate', clerk, {
    paymentIds: [a, b],
    billId: bill,
    reason: '两笔合并缴清',
  });
  assert.equal(ok.statusCode, 200, ok.body);
  return { bill, a, b };
}

const billRow = (id: number) =>
  t.ctx.db
    .selectFrom('contribution_bill')
    .select(['status', 'paid_date'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const audits = async (action: string, entityId: number) =>
  (
    await t.ctx.db
      .selectFrom('audit_log')
      .select(['after', 'reason', 'actor_username'])
      .where('action', '=', action)
      .where('entity_id', '=', String(entityId))
      .execute()
  ).map((a) => ({
    ...a,
    after: (typeof a.after === 'string' ? JSON.parse(a.after) : a.after) as Record<string, unknown>,
  }));

const caseEvents = async () =>
  Number(
    (
      await t.ctx.db
        .selectFrom('outbox')
        .select((e) => e.fn.countAll().as('n'))
        .where('topic', '=', 'case.status')
        .executeTakeFirstOrThrow()
    ).n,
  );

test('the bank returns one receipt of a bill paid together: the bill opens again, the other goes back to held with its money, the reviewer saw it first; the payer tops up and both pay it again', async () => {
  // A personal-account part, so the account's credit is posted and reversed with the payment.
  const bill = await openBill({ personalAccountFen: 8_000 });
  const b = await fullBill(bill);
  const due = amountDue(t.ctx.params, b, '2021-10-18');
  const ids = await receive([
    `R-BACK-SHORT,2021-10-12,${bill},60000`,
    `R-BACK-TOPUP,2021-10-18,${bill},${due.totalFen - 60_000}`,
  ]);
  const short = ids.get('R-BACK-SHORT') ?? 0;
  const top = ids.get('R-BACK-TOPUP') ?? 0;
  const joint = await send('POST', '/api/v1/payments/allocate', clerk, {
    paymentIds: [short, top],
    billId: bill,
    reason: '单位补缴差额，两笔合并缴清',
  });
  assert.equal(joint.statusCode, 200, joint.body);
  const reverse = (who: LoginResult, id: number, reason = '银行退票：付款账户已销户') =>
    send('POST', `/api/v1/payments/${id}/reverse`, who, { reasonKind: 'bank_return', reason });

  // Another district’s clerk (as for an unknown receipt), the payer, a citizen, nobody: refused, nothing prepared.
  assert.equal((await reverse(farClerk, top)).statusCode, 404);
  assert.equal((await reverse(employer, top)).statusCode, 403);
  assert.equal((await reverse(citizen, top)).statusCode, 403);
  const anonymous = await t.app.inject({
    method: 'POST',
    url: `/api/v1/payments/${top}/reverse`,
    payload: { reasonKind: 'bank_return', reason: '银行退票' },
  });
  assert.equal(anonymous.statusCode, 401);
  // A reason of spaces only, a control character, 501 characters: refused at the edge.
  for (const reason of ['   ', '\u3000\u3000', '退\u0007票', 'x'.repeat(501)])
    assert.equal((await reverse(clerk, top, reason)).statusCode, 400, JSON.stringify(reason));

  // Prepared: the reviewer reads that the bill reopens and which receipt goes back to held.
  const prepared = await reverse(clerk, top);
  assert.equal(prepared.statusCode, 200, prepared.body);
  const approval = prepared.json<{
    id: number;
    summary: {
      billId: number;
      bankRef: string;
      heldAgain: Array<{ paymentId: number; bankRef: string; amountFen: number }>;
    };
  }>();
  assert.equal(approval.summary.bankRef, 'R-BACK-TOPUP');
  assert.deepEqual(
    approval.summary.heldAgain.map((h) => [h.paymentId, h.bankRef, h.amountFen]),
    [[short, 'R-BACK-SHORT', 60_000]],
  );
  // The other receipt cannot be sent to review as well: its outcome is already in this one.
  const second = await reverse(clerk, short);
  assert.equal(second.statusCode, 409, second.body);
  assert.match(second.json<{ error: { message: string } }>().error.message, /已有待复核的冲正/);
  // The maker does not release their own.
  assert.equal((await send('POST', `/api/v1/approvals/${approval.id}/release`, clerk, {})).statusCode, 403);
  const events = await caseEvents();
  const released = await send('POST', `/api/v1/approvals/${approval.id}/release`, reviewer, {});
  assert.equal(released.statusCode, 200, released.body);

  // The returned receipt is reversed, the other held again with its own money, the bill open.
  assert.equal(await status(top), 'reversed');
  const back = await t.ctx.db
    .selectFrom('contribution_payment')
    .select(['status', 'amount_fen', 'contribution_fen', 'late_fee_fen', 'bill_id'])
    .where('id', '=', short)
    .executeTakeFirstOrThrow();
  assert.deepEqual(
    [
      back.status,
      Number(back.amount_fen),
      Number(back.contribution_fen),
      Number(back.late_fee_fen),
      Number(back.bill_id),
    ],
    ['unallocated', 60_000, 0, 0, bill],
  );
  assert.deepEqual(await billRow(bill), { status: 'open', paid_date: null });
  const listed = (await send('GET', '/api/v1/payments/held', clerk)).json<Held>();
  const again = listed.items.find((i) => i.paymentId === short);
  assert.deepEqual([again?.status, again?.amountFen, again?.billId], ['held', 60_000, bill]);
  // Audited per receipt, each naming the returned one; the payer is told of no refund that did not happen.
  const [reversed] = await audits('payment.reverse', top);
  assert.deepEqual(
    (reversed?.after.heldAgain as Array<{ bankRef: string }>).map((h) => h.bankRef),
    ['R-BACK-SHORT'],
  );
  const [heldAgain, ...more] = await audits('payment.held-again', short);
  assert.equal(more.length, 0);
  assert.equal((heldAgain?.after.returnedReceipt as { bankRef: string }).bankRef, 'R-BACK-TOPUP');
  assert.equal((heldAgain?.after.payer as { id: number }).id, t.employerId);
  assert.equal(heldAgain?.reason, '银行退票：付款账户已销户');
  assert.equal(await caseEvents(), events);
  await balanced();

  // Returned twice: the approval is decided, the receipt reversed; nothing moves.
  assert.equal(
    (await send('POST', `/api/v1/approvals/${approval.id}/release`, reviewer, {})).statusCode,
    409,
  );
  assert.equal((await reverse(clerk, top)).statusCode, 409);
  assert.deepEqual(
    await new ContributionService(t.ctx.db, t.ctx.params).reversePayment(
      systemActor('test'),
      top,
      'bank_return',
      '再退一次',
    ),
    { paymentId: top, status: 'reversed' },
  );
  assert.equal(await status(short), 'unallocated');

  // The payer tops up again: the held receipt and the new top-up pay the bill (entries of their own).
  const due19 = amountDue(t.ctx.params, b, '2021-10-19');
  const retop =
    (await receive([`R-BACK-RETOP,2021-10-19,${bill},${due19.totalFen - 60_000}`])).get('R-BACK-RETOP') ?? 0;
  const repaid = await send('POST', '/api/v1/payments/allocate', clerk, {
    paymentIds: [short, retop],
    billId: bill,
    reason: '单位重新补缴差额',
  });
  assert.equal(repaid.statusCode, 200, repaid.body);
  assert.deepEqual(await billRow(bill), { status: 'paid', paid_date: '2021-10-19' });
  await balanced();
});

test("a joint bill's two receipts returned at once, the same receipt returned twice at once, and a review prepared before the other came back: one outcome each", async () => {
  const svc = new ContributionService(t.ctx.db, t.ctx.params);
  const sys = systemActor('test');
  // Two clerks, one receipt each: one undoes the allocation, the other finds its receipt held and is refused.
  const one = await paidTogether('TWO');
  const both = await Promise.allSettled([
    svc.reversePayment(sys, one.a, 'bank_return', '银行退票一'),
    svc.reversePayment(sys, one.b, 'bank_return', '银行退票二'),
  ]);
  assert.deepEqual(both.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  assert.deepEqual([await status(one.a), await status(one.b)].sort(), ['reversed', 'unallocated']);
  assert.equal((await billRow(one.bill)).status, 'open');
  await balanced();
  // The same receipt twice at once: reversed once, the other held again once.
  const two = await paidTogether('TWICE');
  await Promise.all([
    svc.reversePayment(sys, two.a, 'bank_return', '银行退票'),
    svc.reversePayment(sys, two.a, 'bank_return', '银行退票'),
  ]);
  assert.deepEqual([await status(two.a), await status(two.b)], ['reversed', 'unallocated']);
  assert.equal((await audits('payment.held-again', two.b)).length, 1);
  await balanced();
  // A review prepared while both paid the bill; the other receipt came back first: its release is refused.
  const three = await paidTogether('STALE');
  const prepared = await send('POST', `/api/v1/payments/${three.a}/reverse`, clerk, {
    reasonKind: 'bank_return',
    reason: '银行退票',
  });
  assert.equal(prepared.statusCode, 200, prepared.body);
  await svc.reversePayment(sys, three.b, 'bank_return', '银行退票');
  const stale = await send(
    'POST',
    `/api/v1/approvals/${prepared.json<{ id: number }>().id}/release`,
    reviewer,
    {},
  );
  assert.equal(stale.statusCode, 409, stale.body);
  assert.match(stale.json<{ error: { message: string } }>().error.message, /转回暂收款，原申请作废/);
  assert.equal(await status(three.a), 'unallocated');
  await balanced();
});

test('receipts of two payers do not pay one bill together, in words naming each; one of unknown payer joins, and the audit names the payers', async () => {
  const bill = await openBill();
  const otherEmployer = await makeEmployer(t.ctx.db, { region: TEST_REGION, name: '乙公司测试' });
  const theirs = await openBill({ employerId: otherEmployer.id });
  const ids = await receive([
    `R-PAYER-OURS,2021-10-12,${bill},60000`,
    `R-PAYER-THEIRS,2021-10-12,${theirs},40000`,
    `R-PAYER-NOBODY,2021-10-13,888888,40000`,
  ]);
  const id = (ref: string) => ids.get(ref) ?? 0;
  const mixed = await send('POST', '/api/v1/payments/allocate', clerk, {
    paymentIds: [id('R-PAYER-OURS'), id('R-PAYER-THEIRS')],
    billId: bill,
    reason: '合并缴清',
  });
  assert.equal(mixed.statusCode, 409, mixed.body);
  assert.match(
    mixed.json<{ error: { message: string } }>().error.message,
    /所选暂收款来自不同缴费人（R-PAYER-OURS：.+；R-PAYER-THEIRS：乙公司测试），不能合并缴清一张账单/,
  );
  assert.equal(await status(id('R-PAYER-OURS')), 'unallocated');
  // Money of no known payer joins the payer's receipt only with a reviewer's release (四眼).
  const prepared = await send('POST', '/api/v1/payments/allocate', clerk, {
    paymentIds: [id('R-PAYER-OURS'), id('R-PAYER-NOBODY')],
    billId: bill,
    reason: '单位来电确认未列账单的一笔是补缴',
  });
  assert.equal(prepared.statusCode, 202, prepared.body);
  const ok = await send(
    'POST',
    `/api/v1/approvals/${prepared.json<{ id: number }>().id}/release`,
    reviewer,
    {},
  );
  assert.equal(ok.statusCode, 200, ok.body);
  const [ours] = await audits('payment.allocate', id('R-PAYER-OURS'));
  const [nobody] = await audits('payment.allocate', id('R-PAYER-NOBODY'));
  assert.equal((await audits('payment.allocate', id('R-PAYER-OURS'))).length, 1);
  const together = ours?.after.together as Array<{ bankRef: string; payer: unknown }>;
  assert.deepEqual(together, [{ paymentId: id('R-PAYER-NOBODY'), bankRef: 'R-PAYER-NOBODY', payer: null }]);
  const before = (
    await t.ctx.db
      .selectFrom('audit_log')
      .select('before')
      .where('action', '=', 'payment.allocate')
      .where('entity_id', '=', String(id('R-PAYER-OURS')))
      .executeTakeFirstOrThrow()
  ).before;
  const payer = ((typeof before === 'string' ? JSON.parse(before) : before) as { payer: { id: number } })
    .payer;
  assert.equal(payer.id, t.employerId);
  assert.equal((nobody?.after.together as Array<{ payer: { id: number } }>)[0]?.payer.id, t.employerId);
  await balanced();
});

test("the allocation reason (and a refund's): control characters, 501 characters, spaces only are refused at the edge and nothing is written", async () => {
  const bill = await openBill();
  const held = (await receive([`R-REASON-01,2021-10-12,888888,100000`])).get('R-REASON-01') ?? 0;
  for (const reason of [
    '单位\u0000确认',
    '单位\u001b[31m确认',
    '单位\u202e确认',
    'x'.repeat(501),
    '   ',
    '\u3000\u3000',
    ' \n\t ',
  ])
    for (const [url, body] of [
      ['/api/v1/payments/allocate', { paymentIds: [held], billId: bill, reason }],
      [`/api/v1/payments/${held}/allocate`, { billId: bill, reason }],
    ] as const) {
      const r = await send('POST', url, clerk, body);
      assert.equal(r.statusCode, 400, `${JSON.stringify(reason)} ${url} ${r.body}`);
    }
  assert.equal(await status(held), 'unallocated');
  assert.deepEqual(await audits('payment.allocate', held), []);
  // The refund's reason likewise: spaces alone prepared a refund for review before.
  const blank = await send('POST', `/api/v1/payments/${held}/reverse`, clerk, {
    reasonKind: 'refund',
    reason: '    ',
  });
  assert.equal(blank.statusCode, 400, blank.body);
  assert.match(blank.json<{ error: { message: string } }>().error.message, /不能只有空格/);
});

test("四眼: held money of no known payer, or of another payer, reaches a bill only by a reviewer's release, whose line says what moves where; the attacker cannot release it, nothing takes the receipt meanwhile, and the release checks again", async () => {
  const bill = await openBill();
  const later = await openBill();
  const otherEmployer = await makeEmployer(t.ctx.db, { region: TEST_REGION, name: '丙公司测试' });
  const ids = await receive([`R-4E-NOBODY,2021-10-12,666666,100000`, `R-4E-THEIRS,2021-10-12,666666,100000`]);
  const nobody = ids.get('R-4E-NOBODY') ?? 0;
  const theirs = ids.get('R-4E-THEIRS') ?? 0;
  await t.ctx.db
    .updateTable('contribution_payment')
    .set({ employer_id: otherEmployer.id })
    .where('id', '=', theirs)
    .execute();
  // On the code before this pass both were allocated at once (200) by the one clerk.
  const prepared = await send('POST', `/api/v1/payments/${nobody}/allocate`, clerk, {
    billId: bill,
    reason: '单位来电确认',
  });
  assert.equal(prepared.statusCode, 202, prepared.body);
  const a = prepared.json<{ id: number; kind: string; summary: Record<string, unknown> }>();
  assert.equal(a.kind, 'payment.allocate');
  assert.deepEqual(a.summary, {
    bill: {
      billId: bill,
      period: '2021-10',
      payer: { kind: 'employer', id: t.employerId, name: '宣城测试有限公司' },
    },
    amountFen: 100000,
    lateFeeFen: 0,
    paidDate: '2021-10-12',
    receipts: [
      { paymentId: nobody, bankRef: 'R-4E-NOBODY', amountFen: 100000, paidDate: '2021-10-12', payer: null },
    ],
  });
  const other = await send('POST', `/api/v1/payments/${theirs}/allocate`, clerk, {
    billId: later,
    reason: '核对',
  });
  assert.equal(other.statusCode, 202, other.body);
  assert.equal(await status(nobody), 'unallocated');
  assert.equal((await fullBill(bill)).status, 'open');
  const list = (await send('GET', '/api/v1/payments/held', clerk)).json<Held>();
  assert.equal(list.items.find((i) => i.paymentId === nobody)?.status, 'allocateReview');
  assert.equal(list.items.find((i) => i.paymentId === nobody)?.approvalId, a.id);
  // Meanwhile nothing else takes the receipt: not alone, not with another, not its refund.
  for (const [url, body] of [
    [`/api/v1/payments/${nobody}/allocate`, { billId: later, reason: '再分配' }],
    ['/api/v1/payments/allocate', { paymentIds: [nobody, theirs], billId: later, reason: '合并' }],
    [`/api/v1/payments/${nobody}/reverse`, { reasonKind: 'refund', reason: '退费' }],
  ] as const) {
    const r = await send('POST', url, clerk, body);
    assert.equal(r.statusCode, 409, `${url}: ${r.body}`);
    assert.match(r.json<{ error: { message: string } }>().error.message, /待复核/);
  }
  // The maker, another city's reviewer, the payer: none releases it.
  const farReviewer = await loginAsNew(t, 'farreviewer4e', { role: 'reviewer', region: '340100' });
  const release = (who: LoginResult, id: number) => send('POST', `/api/v1/approvals/${id}/release`, who, {});
  assert.equal((await release(clerk, a.id)).statusCode, 403);
  assert.equal((await release(farReviewer, a.id)).statusCode, 404);
  assert.equal((await release(employer, a.id)).statusCode, 403);
  assert.equal(await status(nobody), 'unallocated');
  // Two reviewers at once: one release, one allocation.
  const second = await loginAsNew(t, 'reviewer4e', {
    role: 'reviewer',
    region: TEST_REGION,
    personId: (await makePerson(t.ctx.db)).id,
  });
  const both = await Promise.all([release(reviewer, a.id), release(second, a.id)]);
  assert.deepEqual(both.map((r) => r.statusCode).sort(), [200, 409]);
  assert.equal(await status(nobody), 'matched');
  assert.equal((await fullBill(bill)).status, 'paid');
  const [entry] = await audits('payment.allocate', nobody);
  assert.equal(entry?.actor_username, clerk.user.username, "the allocation runs with the maker's authority");
  // The release checks again: the bill the other receipt was meant for was paid meanwhile.
  await send('POST', `/api/v1/bills/${later}/payments`, clerk, {});
  const stale = await release(reviewer, other.json<{ id: number }>().id);
  assert.equal(stale.statusCode, 409, stale.body);
  assert.equal(await status(theirs), 'unallocated');
  await balanced();
});

test('the payer is told: a bank return reopens the bill (which bill, what is due now, from when the late fee runs), held money allocated to their bill (which payment); once each, however often the hall runs', async () => {
  const bill = await openBill();
  const paid = await receive([`R-MSG-PAID,2021-10-12,${bill},100000`]);
  const payment = paid.get('R-MSG-PAID') ?? 0;
  assert.equal(await status(payment), 'matched');
  const prepared = await send('POST', `/api/v1/payments/${payment}/reverse`, clerk, {
    reasonKind: 'bank_return',
    reason: '银行退票：账户冻结',
  });
  assert.equal(prepared.statusCode, 200, prepared.body);
  const released = await send(
    'POST',
    `/api/v1/approvals/${prepared.json<{ id: number }>().id}/release`,
    reviewer,
    {},
  );
  assert.equal(released.statusCode, 200, released.body);
  const later = await openBill();
  const held = await receive([`R-MSG-HELD,2021-10-12,555555,100000`]);
  await ofOurEmployer(held.values());
  const allocated = await send('POST', `/api/v1/payments/${held.get('R-MSG-HELD') ?? 0}/allocate`, clerk, {
    billId: later,
    reason: '单位来电确认',
  });
  assert.equal(allocated.statusCode, 200, allocated.body);
  await consumeEvents(t.ctx);
  await consumeEvents(t.ctx);
  // the hall's own table (its rows are the hall's, read here as the payer would see them)
  const messages = (
    await sql<{ topic: string; body_zh: string; body_en: string; link: string }>`
      SELECT topic, body_zh, body_en, link FROM hall_message
      WHERE employer_id = ${t.employerId} AND (body_zh LIKE '%R-MSG-%' OR body_en LIKE '%R-MSG-%')
      ORDER BY id`.execute(t.ctx.db)
  ).rows;
  // On the code before this pass the return told nobody and the allocation said only "received".
  assert.deepEqual(
    messages.map((m) => m.topic),
    ['bill.reopened', 'payment.recorded'],
  );
  const [reopened, applied] = messages;
  assert.match(
    reopened?.body_zh ?? '',
    new RegExp(
      `银行退回了您为账单编号 ${bill} 缴纳的 ¥1,000\\.00（流水 R-MSG-PAID）.*现应缴 ¥1,00\\d\\.\\d\\d（含滞纳金.*滞纳金自.+起按日加收`,
    ),
  );
  assert.match(
    reopened?.body_en ?? '',
    new RegExp(
      `The bank returned the ¥1,000\\.00 you paid for bill no\\. ${bill}.*late fee has run daily since`,
    ),
  );
  assert.equal(reopened?.link, '/employer/bills');
  assert.match(
    applied?.body_zh ?? '',
    new RegExp(`流水 R-MSG-HELD）共 ¥1,000\\.00 已分配到账单编号 ${later}`),
  );
  assert.match(
    applied?.body_en ?? '',
    new RegExp(`Your payment of ¥1,000\\.00 \\(bank ref R-MSG-HELD\\) was applied to bill no\\. ${later}`),
  );
  await balanced();
});

test('a clerk finds a payment by bank reference or bill to return it (退票): what the return would put back to held, its review once prepared; another city finds nothing, the payer and an anonymous caller nothing at all', async () => {
  const bill = await openBill();
  const ids = await receive([`R-FIND-SHORT,2021-10-12,${bill},60000`, `R-FIND-TOP,2021-10-13,${bill},40000`]);
  const short = ids.get('R-FIND-SHORT') ?? 0;
  const top = ids.get('R-FIND-TOP') ?? 0;
  const joint = await send('POST', '/api/v1/payments/allocate', clerk, {
    paymentIds: [short, top],
    billId: bill,
    reason: '合并缴清',
  });
  assert.equal(joint.statusCode, 200, joint.body);
  type Found = {
    items: Array<{
      paymentId: number;
      status: string;
      billId: number;
      reversalReview: number | null;
      heldAgain: Array<{ bankRef: string }>;
    }>;
  };
  // On the code before this pass there was no such route (404).
  const byRef = await send('GET', '/api/v1/payments?bankRef=R-FIND-TOP', clerk);
  assert.equal(byRef.statusCode, 200, byRef.body);
  assert.deepEqual(
    byRef
      .json<Found>()
      .items.map((i) => [
        i.paymentId,
        i.status,
        i.billId,
        i.reversalReview,
        i.heldAgain.map((h) => h.bankRef),
      ]),
    [[top, 'matched', bill, null, ['R-FIND-SHORT']]],
  );
  const byBill = await send('GET', `/api/v1/payments?billId=${bill}`, clerk);
  assert.deepEqual(
    byBill
      .json<Found>()
      .items.map((i) => i.paymentId)
      .sort(),
    [short, top].sort(),
  );
  const far = await send('GET', '/api/v1/payments?bankRef=R-FIND-TOP', farClerk);
  assert.equal(far.statusCode, 200, far.body);
  assert.deepEqual(far.json<Found>().items, []);
  assert.equal((await send('GET', '/api/v1/payments?bankRef=R-FIND-TOP', employer)).statusCode, 403);
  assert.equal((await send('GET', '/api/v1/payments?bankRef=R-FIND-TOP', citizen)).statusCode, 403);
  assert.equal(
    (await t.app.inject({ method: 'GET', url: '/api/v1/payments?bankRef=R-FIND-TOP' })).statusCode,
    401,
  );
  assert.equal(
    (
      await send('POST', `/api/v1/payments/${top}/reverse`, farClerk, {
        reasonKind: 'bank_return',
        reason: '银行退票',
      })
    ).statusCode,
    404,
  );
  const prepared = await send('POST', `/api/v1/payments/${top}/reverse`, clerk, {
    reasonKind: 'bank_return',
    reason: '银行退票：账户已销户',
  });
  assert.equal(prepared.statusCode, 200, prepared.body);
  const after = await send('GET', '/api/v1/payments?bankRef=R-FIND-TOP', clerk);
  assert.equal(after.json<Found>().items[0]?.reversalReview, prepared.json<{ id: number }>().id);
});
