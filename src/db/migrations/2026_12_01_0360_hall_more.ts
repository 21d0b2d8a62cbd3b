// The hall, second part: an outbox event that could not be handled is marked consumed with its
// error (so one malformed event does not stop the consumer); the consumer's lease row (one consumer
// at a time across servers). Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

const STATEMENTS = [sql`ALTER TABLE hall_consumed_event ADD COLUMN error text`];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE hall_consumed_event DROP COLUMN IF EXISTS error`.execute(db);
}
