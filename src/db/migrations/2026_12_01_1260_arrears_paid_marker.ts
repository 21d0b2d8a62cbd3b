// Issue 18, fifth pass: arrears are paid by an insert, not an update.
// The payroll marked every arrears row it paid (paid_in_period, payroll_run_id): even as a heap-only
// update (migration 2026_12_01_0850) each mark wrote a new version of the whole row, and the table had
// to keep 55 % of every page empty (fillfactor 45) for it — which the adjustment paid for in pages
// written. The payment of an arrears row is now a row of its own in pension_arrears_paid (the award, the
// arrears row, the period and the run that paid it); pension_arrears is written once and never updated,
// so its pages are filled (fillfactor back to the default). An arrears row is unpaid when it has no
// marker. The marker's key starts with the award so that the payroll finds a chunk's markers by the
// chunk's award range (any plan is then linear in the chunk). The existing marks move to the new table.
// The annual adjustment no longer writes an arrears row per award either: what it owes for the months
// already paid is a column of the new amount row it writes anyway (arrears_fen, with the first and last
// month it covers), and its payment is marked in pension_amount_arrears_paid the same way. Arrears rows
// an adjustment queued before this migration stay in pension_arrears and are paid from there as before.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

const PERIOD = `~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE pension_arrears_paid (
    award_id bigint NOT NULL,
    arrears_id bigint NOT NULL,
    paid_in_period char(7) NOT NULL CHECK (paid_in_period ${sql.raw(PERIOD)}),
    payroll_run_id bigint NOT NULL,
    PRIMARY KEY (award_id, arrears_id)
  )`.execute(db);
  await sql`INSERT INTO pension_arrears_paid (award_id, arrears_id, paid_in_period, payroll_run_id)
    SELECT award_id, id, paid_in_period, payroll_run_id FROM pension_arrears
    WHERE paid_in_period IS NOT NULL ORDER BY award_id, id`.execute(db);
  await sql`ALTER TABLE pension_arrears DROP COLUMN paid_in_period, DROP COLUMN payroll_run_id`.execute(db);
  await sql`ALTER TABLE pension_arrears RESET (fillfactor)`.execute(db);
  await sql`ALTER TABLE pension_amount ADD COLUMN arrears_fen bigint NOT NULL DEFAULT 0,
    ADD COLUMN arrears_from_period char(7), ADD COLUMN arrears_to_period char(7)`.execute(db);
  await sql`CREATE TABLE pension_amount_arrears_paid (
    award_id bigint NOT NULL,
    amount_id bigint NOT NULL,
    paid_in_period char(7) NOT NULL CHECK (paid_in_period ${sql.raw(PERIOD)}),
    payroll_run_id bigint NOT NULL,
    PRIMARY KEY (award_id, amount_id)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The adjustments' arrears carried on their amount rows go back to arrears rows (paid or not).
  await sql`INSERT INTO pension_arrears (award_id, reason, from_period, to_period, amount_fen, idempotency_key, detail, created_by)
    SELECT award_id, 'adjustment', arrears_from_period, arrears_to_period, arrears_fen, 'adjustment:' || award_id || ':' || adjustment_year,
      jsonb_build_object('year', adjustment_year), created_by
    FROM pension_amount WHERE arrears_fen > 0 ON CONFLICT (idempotency_key) DO NOTHING`.execute(db);
  await sql`INSERT INTO pension_arrears_paid (award_id, arrears_id, paid_in_period, payroll_run_id)
    SELECT p.award_id, ar.id, p.paid_in_period, p.payroll_run_id FROM pension_amount_arrears_paid p
    JOIN pension_amount pa ON pa.id = p.amount_id
    JOIN pension_arrears ar ON ar.idempotency_key = 'adjustment:' || pa.award_id || ':' || pa.adjustment_year
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`DROP TABLE pension_amount_arrears_paid`.execute(db);
  await sql`ALTER TABLE pension_amount DROP COLUMN arrears_fen, DROP COLUMN arrears_from_period, DROP COLUMN arrears_to_period`.execute(
    db,
  );
  await sql`ALTER TABLE pension_arrears SET (fillfactor = 45)`.execute(db);
  await sql`ALTER TABLE pension_arrears ADD COLUMN paid_in_period char(7) CHECK (paid_in_period ${sql.raw(PERIOD)}),
    ADD COLUMN payroll_run_id bigint, ADD CHECK ((paid_in_period IS NULL) = (payroll_run_id IS NULL))`.execute(
    db,
  );
  await sql`UPDATE pension_arrears ar SET paid_in_period = p.paid_in_period, payroll_run_id = p.payroll_run_id
    FROM pension_arrears_paid p WHERE p.arrears_id = ar.id`.execute(db);
  await sql`DROP TABLE pension_arrears_paid`.execute(db);
}
