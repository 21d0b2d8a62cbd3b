// Thirty-seventh pass: a pension suspension's reason as a code, so every page can say it in the reader's
// language. The certification sweep stored an English sentence ("certification campaign 3 (2026): not
// certified between …") and the demo's planted award the bare word "certification"; a Chinese clerk read
// English or a code. Now suspend_reason_code says why (not_certified: the sweep; other: a clerk's own
// reason, whose words stay in suspend_reason). Existing rows and the findings' stored evidence are
// mapped: the sweep's text and the planted word become not_certified (its text dropped: the campaign is
// on the certification_suspension row), every other suspended award keeps its text as other.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

const SWEEP_TEXT = sql`(r = 'certification' OR r LIKE 'certification campaign %: not certified between %')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE pension_award ADD COLUMN suspend_reason_code text
    CHECK (suspend_reason_code IN ('not_certified', 'other'))`.execute(db);
  await sql`UPDATE pension_award a
    SET suspend_reason_code = CASE WHEN ${SWEEP_TEXT} THEN 'not_certified' ELSE 'other' END,
        suspend_reason = CASE WHEN ${SWEEP_TEXT} THEN NULL ELSE a.suspend_reason END
    FROM (SELECT id, coalesce(suspend_reason, '') AS r FROM pension_award WHERE status = 'suspended') x
    WHERE a.id = x.id`.execute(db);
  // A suspended award says why; an active or stopped one has no suspension reason.
  await sql`ALTER TABLE pension_award ADD CONSTRAINT pension_award_suspension_says_why
    CHECK ((status = 'suspended') = (suspend_reason_code IS NOT NULL))`.execute(db);
  await sql`UPDATE supervision_finding f
    SET evidence = (f.evidence - 'suspendReason') || jsonb_build_object('suspendReasonCode', 'not_certified')
    FROM (SELECT id, coalesce(evidence ->> 'suspendReason', '') AS r FROM supervision_finding
          WHERE detector = 'pension_while_suspended') x
    WHERE f.id = x.id AND ${SWEEP_TEXT}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE supervision_finding
    SET evidence = (evidence - 'suspendReasonCode') || jsonb_build_object('suspendReason', 'certification')
    WHERE detector = 'pension_while_suspended' AND evidence ->> 'suspendReasonCode' = 'not_certified'`.execute(
    db,
  );
  await sql`UPDATE pension_award SET suspend_reason = 'certification'
    WHERE suspend_reason_code = 'not_certified'`.execute(db);
  await sql`ALTER TABLE pension_award DROP COLUMN suspend_reason_code`.execute(db);
}
