// Thirtieth pass: a held receipt of a second online order (refund_due) is returned to the payer by a
// clerk's reviewed refund (退费); the order then reads refunded, so the payer no longer sees 待退费.
// Down marks such orders refund_due again, as they were before the refund was recorded on the order.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE online_payment_order DROP CONSTRAINT online_payment_order_status_check`.execute(db);
  await sql`ALTER TABLE online_payment_order ADD CONSTRAINT online_payment_order_status_check
    CHECK (status IN ('pending', 'paid', 'refund_due', 'refunded', 'failed', 'expired'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE online_payment_order SET status = 'refund_due' WHERE status = 'refunded'`.execute(db);
  await sql`ALTER TABLE online_payment_order DROP CONSTRAINT online_payment_order_status_check`.execute(db);
  await sql`ALTER TABLE online_payment_order ADD CONSTRAINT online_payment_order_status_check
    CHECK (status IN ('pending', 'paid', 'refund_due', 'failed', 'expired'))`.execute(db);
}
