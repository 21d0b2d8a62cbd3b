// A reversal moves money as its kind says (docs/bills.md, 冲正原因), through the real app, with the
// fund ledger checked after each release: a bank return and a refund take the money out of the bank
// account; a payment on the wrong bill goes back to held receipts (no payer named) and can be
// allocated to the right bill; a duplicate or a keying error withdraws the record and pays nobody.
// The reviewer's 待复核 line says which before releasing; a second release changes nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { fixToday } from '../core/clock.ts';
import {
  down as forgetWrongBill,
  up as recallWrongBill,
} from '../db/migrations/2026_12_07_0310_wrong_bill_held.ts';
import { consumeEvents } from '../hall/events.job.ts';
import { ACCOUNTS } from '../ledger/journal.repository.ts';
import { BANK_RECEIPT_HEADER, billMoneyTools, postBankReceipts } from '../testing/bill-fixtures.ts';
import { TEST_REGION, makeTestApp, type LoginResult, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
let clerk: LoginResult;
let reviewer: LoginResult;

const { send, openBill, receive, paymentStatus, paidBill, balanced } = billMoneyTools(
  () => t,
  () => clerk,
);

/** What a payment's entries leave in the bank account (1001) and in held receipts (2301), all funds. */
async function moneyOf(paymentId: number): Promise<{ bank: number; held: number }> {
  const r = await sql<{ account: string; amount: string }>`
    SELECT l.account_code AS account, sum(l.debit_fen - l.credit_fen)::bigint AS amount
    FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
    WHERE e.source_type = 'payment' AND e.source_id = ${String(paymentId)}
    GROUP BY l.account_code`.execute(t.ctx.db);
  const of = (a: string) => Number(r.rows.find((x) => x.account === a)?.amount ?? 0);
  return { bank: of(ACCOUNTS.bank), held: 0 - of(ACCOUNTS.unallocatedReceipts) || 0 };
}

const row = (id: number) =>
  t.ctx.db
    .selectFrom('contribution_payment')
    .select(['status', 'reason_kind', 'bill_id', 'employer_id', 'person_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const billStatus = async (id: number) =>
  (
    await t.ctx.db
      .selectFrom('contribution_bill')
      .select(['status', 'paid_date'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status;

/** Prepares the reversal and checks the reviewer's line says what happens to the money. */
async function prepare(paymentId: number, reasonKind: string, money: string): Promise<number> {
  const r = await send('POST', `/api/v1/payments/${paymentId}/reverse`, clerk, {
    reasonKind,
    reason: '核对银行对账单后办理',
  });
  assert.equal(r.statusCode, 200, r.body);
  const a = r.json<{ id: number; summary: { money: string } }>();
  assert.equal(a.summary.money, money, 'the reviewer reads on 待复核 what the release does to the money');
  return a.id;
}

async function release(approvalId: number): Promise<void> {
  const r = await send('POST', `/api/v1/approvals/${approvalId}/release`, reviewer, {});
  assert.equal(r.statusCode, 200, r.body);
  // idempotent: a second release is refused and moves nothing
  const again = await send('POST', `/api/v1/approvals/${approvalId}/release`, reviewer, {});
  assert.equal(again.statusCode, 409, again.body);
}

const reverseAudit = async (paymentId: number) => {
  const a = await t.ctx.db
    .selectFrom('audit_log')
    .select(['action', 'after'])
    .where('entity_type', '=', 'contribution_payment')
    .where('entity_id', '=', String(paymentId))
    .where('action', 'in', ['payment.reverse', 'payment.refund'])
    .executeTakeFirstOrThrow();
  return {
    action: a.action,
    after: (typeof a.after === 'string' ? JSON.parse(a.after) : a.after) as Record<string, unknown>,
  };
};

before(async () => {
  fixToday('2021-10-20');
  t = await makeTestApp();
  clerk = await t.login('clerk');
  reviewer = await t.login('reviewer');
});

after(async () => {
  fixToday(null);
  await t.close();
});

test('bank_return: the bill reopens and the money leaves the bank account', async () => {
  const { bill, payment } = await paidBill('RM-BANK');
  assert.deepEqual(await moneyOf(payment), { bank: 100_000, held: 0 });
  await release(await prepare(payment, 'bank_return', 'returnedByBank'));
  assert.equal(await billStatus(bill), 'open');
  assert.deepEqual(await moneyOf(payment), { bank: 0, held: 0 });
  assert.equal((await row(payment)).status, 'reversed');
  assert.equal((await reverseAudit(payment)).after.money, 'returnedByBank');
  await balanced();
});

// On the code before this pass the money left the bank account and the payment read reversed.
test('wrong_bill: the bill reopens, the money stays in the bank and goes back to held (no payer named), then pays the right bill with a reviewer', async () => {
  const { bill, payment } = await paidBill('RM-WRONG');
  const right = await openBill();
  await release(await prepare(payment, 'wrong_bill', 'toHeld'));
  assert.equal(await billStatus(bill), 'open');
  assert.deepEqual(await moneyOf(payment), { bank: 100_000, held: 100_000 }, 'nothing left the bank');
  // held, and says why while it is: the kind stays on the record (it read null before this pass)
  assert.deepEqual(await row(payment), {
    status: 'unallocated',
    reason_kind: 'wrong_bill',
    bill_id: bill,
    employer_id: null,
    person_id: null,
  });
  const audit = await reverseAudit(payment);
  assert.equal(audit.action, 'payment.reverse');
  assert.equal(audit.after.status, 'unallocated');
  assert.equal(audit.after.money, 'toHeld');
  await balanced();

  const heldItem = async () => {
    const i = (await send('GET', '/api/v1/payments/held', clerk))
      .json<{
        items: Array<{
          paymentId: number;
          billId: number | null;
          payer: unknown;
          status: string;
          offWrongBill: boolean;
        }>;
      }>()
      .items.find((x) => x.paymentId === payment);
    return { billId: i?.billId, payer: i?.payer, status: i?.status, offWrongBill: i?.offWrongBill };
  };
  assert.deepEqual(
    await heldItem(),
    { billId: bill, payer: null, status: 'held', offWrongBill: true },
    'on the held list: off the wrong bill it names, payer unknown',
  );
  // A receipt taken off a wrong bill before this pass kept no kind: the migration reads it from the release's audit entry.
  const db = t.ctx.db as unknown as Kysely<unknown>;
  await forgetWrongBill(db);
  assert.equal((await heldItem())?.offWrongBill, false);
  await recallWrongBill(db);
  assert.equal((await row(payment)).reason_kind, 'wrong_bill');

  // money of no known payer moves to a bill only with a reviewer's release
  const alloc = await send('POST', `/api/v1/payments/${payment}/allocate`, clerk, {
    billId: right,
    reason: '核实为该账单的缴款',
  });
  assert.equal(alloc.statusCode, 202, alloc.body);
  const allocId = alloc.json<{ id: number }>().id;
  assert.equal((await send('POST', `/api/v1/approvals/${allocId}/release`, reviewer, {})).statusCode, 200);
  assert.equal(await billStatus(right), 'paid');
  // on its right bill now: the wrong one is behind it
  assert.deepEqual(await row(payment), {
    status: 'matched',
    reason_kind: null,
    bill_id: right,
    employer_id: t.employerId,
    person_id: null,
  });
  // paid a second time with entries of its own, not the first payment's keys (which would post nothing)
  assert.deepEqual(await moneyOf(payment), { bank: 100_000, held: 0 });
  await balanced();
});

test('duplicate: a held second record of the money withdrawn — nothing paid out, the bill stays paid by the first, nobody told', async () => {
  const { bill, payment } = await paidBill('RM-DUP-1');
  // the same money recorded again: the bill is no longer open, so it is held naming the bill
  const dup = (await receive([`RM-DUP-2,2021-10-12,${bill},100000`])).get('RM-DUP-2') ?? 0;
  assert.equal(await paymentStatus(dup), 'unallocated');
  await consumeEvents(t.ctx);
  const messagesBefore = await messages();
  await release(await prepare(dup, 'duplicate', 'withdrawn'));
  assert.equal(await billStatus(bill), 'paid', 'the bill stays paid by the other record');
  assert.equal((await row(payment)).status, 'matched');
  assert.deepEqual(await row(dup), {
    status: 'reversed',
    reason_kind: 'duplicate',
    bill_id: bill,
    employer_id: t.employerId,
    person_id: null,
  });
  // the duplicate's bank debit is gone: the money came once, and the first record holds it
  assert.deepEqual(await moneyOf(dup), { bank: 0, held: 0 });
  assert.deepEqual(await moneyOf(payment), { bank: 100_000, held: 0 });
  const audit = await reverseAudit(dup);
  assert.equal(audit.action, 'payment.reverse', 'withdrawn, not refunded: nobody was paid');
  assert.equal(audit.after.money, 'withdrawn');
  await consumeEvents(t.ctx);
  assert.equal(await messages(), messagesBefore, 'it was never the payer’s money: no message');
  await balanced();
});

test('duplicate of a bill’s own payment, and keying_error: the record is withdrawn, the bill reopens, nothing goes to held', async () => {
  for (const [ref, kind] of [
    ['RM-DUP-PAID', 'duplicate'],
    ['RM-KEYED', 'keying_error'],
  ] as const) {
    const { bill, payment } = await paidBill(ref);
    const heldBefore = await heldCount();
    await release(await prepare(payment, kind, 'withdrawn'));
    assert.equal(await billStatus(bill), 'open', kind);
    assert.deepEqual(await row(payment), {
      status: 'reversed',
      reason_kind: kind,
      bill_id: bill,
      employer_id: t.employerId,
      person_id: null,
    });
    assert.deepEqual(await moneyOf(payment), { bank: 0, held: 0 }, kind);
    assert.equal(await heldCount(), heldBefore, `${kind}: nothing goes to held`);
    assert.equal((await reverseAudit(payment)).after.money, 'withdrawn');
    await balanced();
  }
});

test('refund: a held receipt goes back to the payer, the money leaves the bank account', async () => {
  const bill = await openBill();
  const id = (await receive([`RM-REFUND,2021-10-12,${bill},5000`])).get('RM-REFUND') ?? 0;
  assert.equal(await paymentStatus(id), 'unallocated');
  assert.deepEqual(await moneyOf(id), { bank: 5000, held: 5000 });
  await release(await prepare(id, 'refund', 'refunded'));
  assert.deepEqual(await moneyOf(id), { bank: 0, held: 0 });
  assert.equal(await billStatus(bill), 'open');
  const audit = await reverseAudit(id);
  assert.equal(audit.action, 'payment.refund');
  assert.equal(audit.after.money, 'refunded');
  await balanced();
});

// The rule had no test of its own: remove it from prepareReverseIn and the withdrawal is prepared.
test('an online order’s surplus is refunded only: withdrawing it as a duplicate or a keying error is 400 naming reasonKind, and nothing moves', async () => {
  const bill = await openBill();
  const id = (await receive([`RM-ONLINE,2021-10-12,${bill},5000`])).get('RM-ONLINE') ?? 0;
  // the money of a second online order for the bill, as the gateway's notice holds it
  await t.ctx.db
    .insertInto('online_payment_order')
    .values({
      order_no: 'SB00000000000000000000B001',
      bill_id: bill,
      person_id: t.personId,
      region: TEST_REGION,
      amount_fen: 5000,
      status: 'refund_due',
      created_by: 'test',
      expires_at: '2021-10-19T00:00:00Z',
      payment_id: id,
    })
    .execute();
  const approvals = async () =>
    Number(
      (
        await t.ctx.db
          .selectFrom('approval')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const was = { approvals: await approvals(), money: await moneyOf(id), row: await row(id) };
  for (const reasonKind of ['duplicate', 'keying_error']) {
    const r = await send('POST', `/api/v1/payments/${id}/reverse`, clerk, {
      reasonKind,
      reason: '核对银行对账单后办理',
    });
    assert.equal(r.statusCode, 400, `${reasonKind}: ${r.body}`);
    const error = r.json<{ error: { code: string; field?: string; message: string } }>().error;
    assert.deepEqual(
      [error.code, error.field],
      ['SB_ERR_VALIDATION', 'reasonKind'],
      'the answer names the field',
    );
    assert.match(error.message, /订单 SB00000000000000000000B001 的重复支付款确已到账，只能退费/);
    assert.match(error.message, /it is refunded, not withdrawn/);
  }
  assert.deepEqual(
    { approvals: await approvals(), money: await moneyOf(id), row: await row(id) },
    was,
    'nothing prepared, nothing moved',
  );
  const order = await t.ctx.db
    .selectFrom('online_payment_order')
    .select('status')
    .where('payment_id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(order.status, 'refund_due');
  // refunded it is
  await release(await prepare(id, 'refund', 'refunded'));
  assert.deepEqual(await moneyOf(id), { bank: 0, held: 0 });
  await balanced();
});

// On the code before this pass the withdrawn record kept its reference: keyed again on its bill the
// clerk was answered with the withdrawn record (200, reversed), on another bill 409, and the bank's own
// line was skipped as already recorded.
test('a record withdrawn as keyed wrongly frees its bank reference: the right record is keyed under it; a reference still held, or a duplicate’s, is refused', async () => {
  const key = (bill: number, bankRef: string) =>
    send('POST', `/api/v1/bills/${bill}/payments`, clerk, {
      bankRef,
      amountFen: 100_000,
      paidDate: '2021-10-12',
      reason: '按银行回单补录',
    });
  const { bill, payment } = await paidBill('RM-REKEY');
  await release(await prepare(payment, 'keying_error', 'withdrawn'));
  assert.equal(await billStatus(bill), 'open');
  const again = await key(bill, 'RM-REKEY');
  assert.equal(again.statusCode, 200, again.body);
  const right = again.json<{ paymentId: number; status: string }>();
  assert.notEqual(right.paymentId, payment, 'a record of its own, not the withdrawn one');
  assert.equal(right.status, 'matched');
  assert.equal(await billStatus(bill), 'paid');
  assert.deepEqual(await moneyOf(right.paymentId), { bank: 100_000, held: 0 });
  // the same key again is the same record (a retry), on another bill a real duplicate
  assert.equal((await key(bill, 'RM-REKEY')).json<{ paymentId: number }>().paymentId, right.paymentId);
  const other = await openBill();
  const twice = await key(other, 'RM-REKEY');
  assert.equal(twice.statusCode, 409, twice.body);
  assert.equal(twice.json<{ error: { field?: string } }>().error.field, 'bankRef');
  // the bank's file with the line: recorded once, by the right record
  const file = await postBankReceipts(
    t,
    clerk,
    `${BANK_RECEIPT_HEADER}\nRM-REKEY,2021-10-12,${other},100000`,
  );
  assert.equal(file.json<{ skipped: number }>().skipped, 1, file.body);
  assert.equal(await billStatus(other), 'open');
  // the bank's return of the line is prepared on the right record, not read as the withdrawn one's
  const returned = await t.app.inject({
    method: 'POST',
    url: '/api/v1/payments/bank-returns.csv',
    headers: { ...clerk.headers, 'content-type': 'text/csv' },
    payload:
      'bank_ref,return_date,amount_fen,bank_code,bank_reason\nRM-REKEY,2021-10-19,100000,R01,账户已销户\n',
  });
  assert.equal(returned.statusCode, 200, returned.body);
  const [line] = returned.json<{ results: Array<{ status: string; approvalId: number | null }> }>().results;
  assert.equal(line?.status, 'prepared', returned.body);
  const approval = await send('GET', `/api/v1/approvals/${line?.approvalId ?? 0}`, reviewer);
  assert.equal(
    Number(approval.json<{ payload: { paymentId: unknown } }>().payload.paymentId),
    right.paymentId,
  );
  await balanced();

  // a duplicate's reference stays taken: its money is on the other record, the line counts once
  const first = await paidBill('RM-DUP-KEEP-1');
  const dup = (await receive([`RM-DUP-KEEP-2,2021-10-12,${first.bill},100000`])).get('RM-DUP-KEEP-2') ?? 0;
  await release(await prepare(dup, 'duplicate', 'withdrawn'));
  const third = await openBill();
  const refused = await key(third, 'RM-DUP-KEEP-2');
  assert.equal(refused.statusCode, 409, refused.body);
  const skipped = await postBankReceipts(
    t,
    clerk,
    `${BANK_RECEIPT_HEADER}\nRM-DUP-KEEP-2,2021-10-12,${third},100000`,
  );
  assert.equal(skipped.json<{ skipped: number }>().skipped, 1, skipped.body);
  await balanced();
});

// Before the thirty-eighth pass a bank file's line skipped because a record keyed wrongly held its
// reference came again only keyed by hand or in a file of its own: the same file answered its first import.
test('a bank file’s line skipped for a reference a record keyed wrongly held: the same file sent again with skippedAgain records it, once, audited', async () => {
  const [wrong, right, other] = [await openBill(), await openBill(), await openBill()];
  // the clerk keyed the bank's line RM-SKIP on the wrong bill
  const keyed = await send('POST', `/api/v1/bills/${wrong}/payments`, clerk, {
    bankRef: 'RM-SKIP',
    amountFen: 100_000,
    paidDate: '2021-10-12',
    reason: '按来电补录',
  });
  assert.equal(keyed.statusCode, 200, keyed.body);
  const csv = `${BANK_RECEIPT_HEADER}\nRM-SKIP,2021-10-12,${right},100000\nRM-SKIP-OK,2021-10-12,${other},100000`;
  const sendFile = (again: boolean) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/payments/bank-receipts.csv?region=${TEST_REGION}${again ? '&skippedAgain=true' : ''}`,
      headers: { ...clerk.headers, 'content-type': 'text/csv' },
      payload: csv,
    });
  type Answer = {
    duplicateUpload: boolean;
    matched: number;
    unallocated: number;
    skipped: number;
    skippedNowFree: number;
    results: Array<{ bankRef: string; status: string; paymentId: number | null }>;
  };
  const first = (await sendFile(false)).json<Answer>();
  assert.deepEqual(
    first.results.map((r) => [r.bankRef, r.status]),
    [
      ['RM-SKIP', 'skipped'],
      ['RM-SKIP-OK', 'matched'],
    ],
  );
  // asked again while the reference is still held: nothing to do
  const held = (await sendFile(true)).json<Answer>();
  assert.deepEqual([held.duplicateUpload, held.matched, held.skippedNowFree], [true, 0, 0]);
  await release(await prepare(keyed.json<{ paymentId: number }>().paymentId, 'keying_error', 'withdrawn'));
  assert.equal(await billStatus(wrong), 'open');

  // the same file: its first import, and how many of its skipped lines could be recorded now
  const told = (await sendFile(false)).json<Answer>();
  assert.deepEqual([told.duplicateUpload, told.matched, told.skippedNowFree], [true, 0, 1]);
  assert.equal(await billStatus(right), 'open');
  // 重新处理跳过的行: only the freed line, under the file's own upload; RM-SKIP-OK is not paid twice
  const again = (await sendFile(true)).json<Answer>();
  assert.deepEqual(
    again.results.map((r) => [r.bankRef, r.status]),
    [['RM-SKIP', 'matched']],
  );
  assert.deepEqual(
    [again.duplicateUpload, again.matched, again.skipped, again.skippedNowFree],
    [true, 1, 1, 0],
  );
  assert.equal(await billStatus(right), 'paid');
  const recorded = await t.ctx.db
    .selectFrom('contribution_payment')
    .select(['upload_id', 'bill_id', 'source'])
    .where('id', '=', again.results[0]?.paymentId ?? 0)
    .executeTakeFirstOrThrow();
  const upload = await t.ctx.db
    .selectFrom('contribution_payment')
    .select('upload_id')
    .where('bank_ref', '=', 'RM-SKIP-OK')
    .executeTakeFirstOrThrow();
  assert.deepEqual(recorded, { upload_id: upload.upload_id, bill_id: right, source: 'bank' });
  const audit = await t.ctx.db
    .selectFrom('audit_log')
    .select(['actor_username', 'entity_id', 'after'])
    .where('action', '=', 'payment.import-skipped')
    .execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]?.actor_username, 'clerk');
  assert.equal(audit[0]?.entity_id, String(upload.upload_id));
  const after = (typeof audit[0]?.after === 'string' ? JSON.parse(audit[0].after) : audit[0]?.after) as {
    lines: number[];
    matched: number;
  };
  assert.deepEqual([after.lines.length, after.matched], [1, 1]);
  // idempotent: asked once more, nothing is recorded twice
  const twice = (await sendFile(true)).json<Answer>();
  assert.deepEqual([twice.matched, twice.unallocated, twice.skippedNowFree], [0, 0, 0]);
  await balanced();
});

async function messages(): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*) AS n FROM hall_message`.execute(t.ctx.db);
  return Number(r.rows[0]?.n ?? 0);
}

async function heldCount(): Promise<number> {
  const r = await t.ctx.db
    .selectFrom('contribution_payment')
    .select((e) => e.fn.countAll().as('n'))
    .where('status', '=', 'unallocated')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
