// Issue 18: audit_log loses its UNIQUE (hash) index. Every staff read ends as a row here, and the
// index on a random 64-character key was the costliest part of the chain writer's insert (a b-tree
// insert at a random place, growing with the log: at 20,000 rows it doubled the insert's time against
// the primary key alone, more than the entity and subject indexes together). Nothing looks an entry up
// by its hash, and it protected nothing the chain does not: an entry repeated, changed or removed
// breaks the link that `verifyAuditChain` walks (prev_hash against the hash before it). Frozen: never
// import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_log DROP CONSTRAINT audit_log_hash_key`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_log ADD CONSTRAINT audit_log_hash_key UNIQUE (hash)`.execute(db);
}
