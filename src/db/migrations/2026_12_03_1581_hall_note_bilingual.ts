// Fifteenth pass, the service hall.
// 1. The notes in an application's history are data, `{ "zh", "en" }` as a process writes them or
//    `{ "text" }` as a person typed them, not one string whose halves a reader had to guess. The rows
//    before keep their text as a JSON string (read as before: src/core/bilingual.ts readNote).
// 2. A stable-employment refund the scan found due was reported `approved` (审核通过) while it still
//    waits for a reviewer's release and the payment (its own page: 待复核拨付); the scan now reports
//    `accepted`. The applications already reported so, none of them paid (a payment completes it),
//    are put right, with a history row that says why.
// Down writes each note back as the one string it used to be and the refunds back to `approved`.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE hall_application_event ALTER COLUMN note TYPE jsonb USING to_jsonb(note)`.execute(db);
  await sql`
    WITH fixed AS (
      UPDATE hall_application SET status = 'accepted', version = version + 1, updated_at = now()
      WHERE service_code = 'job-stabilisation-refund' AND status = 'approved'
      RETURNING id
    )
    INSERT INTO hall_application_event (application_id, status, note, actor_username, actor_role)
    SELECT id, 'accepted',
      jsonb_build_object('zh', '更正：稳岗返还待复核后拨付，尚未审核通过',
                         'en', 'corrected: the refund awaits a reviewer''s release and payment; it is not approved yet'),
      'migration-1581', 'system'
    FROM fixed ORDER BY id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    WITH back AS (
      DELETE FROM hall_application_event WHERE actor_username = 'migration-1581' RETURNING application_id
    )
    UPDATE hall_application SET status = 'approved', version = version + 1, updated_at = now()
    WHERE service_code = 'job-stabilisation-refund' AND status = 'accepted'
      AND id IN (SELECT application_id FROM back)`.execute(db);
  await sql`ALTER TABLE hall_application_event ALTER COLUMN note TYPE text USING
    CASE WHEN note IS NULL OR jsonb_typeof(note) = 'null' THEN NULL
         WHEN jsonb_typeof(note) = 'string' THEN note #>> '{}'
         WHEN note ? 'text' THEN note ->> 'text'
         ELSE concat_ws(' / ', note ->> 'zh', note ->> 'en') END`.execute(db);
}
