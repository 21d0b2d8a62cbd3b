// SQL for the history of money on bills, as the bill's page and the receipt's page read it: the audit
// entries (staff reads left out) and the four-eyes approvals. One filter (`HistoryOf`) says whose
// history; the two pages read through the same queries (they were near-copies). Functions take the
// executor first and the region, so nothing of another region is read even by a wrong id.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';

/**
 * Whose history: a bill — its own entries, its payments', the assessment that issued it; the approvals on
 * it (cancellation, allocation to it) or on its payments (reversal) — or one payment record — its own
 * entries and its bill's that name it (recorded by hand or online); its reversals and the allocations it
 * is in.
 */
export type HistoryOf =
  { billId: number; paymentIds: readonly number[]; assessmentId: number | null } | { paymentId: number };

/** The kinds of approval that act on a bill by its id. */
const ON_BILL = ['bill.cancel', 'payment.allocate'] as const;

/**
 * The audit entries of `of`, oldest first. Reads (`*.read`) are not history: they say who looked, not
 * what happened to the money.
 */
export const historyEntries = (db: Db, region: string, of: HistoryOf) =>
  db
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
    .where((eb) => {
      const subject = (type: string, ids: readonly number[]) =>
        ids.length === 0
          ? []
          : [eb.and([eb('entity_type', '=', type), eb('entity_id', 'in', ids.map(String))])];
      return 'paymentId' in of
        ? eb.or([
            ...subject('contribution_payment', [of.paymentId]),
            eb.and([
              eb('entity_type', '=', 'contribution_bill'),
              eb(sql<string>`after->>'paymentId'`, '=', String(of.paymentId)),
            ]),
          ])
        : eb.or([
            ...subject('contribution_bill', [of.billId]),
            ...subject('contribution_payment', of.paymentIds),
            ...subject('contribution_assessment', of.assessmentId === null ? [] : [of.assessmentId]),
          ]);
    })
    .orderBy('at')
    .orderBy('id')
    .execute();

/** The approvals on `of`, open and decided, oldest first. */
export const historyApprovals = (db: Db, region: string, of: HistoryOf) =>
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
    .where((eb) => {
      const reversalOf = (ids: readonly number[]) =>
        ids.length === 0
          ? []
          : [
              eb.and([
                eb('kind', '=', 'payment.reverse'),
                eb(sql<string>`payload->>'paymentId'`, 'in', ids.map(String)),
              ]),
            ];
      return 'paymentId' in of
        ? eb.or([
            ...reversalOf([of.paymentId]),
            eb.and([
              eb('kind', '=', 'payment.allocate'),
              sql<boolean>`payload->'paymentIds' @> ${JSON.stringify([of.paymentId])}::jsonb`,
            ]),
          ])
        : eb.or([
            eb.and([eb('kind', 'in', ON_BILL), eb(sql<string>`payload->>'billId'`, '=', String(of.billId))]),
            ...reversalOf(of.paymentIds),
          ]);
    })
    .orderBy('prepared_at')
    .orderBy('id')
    .execute();
