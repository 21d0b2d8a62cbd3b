// Issue 16, pension relation transfer: the record lines the new place books from the old one must reach
// the record the award computes on (person-record.repository.ts). A month's contribution index is its
// base over the average wage it was assessed against, so each credited line now carries the old
// place's average wage for its months (null for lines booked before the old place sent it). The
// account moved is a pension_record_credit row (one per transfer, by its unique key).
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE fed_credited_segment ADD COLUMN average_wage_fen bigint CHECK (average_wage_fen > 0)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE fed_credited_segment DROP COLUMN average_wage_fen`.execute(db);
}
