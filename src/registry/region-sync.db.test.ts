// Issue 11, review: the region table is written at start only when the shipped data file changed
// (its content hash is kept in platform_meta), not upserted at every start.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { REGIONS_META_KEY, regionsContentHash, syncRegions } from './region.repository.ts';

let t: TestDb;
before(async () => {
  t = await openTestDb();
});
after(async () => t.close());

test('the first start stored the data file’s hash; a second start with the same file writes nothing', async () => {
  const meta = await t.ctx.db
    .selectFrom('platform_meta')
    .select('value')
    .where('key', '=', REGIONS_META_KEY)
    .executeTakeFirstOrThrow();
  assert.equal((meta.value as { sha256: string }).sha256, regionsContentHash());
  // A name changed in the table (not in the file) stays: nothing is rewritten while the hash matches.
  await t.ctx.db.updateTable('region').set({ name_zh: '测试名' }).where('code', '=', '410102').execute();
  const again = await syncRegions(t.ctx.db);
  assert.equal(again.synced, false);
  const r = await t.ctx.db
    .selectFrom('region')
    .select('name_zh')
    .where('code', '=', '410102')
    .executeTakeFirstOrThrow();
  assert.equal(r.name_zh, '测试名');
});

test('a changed data file (another hash) brings the table back to the file and stores the new hash', async () => {
  await t.ctx.db
    .updateTable('platform_meta')
    .set({ value: JSON.stringify({ sha256: 'an older file' }) })
    .where('key', '=', REGIONS_META_KEY)
    .execute();
  const s = await syncRegions(t.ctx.db);
  assert.equal(s.synced, true);
  const r = await t.ctx.db
    .selectFrom('region')
    .select('name_zh')
    .where('code', '=', '410102')
    .executeTakeFirstOrThrow();
  assert.equal(r.name_zh, '中原区');
  assert.equal((await syncRegions(t.ctx.db)).synced, false);
});
