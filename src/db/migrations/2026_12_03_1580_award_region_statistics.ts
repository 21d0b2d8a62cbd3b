// Issue 18, eleventh pass: statistics on the region prefixes of the awards. Every job and list scopes
// awards by `left(region, 2)` (a province) or `left(region, 4)` (a city) (src/db/region-sql.ts), an
// expression without statistics of its own, so the planner guessed 0.5 % of the rows (127 of a
// 50,000-award chunk all in the province) and probed the unpaid arrears and the payments' watermark
// award by award (six buffer visits an award) where a range scan of each over the chunk reads ~1 %
// of that. With these it estimates the share of the prefix from the sample, as for any column.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE STATISTICS pension_award_province_stx ON (left(region, 2)) FROM pension_award`.execute(db);
  await sql`CREATE STATISTICS pension_award_city_stx ON (left(region, 4)) FROM pension_award`.execute(db);
  await sql`ANALYZE pension_award`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP STATISTICS pension_award_city_stx`.execute(db);
  await sql`DROP STATISTICS pension_award_province_stx`.execute(db);
}
