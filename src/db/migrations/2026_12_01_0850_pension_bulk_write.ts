// Issue 18: the annual adjustment and the payroll that pays its arrears, measured per chunk on
// PostgreSQL 15 (EXPLAIN ANALYZE, 200,000 pensioners):
// - The payroll marks every arrears row paid (paid_in_period, payroll_run_id). Each mark was a new row
//   version with entries in all four indexes of pension_arrears (paid_in_period is in the predicate of
//   pension_arrears_unpaid_idx, so no update could be HOT), plus a foreign-key check per row on
//   payroll_run_id: the mark was the largest cost of the run. The partial index goes: the payroll finds a
//   chunk's unpaid arrears by its award range through pension_arrears_award_idx (award_id, from_period)
//   and filters on paid_in_period. With no index on the two columns the mark sets, and room left in each
//   page by new rows (fillfactor 45; the table is written by appends, so new pages get it), the mark is a
//   heap-only update in the row's own page: no index entry at all.
// - payroll_run_id is set by the payroll only, from the run row the same statement joins (the chunk's
//   transaction holds it locked); runs are never deleted. The per-row check goes.
// - The adjustment's per-row checks of award_id on pension_amount and pension_arrears were 18% of its
//   statement (4.4 s of 25 s per 100,000-award chunk). Every writer takes the award id from the award it
//   has just inserted or read: the adjustment selects its rows from pension_award in the same statement;
//   a new award inserts its first amount right after the award (retirement, demo, fixtures); queueArrears
//   reads the award back in the same transaction and fails without it. Awards are never deleted. The
//   per-row checks go, as pension_payment's did (migration 2026_12_01_0600).
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS pension_arrears_unpaid_idx`.execute(db);
  await sql`ALTER TABLE pension_arrears SET (fillfactor = 45)`.execute(db);
  await sql`ALTER TABLE pension_arrears DROP CONSTRAINT IF EXISTS pension_arrears_payroll_run_id_fkey`.execute(
    db,
  );
  await sql`ALTER TABLE pension_arrears DROP CONSTRAINT IF EXISTS pension_arrears_award_id_fkey`.execute(db);
  await sql`ALTER TABLE pension_amount DROP CONSTRAINT IF EXISTS pension_amount_award_id_fkey`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE pension_amount ADD CONSTRAINT pension_amount_award_id_fkey FOREIGN KEY (award_id) REFERENCES pension_award(id)`.execute(
    db,
  );
  await sql`ALTER TABLE pension_arrears ADD CONSTRAINT pension_arrears_award_id_fkey FOREIGN KEY (award_id) REFERENCES pension_award(id)`.execute(
    db,
  );
  await sql`ALTER TABLE pension_arrears ADD CONSTRAINT pension_arrears_payroll_run_id_fkey FOREIGN KEY (payroll_run_id) REFERENCES payroll_run(id)`.execute(
    db,
  );
  await sql`ALTER TABLE pension_arrears RESET (fillfactor)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS pension_arrears_unpaid_idx ON pension_arrears (award_id) WHERE paid_in_period IS NULL`.execute(
    db,
  );
}
