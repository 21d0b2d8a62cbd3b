// Issue: a relation moved in and then on again (A → B → C). B's onward transfer carries the months it
// credited from A (fed_credited_segment) with its own; from then on they count at C, not at B. Each
// credited segment B sent on names the transfer that took it, so the record's moved-out rule
// (contributions/record.repository.ts) leaves it out at B and B never sends it twice. Null: still here.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE fed_credited_segment ADD COLUMN moved_out_by bigint REFERENCES fed_transfer(id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE fed_credited_segment DROP COLUMN moved_out_by`.execute(db);
}
