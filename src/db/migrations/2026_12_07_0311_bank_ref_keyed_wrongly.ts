// Thirty-seventh pass: a record withdrawn as keyed wrongly (reason_kind keying_error) no longer holds
// its bank reference, so the right record of that bank line can be keyed or imported under it. Every
// other record still holds its reference once: a live one, a bank return, a refund, and a duplicate
// (its money is on the other record; the bank's line must not be recorded a third time). One index
// does both: a withdrawn keying error's key carries its own id, every other record's carries 0; bank
// reference first, so every lookup by reference still uses it. Down puts the plain UNIQUE back and
// fails while a reference is held twice (a withdrawn keying error and its right record).
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE contribution_payment DROP CONSTRAINT contribution_payment_bank_ref_key`.execute(db);
  await sql`CREATE UNIQUE INDEX contribution_payment_bank_ref_once ON contribution_payment
    (bank_ref, (CASE WHEN reason_kind = 'keying_error' THEN id ELSE 0 END))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX contribution_payment_bank_ref_once`.execute(db);
  await sql`ALTER TABLE contribution_payment ADD CONSTRAINT contribution_payment_bank_ref_key UNIQUE (bank_ref)`.execute(
    db,
  );
}
