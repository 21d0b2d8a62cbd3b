// SQL of logins and sessions (auth.service.ts): the login limits' counters (login_throttle) and the
// sessions (user_session, only a token's SHA-256). Executor first; the service owns the transactions,
// the limits' arithmetic and the audit.
import { sql, type Insertable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { UserSessionTable } from '../db/database.ts';
import type { AccountRow } from './actor.ts';

/** Whether any of these counters is locked at `atIso`. */
export async function anyLocked(db: Db, keys: readonly string[], atIso: string): Promise<boolean> {
  const locked = await db
    .selectFrom('login_throttle')
    .select('key')
    .where('key', 'in', keys)
    .where('locked_until', '>', atIso)
    .executeTakeFirst();
  return locked !== undefined;
}

/**
 * One attempt's place on a counter: a new window (failures and lock cleared) when the window began
 * before `floorIso` or its lock has passed. The failures on record and the attempts in flight, this one
 * counted.
 */
export async function reservePlace(
  db: Db,
  key: string,
  atIso: string,
  floorIso: string,
): Promise<{ failures: number; inFlight: number }> {
  const fresh = sql`(t.window_start < ${floorIso}::timestamptz OR t.locked_until <= ${atIso}::timestamptz)`;
  const r = await sql<{ failures: number; in_flight: number }>`
    INSERT INTO login_throttle AS t (key, failures, in_flight, window_start, locked_until)
    VALUES (${key}, 0, 1, ${atIso}::timestamptz, NULL)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN ${fresh} THEN 0 ELSE t.failures END,
      in_flight = CASE WHEN ${fresh} THEN 1 ELSE t.in_flight + 1 END,
      window_start = CASE WHEN ${fresh} THEN ${atIso}::timestamptz ELSE t.window_start END,
      locked_until = CASE WHEN ${fresh} THEN NULL ELSE t.locked_until END
    RETURNING failures, in_flight`.execute(db);
  const row = r.rows[0];
  return { failures: Number(row?.failures ?? 0), inFlight: Number(row?.in_flight ?? 0) };
}

/** Gives an attempt's place back; a wrong password adds a failure, locked until `untilIso` at `max`. */
export async function settlePlace(
  db: Db,
  key: string,
  c: { wrong: boolean; max: number; untilIso: string },
): Promise<void> {
  const failures = c.wrong ? sql`failures + 1` : sql`failures`;
  await sql`UPDATE login_throttle SET in_flight = GREATEST(in_flight - 1, 0), failures = ${failures},
      locked_until = CASE WHEN ${failures} >= ${c.max} THEN ${c.untilIso}::timestamptz ELSE locked_until END
    WHERE key = ${key}`.execute(db);
}

/** A counter's failures start again (the row kept, for the attempts still in flight on it). */
export async function resetFailures(tx: Db, key: string): Promise<void> {
  await tx
    .updateTable('login_throttle')
    .set({ failures: 0, locked_until: null })
    .where('key', '=', key)
    .execute();
}

/** Counters whose window began a day before `at` and hold no lock in force. */
export async function pruneCounters(tx: Db, at: Date): Promise<void> {
  await tx
    .deleteFrom('login_throttle')
    .where('window_start', '<', new Date(at.getTime() - 24 * 3_600_000).toISOString())
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at.toISOString())]))
    .execute();
}

const likeEscaped = (s: string): string => s.replace(/[\\%_]/g, '\\$&');

/** The locks in force at `atIso` of these usernames: their own and those of any address with them. */
export async function locksOf(db: Db, usernames: readonly string[], atIso: string) {
  return db
    .selectFrom('login_throttle')
    .select(['key', 'locked_until'])
    .where('locked_until', '>', atIso)
    .where((eb) =>
      eb.or(
        usernames.flatMap((u) => [
          eb('key', '=', `account:${u}`),
          eb('key', 'like', `pair:${likeEscaped(u)}|%`),
        ]),
      ),
    )
    .execute();
}

/** Every counter of a username (all addresses, and its own); how many. */
export async function deleteCountersOf(db: Db, name: string): Promise<number> {
  const r = await db
    .deleteFrom('login_throttle')
    .where((eb) =>
      eb.or([eb('key', '=', `account:${name}`), eb('key', 'like', `pair:${likeEscaped(name)}|%`)]),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertSession(tx: Db, s: Insertable<UserSessionTable>): Promise<void> {
  await tx.insertInto('user_session').values(s).execute();
}

export async function deleteExpiredSessions(tx: Db, atIso: string): Promise<void> {
  await tx.deleteFrom('user_session').where('expires_at', '<', atIso).execute();
}

/** A live session's account, by the token's hash. Prepared on PostgreSQL (src/db/connection.ts): every request's statement. */
export async function sessionByHash(db: Db, hash: string, atIso: string) {
  const r = await sql<
    AccountRow & {
      id: number;
      disabled: boolean;
      csrf_token: string;
      expires_at: string;
      last_seen_at: string;
    }
  >`/* prepared */ SELECT u.id, u.username, u.display_name, u.role, u.person_id, u.employer_id, u.region,
      u.disabled, s.csrf_token, s.expires_at, s.last_seen_at
    FROM user_session s JOIN app_user u ON u.id = s.user_id
    WHERE s.token_hash = ${hash} AND s.expires_at > ${atIso}`.execute(db);
  return r.rows[0];
}

export async function deleteSession(db: Db, hash: string): Promise<void> {
  await db.deleteFrom('user_session').where('token_hash', '=', hash).execute();
}

export async function touchSession(db: Db, hash: string, atIso: string): Promise<void> {
  await db.updateTable('user_session').set({ last_seen_at: atIso }).where('token_hash', '=', hash).execute();
}

/** Ends every session of an account (log out everywhere; a changed role; a disabled account). */
export async function deleteSessionsOf(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
}
