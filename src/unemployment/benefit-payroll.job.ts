// Monthly unemployment benefit payroll, with the pension payroll's guarantees (src/pension/payroll.job.ts),
// its SQL in benefit-payroll.repository.ts:
// set-based SQL in chunks of claim ids; each chunk is one transaction that
//   1. ends the claims whose last benefit month has passed,
//   2. stops the claims whose holder is working again — a new employment or a contribution after the
//      separation, found in the system's own data (no report needed) — from the month after the event
//      (the event month is the last paid: params/unemployment/stop-events.yaml), keeps the unused months
//      for a later claim, and opens a recovery case for months already paid after the stop,
//   3. pays every payable claim (INSERT … SELECT … ON CONFLICT DO NOTHING on UNIQUE (person_id, period):
//      one payment per person and month whatever the claim or the run),
//   4. posts the chunk's benefit and the medical-insurance premiums the fund pays for the recipients
//      (社会保险法 Art. 48) to the unemployment fund's ledger (idempotency key run+chunk+region),
//   5. records the chunk and advances the progress.
// A crash at any point leaves whole chunks only; the same period run again resumes with the first
// chunk not done and pays nobody twice.
//
// Test hooks (options.hooks, never read from the environment): insideChunk(n) runs inside chunk n after
// its payments are written and before its commit; afterChunk(n) right after chunk n commits.
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../auth/actor.ts';
import { parsePeriod, periodStart } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import * as monthly from '../ledger/monthly-run.ts';
import { AwardService } from '../pension/award.service.ts';
import * as repo from './benefit-payroll.repository.ts';
import type { StopEventsTable } from './stop.service.ts';

export const UNEMPLOYMENT_PAYROLL_CHUNK = 50_000;

export type BenefitPayrollOptions = monthly.MonthlyRunOptions;

export interface BenefitPayrollSummary extends monthly.RunSummaryHead {
  payments: number;
  benefitFen: number;
  medicalFen: number;
  /** benefit + medical premiums: what left the fund */
  totalFen: number;
  stopped: number;
}

/** The benefit payroll's run and chunk tables (src/ledger/monthly-run.ts keeps the guarantees). */
const BENEFIT_RUN: monthly.MonthlyRunKind = {
  jobKind: 'unemployment-payroll',
  lockClass: 726354302,
  runTable: 'unemployment_payroll_run',
  chunkTable: 'unemployment_payroll_chunk',
  regionColumn: 'region',
  auditAction: 'unemployment.payroll',
  completeColumns: ['payments', 'benefit_fen', 'medical_fen', 'stopped'],
  hasUpdatedAt: true,
};

/** A payroll is for a period up to next month by the server's clock; later ones are refused. */
export const checkBenefitPeriod = monthly.checkRunPeriod;

/** One chunk: ends, stops, pays and books (inside the chunk's transaction). */
async function payChunk(
  { tx, chunkNo, bounds: b, entryDate, runId, period, region }: monthly.MonthlyChunk,
  ctx: AppContext,
  actor: Actor,
): Promise<monthly.ChunkOutcome> {
  const stopRules = ctx.params.get<StopEventsTable>('unemployment/stop-events', region, periodStart(period));
  const keepOnReemployment = stopRules.events.reemployment?.keepRemaining ?? true;
  const chunk = { bounds: b, region };

  // 1. Claims whose last benefit month is before this period have run their course.
  await repo.endClaimsRunTheirCourse(tx, chunk, period, actor.username);

  // 2. Re-employment from the system's own data: a new employment or a contribution after the separation.
  const stopped = await repo.stopReemployedClaims(tx, chunk, keepOnReemployment, actor.username);
  // Months already paid after the stop were not due: one recovery case per claim (few rows).
  if (stopped.length > 0) {
    const over = await repo.paidAfterStop(
      tx,
      stopped.map((r) => r.id),
    );
    for (const o of over)
      await new AwardService(tx).openRecoveryCase(actor, {
        personId: int(o.person_id),
        awardId: null,
        region: o.region.trim(),
        reason: 'ineligible',
        fromPeriod: o.first.trim(),
        toPeriod: o.last.trim(),
        amountFen: int(o.total),
        idempotencyKey: `unemployment-stop:${int(o.claim_id)}`,
        detail: { claimId: int(o.claim_id), event: 'reemployment' },
        fund: 'unemployment',
      });
  }

  // 3. Pay every payable claim of the chunk for the period.
  const paid = await repo.payClaims(tx, chunk, { period, runId, chunkNo });
  // 4. Ledger: per claim region, the benefit and the medical premiums paid out of the unemployment fund.
  let payments = 0;
  let benefitFen = 0;
  let medicalFen = 0;
  for (const r of paid) {
    const benefit = int(r.benefit);
    const medical = int(r.medical);
    payments += int(r.n);
    benefitFen += benefit;
    medicalFen += medical;
    if (benefit + medical <= 0) continue;
    const entryRegion = r.region.trim();
    await postEntry(tx, actor, {
      fund: 'unemployment',
      region: entryRegion,
      period,
      entryDate,
      kind: 'unemployment_payroll',
      description: `失业保险金发放及代缴医疗保险费 ${period} 第${chunkNo}批 / unemployment benefit and medical premiums ${period} chunk ${chunkNo}`,
      idempotencyKey: `unemployment-payroll:${runId}:${chunkNo}:${entryRegion}`,
      source: { type: 'unemployment_payroll_run', id: runId },
      lines: [
        { account: ACCOUNTS.benefitExpenditure, debitFen: benefit },
        { account: ACCOUNTS.otherExpenditure, debitFen: medical },
        { account: ACCOUNTS.bank, creditFen: benefit + medical },
      ],
    });
  }

  // 5. The chunk is done.
  return {
    chunk: {
      from_claim_id: b.from,
      to_claim_id: b.to,
      payments,
      benefit_fen: benefitFen,
      medical_fen: medicalFen,
      stopped: stopped.length,
    },
    totals: { payments, benefit_fen: benefitFen, medical_fen: medicalFen, stopped: stopped.length },
  };
}

/** Runs (or resumes) the benefit payroll of a period for a region; answers its summary. */
export async function runBenefitPayroll(
  ctx: AppContext,
  actor: Actor,
  opts: BenefitPayrollOptions,
): Promise<BenefitPayrollSummary> {
  await monthly.runMonthly(ctx.db, actor, BENEFIT_RUN, opts, {
    defaultChunk: UNEMPLOYMENT_PAYROLL_CHUNK,
    stage: 'unemployment-payroll',
    // The claims that may be paid or stopped: approved ones (ids in chunks of chunkSize).
    ids: repo.payableClaimIds(opts.region),
    body: (c) => payChunk(c, ctx, actor),
  });
  return benefitPayrollSummary(ctx.db, opts);
}

export async function benefitPayrollSummary(
  db: Db,
  q: { period: string; region: string },
): Promise<BenefitPayrollSummary> {
  const columns = ['payments', 'benefit_fen', 'medical_fen', 'stopped'] as const;
  const { head, totals: t } = await monthly.runState(db, BENEFIT_RUN, q, columns);
  const money = {
    benefitFen: t.benefit_fen,
    medicalFen: t.medical_fen,
    totalFen: t.benefit_fen + t.medical_fen,
  };
  return { ...head, payments: t.payments, ...money, stopped: t.stopped };
}

/** What a run of the period would pay now (shown to the reviewer before the release). */
export async function previewBenefitPayroll(
  db: Db,
  q: { period: string; region: string },
): Promise<{ payments: number; benefitFen: number; medicalFen: number; totalFen: number }> {
  const period = parsePeriod(q.period);
  const r = await repo.payableTotals(db, period, q.region);
  const benefitFen = int(r?.benefit);
  const medicalFen = int(r?.medical);
  return { payments: int(r?.n), benefitFen, medicalFen, totalFen: benefitFen + medicalFen };
}

export const UNEMPLOYMENT_BANK_FILE_HEADER = monthly.bankFileHeader('claim_id');

/**
 * The bank payment file of a finished run: one line per person paid (the benefit only; the medical
 * premiums go to the medical fund, not to the person). Chunk by chunk to `<path>.part`, then renamed.
 */
export const writeBenefitBankFile = monthly.bankFileWriter(
  BENEFIT_RUN,
  UNEMPLOYMENT_BANK_FILE_HEADER,
  async function* (db, run) {
    for (let chunkNo = 1; chunkNo <= run.chunks_total; chunkNo++) {
      const rows = await repo.bankRowsOfChunk(db, run.id, chunkNo);
      yield rows.map((r) => ({ ...r, ref: monthly.bankRefNumber(r.claim_id, 'claim_id') }));
    }
  },
);
