// Fortieth pass: a card terminal proves itself. Each terminal gets its own upload key (docs/cards.md,
// "The register of card terminals"): only the key's SHA-256 and its prefix are kept, with the day it was
// issued. A retired terminal keeps no key. Terminals registered before have none until a clerk issues one.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE card_terminal
    ADD COLUMN key_hash text UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    ADD COLUMN key_prefix text CHECK (key_prefix ~ '^sbt_[0-9a-f]{10}$'),
    ADD COLUMN key_issued_on date,
    ADD CONSTRAINT card_terminal_key_whole CHECK (
      (key_hash IS NULL) = (key_prefix IS NULL) AND (key_hash IS NULL) = (key_issued_on IS NULL)),
    ADD CONSTRAINT card_terminal_retired_keyless CHECK (retired_on IS NULL OR key_hash IS NULL)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE card_terminal DROP CONSTRAINT card_terminal_retired_keyless,
    DROP CONSTRAINT card_terminal_key_whole, DROP COLUMN key_issued_on, DROP COLUMN key_prefix,
    DROP COLUMN key_hash`.execute(db);
}
