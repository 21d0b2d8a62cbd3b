// GET /api/v1/bills/{id}/history through the real app: a bill paid by a short receipt and its top-up
// together, the bank returning the top-up (prepared, then released by a reviewer) — what the clerk reads
// at each step — and who may ask, tried as the attacker would: another city's clerk, the payer, a
// citizen, nobody.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { beforeBillMoneyTests, billMoneyTools, makeRegionBill } from '../testing/bill-fixtures.ts';
import type { LoginResult, TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';
import { amountDue } from './bill-support.ts';

let t: TestApp;
let clerk: LoginResult;
let reviewer: LoginResult;

interface History {
  billId: number;
  lateFee: { from: string; dailyRateBp: number };
  events: Array<{
    action: string;
    actorUsername: string | null;
    reason: string | null;
    paymentId: number | null;
    approvalId: number | null;
    releasedBy: string | null;
  }>;
  payments: Array<{
    paymentId: number;
    bankRef: string | null;
    amountFen: number;
    channel: string;
    status: string;
    reversal: {
      kind: string | null;
      reason: string | null;
      by: string | null;
      approvalId: number | null;
      releasedBy: string | null;
    } | null;
    inReview: { approvalId: number; kind: string } | null;
  }>;
  openApprovals: Array<{ id: number; kind: string; reason: string | null }>;
}

const { send, openBill, receive } = billMoneyTools(
  () => t,
  () => clerk,
);
const history = async (billId: number, who = clerk) => {
  const r = await send('GET', `/api/v1/bills/${billId}/history`, who);
  assert.equal(r.statusCode, 200, r.body);
  return r.json<History>();
};

beforeBillMoneyTests((made) => {
  ({ t, clerk, reviewer } = made);
});

test('a bill paid together, then a receipt returned by the bank: issued, received, allocated, the return awaiting review, then released — with the reason and the reviewer', async () => {
  const bill = await openBill();
  const b = await t.ctx.db
    .selectFrom('contribution_bill')
    .selectAll()
    .where('id', '=', bill)
    .executeTakeFirstOrThrow();
  const due = amountDue(t.ctx.params, b, '2021-10-18');
  await receive([`H-SHORT,2021-10-12,${bill},60000`, `H-TOPUP,2021-10-18,${bill},${due.totalFen - 60_000}`]);
  const fresh = await history(bill);
  // The late fee runs from the day after the due date (2021-10-15), 0.05 % a day.
  assert.deepEqual(fresh.lateFee, { from: '2021-10-16', dailyRateBp: 5 });
  assert.deepEqual(
    fresh.payments.map((p) => [p.bankRef, p.channel, p.status]),
    [
      ['H-SHORT', 'bank', 'unallocated'],
      ['H-TOPUP', 'bank', 'unallocated'],
    ],
  );
  const [short, top] = fresh.payments.map((p) => p.paymentId) as [number, number];
  const joint = await send('POST', '/api/v1/payments/allocate', clerk, {
    paymentIds: [short, top],
    billId: bill,
    reason: '单位补缴差额，两笔合并缴清',
  });
  assert.equal(joint.statusCode, 200, joint.body);
  const prepared = await send('POST', `/api/v1/payments/${top}/reverse`, clerk, {
    reasonKind: 'bank_return',
    reason: '银行退票：付款账户已销户',
  });
  assert.equal(prepared.statusCode, 200, prepared.body);
  const approvalId = prepared.json<{ id: number }>().id;

  // Awaiting review: the top-up names its approval, the bill's open approvals list it with its reason.
  const waiting = await history(bill);
  assert.deepEqual(waiting.payments.find((p) => p.paymentId === top)?.inReview, {
    approvalId,
    kind: 'payment.reverse',
  });
  assert.deepEqual(
    waiting.openApprovals.map((a) => [a.id, a.kind, a.reason]),
    [[approvalId, 'payment.reverse', '银行退票：付款账户已销户']],
  );

  assert.equal((await send('POST', `/api/v1/approvals/${approvalId}/release`, reviewer, {})).statusCode, 200);
  const done = await history(bill);
  assert.deepEqual(done.openApprovals, []);
  const returned = done.payments.find((p) => p.paymentId === top);
  assert.equal(returned?.status, 'reversed');
  assert.deepEqual(returned?.reversal, {
    at: (returned?.reversal as { at: string } | null)?.at,
    kind: 'bank_return',
    reason: '银行退票：付款账户已销户',
    by: clerk.user.username,
    approvalId,
    releasedBy: reviewer.user.username,
  });
  assert.equal(done.payments.find((p) => p.paymentId === short)?.status, 'unallocated');
  // Oldest first: issued, the two receipts from the bank's file, allocated, returned, the other held again.
  assert.deepEqual(
    done.events.map((e) => [e.action, e.paymentId]),
    [
      ['assessment.run', null],
      ['payment.import', short],
      ['payment.import', top],
      ['payment.allocate', short],
      ['payment.allocate', top],
      ['payment.reverse', top],
      ['payment.held-again', short],
    ],
  );
  assert.equal(done.events.find((e) => e.action === 'payment.reverse')?.releasedBy, reviewer.user.username);
  // the receipt put back to held names the same release, read from its own entry
  const heldAgain = done.events.find((e) => e.action === 'payment.held-again');
  assert.deepEqual([heldAgain?.approvalId, heldAgain?.releasedBy], [approvalId, reviewer.user.username]);
  // No staff read is history, and the person on the bill is not identified beyond the bill route.
  assert.ok(done.events.every((e) => !e.action.endsWith('.read')));
  const person = await t.ctx.db
    .selectFrom('person')
    .select(['id_number', 'phone'])
    .where('id', '=', t.personId)
    .executeTakeFirstOrThrow();
  const body = (await send('GET', `/api/v1/bills/${bill}/history`, clerk)).body;
  assert.ok(!body.includes(person.id_number), 'no ID number');
  if (person.phone) assert.ok(!body.includes(person.phone), 'no phone');
});

test('a bill cancelled through a reviewer: the history names the approval the cancellation’s own entry names, and its reviewer', async () => {
  const bill = await openBill();
  const prepared = await send('POST', `/api/v1/bills/${bill}/cancel`, clerk, {
    reason: '重复开具，申请作废',
  });
  assert.equal(prepared.statusCode, 200, prepared.body);
  const approvalId = prepared.json<{ id: number }>().id;
  assert.deepEqual(
    (await history(bill)).openApprovals.map((a) => [a.id, a.kind, a.reason]),
    [[approvalId, 'bill.cancel', '重复开具，申请作废']],
  );
  assert.equal((await send('POST', `/api/v1/approvals/${approvalId}/release`, reviewer, {})).statusCode, 200);
  const entry = await t.ctx.db
    .selectFrom('audit_log')
    .select('after')
    .where('action', '=', 'bill.cancel')
    .where('entity_type', '=', 'contribution_bill')
    .where('entity_id', '=', String(bill))
    .executeTakeFirstOrThrow();
  assert.equal((entry.after as { approvalId?: number }).approvalId, approvalId);
  const done = await history(bill);
  assert.deepEqual(done.openApprovals, []);
  const cancelled = done.events.find((e) => e.action === 'bill.cancel');
  assert.deepEqual(
    [cancelled?.actorUsername, cancelled?.approvalId, cancelled?.releasedBy],
    [clerk.user.username, approvalId, reviewer.user.username],
  );
});

test('who may read a bill’s history: staff of its region; another city’s clerk 404 as for no bill, the payer and a citizen 403, nobody 401', async () => {
  const bill = await makeRegionBill(t);
  const farBill = await makeRegionBill(t, { region: '340100' });
  const farClerk = await loginAsNew(t, 'hist-farclerk', { role: 'clerk', region: '340100' });
  const nothing = await send('GET', '/api/v1/bills/999999999/history', farClerk);
  const theirs = await send('GET', `/api/v1/bills/${bill}/history`, farClerk);
  assert.equal(theirs.statusCode, 404, theirs.body);
  // the same answer as a number that does not exist: nothing tells the bill is there
  assert.equal(theirs.body, nothing.body);
  assert.equal((await send('GET', `/api/v1/bills/${bill}`, farClerk)).statusCode, 404);
  // their own city's bill they read
  assert.equal((await send('GET', `/api/v1/bills/${farBill}/history`, farClerk)).statusCode, 200);
  assert.equal((await send('GET', `/api/v1/bills/${farBill}/history`, clerk)).statusCode, 404);
  for (const role of ['employer', 'citizen'] as const) {
    const r = await send('GET', `/api/v1/bills/${bill}/history`, await t.login(role));
    assert.equal(r.statusCode, 403, `${role}: ${r.body}`);
  }
  assert.equal((await history(bill, reviewer)).billId, bill);
  const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/bills/${bill}/history` });
  assert.equal(anonymous.statusCode, 401);
});
