// Issue 18: staff reads are queued here, in the reading request, and chained into audit_log in
// order by one background writer (src/audit/audit-queue.ts), so a read never waits for the chain's
// lock. A queued row is only ever inserted, then deleted in the same transaction that chains it;
// nothing updates it. Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE audit_queue (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor_user_id bigint,
    actor_username text NOT NULL,
    actor_role text NOT NULL,
    action text NOT NULL,
    entity_type text NOT NULL,
    entity_id text,
    region char(6),
    subject_person_id bigint,
    before jsonb,
    after jsonb,
    reason text,
    request_id text
  )`.execute(db);
  await sql`CREATE FUNCTION audit_queue_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_queue rows are never changed: % refused', TG_OP;
    END $$`.execute(db);
  await sql`CREATE TRIGGER audit_queue_no_update BEFORE UPDATE ON audit_queue
    FOR EACH ROW EXECUTE FUNCTION audit_queue_no_update()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE audit_queue`.execute(db);
  await sql`DROP FUNCTION audit_queue_no_update()`.execute(db);
}
