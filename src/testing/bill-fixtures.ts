// A bill of a region and the bank's receipt for it, as the receipt tests (bank receipts, held receipts,
// reversals, bank returns, a bill's and a receipt's history, the hall's payment receipt) need them: one place instead
// of a near-copy in each file.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { CONTRIBUTION_CHECKS } from '../contributions/ledger-checks.repository.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { makeBillLine, makeEmployer, type BillLineOverrides } from './factories.ts';
import { TEST_REGION, makeTestApp, type LoginResult, type TestApp } from './test-app.ts';

export type RegionBillOptions = Partial<Omit<BillLineOverrides, 'status'>> & { status?: 'open' | 'paid' };

/**
 * A bill of one person's line in `region` (the test app's by default): unless told otherwise an open
 * bill of 1,000.00 (the employer's pension part) for 2021-10, due 2021-10-15, of the test app's
 * employer at home and of a new employer of the region elsewhere. A paid one comes with its matched
 * payment of the bill's total on its paid day, as the bank's receipt leaves it.
 */
export async function makeRegionBill(t: TestApp, o: RegionBillOptions = {}): Promise<number> {
  const region = o.region ?? TEST_REGION;
  const payerKind = o.payerKind ?? 'employer';
  const employerId =
    payerKind !== 'employer'
      ? null
      : (o.employerId ??
        (region === TEST_REGION ? t.employerId : (await makeEmployer(t.ctx.db, { region })).id));
  const { billId } = await makeBillLine(t.ctx.db, {
    personId: t.personId,
    period: '2021-10',
    status: 'open',
    ...(o.pensionEmployerFen === undefined && payerKind === 'employer'
      ? { pensionEmployerFen: 100_000 }
      : {}),
    ...o,
    region,
    payerKind,
    employerId,
  });
  if (o.status === 'paid') {
    const b = await t.ctx.db
      .selectFrom('contribution_bill')
      .select(['total_fen', 'paid_date'])
      .where('id', '=', billId)
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .insertInto('contribution_payment')
      .values({
        region,
        bill_id: billId,
        employer_id: employerId,
        person_id: employerId === null ? t.personId : null,
        amount_fen: b.total_fen,
        contribution_fen: b.total_fen,
        paid_date: b.paid_date ?? '',
        bank_ref: null,
        source: 'api',
        status: 'matched',
        upload_id: null,
        created_by: 'test',
      })
      .execute();
  }
  return billId;
}

export const BANK_RECEIPT_HEADER = 'bank_ref,paid_date,bill_no,amount_fen';

/** A file of the bank's receipts (BANK_RECEIPT_HEADER, then a line per receipt) uploaded by `who` for the test region. */
export const postBankReceipts = (
  t: TestApp,
  who: LoginResult,
  csv: string,
  filename?: string,
): Promise<LightMyRequestResponse> =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/payments/bank-receipts.csv?region=${TEST_REGION}${filename === undefined ? '' : `&filename=${filename}`}`,
    headers: { ...who.headers, 'content-type': 'text/csv' },
    payload: csv,
  });

/**
 * What the tests of money on bills — held receipts, reversals, bank returns, a bill's and a receipt's
 * history — each
 * built alike: requests as a login, an open bill with its assessment in the journal, the bank's
 * receipts imported by the clerk, a bill paid by one, and the ledger checks. `app` and `clerk` are
 * read at each call, so the tools can be made before the test app is (in before()).
 */
export function billMoneyTools(app: () => TestApp, clerk: () => LoginResult) {
  const send = (method: 'GET' | 'POST', url: string, who: LoginResult, payload?: unknown) =>
    app().app.inject({
      method,
      url,
      headers: who.headers,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  /**
   * An open bill of `makeRegionBill` (1,000.00 of the employer's pension for 2021-10, due 2021-10-15,
   * unless told otherwise) with the assessment's receivable in the journal, as an assessment run posts
   * it, so the ledger checks hold.
   */
  const openBill = async (o: RegionBillOptions = {}): Promise<number> => {
    const billId = await makeRegionBill(app(), o);
    const b = await app()
      .ctx.db.selectFrom('contribution_bill')
      .select(['region', 'period', 'total_fen'])
      .where('id', '=', billId)
      .executeTakeFirstOrThrow();
    await postEntry(app().ctx.db, systemActor('test'), {
      fund: 'employee_pension',
      region: b.region,
      period: b.period,
      entryDate: `${b.period}-01`,
      kind: 'contribution.assessment',
      description: 'test bill',
      idempotencyKey: `test-bill:${billId}`,
      lines: [
        { account: ACCOUNTS.contributionsReceivable, debitFen: Number(b.total_fen) },
        { account: ACCOUNTS.contributionIncome, creditFen: Number(b.total_fen) },
      ],
    });
    return billId;
  };

  /** The bank's receipts in one file from the clerk (matched, or held when they pay no bill exactly): payment id by bank reference. */
  const receive = async (lines: string[], filename?: string): Promise<Map<string, number>> => {
    const r = await postBankReceipts(app(), clerk(), [BANK_RECEIPT_HEADER, ...lines].join('\n'), filename);
    assert.equal(r.statusCode, 200, r.body);
    return new Map(
      r
        .json<{ results: Array<{ bankRef: string; paymentId: number }> }>()
        .results.map((x) => [x.bankRef, x.paymentId]),
    );
  };

  /** A payment's status. */
  const paymentStatus = async (paymentId: number): Promise<string> =>
    (
      await app()
        .ctx.db.selectFrom('contribution_payment')
        .select('status')
        .where('id', '=', paymentId)
        .executeTakeFirstOrThrow()
    ).status;

  /** An open bill (`openBill`) paid by the bank's receipt `ref` on 2021-10-12, before its due day: no late fee. */
  const paidBill = async (ref: string): Promise<{ bill: number; payment: number }> => {
    const bill = await openBill();
    const payment = (await receive([`${ref},2021-10-12,${bill},100000`])).get(ref) ?? 0;
    assert.equal(await paymentStatus(payment), 'matched', `${ref} pays its bill`);
    return { bill, payment };
  };

  /** The fund ledger and the contributions' sub-ledger checks agree. */
  const balanced = async (): Promise<void> => {
    const v = await verifyLedger(app().ctx.db, CONTRIBUTION_CHECKS);
    assert.ok(v.ok, JSON.stringify(v.subLedgers.filter((x) => !x.ok)));
  };

  return { send, openBill, receive, paymentStatus, paidBill, balanced };
}

/**
 * The test app of a file of money tests, made before its tests on 2021-10-20 (the bills' period is
 * 2021-10, due on the 15th: the late fee runs) with a clerk's and a reviewer's logins, and closed after
 * them; `ready` keeps them for the file.
 */
export function beforeBillMoneyTests(
  ready: (made: { t: TestApp; clerk: LoginResult; reviewer: LoginResult }) => void,
): void {
  let made: TestApp | undefined;
  before(async () => {
    fixToday('2021-10-20');
    made = await makeTestApp();
    ready({ t: made, clerk: await made.login('clerk'), reviewer: await made.login('reviewer') });
  });
  after(async () => {
    fixToday(null);
    await made?.close();
  });
}
