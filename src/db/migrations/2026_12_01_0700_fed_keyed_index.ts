// Issue 16, review fixes and the unemployment relation transfer.
// - The national index was keyed by an unkeyed SHA-256 of the ID number, which anyone holding the
//   table can reverse by trying every ID number (~10^11). It is now an HMAC under the federation's
//   secret; the old hashes cannot be converted here (the secret is configuration, and the exchange
//   never holds ID numbers), so they are dropped and every province republishes its part of the index
//   with keyed hashes at its next start (platform_meta `federation.index-key`).
// - A transfer's old place is found from the national index after the application, not taken from
//   the client: from_province is empty until the exchange has answered.
// - An unemployment claim stops when its relation moves to another province (event `transfer`).
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM fed_person_index`.execute(db);
  await sql`ALTER TABLE fed_transfer ALTER COLUMN from_province DROP NOT NULL`.execute(db);
  await sql`ALTER TABLE unemployment_stop_event DROP CONSTRAINT unemployment_stop_event_event_check`.execute(
    db,
  );
  await sql`ALTER TABLE unemployment_stop_event ADD CONSTRAINT unemployment_stop_event_event_check
    CHECK (event IN ('reemployment', 'pension', 'enlistment', 'emigration', 'imprisonment', 'refusal', 'death', 'release', 'transfer'))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE unemployment_stop_event DROP CONSTRAINT unemployment_stop_event_event_check`.execute(
    db,
  );
  await sql`ALTER TABLE unemployment_stop_event ADD CONSTRAINT unemployment_stop_event_event_check
    CHECK (event IN ('reemployment', 'pension', 'enlistment', 'emigration', 'imprisonment', 'refusal', 'death', 'release'))`.execute(
    db,
  );
  await sql`ALTER TABLE fed_transfer ALTER COLUMN from_province SET NOT NULL`.execute(db);
}
