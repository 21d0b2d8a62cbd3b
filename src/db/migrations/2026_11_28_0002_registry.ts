// Registry additions: why an enrolment ended (death, end of employment, switch of scheme …), kept
// beside the status so later capabilities (pension on death, unemployment after an involuntary end)
// can read it. Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

const STATEMENTS = [
  sql`ALTER TABLE enrolment ADD COLUMN end_reason text CHECK (end_reason IN (
    'employment_ended', 'death', 'retirement', 'became_employee', 'switched_scheme', 'moved', 'other'))`,
  sql`CREATE INDEX employment_person_open_idx ON employment (person_id) WHERE end_date IS NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS employment_person_open_idx`.execute(db);
  await sql`ALTER TABLE enrolment DROP COLUMN IF EXISTS end_reason`.execute(db);
}
