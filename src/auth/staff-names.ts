// Staff are recorded on cases and decisions by username; pages show them by name too (an account's
// display_name), so a clerk reading a case sees 李丽玲 (clerk), not only a login name.
import type { Db } from '../db/connection.ts';

/** The display names of these staff usernames (nulls skipped); one statement, none when there are none. */
export async function staffNames(
  db: Db,
  usernames: ReadonlyArray<string | null>,
): Promise<Map<string, string>> {
  const wanted = [...new Set(usernames.filter((u): u is string => u !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('app_user')
    .select(['username', 'display_name'])
    .where('username', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.username, r.display_name]));
}

/** The display names of these accounts by id (nulls skipped); one statement, none when there are none. */
export async function accountNames(
  db: Db,
  userIds: ReadonlyArray<number | null>,
): Promise<Map<number, string>> {
  const wanted = [...new Set(userIds.filter((u): u is number => u !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('app_user')
    .select(['id', 'display_name'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
