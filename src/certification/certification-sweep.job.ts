// The deadline sweep of a campaign: every pensioner of the region not certified in the campaign's
// 12-month window is suspended from the first unpaid period after the deadline, with a suspension row
// per person (its notice is derived from it when read). Set-based: one statement per chunk of award
// ids, each chunk in its own transaction with its progress in job_run and its audit entry; a summary
// audit entry closes the sweep. Idempotent (an award already suspended by this campaign is never
// touched again; a finished sweep answers its result) and resumable (a crash resumes after the last
// committed chunk).
import { appendAudit } from '../audit/audit.repository.ts';
import { auditReason } from '../audit/audit-reasons.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { addPeriods } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import { AwardService } from '../pension/award.service.ts';
import {
  awardIdBounds,
  dueAwardIds,
  finishSweepJob,
  insertSuspensions,
  insertSweepJob,
  lockSweepChunk,
  lockSweepJob,
  markCampaignSwept,
  recordSweepChunk,
  sweepJob,
  sweepJobOrThrow,
  SWEEP_KIND,
} from './certification-sweep.repository.ts';
import { findCampaign, latestPayrollPeriod, type CampaignRow } from './certification.repository.ts';

export { SWEEP_KIND };

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
  // Who is due: certification reads the awards (dueAwardIds); the pension capability changes them.
  const due = await dueAwardIds(tx, c, lo, hi);
  const suspended = await new AwardService(tx).suspendMany({
    awardIds: due,
    fromPeriod,
    reasonCode: 'not_certified',
  });
  if (suspended.length === 0) return 0;
  return insertSuspensions(tx, c.id, fromPeriod, suspended);
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
  let job = await sweepJob(db, c.id);
  if (!job) {
    resumed = false;
    const paidThrough = await latestPayrollPeriod(db, c.region);
    const afterPayroll = paidThrough === null ? c.suspend_from_period : addPeriods(paidThrough, 1);
    const fromPeriod = afterPayroll > c.suspend_from_period ? afterPayroll : c.suspend_from_period;
    const bounds = await awardIdBounds(db, c.region);
    const detail: SweepDetail = {
      campaignId: c.id,
      fromPeriod,
      lastAwardId: bounds?.hi ?? 0,
      cursor: bounds?.lo ?? 1,
      suspended: 0,
      chunks: 0,
    };
    const total = Math.max(0, detail.lastAwardId - detail.cursor + 1);
    await insertSweepJob(db, c.id, total, detail);
    job = await sweepJobOrThrow(db, c.id);
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
      // No JIT, as in the import; the job row locked, so two sweeps of one campaign take turns.
      const cur = (await lockSweepChunk(tx, jobId)) as SweepDetail;
      if (cur.cursor !== lo) return cur;
      const n = await sweepChunk(tx, c, cur.fromPeriod, lo, hi);
      const next: SweepDetail = { ...cur, cursor: hi, suspended: cur.suspended + n, chunks: cur.chunks + 1 };
      await recordSweepChunk(tx, jobId, next, hi - (job.detail as SweepDetail).cursor);
      if (n > 0) {
        await appendAudit(tx, actor, {
          action: 'certification.sweep-chunk',
          entityType: 'certification_campaign',
          entityId: c.id,
          region: c.region,
          after: { awardIds: [lo, hi - 1], suspended: n, suspendedFromPeriod: cur.fromPeriod },
          reason: auditReason('certification-sweep-chunk'),
        });
      }
      return next;
    });
    chunksThisRun += 1;
    opts.onProgress?.(Math.min(total, d.cursor - (job.detail as SweepDetail).cursor), total);
  }

  await db.transaction().execute(async (tx) => {
    const locked = await lockSweepJob(tx, jobId);
    if (locked.status === 'done') return;
    const fin = locked.detail as SweepDetail;
    await markCampaignSwept(tx, c.id, fin.suspended);
    await finishSweepJob(tx, jobId);
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
      reason: auditReason('certification-sweep', { campaign: c.id, region: c.region, year: c.year }),
    });
    d = fin;
  });
  return result('done');
}
