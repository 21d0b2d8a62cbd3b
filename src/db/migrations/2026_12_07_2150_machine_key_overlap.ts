// Forty-first pass: a machine key re-keyed without a dead device (docs/security.md, "Re-keying"). A new key
// may leave the old one valid until the device first calls with the new key or a deadline, whichever
// comes first. A terminal keeps that old key beside its new one (its hash, prefix and deadline, cleared at
// the new key's first use); a hospital's replaced key row gets the deadline. Frozen: never import app code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE card_terminal
    ADD COLUMN old_key_hash text UNIQUE CHECK (old_key_hash ~ '^[0-9a-f]{64}$'),
    ADD COLUMN old_key_prefix text CHECK (old_key_prefix ~ '^sbt_[0-9a-f]{10}$'),
    ADD COLUMN old_key_until timestamptz,
    ADD CONSTRAINT card_terminal_old_key_whole CHECK (
      (old_key_hash IS NULL) = (old_key_prefix IS NULL) AND (old_key_hash IS NULL) = (old_key_until IS NULL)),
    ADD CONSTRAINT card_terminal_old_key_beside_new CHECK (old_key_hash IS NULL OR key_hash IS NOT NULL)`.execute(
    db,
  );
  await sql`ALTER TABLE hospital_api_key ADD COLUMN valid_until timestamptz`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE hospital_api_key DROP COLUMN valid_until`.execute(db);
  await sql`ALTER TABLE card_terminal DROP CONSTRAINT card_terminal_old_key_beside_new,
    DROP CONSTRAINT card_terminal_old_key_whole, DROP COLUMN old_key_until, DROP COLUMN old_key_prefix,
    DROP COLUMN old_key_hash`.execute(db);
}
