// SQL for one payment record's page (缴费到账记录): the record with the file or order it came by, the
// bills it named or paid, the audit entries on it (staff reads left out) and the approvals on it. Each
// query after the first takes the record's region, so nothing of another region is read by a wrong id.
import { sql } from 'kysely';
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

/**
 * The audit entries of the record, oldest first: its own (held, allocated, reversed, refunded, held
 * again) and its bill's that name it (recorded by hand or online). Reads are not history.
 */
export const paymentAuditEntries = (db: Db, region: string, paymentId: number) =>
  db
    .selectFrom('audit_log')
    .select(['id', 'at', 'action', 'actor_username', 'actor_role', 'before', 'after', 'reason'])
    .where('region', '=', region)
    .where('action', 'not like', '%.read')
    .where((eb) =>
      eb.or([
        eb.and([eb('entity_type', '=', 'contribution_payment'), eb('entity_id', '=', String(paymentId))]),
        eb.and([
          eb('entity_type', '=', 'contribution_bill'),
          eb(sql<string>`after->>'paymentId'`, '=', String(paymentId)),
        ]),
      ]),
    )
    .orderBy('at')
    .orderBy('id')
    .execute();

/** The approvals on the record (open and decided), oldest first: its reversals and the allocations it is in. */
export const paymentApprovals = (db: Db, region: string, paymentId: number) =>
  db
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
    ])
    .where('region', '=', region)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('kind', '=', 'payment.reverse'),
          eb(sql<string>`payload->>'paymentId'`, '=', String(paymentId)),
        ]),
        eb.and([
          eb('kind', '=', 'payment.allocate'),
          sql<boolean>`payload->'paymentIds' @> ${JSON.stringify([paymentId])}::jsonb`,
        ]),
      ]),
    )
    .orderBy('prepared_at')
    .orderBy('id')
    .execute();

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
