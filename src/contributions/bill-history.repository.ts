// SQL for one bill's page: the money that named it (its history and approvals:
// money-history.repository.ts, read as the receipt's page reads its own). It takes the bill's region, so
// nothing of another region is read even by a wrong id.
import type { Db } from '../db/connection.ts';

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
      'bill_id',
      'upload_id',
      'created_by',
      'created_at',
    ])
    .where('region', '=', region)
    .where('bill_id', '=', billId)
    .orderBy('paid_date')
    .orderBy('id')
    .execute();
