// Regions (GB/T 2260): the table mirrors the list in core/regions.ts, refreshed at start.
import { sql } from 'kysely';
import { parentRegion, REGIONS } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';

export async function syncRegions(db: Db): Promise<void> {
  const rows = [...REGIONS.values()].sort((a, b) => (a.code < b.code ? -1 : 1)); // parents before children
  for (const r of rows) {
    const parent = parentRegion(r.code);
    const existingParent =
      parent !== null && REGIONS.has(parent) ? parent : parent === null ? null : '000000';
    await db
      .insertInto('region')
      .values({
        code: r.code,
        name_zh: r.nameZh,
        name_en: r.nameEn,
        parent_code: r.code === '000000' ? null : existingParent,
      })
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({ name_zh: sql`excluded.name_zh`, name_en: sql`excluded.name_en` }),
      )
      .execute();
  }
}

export const listRegions = (db: Db) => db.selectFrom('region').selectAll().orderBy('code').execute();
