// Issue 18: a background job reports its own progress (done of total, and the stage it is in) while it
// runs, so the page that started it shows a progress bar without knowing where each kind keeps its
// chunks. Written by the worker at most a few times a second. Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE background_job
    ADD COLUMN progress_done integer,
    ADD COLUMN progress_total integer,
    ADD COLUMN progress_stage text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE background_job DROP COLUMN progress_done, DROP COLUMN progress_total,
    DROP COLUMN progress_stage`.execute(db);
}
