// A bill of a region and the bank's receipt for it, as the receipt tests (bank receipts, held receipts,
// the hall's payment receipt) need them: one place instead of a near-copy in each file.
import type { LightMyRequestResponse } from 'fastify';
import { makeBillLine, makeEmployer, type BillLineOverrides } from './factories.ts';
import { TEST_REGION, type LoginResult, type TestApp } from './test-app.ts';

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
