// The rights record and the award read a person's pension relations transferred away on every read
// (movedOutTransfers in contributions/record.repository.ts): fed_transfer had no index by person, so
// each record scanned the whole table. A partial index on the rows that rule reads keeps it a probe.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX fed_transfer_moved_out_idx ON fed_transfer (person_id)
    WHERE direction = 'out' AND kind = 'pension'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX fed_transfer_moved_out_idx`.execute(db);
}
