// SQL for one payment record's page (缴费到账记录): the record with the file or order it came by and the
// bills it named or paid (its history and approvals: money-history.repository.ts, read as the bill's
// page reads its own). The bills' query takes the record's region, so nothing of another region is read
// by a wrong id.
import type { Db } from '../db/connection.ts';

/** The record with its payer's name, the bank file it came in and the online order whose money it is. */
export const paymentRecord = (db: Db, id: number) =>
  db
    .selectFrom('contribution_payment as p')
    .leftJoin('contribution_upload as u', 'u.id', 'p.upload_id')
    .leftJoin('online_payment_order as o', 'o.payment_id', 'p.id')
    .leftJoin('employer as e', 'e.id', 'p.employer_id')
    .leftJoin('person as n', 'n.id', 'p.person_id')
    .select([
      'p.id',
      'p.region',
      'p.bill_id',
      'p.employer_id',
      'e.name as employer_name',
      'p.person_id',
      'n.name as person_name',
      'p.amount_fen',
      'p.contribution_fen',
      'p.late_fee_fen',
      'p.paid_date',
      'p.bank_ref',
      'p.source',
      'p.status',
      'p.reason_kind',
      'p.upload_id',
      'u.filename',
      'o.order_no',
      'o.status as order_status',
      'p.created_by',
      'p.created_at',
    ])
    .where('p.id', '=', id)
    .executeTakeFirst();

/** Bills of the region by id, oldest first, with their period and status today. */
export const regionBills = async (db: Db, region: string, ids: readonly number[]) =>
  ids.length === 0
    ? []
    : db
        .selectFrom('contribution_bill')
        .select(['id', 'period', 'status'])
        .where('region', '=', region)
        .where('id', 'in', ids)
        .orderBy('id')
        .execute();
