// Issue: every federation node start looked through all its completed pension transfers in for segments
// booked without an average wage (before migration 1070) to ask their old places once. Each transfer in
// now records where that repair stands — `needed` (its old place's own segments lack a wage), `asked`
// (the request is sent), `answered` (the old place's answer is taken) — and the start reads only the
// `needed` ones through a partial index, so once every transfer is answered a start costs nothing.
// Transfers asked before (the `wagesAsked` mark in `funds`) start as `asked`.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE fed_transfer ADD COLUMN wages_repair text
    CHECK (wages_repair IN ('needed', 'asked', 'answered'))`.execute(db);
  await sql`UPDATE fed_transfer t
    SET wages_repair = CASE WHEN coalesce(t.funds ? 'wagesAsked', false) THEN 'asked' ELSE 'needed' END
    WHERE t.direction = 'in' AND t.kind = 'pension' AND t.status = 'completed' AND t.from_province IS NOT NULL
      AND EXISTS (SELECT 1 FROM fed_credited_segment s WHERE s.transfer_id = t.id AND s.average_wage_fen IS NULL
        AND s.from_province = t.from_province)`.execute(db);
  await sql`CREATE INDEX fed_transfer_wages_needed ON fed_transfer (id) WHERE wages_repair = 'needed'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX fed_transfer_wages_needed`.execute(db);
  await sql`ALTER TABLE fed_transfer DROP COLUMN wages_repair`.execute(db);
}
