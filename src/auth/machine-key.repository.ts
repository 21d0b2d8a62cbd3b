// SQL of the machine keys' throttle (machine-key.ts): failed key calls counted per calling address in a
// row of the login throttle. Executor first.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';

/** Until when the calling address is locked out of key calls. */
export async function keyLockedUntil(db: Db, throttleKey: string): Promise<Date | null> {
  const lock = await sql<{ locked_until: unknown }>`
    SELECT locked_until FROM login_throttle WHERE key = ${throttleKey}`.execute(db);
  const until = lock.rows[0]?.locked_until;
  return until === null || until === undefined ? null : new Date(until as string);
}

/** Counts a failed key call in its window; the `max`-th failure in the window locks until `lockUntil`. */
export async function countKeyFailure(
  db: Db,
  throttleKey: string,
  w: { at: Date; windowStart: string; lockUntil: string; max: number },
): Promise<void> {
  await sql`
    INSERT INTO login_throttle AS t (key, failures, window_start, locked_until)
    VALUES (${throttleKey}, 1, ${w.at.toISOString()}, NULL)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.window_start < ${w.windowStart} THEN 1 ELSE t.failures + 1 END,
      window_start = CASE WHEN t.window_start < ${w.windowStart} THEN ${w.at.toISOString()}::timestamptz ELSE t.window_start END,
      locked_until = CASE WHEN t.window_start >= ${w.windowStart} AND t.failures + 1 >= ${w.max}
        THEN ${w.lockUntil}::timestamptz ELSE t.locked_until END`.execute(db);
}
