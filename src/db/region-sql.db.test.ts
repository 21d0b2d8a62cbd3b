// The two SQL forms of "lies in the region" select the same rows: regionCoversScanSql (the payroll's
// prefix LIKE) against regionCoversSql, over every region code the migrations load.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql, type RawBuilder } from 'kysely';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { regionCoversScanSql, regionCoversSql } from './region-sql.ts';

let t: TestDb;
before(async () => {
  t = await openTestDb();
});
after(() => t.close());

async function codes(where: RawBuilder<boolean>): Promise<string[]> {
  const r = await sql<{ code: string }>`SELECT code FROM region r WHERE ${where} ORDER BY code`.execute(
    t.ctx.db,
  );
  return r.rows.map((x) => x.code);
}

test('the prefix LIKE covers the same regions as left() for the country, a province, a city and a county', async () => {
  for (const region of ['000000', '370000', '370100', '370102', '110000', '440300']) {
    const covered = await codes(regionCoversSql(sql`r.code`, region));
    assert.ok(covered.includes(region) || region === '000000', `${region} covers itself`);
    assert.deepEqual(await codes(regionCoversScanSql(sql`r.code`, region)), covered, region);
  }
  // a province covers its cities and counties, not its neighbours
  const shandong = await codes(regionCoversScanSql(sql`r.code`, '370000'));
  assert.ok(shandong.length > 100 && shandong.every((c) => c.startsWith('37')));
});
