// SQL for payments: by bank reference (one, or a receipt file's at once) or id, the bills a receipt
// file names, inserting a matched or unallocated payment, the reversal mark, and the hall's "payment
// received" event. Functions take the executor first.
import type { Selectable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { ContributionPaymentTable } from '../db/database.ts';
import { formatMoney } from '../core/money.ts';
import type { BillRow } from './bill.repository.ts';
import { publishCaseStatusEvent } from '../hall/case-status.event.ts';

export type PaymentRow = Selectable<ContributionPaymentTable>;

/**
 * A record withdrawn as keyed wrongly (keying_error) no longer holds its bank reference: the right record
 * of that bank line is keyed or imported under it (migration 2026_12_07_0311). Every other record holds
 * its reference — a duplicate's too: its money is on the other record, and the line must not count again.
 */
const KEYED_WRONGLY = 'keying_error';

/** The record that holds a bank reference, if one does. */
export const paymentByBankRef = (db: Db, bankRef: string): Promise<PaymentRow | undefined> =>
  db
    .selectFrom('contribution_payment')
    .selectAll()
    .where('bank_ref', '=', bankRef)
    .where('reason_kind', 'is distinct from', KEYED_WRONGLY)
    .executeTakeFirst();

/** The payments that already hold any of these bank references: payment id by reference. */
export async function paymentIdsByBankRef(db: Db, bankRefs: readonly string[]): Promise<Map<string, number>> {
  if (bankRefs.length === 0) return new Map();
  const rows = await db
    .selectFrom('contribution_payment')
    .select(['id', 'bank_ref'])
    .where('bank_ref', 'in', bankRefs)
    .where('reason_kind', 'is distinct from', KEYED_WRONGLY)
    .execute();
  return new Map(rows.flatMap((r) => (r.bank_ref === null ? [] : [[r.bank_ref, Number(r.id)]])));
}

/** The bank references an upload's lines were recorded under, among `bankRefs` (whatever became of the records). */
export async function uploadBankRefs(
  db: Db,
  uploadId: number,
  bankRefs: readonly string[],
): Promise<Set<string>> {
  if (bankRefs.length === 0) return new Set();
  const rows = await db
    .selectFrom('contribution_payment')
    .select('bank_ref')
    .where('upload_id', '=', uploadId)
    .where('bank_ref', 'in', bankRefs)
    .execute();
  return new Set(rows.flatMap((r) => (r.bank_ref === null ? [] : [r.bank_ref])));
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

/** Payments locked in id order, so two clerks choosing overlapping receipts wait for each other, not deadlock. */
export const paymentsForUpdate = (db: Db, ids: readonly number[]): Promise<PaymentRow[]> =>
  db
    .selectFrom('contribution_payment')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();

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

/** The payment reversed, with why (the bill's page and the payer's message read the kind). */
export async function markPaymentReversed(
  tx: Db,
  paymentId: number,
  kind: NonNullable<PaymentRow['reason_kind']>,
): Promise<void> {
  await tx
    .updateTable('contribution_payment')
    .set({ status: 'reversed', reason_kind: kind })
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
    /** held receipts allocated to the bill: the payer is told whose money paid it (the hall's message) */
    heldRefs?: string[];
  },
): Promise<void> {
  await tx
    .insertInto('outbox')
    .values({ topic: 'payment.recorded', payload: JSON.stringify(p) })
    .execute();
}

/**
 * A paid bill open again (its payment reversed: the bank returned it, 退票, or the agency withdrew a wrong
 * posting): the hall tells the payer which bill, why in words of the kind, what is due now and from when
 * the late fee runs, in the same transaction as the reversal.
 */
export async function publishBillReopened(
  tx: Db,
  p: {
    billId: number;
    employerId: number | null;
    personId: number | null;
    region: string;
    period: string;
    /** the money the bank returned */
    returnedFen: number;
    bankRef: string | null;
    /** what is due on the day it reopened, late fee to that day included */
    dueTodayFen: number;
    lateFeeFen: number;
    on: string;
    /** the bill's due date: the late fee runs from the day after it */
    dueDate: string;
    /** why: the message is worded from it (absent on events written before 2026-12-07: a bank return) */
    reasonKind: NonNullable<PaymentRow['reason_kind']>;
  },
): Promise<void> {
  await tx
    .insertInto('outbox')
    .values({ topic: 'bill.reopened', payload: JSON.stringify(p) })
    .execute();
}

/** A held receipt as the clerk's list shows it: the bill it names, the payer if known, an online order. */
export interface HeldRow {
  id: number;
  bank_ref: string | null;
  paid_date: string;
  amount_fen: number;
  bill_id: number | null;
  bill_period: string | null;
  employer_id: number | null;
  employer_name: string | null;
  person_id: number | null;
  person_name: string | null;
  upload_id: number | null;
  order_no: string | null;
  order_status: string | null;
  /** wrong_bill: taken off the bill it names, as posted to the wrong bill */
  reason_kind: PaymentRow['reason_kind'];
}

/**
 * The receipts held (unallocated) in the region, oldest first; `receivedBy` keeps those received on or
 * before that day (held at least so many days). An online order that paid into one is named with it.
 */
export const heldReceipts = (db: Db, region: string, receivedBy: string | null): Promise<HeldRow[]> => {
  let q = db
    .selectFrom('contribution_payment as p')
    .leftJoin('contribution_bill as b', 'b.id', 'p.bill_id')
    .leftJoin('employer as e', 'e.id', 'p.employer_id')
    .leftJoin('person as n', 'n.id', 'p.person_id')
    .leftJoin('online_payment_order as o', 'o.payment_id', 'p.id')
    .select([
      'p.id',
      'p.bank_ref',
      'p.paid_date',
      'p.amount_fen',
      'p.bill_id',
      'b.period as bill_period',
      'p.employer_id',
      'e.name as employer_name',
      'p.person_id',
      'n.name as person_name',
      'p.upload_id',
      'o.order_no',
      'o.status as order_status',
      'p.reason_kind',
    ])
    .where('p.region', '=', region)
    .where('p.status', '=', 'unallocated');
  if (receivedBy !== null) q = q.where('p.paid_date', '<=', receivedBy);
  return q.orderBy('p.paid_date').orderBy('p.id').limit(1000).execute();
};

/** A held receipt allocated to a bill: matched to it, with the bill's payer and the split of the amount. */
export async function allocatePayment(
  tx: Db,
  paymentId: number,
  b: Pick<BillRow, 'id' | 'employer_id' | 'person_id'>,
  split: NonNullable<NewPayment['split']>,
): Promise<PaymentRow> {
  return tx
    .updateTable('contribution_payment')
    .set({
      status: 'matched',
      bill_id: b.id,
      employer_id: b.employer_id,
      person_id: b.person_id,
      // a receipt once taken off a wrong bill is on its right one now
      reason_kind: null,
      contribution_fen: split.contributionFen,
      late_fee_fen: split.lateFeeFen,
      late_fee_pension_fen: split.lateFeePensionFen,
      late_fee_unemployment_fen: split.lateFeeUnemploymentFen,
      late_fee_injury_fen: split.lateFeeInjuryFen,
      late_days: split.lateDays,
    })
    .where('id', '=', paymentId)
    .where('status', '=', 'unallocated')
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The other receipts that paid the same bill together with this one (held receipts allocated jointly). */
export async function jointPaymentIds(db: Db, paymentId: number, billId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('contribution_payment')
    .select('id')
    .where('bill_id', '=', billId)
    .where('status', '=', 'matched')
    .where('id', '<>', paymentId)
    .orderBy('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

/** Receipts by id with the name of the payer each names (none when it names no bill): what a clerk and the audit read. */
export async function receiptsWithPayer(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('contribution_payment as p')
    .leftJoin('employer as e', 'e.id', 'p.employer_id')
    .leftJoin('person as n', 'n.id', 'p.person_id')
    .select([
      'p.id',
      'p.bank_ref',
      'p.amount_fen',
      'p.paid_date',
      'p.employer_id',
      'e.name as employer_name',
      'p.person_id',
      'n.name as person_name',
    ])
    .where('p.id', 'in', ids)
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({
    paymentId: Number(r.id),
    bankRef: r.bank_ref,
    amountFen: Number(r.amount_fen),
    paidDate: r.paid_date,
    payer: payerNamed(r),
  }));
}

/** The payer a receipt names, with its name: a person's (flexible worker, resident) or an employer's; null when none. */
export function payerNamed(r: {
  person_id: number | null;
  person_name: string | null;
  employer_id: number | null;
  employer_name: string | null;
}) {
  return r.person_id !== null
    ? { kind: 'person' as const, id: Number(r.person_id), name: r.person_name ?? '' }
    : r.employer_id !== null
      ? { kind: 'employer' as const, id: Number(r.employer_id), name: r.employer_name ?? '' }
      : null;
}

/**
 * A receipt that paid a bill together with one the bank returned goes back to held: unallocated, its
 * split cleared, still naming the bill it paid and that bill's payer (whose money the clerk found it to be).
 * `offWrongBill`: a payment taken off the wrong bill keeps naming the bill but no payer, and says why
 * (reason_kind wrong_bill) while it is held: the held list tells the clerk, and its allocation needs a reviewer.
 */
export async function returnToHeld(tx: Db, paymentId: number, offWrongBill = false): Promise<void> {
  await tx
    .updateTable('contribution_payment')
    .set({
      status: 'unallocated',
      // taken off the wrong bill: the bill's payer is not known to be whose money it is
      ...(offWrongBill ? { employer_id: null, person_id: null, reason_kind: 'wrong_bill' as const } : {}),
      contribution_fen: 0,
      late_fee_fen: 0,
      late_fee_pension_fen: 0,
      late_fee_unemployment_fen: 0,
      late_fee_injury_fen: 0,
      late_days: 0,
    })
    .where('id', '=', paymentId)
    .where('status', '=', 'matched')
    .execute();
}

/** The number of the online order whose money this payment row holds, if an order paid it. */
export async function orderNoOfPayment(db: Db, paymentId: number): Promise<string | undefined> {
  const o = await db
    .selectFrom('online_payment_order')
    .select('order_no')
    .where('payment_id', '=', paymentId)
    .executeTakeFirst();
  return o?.order_no;
}

/** The online order whose money a refunded receipt held: refunded now, so its payer no longer reads 待退费. */
export async function markOrderRefunded(tx: Db, paymentId: number): Promise<string | undefined> {
  const o = await tx
    .updateTable('online_payment_order')
    .set({ status: 'refunded' })
    .where('payment_id', '=', paymentId)
    .where('status', '=', 'refund_due')
    .returning('order_no')
    .executeTakeFirst();
  return o?.order_no;
}

/**
 * The hall tells a known payer that a held receipt was refunded (退费), through its generic
 * `case.status` event: one completed application of the `contribution-refund` service per receipt.
 */
export async function publishRefund(
  tx: Db,
  p: {
    paymentId: number;
    personId: number | null;
    employerId: number | null;
    region: string;
    amountFen: number;
    bankRef: string | null;
    actor: string;
  },
): Promise<void> {
  const yuan = formatMoney(p.amountFen);
  const ref = p.bankRef ?? `#${p.paymentId}`;
  await publishCaseStatusEvent(tx, {
    service: 'contribution-refund',
    ref: `contribution_payment:${p.paymentId}`,
    status: 'completed',
    actor: p.actor,
    ...(p.personId !== null
      ? { personId: p.personId }
      : p.employerId !== null
        ? { employerId: p.employerId }
        : {}),
    regionCode: p.region,
    channel: 'counter',
    note: {
      zh: `暂收款 ${yuan}（流水 ${ref}）已退回原付款账户。`,
      en: `The held receipt of ${yuan} (bank ref ${ref}) was returned to the account it came from.`,
    },
  });
}

/** A bill's payer with its name: the employer of an employer's bill, else the person (flexible worker, resident). */
export async function billPayerNamed(db: Db, b: Pick<BillRow, 'payer_kind' | 'employer_id' | 'person_id'>) {
  const employer = b.payer_kind === 'employer';
  const id = employer ? b.employer_id : b.person_id;
  if (id === null) return null;
  const row = employer
    ? await db.selectFrom('employer').select('name').where('id', '=', id).executeTakeFirst()
    : await db.selectFrom('person').select('name').where('id', '=', id).executeTakeFirst();
  return {
    kind: employer ? ('employer' as const) : ('person' as const),
    id: Number(id),
    name: row?.name ?? '',
  };
}

/** A region's payments by bank reference or by the bill they name, newest first: what a clerk looks up. */
export async function paymentsFound(db: Db, region: string, by: { bankRef?: string; billId?: number }) {
  let q = db
    .selectFrom('contribution_payment as p')
    .leftJoin('contribution_bill as b', 'b.id', 'p.bill_id')
    .leftJoin('employer as e', 'e.id', 'p.employer_id')
    .leftJoin('person as n', 'n.id', 'p.person_id')
    .select([
      'p.id',
      'p.bank_ref',
      'p.paid_date',
      'p.amount_fen',
      'p.status',
      'p.bill_id',
      'b.period as bill_period',
      'p.employer_id',
      'e.name as employer_name',
      'p.person_id',
      'n.name as person_name',
    ])
    .where('p.region', '=', region);
  if (by.bankRef !== undefined) q = q.where('p.bank_ref', '=', by.bankRef);
  if (by.billId !== undefined) q = q.where('p.bill_id', '=', by.billId);
  return q.orderBy('p.paid_date', 'desc').orderBy('p.id', 'desc').limit(50).execute();
}

/**
 * The region's receipts a bank's return file names, by bank reference, locked in id order for its
 * import (two files naming the same receipts wait for each other). Another region's are neither read
 * nor locked: to its clerk's file they do not exist.
 */
export async function regionPaymentsByBankRefForUpdate(
  tx: Db,
  region: string,
  bankRefs: readonly string[],
): Promise<Map<string, PaymentRow>> {
  if (bankRefs.length === 0) return new Map();
  const rows = await tx
    .selectFrom('contribution_payment')
    .selectAll()
    .where('region', '=', region)
    .where('bank_ref', 'in', bankRefs)
    .orderBy('id')
    .forUpdate()
    .execute();
  // A reference withdrawn as keyed wrongly may be held again by its right record: the bank's line is that one.
  const byRef = new Map<string, PaymentRow>();
  for (const r of rows) {
    if (r.bank_ref === null) continue;
    const seen = byRef.get(r.bank_ref);
    if (seen === undefined || seen.reason_kind === KEYED_WRONGLY) byRef.set(r.bank_ref, r);
  }
  return byRef;
}
