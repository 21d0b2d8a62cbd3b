// Staff are recorded on cases and decisions by username; pages show them by name too (an account's
// display_name), so a clerk reading a case sees 李丽玲 (clerk), not only a login name.
import type { Db } from '../db/connection.ts';

/** Accounts' display names by username or by id (nulls skipped); one statement, none when there are none. */
async function displayNames<K extends string | number>(
  db: Db,
  by: 'username' | 'id',
  keys: ReadonlyArray<K | null>,
): Promise<Map<K, string>> {
  const wanted = [...new Set(keys.filter((k): k is K => k !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('app_user')
    .select([by, 'display_name'])
    .where(by, 'in', wanted as never[])
    .execute();
  return new Map(rows.map((r) => [r[by] as K, r.display_name]));
}

/** The display names of these staff usernames. */
export const staffNames = (db: Db, usernames: ReadonlyArray<string | null>): Promise<Map<string, string>> =>
  displayNames(db, 'username', usernames);

/** The display names of these accounts by id (the approval's maker and checker). */
export const accountNames = (db: Db, userIds: ReadonlyArray<number | null>): Promise<Map<number, string>> =>
  displayNames(db, 'id', userIds);
