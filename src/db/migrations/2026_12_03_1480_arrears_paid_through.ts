// Issue 18, ninth pass: the adjustments' arrears are marked paid by the arrears payment itself, not by
// a marker row each. The payroll pays, in one arrears payment per award, every adjustment amount of the
// award whose arrears are unpaid (pension_amount.arrears_fen > 0), and since the annual adjustment's
// chunks all run one at a time (one advisory lock whatever the year, adjustment.job.ts) an award's
// amount rows with arrears become visible in id order. So the payment records only the newest amount it
// settles (arrears_through_amount_id), and an amount's arrears are paid when an arrears payment of its
// award reaches its id: the N marker rows a month with arrears wrote into pension_amount_arrears_paid
// are gone, for one entry in a partial index of the payments that carry the column (the payroll's
// probe by award, so a month without arrears stays one index probe per award with past arrears). The
// column is null on regular payments and on arrears payments of arrears rows alone (restorations: their
// markers in pension_arrears_paid are unchanged).
// The existing markers move to their payments: each arrears payment takes the newest amount its markers
// name. Refused if an amount is unpaid below a paid one of its award (two years' adjustments committed
// out of order before the lock was shared): the watermark cannot say that.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE pension_payment ADD COLUMN arrears_through_amount_id bigint,
    ADD CONSTRAINT pension_payment_through_arrears CHECK (arrears_through_amount_id IS NULL OR kind = 'arrears')`.execute(
    db,
  );
  await sql`UPDATE pension_payment pp SET arrears_through_amount_id = m.through
    FROM (SELECT award_id, paid_in_period, max(amount_id) AS through FROM pension_amount_arrears_paid GROUP BY award_id, paid_in_period) m
    WHERE pp.award_id = m.award_id AND pp.period = m.paid_in_period AND pp.kind = 'arrears'`.execute(db);
  const out = await sql<{ n: unknown }>`SELECT count(*) AS n FROM pension_amount pa
    WHERE pa.arrears_fen > 0
      AND NOT EXISTS (SELECT 1 FROM pension_amount_arrears_paid x WHERE x.award_id = pa.award_id AND x.amount_id = pa.id)
      AND EXISTS (SELECT 1 FROM pension_amount_arrears_paid x WHERE x.award_id = pa.award_id AND x.amount_id > pa.id)`.execute(
    db,
  );
  if (Number(out.rows[0]?.n) > 0)
    throw new Error(
      `${String(out.rows[0]?.n)} adjustment amounts have unpaid arrears below a paid amount of their award: pay them before this migration`,
    );
  await sql`DROP TABLE pension_amount_arrears_paid`.execute(db);
  await sql`CREATE INDEX pension_payment_arrears_through_idx ON pension_payment (award_id, arrears_through_amount_id)
    WHERE arrears_through_amount_id IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE pension_amount_arrears_paid (
    award_id bigint NOT NULL,
    amount_id bigint NOT NULL,
    paid_in_period char(7) NOT NULL CHECK (paid_in_period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    payroll_run_id bigint NOT NULL,
    PRIMARY KEY (award_id, amount_id)
  )`.execute(db);
  // Each amount was paid by the first arrears payment of its award whose watermark reaches it.
  await sql`INSERT INTO pension_amount_arrears_paid (award_id, amount_id, paid_in_period, payroll_run_id)
    SELECT pa.award_id, pa.id, p.period, p.payroll_run_id FROM pension_amount pa
    JOIN LATERAL (
      SELECT pp.period, pp.payroll_run_id FROM pension_payment pp
      WHERE pp.award_id = pa.award_id AND pp.arrears_through_amount_id >= pa.id
      ORDER BY pp.arrears_through_amount_id LIMIT 1
    ) p ON true
    WHERE pa.arrears_fen > 0 ORDER BY pa.award_id, pa.id`.execute(db);
  await sql`DROP INDEX pension_payment_arrears_through_idx`.execute(db);
  await sql`ALTER TABLE pension_payment DROP CONSTRAINT pension_payment_through_arrears,
    DROP COLUMN arrears_through_amount_id`.execute(db);
}
