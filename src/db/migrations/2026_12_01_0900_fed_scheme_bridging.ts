// Issue 16: bridging the employee and residents' pension schemes (人社部发〔2014〕17号) is a kind of
// fed_transfer: the same rows, steps and time limits as the relation transfers, within one province
// (between its two funds) or across provinces (through the federation's messages). Frozen: never
// import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE fed_transfer DROP CONSTRAINT fed_transfer_kind_check`.execute(db);
  await sql`ALTER TABLE fed_transfer ADD CONSTRAINT fed_transfer_kind_check
    CHECK (kind IN ('pension', 'unemployment', 'scheme-bridging'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM fed_transfer_step WHERE transfer_id IN (SELECT id FROM fed_transfer WHERE kind = 'scheme-bridging')`.execute(
    db,
  );
  await sql`DELETE FROM fed_transfer WHERE kind = 'scheme-bridging'`.execute(db);
  await sql`ALTER TABLE fed_transfer DROP CONSTRAINT fed_transfer_kind_check`.execute(db);
  await sql`ALTER TABLE fed_transfer ADD CONSTRAINT fed_transfer_kind_check CHECK (kind IN ('pension', 'unemployment'))`.execute(
    db,
  );
}
