// The deadline sweep of a campaign: every pensioner of the region not certified in the campaign's
// 12-month window is suspended from the first unpaid period after the deadline, with a suspension row
// per person (its notice is derived from it when read). Set-based: one statement per chunk of award
// ids, each chunk in its own transaction with its progress in job_run and its audit entry; a summary
// audit entry closes the sweep. Idempotent (an award already suspended by this campaign is never
// touched again; a finished sweep answers its result) and resumable (a crash resumes after the last
// committed chunk).
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { addPeriods } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import { int, plainArrayLiteral } from '../db/values.ts';
import { AwardService } from '../pension/award.service.ts';
import {
  findCampaign,
  latestPayrollPeriod,
  regionCoversSql,
  type CampaignRow,
} from './certification.repository.ts';

export const SWEEP_KIND = 'certification.sweep';

export interface SweepOptions {
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Tests: stop (as a crash would) after this many chunks. */
  stopAfterChunks?: number;
}

export interface SweepResult {
  campaignId: number;
  jobRunId: number;
  status: 'done' | 'interrupted';
  suspendedFromPeriod: string;
  suspended: number;
  chunks: number;
  resumed: boolean;
}

interface SweepDetail {
  campaignId: number;
  fromPeriod: string;
  lastAwardId: number;
  cursor: number;
  suspended: number;
  chunks: number;
}

/** One chunk: select the due awards of the id range, suspend them through the pension capability, write their suspension rows. */
async function sweepChunk(
  tx: Db,
  c: CampaignRow,
  fromPeriod: string,
  lo: number,
  hi: number,
): Promise<number> {
  const reason = `certification campaign ${c.id} (${c.year}): not certified between ${c.window_start} and ${c.deadline}`;
  // Who is due: certification reads the awards; the pension capability changes them (suspendMany).
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
  const suspended = await new AwardService(tx).suspendMany({
    awardIds: due.rows.map((d) => int(d.id)),
    fromPeriod,
    reason,
  });
  if (suspended.length === 0) return 0;
  // Ids and region codes (digits only) as array literals: the driver would quote each element. The
  // notice is derived from the suspension when read (noticesOfPerson); its id is the row's notice_id.
  const r = await sql<{ n: number | string }>`
    WITH sus AS (
      INSERT INTO certification_suspension (campaign_id, award_id, person_id, region, suspended_from_period)
      SELECT ${c.id}, id, person_id, region, ${fromPeriod}
      FROM unnest(${plainArrayLiteral(suspended.map((x) => x.awardId))}::bigint[], ${plainArrayLiteral(suspended.map((x) => x.personId))}::bigint[], ${plainArrayLiteral(suspended.map((x) => x.region))}::text[])
        AS u(id, person_id, region)
      RETURNING 1
    )
    SELECT count(*) AS n FROM sus`.execute(tx);
  return int(r.rows[0]?.n ?? 0);
}

export async function runSweep(
  db: Db,
  actor: Actor,
  campaignId: number,
  opts: SweepOptions = {},
): Promise<SweepResult> {
  authorize(actor, 'certification.campaign');
  const chunkSize = opts.chunkSize ?? 50_000;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1)
    throw new SbError('SB_ERR_OUT_OF_RANGE', { field: 'chunkSize' });
  const c = await findCampaign(db, campaignId);
  if (!c)
    throw new SbError('SB_ERR_NOT_FOUND', { zh: `认证批次 ${campaignId}`, en: `campaign ${campaignId}` });
  authorize(actor, 'certification.campaign', { region: c.region });
  if (today() <= c.deadline) {
    throw new SbError('SB_ERR_CONFLICT', {
      zh: `认证截止日 ${c.deadline} 尚未过去`,
      en: `the deadline ${c.deadline} has not passed`,
    });
  }

  // Start or resume the job: the suspension period and the last award id are fixed at the start.
  let resumed = true;
  let job = await db
    .selectFrom('job_run')
    .selectAll()
    .where('kind', '=', SWEEP_KIND)
    .where('key', '=', String(c.id))
    .executeTakeFirst();
  if (!job) {
    resumed = false;
    const paidThrough = await latestPayrollPeriod(db, c.region);
    const afterPayroll = paidThrough === null ? c.suspend_from_period : addPeriods(paidThrough, 1);
    const fromPeriod = afterPayroll > c.suspend_from_period ? afterPayroll : c.suspend_from_period;
    const bounds = await sql<{ lo: number | null; hi: number | null }>`
      SELECT min(a.id) AS lo, max(a.id) AS hi FROM pension_award a WHERE ${regionCoversSql(sql.ref('a.region'), c.region)}`.execute(
      db,
    );
    const detail: SweepDetail = {
      campaignId: c.id,
      fromPeriod,
      lastAwardId: bounds.rows[0]?.hi ?? 0,
      cursor: bounds.rows[0]?.lo ?? 1,
      suspended: 0,
      chunks: 0,
    };
    const total = Math.max(0, detail.lastAwardId - detail.cursor + 1);
    await db
      .insertInto('job_run')
      .values({
        kind: SWEEP_KIND,
        key: String(c.id),
        status: 'running',
        total,
        done: 0,
        detail: JSON.stringify(detail),
      })
      .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
      .execute();
    job = await db
      .selectFrom('job_run')
      .selectAll()
      .where('kind', '=', SWEEP_KIND)
      .where('key', '=', String(c.id))
      .executeTakeFirstOrThrow();
  }
  const jobId = job.id;
  let d = job.detail as SweepDetail;
  const result = (status: SweepResult['status']): SweepResult => ({
    campaignId: c.id,
    jobRunId: jobId,
    status,
    suspendedFromPeriod: d.fromPeriod,
    suspended: d.suspended,
    chunks: d.chunks,
    resumed,
  });
  if (job.status === 'done') return result('done');

  const total = Math.max(1, d.lastAwardId - (job.detail as SweepDetail).cursor + 1);
  let chunksThisRun = 0;
  while (d.cursor <= d.lastAwardId) {
    if (opts.stopAfterChunks !== undefined && chunksThisRun >= opts.stopAfterChunks)
      return result('interrupted');
    const lo = d.cursor;
    const hi = Math.min(lo + chunkSize, d.lastAwardId + 1);
    d = await db.transaction().execute(async (tx) => {
      // No JIT, as in the import (where compiling the match took 2.0 s of a 6.6 s statement).
      await sql`SET LOCAL jit = off`.execute(tx);
      // The job row lock makes two sweeps of one campaign take turns; the cursor is re-read under it.
      const locked = await tx
        .selectFrom('job_run')
        .select('detail')
        .where('id', '=', jobId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const cur = locked.detail as SweepDetail;
      if (cur.cursor !== lo) return cur;
      const n = await sweepChunk(tx, c, cur.fromPeriod, lo, hi);
      const next: SweepDetail = { ...cur, cursor: hi, suspended: cur.suspended + n, chunks: cur.chunks + 1 };
      await tx
        .updateTable('job_run')
        .set({
          detail: JSON.stringify(next),
          done: sql<number>`least(total, ${hi - (job.detail as SweepDetail).cursor}::bigint)`,
          updated_at: new Date().toISOString(),
        })
        .where('id', '=', jobId)
        .execute();
      if (n > 0) {
        await appendAudit(tx, actor, {
          action: 'certification.sweep-chunk',
          entityType: 'certification_campaign',
          entityId: c.id,
          region: c.region,
          after: { awardIds: [lo, hi - 1], suspended: n, suspendedFromPeriod: cur.fromPeriod },
          reason: 'not certified within the 12-month window; per-person rows in certification_suspension',
        });
      }
      return next;
    });
    chunksThisRun += 1;
    opts.onProgress?.(Math.min(total, d.cursor - (job.detail as SweepDetail).cursor), total);
  }

  await db.transaction().execute(async (tx) => {
    const locked = await tx
      .selectFrom('job_run')
      .select(['status', 'detail'])
      .where('id', '=', jobId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.status === 'done') return;
    const fin = locked.detail as SweepDetail;
    await tx
      .updateTable('certification_campaign')
      .set({ status: 'swept', swept_at: new Date().toISOString(), suspended: fin.suspended })
      .where('id', '=', c.id)
      .execute();
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
    await appendAudit(tx, actor, {
      action: 'certification.sweep',
      entityType: 'certification_campaign',
      entityId: c.id,
      region: c.region,
      before: { status: c.status },
      after: {
        status: 'swept',
        suspended: fin.suspended,
        suspendedFromPeriod: fin.fromPeriod,
        chunks: fin.chunks,
        windowStart: c.window_start,
        deadline: c.deadline,
      },
      reason: `sweep of campaign ${c.id} (${c.region} ${c.year})`,
    });
    d = fin;
  });
  return result('done');
}
