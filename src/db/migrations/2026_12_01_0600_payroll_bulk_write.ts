// Issue 18: the monthly pension payroll writes a payment for every pensioner. Measured per 50,000-award
// chunk on PostgreSQL 15 (EXPLAIN ANALYZE): the foreign-key trigger on pension_payment.award_id took a
// third of the statement (1.8 s of 5.2 s), and every chunk scanned the whole person table for the dead
// (0.2 s per chunk at 200,000 persons, twice: regular and arrears).
// - pension_payment is written by the payroll only, by INSERT … SELECT from pension_award in the same
//   statement, so the award always exists; awards are never deleted. The key is proven by the
//   statement; the per-row check goes.
// - The dead are few: a partial index on person(death_date) makes "died before the month" a short
//   index scan instead of a scan of every person.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE pension_payment DROP CONSTRAINT IF EXISTS pension_payment_award_id_fkey`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS person_death_date_idx ON person (death_date) WHERE death_date IS NOT NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS person_death_date_idx`.execute(db);
  await sql`ALTER TABLE pension_payment ADD CONSTRAINT pension_payment_award_id_fkey FOREIGN KEY (award_id) REFERENCES pension_award(id)`.execute(
    db,
  );
}
