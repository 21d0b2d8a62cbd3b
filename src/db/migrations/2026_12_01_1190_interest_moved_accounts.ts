// The yearly account interest counts accounts that moved with a pension relation (transfer, scheme
// bridging): in at the new place, out at the old one. An amount moved within the year is neither an
// opening balance nor a contribution, so the credit keeps it apart: the year's closing balance is
// opening + contributions + moved + interest (moved is negative at the place an account left).
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE account_interest_credit ADD COLUMN moved_fen bigint NOT NULL DEFAULT 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE account_interest_credit DROP COLUMN moved_fen`.execute(db);
}
