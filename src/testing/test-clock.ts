// A test that runs the real CLI with SHEBAO_TODAY says so in its database: the clock guard
// (refuseFixedTodayOnRealDatabase) lets a fixed today through on a demo's database or one marked so.
import type { Db } from '../db/connection.ts';
import { TEST_CLOCK_META_KEY } from '../db/platform-meta.ts';

/** Marks a test's own database as one whose clock its test fixes with SHEBAO_TODAY. */
export async function markTestClock(db: Db): Promise<void> {
  await db
    .insertInto('platform_meta')
    .values({ key: TEST_CLOCK_META_KEY, value: JSON.stringify({ by: 'test' }) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}
