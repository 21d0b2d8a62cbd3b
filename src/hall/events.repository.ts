// SQL of the hall's event consumer (events.job.ts): the pending outbox events of its topics, their
// claims in hall_consumed_event (an event is handled once), the account that reported a status and
// the consumer's advisory lock. Executor first; the job owns the transactions.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { hallDb } from './hall.db.ts';

export type PendingEvent = { id: number; topic: string; payload: unknown };

/**
 * The outbox events of these topics not yet consumed, oldest first: only the recent end of the
 * outbox, from `margin` below the last consumed id (transactions commit out of id order).
 */
export async function pendingEvents(
  db: Db,
  topics: readonly string[],
  margin: number,
  limit: number,
): Promise<PendingEvent[]> {
  const pending = await sql<PendingEvent>`
    SELECT o.id, o.topic, o.payload FROM outbox o
    WHERE o.topic IN (${sql.join(topics.map((t) => sql.lit(t)))})
      AND o.id > (SELECT coalesce(max(outbox_id), 0) - ${margin} FROM hall_consumed_event)
      AND NOT EXISTS (SELECT 1 FROM hall_consumed_event c WHERE c.outbox_id = o.id)
    ORDER BY o.id LIMIT ${limit}`.execute(db);
  return pending.rows;
}

/** Claims the events (500 a statement); answers those claimed here, not by an earlier pass. */
export async function claimEvents(tx: Db, ids: readonly number[]): Promise<Set<number>> {
  const claimed = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const got = await hallDb(tx)
      .insertInto('hall_consumed_event')
      .values(ids.slice(i, i + 500).map((id) => ({ outbox_id: id })))
      .onConflict((oc) => oc.column('outbox_id').doNothing())
      .returning('outbox_id')
      .execute();
    for (const g of got) claimed.add(Number(g.outbox_id));
  }
  return claimed;
}

/** Claims one event; false when it was claimed already. */
export async function claimEvent(tx: Db, id: number): Promise<boolean> {
  const claimed = await hallDb(tx)
    .insertInto('hall_consumed_event')
    .values({ outbox_id: id })
    .onConflict((oc) => oc.column('outbox_id').doNothing())
    .returning('outbox_id')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** Marks an event consumed with the error it failed on (it is not tried again). */
export async function markEventFailed(db: Db, id: number, error: string): Promise<void> {
  await hallDb(db)
    .insertInto('hall_consumed_event')
    .values({ outbox_id: id, error })
    .onConflict((oc) => oc.column('outbox_id').doNothing())
    .execute();
}

/** The login that reported a status, as it is now (its own role, person, employer and region). */
export function reportingAccount(tx: Db, username: string) {
  return tx
    .selectFrom('app_user')
    .select(['id', 'role', 'person_id', 'employer_id', 'region'])
    .where('username', '=', username)
    .executeTakeFirst();
}

/** Takes the consumer's session lock on this connection, if no other server holds it. */
export async function tryConsumerLock(conn: Db, key: number): Promise<boolean> {
  const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_lock(${key}) AS ok`.execute(conn);
  return got.rows[0]?.ok === true;
}

export async function releaseConsumerLock(conn: Db, key: number): Promise<void> {
  await sql`SELECT pg_advisory_unlock(${key})`.execute(conn);
}
