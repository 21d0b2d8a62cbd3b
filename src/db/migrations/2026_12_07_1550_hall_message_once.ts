// Thirty-ninth pass: a message the hall writes for an outbox event is written once per person, by a
// unique key on the event's id, not only because the event's consumption is recorded. Were that record
// lost (a restore, a replay), a pensioner was told twice that the pension is paid again. One
// adjustment chunk's event tells a person once per award, so its messages are left out of the key.
// Repeats already written are dropped first, the earliest kept.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM hall_message m USING hall_message e
    WHERE m.outbox_id = e.outbox_id AND m.person_id = e.person_id AND m.id > e.id
      AND m.topic <> 'pension.adjusted' AND e.topic <> 'pension.adjusted'`.execute(db);
  await sql`CREATE UNIQUE INDEX hall_message_event_once ON hall_message (outbox_id, person_id)
    WHERE outbox_id IS NOT NULL AND person_id IS NOT NULL AND topic <> 'pension.adjusted'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX hall_message_event_once`.execute(db);
}
