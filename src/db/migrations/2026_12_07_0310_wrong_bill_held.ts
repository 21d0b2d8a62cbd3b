// Thirty-seventh pass: a receipt taken off the wrong bill (a `wrong_bill` reversal: back to held, naming
// the bill and no payer) keeps the kind while it is held — reason_kind 'wrong_bill' on an unallocated
// record — so the clerk's held list can say it came off that bill and that its next allocation needs a
// reviewer; allocating it clears the kind. Receipts taken off a wrong bill in the pass before kept no
// kind: the release's audit entry (payment.reverse, after.reasonKind wrong_bill) says it, when it is
// the receipt's latest move. Down clears the kind on held records (the release entries stay).
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE contribution_payment p SET reason_kind = 'wrong_bill'
    WHERE p.status = 'unallocated' AND p.reason_kind IS NULL
      AND (SELECT a.action || ':' || coalesce(a.after->>'reasonKind', '')
           FROM audit_log a
           WHERE a.entity_type = 'contribution_payment' AND a.entity_id = p.id::text
             AND a.action IN ('payment.reverse', 'payment.allocate', 'payment.held-again', 'payment.refund')
           ORDER BY a.id DESC LIMIT 1) = 'payment.reverse:wrong_bill'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE contribution_payment SET reason_kind = NULL
    WHERE status = 'unallocated' AND reason_kind = 'wrong_bill'`.execute(db);
}
