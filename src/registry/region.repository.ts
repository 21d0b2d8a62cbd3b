// Regions (GB/T 2260): the table mirrors core/regions.ts (the whole country, from the shipped data
// file), refreshed at start with one set-based statement when the file's content hash differs from
// the one stored in platform_meta. Codes withdrawn from the list stay, since records may point at them.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { REGIONS } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';

export const REGIONS_META_KEY = 'regions';

/** The SHA-256 of the region table's content as the shipped data file gives it. */
export function regionsContentHash(): string {
  const h = createHash('sha256');
  for (const r of REGIONS.values()) h.update(`${r.code}\t${r.nameZh}\t${r.nameEn}\t${r.parentCode ?? ''}\n`);
  return h.digest('hex');
}

/**
 * Brings the region table up to the shipped data file, only when the file changed since the last
 * start: the content hash is kept in platform_meta (`regions`), written in the same transaction as
 * the upsert. Answers whether it wrote.
 */
export async function syncRegions(db: Db): Promise<{ synced: boolean; hash: string }> {
  const hash = regionsContentHash();
  const stored = await db
    .selectFrom('platform_meta')
    .select('value')
    .where('key', '=', REGIONS_META_KEY)
    .executeTakeFirst();
  if ((stored?.value as { sha256?: string } | undefined)?.sha256 === hash) return { synced: false, hash };
  const rows = [...REGIONS.values()];
  const codes = rows.map((r) => r.code);
  const namesZh = rows.map((r) => r.nameZh);
  const namesEn = rows.map((r) => r.nameEn);
  const parents = rows.map((r) => r.parentCode);
  await db.transaction().execute(async (tx) => {
    // One statement: foreign keys to parents are checked at its end, so the order does not matter.
    await sql`
      INSERT INTO region (code, name_zh, name_en, parent_code)
      SELECT * FROM unnest(${codes}::text[], ${namesZh}::text[], ${namesEn}::text[], ${parents}::text[])
      ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
        parent_code = excluded.parent_code
      WHERE (region.name_zh, region.name_en, region.parent_code) IS DISTINCT FROM
        (excluded.name_zh, excluded.name_en, excluded.parent_code)`.execute(tx);
    const value = JSON.stringify({ sha256: hash, regions: rows.length, syncedAt: new Date().toISOString() });
    await tx
      .insertInto('platform_meta')
      .values({ key: REGIONS_META_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  });
  return { synced: true, hash };
}

export const listRegions = (db: Db) => db.selectFrom('region').selectAll().orderBy('code').execute();

export const findRegion = (db: Db, code: string) =>
  db.selectFrom('region').selectAll().where('code', '=', code).executeTakeFirst();

/** The regions without a parent (the nation, or the provinces of an installation), by code. */
export async function rootRegionCodes(db: Db): Promise<string[]> {
  const r = await sql<{ code: string }>`
    SELECT code FROM region WHERE parent_code IS NULL ORDER BY code`.execute(db);
  return r.rows.map((x) => x.code);
}

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
