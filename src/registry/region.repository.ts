// Regions (GB/T 2260): the table mirrors core/regions.ts (the whole country, from the shipped data
// file), refreshed at start with one set-based statement. Codes withdrawn from the list stay, since
// records may point at them.
import { sql } from 'kysely';
import { REGIONS } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';

export async function syncRegions(db: Db): Promise<void> {
  const rows = [...REGIONS.values()];
  const codes = rows.map((r) => r.code);
  const namesZh = rows.map((r) => r.nameZh);
  const namesEn = rows.map((r) => r.nameEn);
  const parents = rows.map((r) => r.parentCode);
  // One statement: foreign keys to parents are checked at its end, so the order does not matter.
  await sql`
    INSERT INTO region (code, name_zh, name_en, parent_code)
    SELECT * FROM unnest(${codes}::text[], ${namesZh}::text[], ${namesEn}::text[], ${parents}::text[])
    ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
      parent_code = excluded.parent_code
    WHERE (region.name_zh, region.name_en, region.parent_code) IS DISTINCT FROM
      (excluded.name_zh, excluded.name_en, excluded.parent_code)`.execute(db);
}

export const listRegions = (db: Db) => db.selectFrom('region').selectAll().orderBy('code').execute();

export const findRegion = (db: Db, code: string) =>
  db.selectFrom('region').selectAll().where('code', '=', code).executeTakeFirst();

/** The region and its ancestors below the nation, province first, the region itself last. */
export async function regionLineageRows(db: Db, code: string) {
  const r = await sql<{
    code: string;
    name_zh: string;
    name_en: string;
    parent_code: string | null;
    depth: number;
  }>`
    WITH RECURSIVE up AS (
      SELECT code, name_zh, name_en, parent_code, 0 AS depth FROM region WHERE code = ${code}
      UNION ALL
      SELECT r.code, r.name_zh, r.name_en, r.parent_code, up.depth + 1
      FROM region r JOIN up ON r.code = up.parent_code
      WHERE up.depth < 5
    )
    SELECT * FROM up WHERE code <> '000000' ORDER BY depth DESC`.execute(db);
  return r.rows;
}
