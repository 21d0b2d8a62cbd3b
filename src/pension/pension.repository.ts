// SQL shared by the pension jobs and services: which awards a region covers, the amount in force for
// a period, who is payable for a period. One place, so payroll, restoration and death agree.
import { sql, type RawBuilder, type Updateable } from 'kysely';
import { periodStart, type Period } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import type { PensionAwardTable, SuspendReasonCode } from '../db/database.ts';
import { regionCoversSql, regionOrAncestorSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';

export { regionCoversSql } from '../db/region-sql.ts';

/**
 * The award (alias `a`) is payable for the period: started, not suspended or stopped by then, and the
 * person not dead before its first day. The dead are an anti-join against one hashed set (persons
 * with a death date before the period), not a probe per award.
 */
export function payableSql(period: Period): RawBuilder<boolean> {
  return sql<boolean>`(a.start_period <= ${period}
    AND NOT (a.status = 'suspended' AND a.suspended_from_period <= ${period})
    AND NOT (a.status = 'stopped' AND a.stopped_from_period <= ${period})
    AND a.person_id NOT IN (SELECT d.id FROM person d WHERE d.death_date < ${periodStart(period)}::date))`;
}

/** The monthly amount in force for the period (latest effective_period ≤ period, ties by id), for award alias `a`. */
export function amountInForceSql(period: Period | RawBuilder<string>): RawBuilder<number> {
  return sql<number>`(SELECT pa.monthly_fen FROM pension_amount pa
    WHERE pa.award_id = a.id AND pa.effective_period <= ${period}
    ORDER BY pa.effective_period DESC, pa.id DESC LIMIT 1)`;
}

/**
 * The award's current monthly amount, for award alias `a`: its latest amount (greatest effective_period,
 * ties by id) — what the annual adjustment used to copy onto the award row. Since issue #18's fourth pass
 * the award row keeps only the amount first awarded (pension_award.monthly_fen, written once); every
 * reader of the current amount takes it from here (pension.service.ts does the same in JS over the
 * amounts it lists: the last of them).
 */
export function currentAmountSql(): RawBuilder<number> {
  return sql<number>`(SELECT pa.monthly_fen FROM pension_amount pa
    WHERE pa.award_id = a.id ORDER BY pa.effective_period DESC, pa.id DESC LIMIT 1)`;
}

/**
 * The same rule as a relation (award_id, monthly_fen) over every award, for readers of many awards: one
 * ordered pass over the amounts joined by hash instead of a probe per award (the simulator's groups at
 * 200,000 awards: 1.4 s against 3.1–3.5 s probed).
 */
export function currentAmountsSql(): RawBuilder<{ award_id: number; monthly_fen: number }> {
  return sql`(SELECT DISTINCT ON (pa.award_id) pa.award_id, pa.monthly_fen FROM pension_amount pa
    ORDER BY pa.award_id, pa.effective_period DESC, pa.id DESC)`;
}

export async function amountInForce(db: Db, awardId: number, period: Period): Promise<number | null> {
  const r = await db
    .selectFrom('pension_amount')
    .select('monthly_fen')
    .where('award_id', '=', awardId)
    .where('effective_period', '<=', period)
    .orderBy('effective_period', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.monthly_fen ?? null;
}

/** The latest period whose payroll has been started for a region that covers the award's region. */
export async function latestPayrollPeriod(db: Db, awardRegion: string): Promise<Period | null> {
  const r = await sql<{ period: string | null }>`
    SELECT max(period) AS period FROM payroll_run
    WHERE ${regionOrAncestorSql(sql.ref('region'), awardRegion)}`.execute(db);
  return r.rows[0]?.period ?? null;
}

/** The scheme of a recovery case's award (null when the case has none, e.g. an unemployment overpayment). */
export async function awardScheme(db: Db, awardId: number | null): Promise<string | null> {
  if (awardId === null) return null;
  const a = await db
    .selectFrom('pension_award')
    .select('scheme')
    .where('id', '=', awardId)
    .executeTakeFirst();
  return a?.scheme ?? null;
}

/** Changes an award's state (active, suspended, stopped and their periods), bumping its version. */
export async function updateAward(
  tx: Db,
  awardId: number,
  set: Updateable<PensionAwardTable>,
): Promise<void> {
  await tx
    .updateTable('pension_award')
    .set({ ...set, updated_at: new Date().toISOString(), version: sql`version + 1` })
    .where('id', '=', awardId)
    .execute();
}

/**
 * Tells the hall (docs/hall.md, topic `pension.suspended`) that these persons' pensions are suspended
 * from `fromPeriod`, and why: one event for a clerk's suspension or for a chunk of the certification
 * sweep, carrying the persons' ids (the hall expands it set-based, as a campaign's `certification.due`).
 * `reason`: a clerk's own words (code other), told as written; null for the sweep's code.
 */
export async function publishSuspended(
  tx: Db,
  e: {
    personIds: readonly number[];
    fromPeriod: Period;
    reasonCode: SuspendReasonCode;
    reason: string | null;
  },
): Promise<void> {
  if (e.personIds.length === 0) return;
  const payload = {
    personIds: e.personIds,
    persons: e.personIds.length,
    fromPeriod: e.fromPeriod,
    reasonCode: e.reasonCode,
    reason: e.reason,
  };
  await tx
    .insertInto('outbox')
    .values({ topic: 'pension.suspended', payload: JSON.stringify(payload) })
    .execute();
}

/**
 * Tells the hall (topic `pension.restored`) that a suspended pension is paid again: from which month
 * it is paid monthly again, and the back pay queued for the months held back (0: none).
 */
export async function publishRestored(
  tx: Db,
  e: {
    personId: number;
    awardId: number;
    resumesFrom: Period;
    arrearsFen: number;
    arrearsFrom: Period | null;
    arrearsTo: Period | null;
  },
): Promise<void> {
  await tx
    .insertInto('outbox')
    .values({ topic: 'pension.restored', payload: JSON.stringify(e) })
    .execute();
}

/**
 * The region paying a person's pension: the region of their employee pension award, else of any award
 * of theirs (oldest first); null when none. `personId` is a value or a column (e.g. sql.ref('p.id')).
 */
function payingRegionSql(personId: number | RawBuilder<unknown>): RawBuilder<string | null> {
  return sql<string | null>`(SELECT pa.region FROM pension_award pa WHERE pa.person_id = ${personId}
    ORDER BY pa.scheme <> 'employee_pension', pa.id LIMIT 1)`;
}

/**
 * The region that handles a death's follow-up: the one paying the person's employee pension (else any
 * pension of theirs), where the survivor benefit is computed too; the person's own region only when
 * no pension is paid. A pensioner who moved away stays the paying region's: the region they died in
 * may not stop another region's award (docs/supervision.md "A person who moves").
 */
export async function deathRegion(db: Db, person: { id: number; region: string }): Promise<string> {
  const r = await sql<{ region: string | null }>`SELECT ${payingRegionSql(person.id)} AS region`.execute(db);
  return (r.rows[0]?.region ?? person.region).trim();
}

/**
 * Deaths the registry reported (person.died) that no follow-up has handled yet, counted for the region
 * that handles each follow-up (deathRegion's rule): the paying region, not the one the person died in.
 */
export async function pendingDeathCount(db: Db, region: string): Promise<number> {
  const r = await sql<{ n: unknown }>`
    SELECT count(*) AS n FROM outbox o JOIN person p ON p.id = (o.payload->>'personId')::bigint
    WHERE o.topic = 'person.died'
      AND ${regionCoversSql(sql`coalesce(${payingRegionSql(sql.ref('p.id'))}, p.region)`, region)}
      AND NOT EXISTS (SELECT 1 FROM pension_death_case d WHERE d.person_id = p.id)`.execute(db);
  return int(r.rows[0]?.n);
}
