// Issue 14: the card's bank function (社保卡金融功能). A card is bound to an account at the
// cooperating bank; on activation the account becomes the person's account, which the payrolls pay
// to. Stored in full (the payroll bank file needs it); answers mask it. Frozen: never import app code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE card ADD COLUMN bank_name text CHECK (length(bank_name) BETWEEN 1 AND 100)`.execute(
    db,
  );
  await sql`ALTER TABLE card ADD COLUMN bank_account text CHECK (bank_account ~ '^[0-9]{16,19}$')`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE card DROP COLUMN bank_account`.execute(db);
  await sql`ALTER TABLE card DROP COLUMN bank_name`.execute(db);
}
