// Twenty-ninth pass: a payer who pays two online orders for one bill. The gateway has the money of
// the second and retries a refused notice (it refunds nothing on the merchant's word), so the notice is
// acknowledged, the money held as an unallocated receipt on the bill, and the order marked refund_due
// (待退费) until a clerk returns it. Down marks such orders failed, as the notice was answered before.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE online_payment_order DROP CONSTRAINT online_payment_order_status_check`.execute(db);
  await sql`ALTER TABLE online_payment_order ADD CONSTRAINT online_payment_order_status_check
    CHECK (status IN ('pending', 'paid', 'refund_due', 'failed', 'expired'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE online_payment_order SET status = 'failed' WHERE status = 'refund_due'`.execute(db);
  await sql`ALTER TABLE online_payment_order DROP CONSTRAINT online_payment_order_status_check`.execute(db);
  await sql`ALTER TABLE online_payment_order ADD CONSTRAINT online_payment_order_status_check
    CHECK (status IN ('pending', 'paid', 'failed', 'expired'))`.execute(db);
}
