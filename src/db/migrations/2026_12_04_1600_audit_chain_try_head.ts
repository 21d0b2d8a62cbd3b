// Issue 18, nineteenth pass: staff reads are written straight into the chain when that costs no wait
// (src/audit/audit-queue.ts). audit_chain_try_head() takes the chain's lock without waiting (the key
// lockAuditChain uses, released at the end of the caller's transaction) and answers the chain's head —
// or null when the lock is held elsewhere or entries are queued (they go first, by the writer). PL/pgSQL
// and VOLATILE so that its reads take their snapshot after the lock is held: the calling statement's own
// snapshot, taken before, could miss an entry another writer committed just before it released the lock.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE FUNCTION audit_chain_try_head() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
    BEGIN
      IF NOT pg_try_advisory_xact_lock(726354001) THEN
        RETURN NULL;
      END IF;
      IF EXISTS (SELECT FROM audit_queue) THEN
        RETURN NULL;
      END IF;
      RETURN coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), repeat('0', 64));
    END $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION audit_chain_try_head()`.execute(db);
}
