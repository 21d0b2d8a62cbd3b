// Twenty-sixth pass: a retirement case a clerk refuses (不予受理: not of age, too few contribution
// years and no extension) ends as `rejected`, with the reason in review_note. Before, a case that
// did not qualify stayed a draft for ever and blocked the person's next case (retirement_case_open_uq).
// Down puts refused cases back to `withdrawn`, the closed status the first schema had.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE retirement_case DROP CONSTRAINT retirement_case_status_check`.execute(db);
  await sql`ALTER TABLE retirement_case ADD CONSTRAINT retirement_case_status_check
    CHECK (status IN ('draft', 'pending_review', 'approved', 'returned', 'rejected', 'withdrawn'))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE retirement_case SET status = 'withdrawn' WHERE status = 'rejected'`.execute(db);
  await sql`ALTER TABLE retirement_case DROP CONSTRAINT retirement_case_status_check`.execute(db);
  await sql`ALTER TABLE retirement_case ADD CONSTRAINT retirement_case_status_check
    CHECK (status IN ('draft', 'pending_review', 'approved', 'returned', 'withdrawn'))`.execute(db);
}
