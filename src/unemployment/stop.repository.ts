// SQL of stopping an unemployment claim: what was paid from a month on (to recover), the stop
// register (停发与中止), and the claim's move with its register line. Executor first.
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { UnemploymentClaimTable, UnemploymentStopEventTable } from '../db/database.ts';
import { int } from '../db/values.ts';

/** The benefit paid on the claim for `fromPeriod` and later months: the total and its first and last month. */
export async function paidFrom(
  tx: Db,
  claimId: number,
  fromPeriod: string,
): Promise<{ total: number; first: string | null; last: string | null }> {
  const r = await sql<{ total: unknown; first: string | null; last: string | null }>`
    SELECT coalesce(sum(amount_fen), 0)::bigint AS total, min(period) AS first, max(period) AS last
    FROM unemployment_payment WHERE claim_id = ${claimId} AND period >= ${fromPeriod}`.execute(tx);
  const row = r.rows[0];
  return { total: int(row?.total), first: row?.first?.trim() ?? null, last: row?.last?.trim() ?? null };
}

/** Refusals of offered work already in the claim's register. */
export async function refusalsRecorded(tx: Db, claimId: number): Promise<number> {
  const r = await tx
    .selectFrom('unemployment_stop_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('claim_id', '=', claimId)
    .where('event', '=', 'refusal')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertStopEvent(tx: Db, event: Insertable<UnemploymentStopEventTable>): Promise<void> {
  await tx.insertInto('unemployment_stop_event').values(event).execute();
}

/** A clerk's stop or release: the claim's new version and its line in the stop register, in `tx`. */
export async function moveClaim(
  tx: Db,
  claimId: number,
  set: Updateable<UnemploymentClaimTable>,
  event: Omit<Insertable<UnemploymentStopEventTable>, 'claim_id' | 'source'>,
): Promise<void> {
  await tx
    .updateTable('unemployment_claim')
    .set({ ...set, updated_at: new Date().toISOString(), version: sql`version + 1` })
    .where('id', '=', claimId)
    .execute();
  await insertStopEvent(tx, { ...event, claim_id: claimId, source: 'clerk' });
}

/** The claim's stop register, oldest first. */
export const stopEvents = (db: Db, claimId: number) =>
  db
    .selectFrom('unemployment_stop_event')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('id')
    .execute();
