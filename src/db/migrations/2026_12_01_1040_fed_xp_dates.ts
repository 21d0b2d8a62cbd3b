// Issue 16, 跨省通办: the days each step of a cross-province application was done, so its progress
// shows them (submitted is created_at; accepted and completed/rejected come with the deciding
// province's `xp.status` messages, which carry the day).
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE fed_xp_request ADD COLUMN accepted_on date, ADD COLUMN closed_on date`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE fed_xp_request DROP COLUMN accepted_on, DROP COLUMN closed_on`.execute(db);
}
