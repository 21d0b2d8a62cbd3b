// Reversals said as what they are, through the real app: the reason's kind is required and closed, kept
// on the payment, the approval and the audit, and words the payer's message (never the clerk's note);
// the bank's return file (银行退票文件) prepares one reversal of kind bank_return per returned credit of
// the clerk's region — another city's clerk, a payer and an anonymous caller touch nothing and learn nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { fixToday } from '../core/clock.ts';
import { DEMO_META_KEY } from '../db/platform-meta.ts';
import { consumeEvents } from '../hall/events.job.ts';
import {
  BANK_RECEIPT_HEADER,
  billMoneyTools,
  makeRegionBill,
  postBankReceipts,
} from '../testing/bill-fixtures.ts';
import { TEST_REGION, makeTestApp, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';

let t: TestApp;
let clerk: LoginResult;
let reviewer: LoginResult;
let farClerk: LoginResult;
let employer: LoginResult;
let citizen: LoginResult;

const FAR = '340100';
const RETURN_HEADER = 'bank_ref,return_date,amount_fen,bank_code,bank_reason';

const { send, paidBill } = billMoneyTools(
  () => t,
  () => clerk,
);

const postReturns = (who: LoginResult | null, csv: string, query = '') =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/payments/bank-returns.csv${query}`,
    headers: { ...(who?.headers ?? {}), 'content-type': 'text/csv' },
    payload: csv,
  });

interface Returned {
  duplicateUpload: boolean;
  prepared: number;
  noReceipt: number;
  amountDiffers: number;
  reversed: number;
  pending: number;
  results: Array<{
    line: number;
    bankRef: string;
    status: string;
    paymentId: number | null;
    approvalId: number | null;
    reason?: string;
  }>;
}

const paymentRow = (id: number) =>
  t.ctx.db
    .selectFrom('contribution_payment')
    .select(['status', 'reason_kind'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const approvalCount = async () =>
  Number(
    (
      await t.ctx.db
        .selectFrom('approval')
        .select((e) => e.fn.countAll().as('n'))
        .where('kind', '=', 'payment.reverse')
        .executeTakeFirstOrThrow()
    ).n,
  );

const release = (id: number) => send('POST', `/api/v1/approvals/${id}/release`, reviewer, {});

before(async () => {
  fixToday('2021-10-20');
  t = await makeTestApp();
  clerk = await t.login('clerk');
  reviewer = await t.login('reviewer');
  farClerk = await loginAsNew(t, 'farclerk35', { role: 'clerk', region: FAR });
  employer = await t.login('employer');
  citizen = await t.login('citizen');
});

after(async () => {
  fixToday(null);
  await t.close();
});

// On the code before this pass each of these failed: the route refused reasonKind (400, no such
// property), and every reopened bill read "the bank returned your payment".
const WORDING = [
  {
    kind: 'bank_return',
    zh: (b: number, ref: string) =>
      `银行退回了您为账单编号 ${b} 缴纳的 ¥1,000.00（流水 ${ref}），款项已退回原付款账户`,
    en: (b: number, ref: string) =>
      `The bank returned the ¥1,000.00 you paid for bill no. ${b} (bank ref ${ref}) to the account it came from`,
    title: '银行退票',
  },
  {
    kind: 'wrong_bill',
    zh: (b: number) =>
      `一笔 ¥1,000.00 的款项被误记到您的账单编号 ${b}（它应属于另一张账单），社保经办机构已撤销这笔入账`,
    en: (b: number) => `A payment of ¥1,000.00 was posted to your bill no. ${b} by mistake`,
    title: '误记入账已撤销',
  },
  {
    kind: 'duplicate',
    zh: (b: number, ref: string) =>
      `账单编号 ${b} 的一笔 ¥1,000.00 入账（流水 ${ref}）是同一款项的重复记录，社保经办机构已撤销这笔重复入账`,
    en: (b: number, ref: string) =>
      `A payment of ¥1,000.00 on bill no. ${b} (bank ref ${ref}) recorded the same money twice`,
    title: '重复入账已撤销',
  },
  {
    kind: 'keying_error',
    zh: (b: number, ref: string) =>
      `账单编号 ${b} 的一笔 ¥1,000.00 入账（流水 ${ref}）录入有误，社保经办机构已撤销这笔入账`,
    en: (b: number, ref: string) =>
      `A payment of ¥1,000.00 on bill no. ${b} (bank ref ${ref}) was keyed wrongly`,
    title: '入账录入错误已撤销',
  },
] as const;

for (const w of WORDING)
  test(`a reversal of kind ${w.kind}: kept on the payment, the approval and the audit; the payer's message says why in its words, never the clerk's note`, async () => {
    const ref = `R-KIND-${w.kind.toUpperCase().replace('_', '-')}`;
    const { bill, payment } = await paidBill(ref);
    const note = '张三公司误缴，见李四来电记录';
    const prepared = await send('POST', `/api/v1/payments/${payment}/reverse`, clerk, {
      reasonKind: w.kind,
      reason: note,
    });
    assert.equal(prepared.statusCode, 200, prepared.body);
    const a = prepared.json<{
      id: number;
      summary: { reasonKind: string };
      payload: { reasonKind: string };
    }>();
    assert.equal(a.summary.reasonKind, w.kind, "the reviewer's 待复核 line reads the kind");
    assert.equal(a.payload.reasonKind, w.kind);
    assert.equal((await release(a.id)).statusCode, 200);
    // taken off the wrong bill, the money goes back to held, saying so (reversal-money.db.test.ts); the others are withdrawn
    assert.deepEqual(await paymentRow(payment), {
      status: w.kind === 'wrong_bill' ? 'unallocated' : 'reversed',
      reason_kind: w.kind,
    });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['after', 'reason'])
      .where('action', '=', 'payment.reverse')
      .where('entity_id', '=', String(payment))
      .executeTakeFirstOrThrow();
    const after = (typeof audit.after === 'string' ? JSON.parse(audit.after) : audit.after) as {
      reasonKind: string;
    };
    assert.equal(after.reasonKind, w.kind);
    assert.equal(audit.reason, note);
    await consumeEvents(t.ctx);
    const msg = (
      await sql<{ title_zh: string; body_zh: string; body_en: string }>`
        SELECT title_zh, body_zh, body_en FROM hall_message
        WHERE employer_id = ${t.employerId} AND topic = 'bill.reopened' AND body_en LIKE ${`%bill no. ${bill}%`}`.execute(
        t.ctx.db,
      )
    ).rows;
    assert.equal(msg.length, 1);
    const [m] = msg;
    assert.ok(m?.body_zh.includes(w.zh(bill, ref)), m?.body_zh);
    assert.ok(m?.body_en.includes(w.en(bill, ref)), m?.body_en);
    assert.ok(m?.title_zh.includes(w.title), m?.title_zh);
    assert.ok(
      !m?.body_zh.includes('张三') && !m?.body_zh.includes('李四'),
      "the clerk's note stays with the reviewer",
    );
    // a posting to the wrong bill may be someone else's money: its bank reference is not named to this payer
    if (w.kind === 'wrong_bill') assert.ok(!m?.body_zh.includes(ref) && !m?.body_en.includes(ref));
  });

test('the kind is required and closed: missing, unknown, a refund of a paid bill or a held receipt "on the wrong bill" answer 400 naming reasonKind; nothing prepared', async () => {
  const { payment } = await paidBill('R-KIND-CHECK');
  const before = await approvalCount();
  for (const body of [
    { reason: '银行退票' },
    { reasonKind: 'other', reason: '银行退票' },
    { reasonKind: 'BANK_RETURN', reason: '银行退票' },
    { reasonKind: 'refund', reason: '退费' },
  ]) {
    const r = await send('POST', `/api/v1/payments/${payment}/reverse`, clerk, body);
    assert.equal(r.statusCode, 400, `${JSON.stringify(body)}: ${r.body}`);
    assert.match(r.body, /reasonKind/, r.body);
  }
  const held = await postBankReceipts(t, clerk, `${BANK_RECEIPT_HEADER}\nR-KIND-HELD,2021-10-12,999999,5000`);
  const heldId = held.json<{ results: Array<{ paymentId: number }> }>().results[0]?.paymentId ?? 0;
  const wrong = await send('POST', `/api/v1/payments/${heldId}/reverse`, clerk, {
    reasonKind: 'wrong_bill',
    reason: '误记',
  });
  assert.equal(wrong.statusCode, 400, wrong.body);
  assert.equal(wrong.json<{ error: { field: string } }>().error.field, 'reasonKind');
  assert.equal(await approvalCount(), before);
});

test("the bank's return file: per line a prepared bank return (approval #), no such receipt here (another region's too, in the same words), amount differs, already reversed, already waiting; the same file twice prepares nothing twice; audited; released, the payment is reversed as a bank return", async () => {
  const ok = await paidBill('R-RET-OK01');
  const differs = await paidBill('R-RET-DIFF');
  const gone = await paidBill('R-RET-GONE');
  const goneA = await send('POST', `/api/v1/payments/${gone.payment}/reverse`, clerk, {
    reasonKind: 'duplicate',
    reason: '重复入账',
  });
  assert.equal((await release(goneA.json<{ id: number }>().id)).statusCode, 200);
  const waits = await paidBill('R-RET-WAIT');
  const waitA = await send('POST', `/api/v1/payments/${waits.payment}/reverse`, clerk, {
    reasonKind: 'bank_return',
    reason: '银行退票',
  });
  assert.equal(waitA.statusCode, 200, waitA.body);
  // a receipt of another city, under a reference the file names
  const farBill = await makeRegionBill(t, { region: FAR, status: 'paid' });
  await t.ctx.db
    .updateTable('contribution_payment')
    .set({ bank_ref: 'R-RET-FAR1' })
    .where('bill_id', '=', farBill)
    .execute();
  const csv = [
    RETURN_HEADER,
    'R-RET-OK01,2021-10-19,100000,R01,账户已销户',
    'R-RET-NONE,2021-10-19,100000,R01,账户已销户',
    'R-RET-FAR1,2021-10-19,100000,R01,账户已销户',
    'R-RET-DIFF,2021-10-19,99999,R02,户名不符',
    'R-RET-GONE,2021-10-19,100000,R01,',
    'R-RET-WAIT,2021-10-19,100000,R01,',
  ].join('\n');
  const before = await approvalCount();
  const r = await postReturns(clerk, csv, '?filename=returns-1019.csv');
  assert.equal(r.statusCode, 200, r.body);
  const body = r.json<Returned>();
  // each line names its receipt here, for the receipt's page; another region's receipt is none
  assert.deepEqual(
    body.results.map((x) => [x.line, x.bankRef, x.status, x.paymentId]),
    [
      [2, 'R-RET-OK01', 'prepared', ok.payment],
      [3, 'R-RET-NONE', 'noReceipt', null],
      [4, 'R-RET-FAR1', 'noReceipt', null],
      [5, 'R-RET-DIFF', 'amountDiffers', differs.payment],
      [6, 'R-RET-GONE', 'reversed', gone.payment],
      [7, 'R-RET-WAIT', 'pending', waits.payment],
    ],
  );
  assert.deepEqual(
    [body.prepared, body.noReceipt, body.amountDiffers, body.reversed, body.pending],
    [1, 2, 1, 1, 1],
  );
  const [okLine, none, far, diff] = body.results;
  // another region's receipt reads as no receipt at all: the same words
  assert.equal(far?.reason, none?.reason);
  // the line and the field are the table's own columns: the reason says only what became of it (the
  // page showed "行 3 · 第 3 行 bank_ref：…")
  for (const x of body.results)
    assert.doesNotMatch(x.reason ?? '', /第 \d+ 行|line \d+|bank_ref|amount_(fen|yuan)/, x.reason);
  assert.ok(!diff?.reason?.includes('100000') && !diff?.reason?.includes('99999'), 'no figure echoed');
  assert.equal(body.results[5]?.approvalId, waitA.json<{ id: number }>().id);
  assert.equal(await approvalCount(), before + 1);
  assert.equal((await paymentRow(ok.payment)).status, 'matched', 'no money moves at import');
  const a = await send('GET', `/api/v1/approvals/${okLine?.approvalId}`, reviewer);
  const approval = a.json<{
    summary: { reasonKind: string; returnFile: { bankCode: string; returnDate: string } };
  }>();
  assert.equal(approval.summary.reasonKind, 'bank_return');
  assert.deepEqual(
    [approval.summary.returnFile.bankCode, approval.summary.returnFile.returnDate],
    ['R01', '2021-10-19'],
  );
  const audit = await t.ctx.db
    .selectFrom('audit_log')
    .select(['after', 'actor_username'])
    .where('action', '=', 'payment.return-import')
    .execute();
  assert.equal(audit.length, 1);
  const after = (
    typeof audit[0]?.after === 'string' ? JSON.parse(audit[0].after) : audit[0]?.after
  ) as Record<string, unknown>;
  assert.equal(audit[0]?.actor_username, clerk.user.username);
  assert.match(String(after.contentHash), /^[0-9a-f]{64}$/);
  assert.equal(after.prepared, 1);
  // The same file again: its first result, nothing prepared; another file naming the same receipt: waiting.
  const again = await postReturns(clerk, csv);
  assert.equal(again.statusCode, 200, again.body);
  assert.equal(again.json<Returned>().duplicateUpload, true);
  assert.equal(again.json<Returned>().prepared, 1, 'what the first import did');
  const other = await postReturns(
    clerk,
    `${RETURN_HEADER}\nR-RET-OK01,2021-10-20,1000.00,R01,账户已销户`.replace('amount_fen', 'amount_yuan'),
  );
  assert.equal(other.statusCode, 200, other.body);
  assert.deepEqual(
    other.json<Returned>().results.map((x) => [x.status, x.approvalId]),
    [['pending', okLine?.approvalId]],
  );
  assert.equal(await approvalCount(), before + 1);
  // released by the reviewer as any bank return: the bill is open again, the payment reversed as a bank return
  assert.equal((await release(okLine?.approvalId ?? 0)).statusCode, 200);
  assert.deepEqual(await paymentRow(ok.payment), { status: 'reversed', reason_kind: 'bank_return' });
});

test("attackers: another city's clerk cannot touch our receipts and learns nothing; the payer 403; anonymous 401; a bad line rejects the file naming line and field, no value echoed", async () => {
  const ours = await paidBill('R-ATK-OURS');
  const before = await approvalCount();
  const csv = `${RETURN_HEADER}\nR-ATK-OURS,2021-10-19,100000,R01,\nR-ATK-NONE,2021-10-19,100000,R01,`;
  // their own region: our receipt is no receipt, answered exactly as one that does not exist
  const far = await postReturns(farClerk, csv);
  assert.equal(far.statusCode, 200, far.body);
  const lines = far.json<Returned>().results;
  assert.deepEqual(
    lines.map((x) => [x.status, x.approvalId]),
    [
      ['noReceipt', null],
      ['noReceipt', null],
    ],
  );
  assert.equal(lines[0]?.reason, lines[1]?.reason);
  // our region named: refused
  assert.equal((await postReturns(farClerk, csv, `?region=${TEST_REGION}`)).statusCode, 403);
  assert.equal((await postReturns(employer, csv)).statusCode, 403);
  assert.equal((await postReturns(citizen, csv)).statusCode, 403);
  assert.equal((await postReturns(null, csv)).statusCode, 401);
  for (const [line, field, secret] of [
    ['R-ATK-OURS,2021-02-30,100000,R01,', 'return_date', '2021-02-30'],
    ['R-ATK-OURS,2031-01-01,100000,R01,', 'return_date', '2031-01-01'],
    ['R-ATK-OURS,2021-10-19,12.5e3,R01,', 'amount_fen', '12.5e3'],
    ['R-ATK-OURS,2021-10-19,-100000,R01,', 'amount_fen', '-100000'],
    ['R-ATK-OURS,2021-10-19,100000,R 01;DROP,', 'bank_code', 'DROP'],
  ] as const) {
    const r = await postReturns(clerk, `${RETURN_HEADER}\n${line}`);
    assert.equal(r.statusCode, 400, r.body);
    const errs = r.json<{ error: { lines: Array<{ line: number; field: string }> } }>().error.lines;
    assert.deepEqual(
      errs.map((e) => [e.line, e.field]),
      [[2, field]],
    );
    assert.ok(!r.body.includes(secret), `${secret} echoed: ${r.body}`);
  }
  assert.equal(await approvalCount(), before, 'nothing prepared by any of them');
  assert.equal((await paymentRow(ours.payment)).status, 'matched');
});

test("the demo's sample return file: only on the demo database (404 elsewhere, nothing written); built from the region's receipts, each line gives the result it says when imported; payers 403", async () => {
  const url = '/api/v1/payments/bank-returns/demo-sample';
  assert.equal((await send('GET', url, clerk)).statusCode, 404, 'a real database offers no sample');
  await t.ctx.db.insertInto('platform_meta').values({ key: DEMO_META_KEY, value: '{}' }).execute();
  try {
    // a held receipt naming no bill, and one whose refund waits for its reviewer
    await postBankReceipts(t, clerk, `${BANK_RECEIPT_HEADER}\nR-SAMPLE-HELD,2021-10-12,900000000001,4321`);
    assert.equal((await send('GET', url, employer)).statusCode, 403);
    assert.equal((await send('GET', url, citizen)).statusCode, 403);
    const before = await approvalCount();
    const r = await send('GET', url, clerk);
    assert.equal(r.statusCode, 200, r.body);
    const sample = r.json<{
      filename: string;
      csv: string;
      lines: Array<{ bankRef: string; expect: string }>;
    }>();
    assert.equal(await approvalCount(), before, 'reading the sample prepares nothing');
    assert.deepEqual(
      sample.lines.map((l) => l.expect).sort(),
      ['amountDiffers', 'noReceipt', 'pending', 'prepared', 'reversed'],
      'one line of each result',
    );
    const imported = await postReturns(clerk, sample.csv, `?filename=${sample.filename}`);
    assert.equal(imported.statusCode, 200, imported.body);
    const got = imported.json<Returned>().results;
    for (const l of sample.lines)
      assert.equal(got.find((x) => x.bankRef === l.bankRef)?.status, l.expect, l.bankRef);
    // another city's clerk: its own receipts only, none of ours
    const ours = new Set(
      (
        await t.ctx.db
          .selectFrom('contribution_payment')
          .select('bank_ref')
          .where('region', '=', TEST_REGION)
          .execute()
      ).map((x) => x.bank_ref),
    );
    const far = await send('GET', url, farClerk);
    assert.equal(far.statusCode, 200, far.body);
    for (const l of far.json<{ lines: Array<{ bankRef: string }> }>().lines)
      assert.ok(!ours.has(l.bankRef), l.bankRef);
  } finally {
    await t.ctx.db.deleteFrom('platform_meta').where('key', '=', DEMO_META_KEY).execute();
  }
});
