// 银行回单导入 through the real app: a file of good and bad receipts, the reasons a clerk reads (Chinese
// first, naming the line and the column, never the file's figures), the same receipts sent again, and
// the file's reads done once for the whole file, not once per line.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { BANK_RECEIPT_HEADER, makeRegionBill, postBankReceipts } from '../testing/bill-fixtures.ts';
import { TEST_REGION, makeTestApp, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { PaymentService } from './payment.service.ts';

let t: TestApp;
let clerk: LoginResult;

interface Receipts {
  duplicateUpload: boolean;
  matched: number;
  unallocated: number;
  skipped: number;
  results: Array<{
    line: number;
    bankRef: string;
    status: string;
    paymentId: number | null;
    reason?: string;
  }>;
}

const HEADER = BANK_RECEIPT_HEADER;
const post = (csv: string, filename = 'bank.csv') => postBankReceipts(t, clerk, csv, filename);

/** An open bill of 1,000.00 (employer's pension part only) for 2021-10, due 2021-10-15: nothing late on 2021-10-12. */
const openBill = (region = TEST_REGION) => makeRegionBill(t, { region });

const rows = async (table: 'contribution_payment' | 'journal_entry' | 'contribution_upload') =>
  Number(
    (
      await t.ctx.db
        .selectFrom(table)
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
/** What an import writes: payments, journal entries, uploads. */
const counts = async () => ({
  payments: await rows('contribution_payment'),
  entries: await rows('journal_entry'),
  uploads: await rows('contribution_upload'),
});

before(async () => {
  fixToday('2021-10-20');
  t = await makeTestApp();
  clerk = await t.login('clerk');
});

after(async () => {
  fixToday(null);
  await t.close();
});

test('a malformed line rejects the whole file: 400 with the line, nothing written', async () => {
  const bill = await openBill();
  const before = await counts();
  const r = await post(
    [HEADER, `R-BAD-0001,2021-10-12,${bill},100000`, `R-BAD-0002,2021-10-12,${bill},-5`].join('\n'),
  );
  assert.equal(r.statusCode, 400, r.body);
  const lines = r.json<{ error: { lines: Array<{ line: number; field: string }> } }>().error.lines;
  assert.deepEqual(
    lines.map((l) => [l.line, l.field]),
    [[3, 'amount_fen']],
  );
  assert.deepEqual(await counts(), before, 'the good line of a refused file is not paid');
});

test('good and bad receipts in one file: paid, held with a reason naming line and column (Chinese first, no figures), the same receipts again skipped', async () => {
  const paidBill = await openBill();
  const wrongBill = await openBill();
  const closedBill = await openBill();
  await t.ctx.db
    .updateTable('contribution_bill')
    .set({ status: 'cancelled' })
    .where('id', '=', closedBill)
    .execute();
  const foreignBill = await openBill('340100');
  const csv = [
    HEADER,
    `R-MIX-0001,2021-10-12,${paidBill},100000`,
    `R-MIX-0002,2021-10-12,${wrongBill},123457`,
    `R-MIX-0003,2021-10-12,${closedBill},100000`,
    `R-MIX-0004,2021-10-12,${foreignBill},100000`,
    `R-MIX-0005,2021-10-12,${paidBill},100000`,
  ].join('\n');
  const r = await post(csv);
  assert.equal(r.statusCode, 200, r.body);
  const body = r.json<Receipts>();
  assert.deepEqual([body.matched, body.unallocated, body.skipped], [1, 4, 0]);
  assert.deepEqual(
    body.results.map((x) => [x.line, x.status, x.reason ?? null]),
    [
      [2, 'matched', null],
      [
        3,
        'unallocated',
        '第 3 行 amount_fen：金额与账单应缴金额不符 / line 3, amount_fen: the amount is not the amount due on the bill',
      ],
      [4, 'unallocated', '第 4 行 bill_no：账单已作废 / line 4, bill_no: the bill is cancelled'],
      [5, 'unallocated', '第 5 行 bill_no：本地区无此账单 / line 5, bill_no: no such bill in this region'],
      // the file's own earlier line paid the bill
      [6, 'unallocated', '第 6 行 bill_no：账单已缴 / line 6, bill_no: the bill is paid'],
    ],
  );
  // Neither the amount written in the file nor the amount due on the bill is echoed.
  assert.ok(!r.body.includes('123457') && !r.body.includes('100000'), r.body);
  const bills = await t.ctx.db
    .selectFrom('contribution_bill')
    .select(['id', 'status'])
    .where('id', 'in', [paidBill, wrongBill, closedBill, foreignBill])
    .orderBy('id')
    .execute();
  assert.deepEqual(
    bills.map((b) => b.status),
    ['paid', 'open', 'cancelled', 'open'],
  );

  // The same file again: recognised, nothing written.
  const written = await counts();
  const again = await post(csv);
  assert.equal(again.statusCode, 200, again.body);
  assert.equal(again.json<Receipts>().duplicateUpload, true);
  assert.deepEqual(await counts(), written);

  // The same receipts in another file (a new one beside them): the recorded ones are skipped, the
  // new one paid.
  const newBill = await openBill();
  const other = await post(`${csv}\nR-MIX-0006,2021-10-12,${newBill},100000\n`, 'bank-2.csv');
  assert.equal(other.statusCode, 200, other.body);
  const b2 = other.json<Receipts>();
  assert.equal(b2.duplicateUpload, false);
  assert.deepEqual([b2.matched, b2.unallocated, b2.skipped], [1, 0, 5]);
  assert.deepEqual(
    b2.results.map((x) => [x.line, x.status, x.paymentId === null]),
    [
      [2, 'skipped', false],
      [3, 'skipped', false],
      [4, 'skipped', false],
      [5, 'skipped', false],
      [6, 'skipped', false],
      [7, 'matched', false],
    ],
  );
  assert.equal(b2.results[0]?.paymentId, body.results[0]?.paymentId, 'the recorded payment, not a new one');
  assert.equal(b2.results[0]?.reason, '该流水号已入账 / this bank reference is already recorded');
  const after = await counts();
  assert.equal(after.payments, written.payments + 1, 'one new payment: the new receipt');
});

test('a file of twelve receipts reads the bills and the recorded references once each, not once per line', async () => {
  const bills = await Promise.all(Array.from({ length: 12 }, () => openBill()));
  const csv = [
    HEADER,
    ...bills.map((id, i) => `R-SET-${String(i).padStart(4, '0')},2021-10-12,${id},100000`),
  ].join('\n');
  // Counts the reads of bills and payments sent during the import.
  const reads = { n: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      const node = args.node;
      if (node.kind === 'SelectQueryNode') {
        const tables = JSON.stringify(node.from ?? {});
        if (tables.includes('"contribution_bill"') || tables.includes('"contribution_payment"')) reads.n += 1;
      }
      return node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  };
  const svc = new PaymentService(t.ctx.db.withPlugin(plugin), t.ctx.params);
  const r = await svc.importReceipts(systemActor('test'), TEST_REGION, csv, 'set.csv');
  assert.ok(r.ok && r.matched === 12, JSON.stringify(r));
  assert.equal(reads.n, 2, 'one read of the bills, one of the recorded references');
});
