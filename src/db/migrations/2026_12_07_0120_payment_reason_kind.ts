// Thirty-fifth pass: a reversal says why — the kind of reason (a bank return, a posting to the wrong
// bill, a duplicate posting, a receipt keyed wrongly, a held receipt's refund) is kept on the payment it
// reversed, beside the free text in the audit, so the bill's page and the payer's message can say it.
// Reversals before this pass were all prepared as bank returns; they keep a null kind (unknown), not a
// guess. The bank's return file (银行退票文件) is an upload of its own kind.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE contribution_payment ADD COLUMN reason_kind text
    CHECK (reason_kind IN ('bank_return', 'wrong_bill', 'duplicate', 'keying_error', 'refund'))`.execute(db);
  await sql`ALTER TABLE contribution_upload DROP CONSTRAINT contribution_upload_kind_check`.execute(db);
  await sql`ALTER TABLE contribution_upload ADD CONSTRAINT contribution_upload_kind_check
    CHECK (kind IN ('declarations', 'bank_receipts', 'bank_returns'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM contribution_upload WHERE kind = 'bank_returns'`.execute(db);
  await sql`ALTER TABLE contribution_upload DROP CONSTRAINT contribution_upload_kind_check`.execute(db);
  await sql`ALTER TABLE contribution_upload ADD CONSTRAINT contribution_upload_kind_check
    CHECK (kind IN ('declarations', 'bank_receipts'))`.execute(db);
  await sql`ALTER TABLE contribution_payment DROP COLUMN reason_kind`.execute(db);
}
