// Twenty-ninth pass: login attempts in flight are counted apart from wrong passwords on record, so
// right passwords sent at once from one address (an office behind one NAT address at 9:00) no longer
// use up the address's limit of failures, while wrong ones in flight and on record stay within it.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE login_throttle ADD COLUMN in_flight integer NOT NULL DEFAULT 0 CHECK (in_flight >= 0)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE login_throttle DROP COLUMN IF EXISTS in_flight`.execute(db);
}
