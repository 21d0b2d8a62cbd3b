// The SQL of the certification deadline sweep (certification-sweep.job.ts): the due awards of a chunk,
// the suspension rows, and the sweep's job_run row. The job owns the transactions and the audit.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { int, plainArrayLiteral } from '../db/values.ts';
import { regionCoversSql, type CampaignRow } from './certification.repository.ts';

export const SWEEP_KIND = 'certification.sweep';

/** The active awards of the id range [lo, hi) not certified in the campaign's window, of living persons. */
export async function dueAwardIds(tx: Db, c: CampaignRow, lo: number, hi: number): Promise<number[]> {
  // The suspension probe is bounded to the chunk's range: the planner, which sees the suspensions of the
  // sweep's earlier chunks as the empty table of its start, otherwise may scan every suspension of the
  // campaign once per award (a nested loop over a Materialize: 11.6 million comparisons in the third
  // chunk at 200,000 pensioners, growing with each chunk).
  // The certification is probed before the person, and the person (alive?) only for the uncertified:
  // a CASE fixes that order, which a join left to the planner, and the planner to certification's
  // statistics — stale right after a large import, when it probed every award's person first (400,000
  // against 204,000 buffer hits per mostly certified 50,000-award chunk; the probes' backend CPU at
  // 1,000,000 pensioners 4.5–5.1 → 3.2–3.6 s with stale statistics, the same with fresh ones).
  // `OFFSET 0` keeps each EXISTS a probe per award: without it the planner may hash the whole of
  // certification and of person once per chunk instead (it did once the region-prefix statistics of
  // migration 1580 told it every award of the chunk is in the region) — work growing with those
  // tables, not with the chunk.
  // No `FOR UPDATE`: suspendMany's update takes the row locks itself and re-checks `status = 'active'`
  // on the row it locks, and status is all any other writer of an award changes (stop, suspend,
  // restore), so locking first only wrote a WAL record and dirtied a page per due award (61,014
  // records, 3.3 of 59.6 MiB of WAL per sweep at 200,000 pensioners).
  const due = await sql<{ id: unknown }>`
    SELECT a.id
    FROM pension_award a
    WHERE a.id >= ${lo} AND a.id < ${hi}
      AND a.status = 'active'
      AND a.start_period < ${c.window_start.slice(0, 7)}
      AND ${regionCoversSql(sql.ref('a.region'), c.region)}
      AND CASE WHEN EXISTS (SELECT 1 FROM certification x WHERE x.person_id = a.person_id AND x.certified_on BETWEEN ${c.window_start} AND ${c.deadline} OFFSET 0)
               THEN false
               ELSE EXISTS (SELECT 1 FROM person p WHERE p.id = a.person_id AND p.death_date IS NULL OFFSET 0) END
      AND NOT EXISTS (SELECT 1 FROM certification_suspension s WHERE s.campaign_id = ${c.id} AND s.award_id = a.id
                        AND s.award_id >= ${lo} AND s.award_id < ${hi})
    ORDER BY a.id`.execute(tx);
  return due.rows.map((d) => int(d.id));
}

/** The suspension rows of a chunk's suspended awards: how many were written. */
export async function insertSuspensions(
  tx: Db,
  campaignId: number,
  fromPeriod: string,
  suspended: ReadonlyArray<{ awardId: number; personId: number; region: string }>,
): Promise<number> {
  // Ids and region codes (digits only) as array literals: the driver would quote each element. The
  // notice is derived from the suspension when read (noticesOfPerson); its id is the row's notice_id.
  const r = await sql<{ n: number | string }>`
    WITH sus AS (
      INSERT INTO certification_suspension (campaign_id, award_id, person_id, region, suspended_from_period)
      SELECT ${campaignId}, id, person_id, region, ${fromPeriod}
      FROM unnest(${plainArrayLiteral(suspended.map((x) => x.awardId))}::bigint[], ${plainArrayLiteral(suspended.map((x) => x.personId))}::bigint[], ${plainArrayLiteral(suspended.map((x) => x.region))}::text[])
        AS u(id, person_id, region)
      RETURNING 1
    )
    SELECT count(*) AS n FROM sus`.execute(tx);
  return int(r.rows[0]?.n ?? 0);
}

const SWEEP_JOB = (db: Db, campaignId: number) =>
  db.selectFrom('job_run').selectAll().where('kind', '=', SWEEP_KIND).where('key', '=', String(campaignId));

export const sweepJob = (db: Db, campaignId: number) => SWEEP_JOB(db, campaignId).executeTakeFirst();
export const sweepJobOrThrow = (db: Db, campaignId: number) =>
  SWEEP_JOB(db, campaignId).executeTakeFirstOrThrow();

/** The lowest and highest award id of the region. */
export async function awardIdBounds(db: Db, region: string) {
  const bounds = await sql<{ lo: number | null; hi: number | null }>`
      SELECT min(a.id) AS lo, max(a.id) AS hi FROM pension_award a WHERE ${regionCoversSql(sql.ref('a.region'), region)}`.execute(
    db,
  );
  return bounds.rows[0];
}

/** The sweep's job row, unless one exists. */
export async function insertSweepJob(
  db: Db,
  campaignId: number,
  total: number,
  detail: unknown,
): Promise<void> {
  await db
    .insertInto('job_run')
    .values({
      kind: SWEEP_KIND,
      key: String(campaignId),
      status: 'running',
      total,
      done: 0,
      detail: JSON.stringify(detail),
    })
    .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
    .execute();
}

/**
 * A chunk's start: no JIT (in the import compiling the match took 2.0 s of a 6.6 s statement), and the
 * job row locked so that two sweeps of one campaign take turns; its detail re-read under the lock.
 */
export async function lockSweepChunk(tx: Db, jobId: number): Promise<unknown> {
  await sql`SET LOCAL jit = off`.execute(tx);
  const locked = await tx
    .selectFrom('job_run')
    .select('detail')
    .where('id', '=', jobId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return locked.detail;
}

/** A chunk's progress: the detail, and `done` up to `doneUpTo` awards (at most the total). */
export async function recordSweepChunk(
  tx: Db,
  jobId: number,
  detail: unknown,
  doneUpTo: number,
): Promise<void> {
  await tx
    .updateTable('job_run')
    .set({
      detail: JSON.stringify(detail),
      done: sql<number>`least(total, ${doneUpTo}::bigint)`,
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', jobId)
    .execute();
}

/** The job row's status and detail, locked. */
export const lockSweepJob = (tx: Db, jobId: number) =>
  tx
    .selectFrom('job_run')
    .select(['status', 'detail'])
    .where('id', '=', jobId)
    .forUpdate()
    .executeTakeFirstOrThrow();

export async function markCampaignSwept(tx: Db, campaignId: number, suspended: number): Promise<void> {
  await tx
    .updateTable('certification_campaign')
    .set({ status: 'swept', swept_at: new Date().toISOString(), suspended })
    .where('id', '=', campaignId)
    .execute();
}

export async function finishSweepJob(tx: Db, jobId: number): Promise<void> {
  await tx
    .updateTable('job_run')
    .set({
      status: 'done',
      done: sql<number>`total`,
      finished_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', jobId)
    .execute();
}
