// Issue 18, sixth pass: the payroll finds the arrears an adjustment carried on its amount rows
// (pension_amount.arrears_fen, migration 2026_12_01_1260) by a range scan of this partial index over
// the chunk's awards, instead of a probe of every award's amounts: a month without arrears (most
// months) costs nothing for them, and a month with arrears reads only the amount rows that carry some.
// Few rows carry arrears (one adjustment row per award and year at most), so the index is small and
// costs the adjustment one more index entry per row it writes.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX pension_amount_arrears_idx ON pension_amount (award_id, id) WHERE arrears_fen > 0`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX pension_amount_arrears_idx`.execute(db);
}
