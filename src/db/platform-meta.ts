// Facts about the database itself, kept in platform_meta. The demo seed writes the `demo` row in
// its own transaction; features that must exist only on a demo (the liveness simulator, the demo
// logins) ask here, from whatever floor they live on.
import type { Db } from './connection.ts';

export const DEMO_META_KEY = 'demo';

/** Was this database seeded as the demo city (never true on a real one)? */
export async function isDemoDatabase(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('platform_meta')
    .select('key')
    .where('key', '=', DEMO_META_KEY)
    .executeTakeFirst();
  return row !== undefined;
}

/** A test's own database whose clock the test fixes with SHEBAO_TODAY: written by the test (markTestClock). */
export const TEST_CLOCK_META_KEY = 'test-clock';

/**
 * SHEBAO_TODAY fixes the agency's today for everything a process does (payments, late fees, payroll
 * months, decisions dated by it): on a demo's database, or a test's that says so, never on a real one,
 * where a variable left over from a demo would date them all. The server and every command that opens
 * the database ask here before any work.
 */
export async function refuseFixedTodayOnRealDatabase(db: Db, fixedToday: string | undefined): Promise<void> {
  if (!fixedToday) return;
  const marked = await db
    .selectFrom('platform_meta')
    .select('key')
    .where('key', 'in', [DEMO_META_KEY, TEST_CLOCK_META_KEY])
    .executeTakeFirst();
  if (marked === undefined)
    throw new Error('SHEBAO_TODAY fixes the date for a demo database only; unset it to use this database');
}
