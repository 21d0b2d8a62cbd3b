// SQL for payments: by bank reference (one, or a receipt file's at once) or id, the bills a receipt
// file names, inserting a matched or unallocated payment, the reversal mark, and the hall's "payment
// received" event. Functions take the executor first.
import type { Selectable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { ContributionPaymentTable } from '../db/database.ts';
import type { BillRow } from './bill.repository.ts';

export type PaymentRow = Selectable<ContributionPaymentTable>;

export const paymentByBankRef = (db: Db, bankRef: string): Promise<PaymentRow | undefined> =>
  db.selectFrom('contribution_payment').selectAll().where('bank_ref', '=', bankRef).executeTakeFirst();

/** The payments already recorded under any of these bank references: payment id by reference. */
export async function paymentIdsByBankRef(db: Db, bankRefs: readonly string[]): Promise<Map<string, number>> {
  if (bankRefs.length === 0) return new Map();
  const rows = await db
    .selectFrom('contribution_payment')
    .select(['id', 'bank_ref'])
    .where('bank_ref', 'in', bankRefs)
    .execute();
  return new Map(rows.flatMap((r) => (r.bank_ref === null ? [] : [[r.bank_ref, Number(r.id)]])));
}

/**
 * The bills of the region that a receipt file names, locked for its import (in id order, so two
 * imports naming the same bills wait for each other rather than deadlock), by id. A bill of another
 * region is neither read nor locked.
 */
export async function regionBillsForUpdate(
  tx: Db,
  region: string,
  billIds: readonly number[],
): Promise<Map<number, BillRow>> {
  if (billIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('contribution_bill')
    .selectAll()
    .where('region', '=', region)
    .where('id', 'in', billIds)
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(rows.map((b) => [Number(b.id), b]));
}

export const paymentById = (db: Db, id: number): Promise<PaymentRow | undefined> =>
  db.selectFrom('contribution_payment').selectAll().where('id', '=', id).executeTakeFirst();

/** A bill's matched payments (not reversed), oldest first: what its receipt lists. */
export const matchedPaymentsOfBill = (db: Db, billId: number): Promise<PaymentRow[]> =>
  db
    .selectFrom('contribution_payment')
    .selectAll()
    .where('bill_id', '=', billId)
    .where('status', '=', 'matched')
    .orderBy('id')
    .execute();

export const paymentForUpdate = (db: Db, id: number): Promise<PaymentRow> =>
  db
    .selectFrom('contribution_payment')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();

export interface NewPayment {
  region: string;
  billId: number | null;
  employerId: number | null;
  personId: number | null;
  amountFen: number;
  /** a matched payment's split of the amount (an unallocated receipt has none) */
  split?: {
    contributionFen: number;
    lateFeeFen: number;
    lateFeePensionFen: number;
    lateFeeUnemploymentFen: number;
    lateFeeInjuryFen: number;
    lateDays: number;
  };
  paidDate: string;
  bankRef: string | null;
  source: string;
  status: 'matched' | 'unallocated';
  uploadId: number | null;
  createdBy: string;
}

export async function insertPayment(tx: Db, p: NewPayment): Promise<PaymentRow> {
  return tx
    .insertInto('contribution_payment')
    .values({
      region: p.region,
      bill_id: p.billId,
      employer_id: p.employerId,
      person_id: p.personId,
      amount_fen: p.amountFen,
      ...(p.split === undefined
        ? {}
        : {
            contribution_fen: p.split.contributionFen,
            late_fee_fen: p.split.lateFeeFen,
            late_fee_pension_fen: p.split.lateFeePensionFen,
            late_fee_unemployment_fen: p.split.lateFeeUnemploymentFen,
            late_fee_injury_fen: p.split.lateFeeInjuryFen,
            late_days: p.split.lateDays,
          }),
      paid_date: p.paidDate,
      bank_ref: p.bankRef,
      source: p.source,
      status: p.status,
      upload_id: p.uploadId,
      created_by: p.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function markPaymentReversed(tx: Db, paymentId: number): Promise<void> {
  await tx
    .updateTable('contribution_payment')
    .set({ status: 'reversed' })
    .where('id', '=', paymentId)
    .execute();
}

/** The online hall tells the payer the payment was received. */
export async function publishPaymentRecorded(
  tx: Db,
  p: {
    billId: number;
    employerId: number | null;
    personId: number | null;
    region: string;
    period: string;
    amountFen: number;
  },
): Promise<void> {
  await tx
    .insertInto('outbox')
    .values({ topic: 'payment.recorded', payload: JSON.stringify(p) })
    .execute();
}
