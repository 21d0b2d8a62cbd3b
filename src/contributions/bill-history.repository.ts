// SQL for one bill's history: the money that named it, the audit entries of the bill and of that money
// (staff reads left out), and the four-eyes approvals on either. Functions take the executor first
// and the bill's region, so nothing of another region is read even by a wrong id.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';

/** The kinds of approval that act on a bill (by its id) or on one of its payments (by the payment's id). */
const ON_BILL = ['bill.cancel', 'payment.allocate'] as const;
const ON_PAYMENT = 'payment.reverse';

/** Every payment that names the bill (matched, held on it, reversed), oldest first. */
export const billPayments = (db: Db, region: string, billId: number) =>
  db
    .selectFrom('contribution_payment')
    .select([
      'id',
      'bank_ref',
      'paid_date',
      'amount_fen',
      'contribution_fen',
      'late_fee_fen',
      'source',
      'status',
      'reason_kind',
      'created_by',
      'created_at',
    ])
    .where('region', '=', region)
    .where('bill_id', '=', billId)
    .orderBy('paid_date')
    .orderBy('id')
    .execute();

/**
 * The audit entries of the bill, of its payments and of the assessment that issued it, oldest first.
 * Reads (`*.read`) are not history: they say who looked, not what happened to the bill.
 */
export async function billAuditEntries(
  db: Db,
  region: string,
  ref: { billId: number; paymentIds: readonly number[]; assessmentId: number | null },
) {
  return db
    .selectFrom('audit_log')
    .select([
      'id',
      'at',
      'action',
      'actor_username',
      'actor_role',
      'entity_type',
      'entity_id',
      'before',
      'after',
      'reason',
    ])
    .where('region', '=', region)
    .where('action', 'not like', '%.read')
    .where((eb) =>
      eb.or([
        eb.and([eb('entity_type', '=', 'contribution_bill'), eb('entity_id', '=', String(ref.billId))]),
        ...(ref.paymentIds.length === 0
          ? []
          : [
              eb.and([
                eb('entity_type', '=', 'contribution_payment'),
                eb('entity_id', 'in', ref.paymentIds.map(String)),
              ]),
            ]),
        ...(ref.assessmentId === null
          ? []
          : [
              eb.and([
                eb('entity_type', '=', 'contribution_assessment'),
                eb('entity_id', '=', String(ref.assessmentId)),
              ]),
            ]),
      ]),
    )
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** The approvals on the bill or on one of its payments (open and decided), oldest first. */
export async function billApprovals(
  db: Db,
  region: string,
  ref: { billId: number; paymentIds: readonly number[] },
) {
  return db
    .selectFrom('approval')
    .select([
      'id',
      'kind',
      'status',
      'payload',
      'maker_username',
      'prepared_at',
      'checker_username',
      'decided_at',
      'note',
    ])
    .where('region', '=', region)
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', 'in', ON_BILL), eb(sql<string>`payload->>'billId'`, '=', String(ref.billId))]),
        ...(ref.paymentIds.length === 0
          ? []
          : [
              eb.and([
                eb('kind', '=', ON_PAYMENT),
                eb(sql<string>`payload->>'paymentId'`, 'in', ref.paymentIds.map(String)),
              ]),
            ]),
      ]),
    )
    .orderBy('prepared_at')
    .orderBy('id')
    .execute();
}
