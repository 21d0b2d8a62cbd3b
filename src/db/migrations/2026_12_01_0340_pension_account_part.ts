// Issue 11: a residents' pension is two parts — the basic pension (paid by government subsidy) and
// the personal-account pension (drawn down from the person's account). The amount in force keeps the
// account part its rule computed; each payment keeps the account part it drew (the account
// sub-ledger of drawdowns, checked against account 3002 of the pension_payroll entries); queued
// arrears keep theirs. Existing resident amounts take the part from their stored components.
// Frozen: never import app code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE pension_amount ADD COLUMN account_fen bigint NOT NULL DEFAULT 0 CHECK (account_fen >= 0)`.execute(
    db,
  );
  await sql`ALTER TABLE pension_amount ADD CONSTRAINT pension_amount_account_part CHECK (account_fen <= monthly_fen)`.execute(
    db,
  );
  await sql`ALTER TABLE pension_payment ADD COLUMN account_fen bigint NOT NULL DEFAULT 0 CHECK (account_fen >= 0)`.execute(
    db,
  );
  await sql`ALTER TABLE pension_arrears ADD COLUMN account_fen bigint NOT NULL DEFAULT 0 CHECK (account_fen >= 0)`.execute(
    db,
  );
  await sql`
    UPDATE pension_amount pa SET account_fen = least(pa.monthly_fen, x.amount)
    FROM (SELECT pa2.id, (c->>'amountFen')::bigint AS amount
          FROM pension_amount pa2 JOIN pension_award a ON a.id = pa2.award_id AND a.scheme = 'resident_pension'
          CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(pa2.components) = 'array' THEN pa2.components ELSE '[]'::jsonb END) c
          WHERE c->>'kind' = 'accountPension') x
    WHERE x.id = pa.id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE pension_arrears DROP COLUMN account_fen`.execute(db);
  await sql`ALTER TABLE pension_payment DROP COLUMN account_fen`.execute(db);
  await sql`ALTER TABLE pension_amount DROP CONSTRAINT pension_amount_account_part`.execute(db);
  await sql`ALTER TABLE pension_amount DROP COLUMN account_fen`.execute(db);
}
