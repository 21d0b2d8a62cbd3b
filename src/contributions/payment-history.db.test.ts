// GET /api/v1/payments/{id} through the real app: a receipt matched straight from the bank's file, taken
// off that bill as a wrong bill (prepared, released), then allocated to the right bill through a
// reviewer — what the clerk reads on its page at each step — and who may ask, tried as the attacker
// would: another city's clerk, the payer, a citizen, nobody.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { beforeBillMoneyTests, billMoneyTools } from '../testing/bill-fixtures.ts';
import type { LoginResult, TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';

let t: TestApp;
let clerk: LoginResult;
let reviewer: LoginResult;

interface Payer {
  kind: string;
  id: number;
  name: string;
}
interface PaymentRecord {
  paymentId: number;
  bankRef: string | null;
  paidDate: string;
  amountFen: number;
  channel: string;
  file: { uploadId: number; filename: string | null } | null;
  status: string;
  held: string | null;
  reasonKind: string | null;
  named: { billId: number | null; payer: Payer | null };
  payer: Payer | null;
  bills: Array<{ billId: number; period: string; status: string; paysNow: boolean }>;
  events: Array<{
    action: string;
    actorUsername: string | null;
    status: string | null;
    billId: number | null;
    reasonKind: string | null;
    money: string | null;
    approvalId: number | null;
    releasedBy: string | null;
  }>;
  approvals: Array<{ id: number; kind: string; status: string; reason: string | null }>;
}

const { send, openBill, receive } = billMoneyTools(
  () => t,
  () => clerk,
);
const record = async (paymentId: number, who = clerk) => {
  const r = await send('GET', `/api/v1/payments/${paymentId}`, who);
  assert.equal(r.statusCode, 200, r.body);
  return r.json<PaymentRecord>();
};
const release = async (approvalId: number) => {
  const r = await send('POST', `/api/v1/approvals/${approvalId}/release`, reviewer, {});
  assert.equal(r.statusCode, 200, r.body);
};
/** The events as [action, status, bill, kind, money] — what the page says happened, in order. */
const story = (p: PaymentRecord) =>
  p.events.map((e) => [e.action, e.status, e.billId, e.reasonKind, e.money]);

beforeBillMoneyTests((made) => {
  ({ t, clerk, reviewer } = made);
});

test('a receipt paid to the wrong bill, held again, then allocated to the right one through a reviewer: the bank line as it came, each bill, each step with its kind, money and reviewer, the approvals', async () => {
  const wrong = await openBill();
  const right = await openBill();
  const paymentId =
    (await receive([`PH-WRONG-01,2021-10-12,${wrong},100000`], 'receipts-1012.csv')).get('PH-WRONG-01') ?? 0;

  // Straight from the bank's file: paid the bill it named, the employer's money.
  const arrived = await record(paymentId);
  assert.deepEqual(
    [arrived.bankRef, arrived.paidDate, arrived.amountFen, arrived.channel, arrived.status, arrived.held],
    ['PH-WRONG-01', '2021-10-12', 100_000, 'bank', 'matched', null],
  );
  assert.equal(arrived.file?.filename, 'receipts-1012.csv');
  assert.equal(arrived.named.billId, wrong);
  assert.deepEqual(arrived.named.payer, arrived.payer);
  assert.equal(arrived.payer?.kind, 'employer');
  assert.deepEqual(arrived.bills, [{ billId: wrong, period: '2021-10', status: 'paid', paysNow: true }]);
  assert.deepEqual(story(arrived), [['payment.import', 'matched', wrong, null, null]]);
  assert.deepEqual(arrived.approvals, []);

  // Taken off the wrong bill: prepared, then released — held again, naming no payer.
  const off = await send('POST', `/api/v1/payments/${paymentId}/reverse`, clerk, {
    reasonKind: 'wrong_bill',
    reason: '单位来电：应缴另一张账单',
  });
  assert.equal(off.statusCode, 200, off.body);
  const offId = off.json<{ id: number }>().id;
  const waiting = await record(paymentId);
  assert.deepEqual(
    waiting.approvals.map((a) => [a.id, a.kind, a.status, a.reason]),
    [[offId, 'payment.reverse', 'prepared', '单位来电：应缴另一张账单']],
  );
  await release(offId);
  const heldAgain = await record(paymentId);
  assert.deepEqual(
    [heldAgain.status, heldAgain.held, heldAgain.reasonKind, heldAgain.payer],
    ['unallocated', 'held', 'wrong_bill', null],
  );
  // as it came: still the bill it named and that bill's payer
  assert.deepEqual(heldAgain.named, arrived.named);
  assert.deepEqual(heldAgain.events.at(-1), {
    ...heldAgain.events.at(-1),
    action: 'payment.reverse',
    actorUsername: clerk.user.username,
    status: 'unallocated',
    billId: wrong,
    reasonKind: 'wrong_bill',
    money: 'toHeld',
    approvalId: offId,
    releasedBy: reviewer.user.username,
  });

  // Money of no known payer moves to a bill only through a reviewer: in review, then allocated.
  const move = await send('POST', `/api/v1/payments/${paymentId}/allocate`, clerk, {
    billId: right,
    reason: '核实为该单位本月应缴',
  });
  assert.equal(move.statusCode, 202, move.body);
  const moveId = move.json<{ id: number }>().id;
  assert.equal((await record(paymentId)).held, 'allocateReview');
  await release(moveId);
  const done = await record(paymentId);
  assert.equal(done.status, 'matched');
  assert.equal(done.named.billId, wrong, 'the bank line named the first bill');
  assert.equal(done.payer?.kind, 'employer');
  assert.deepEqual(done.bills, [
    { billId: wrong, period: '2021-10', status: 'open', paysNow: false },
    { billId: right, period: '2021-10', status: 'paid', paysNow: true },
  ]);
  assert.deepEqual(story(done), [
    ['payment.import', 'matched', wrong, null, null],
    ['payment.reverse', 'unallocated', wrong, 'wrong_bill', 'toHeld'],
    ['payment.allocate', 'matched', right, null, null],
  ]);
  assert.deepEqual(
    done.events.map((e) => [e.approvalId, e.releasedBy]),
    [
      [null, null],
      [offId, reviewer.user.username],
      [moveId, reviewer.user.username],
    ],
  );
  assert.deepEqual(
    done.approvals.map((a) => [a.id, a.kind, a.status]),
    [
      [offId, 'payment.reverse', 'released'],
      [moveId, 'payment.allocate', 'released'],
    ],
  );
  // each release's entry names its approval itself: read, not inferred from who released what when
  const entries = await t.ctx.db
    .selectFrom('audit_log')
    .select(['action', sql<number | null>`(after->>'approvalId')::bigint`.as('approvalId')])
    .where('entity_type', '=', 'contribution_payment')
    .where('entity_id', '=', String(paymentId))
    .where('action', 'in', ['payment.reverse', 'payment.allocate'])
    .orderBy('id')
    .execute();
  assert.deepEqual(
    entries.map((e) => [e.action, e.approvalId === null ? null : Number(e.approvalId)]),
    [
      ['payment.reverse', offId],
      ['payment.allocate', moveId],
    ],
  );
  // the reviewer reads it too; staff reads are not history
  const read = await record(paymentId, reviewer);
  assert.ok(read.events.every((e) => !e.action.endsWith('.read')));
});

test('a receipt held from the file as it came: naming no bill of the region, of no known payer', async () => {
  const paymentId = (await receive(['PH-NOBILL-1,2021-10-13,999999999,12345'])).get('PH-NOBILL-1') ?? 0;
  const p = await record(paymentId);
  assert.deepEqual(
    [p.status, p.held, p.named, p.payer, p.bills],
    ['unallocated', 'held', { billId: null, payer: null }, null, []],
  );
  assert.deepEqual(story(p), [['payment.import', 'unallocated', null, null, null]]);
});

test('who may read a receipt: staff of its region; another city’s clerk 404 as for no receipt, the payer and a citizen 403, nobody 401', async () => {
  const bill = await openBill();
  const paymentId = (await receive([`PH-ACCESS-1,2021-10-12,${bill},100000`])).get('PH-ACCESS-1') ?? 0;
  assert.ok(paymentId > 0);
  const farClerk = await loginAsNew(t, 'ph-farclerk', { role: 'clerk', region: '340100' });
  const nothing = await send('GET', '/api/v1/payments/999999999', farClerk);
  const theirs = await send('GET', `/api/v1/payments/${paymentId}`, farClerk);
  assert.equal(theirs.statusCode, 404, theirs.body);
  // the same answer as an id that does not exist: nothing tells the receipt is there
  assert.equal(theirs.body, nothing.body);
  assert.ok(!theirs.body.includes(String(paymentId)), 'no id echoed');
  for (const role of ['employer', 'citizen'] as const) {
    const r = await send('GET', `/api/v1/payments/${paymentId}`, await t.login(role));
    assert.equal(r.statusCode, 403, `${role}: ${r.body}`);
  }
  assert.equal((await record(paymentId, reviewer)).paymentId, paymentId);
  const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/payments/${paymentId}` });
  assert.equal(anonymous.statusCode, 401);
  // not a number: the path's schema refuses it, naming the field
  const bad = await send('GET', '/api/v1/payments/abc', clerk);
  assert.equal(bad.statusCode, 400, bad.body);
});
