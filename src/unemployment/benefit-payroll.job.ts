// Monthly unemployment benefit payroll, with the pension payroll's guarantees (src/pension/payroll.job.ts):
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
import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import { parsePeriod, periodStart } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int, monthsFromTo } from '../db/values.ts';
import { caseStatusInsert } from '../hall/case-status.event.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import * as monthly from '../ledger/monthly-run.ts';
import { AwardService } from '../pension/award.service.ts';
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

/** The hall's `completed` for each claim of `from` (rows of id, person_id, region) that the chunk ended. */
function claimEnded(actor: Actor, note: RawBuilder<unknown>, from: RawBuilder<unknown>): RawBuilder<unknown> {
  return caseStatusInsert(
    {
      service: sql`'unemployment-benefit'`,
      ref: sql`'unemployment_claim:' || id`,
      personId: sql`person_id`,
      status: 'completed',
      actor: sql`${actor.username}::text`,
      regionCode: sql`region`,
      note,
      on: sql`${today()}::text`,
      citizenPath: sql`'/citizen/unemployment'`,
    },
    from,
  );
}

const RAN_ITS_COURSE = sql`jsonb_build_object('zh', '失业保险金领取期满', 'en', 'the unemployment benefit has run its course')`;

/** One chunk: ends, stops, pays and books (inside the chunk's transaction). */
async function payChunk(
  { tx, chunkNo, bounds: b, entryDate, runId, period, region }: monthly.MonthlyChunk,
  ctx: AppContext,
  actor: Actor,
): Promise<monthly.ChunkOutcome> {
  const stopRules = ctx.params.get<StopEventsTable>('unemployment/stop-events', region, periodStart(period));
  const keepOnReemployment = stopRules.events.reemployment?.keepRemaining ?? true;
  const range = b.to === null ? sql`c.id >= ${b.from}` : sql`c.id BETWEEN ${b.from} AND ${b.to}`;
  const inChunk = sql`${range} AND c.status = 'approved' AND ${regionCoversSql(sql`c.region`, region)}`;

  // 1. Claims whose last benefit month is before this period have run their course.
  await sql`
      WITH ended AS (
        UPDATE unemployment_claim c SET status = 'ended', remaining_months = 0, updated_at = now(), version = version + 1
        WHERE ${inChunk} AND c.last_period < ${period}
        RETURNING c.id, c.person_id, c.region
      )
      ${claimEnded(actor, RAN_ITS_COURSE, sql`FROM ended`)}`.execute(tx);

  // 2. Re-employment from the system's own data: a new employment or a contribution after the separation.
  const stopped = await sql<{
    id: number;
    person_id: number;
    region: string;
    event_date: string;
    source: 'employment' | 'contribution';
    stopped_from: string;
  }>`
      WITH ev AS MATERIALIZED (
        SELECT x.claim_id, min(x.d) AS event_date, (array_agg(x.src ORDER BY x.d, x.src))[1] AS source FROM (
          SELECT c.id AS claim_id, em.start_date AS d, 'employment' AS src
          FROM unemployment_claim c JOIN employment em ON em.person_id = c.person_id AND em.start_date > c.separation_date
          WHERE ${inChunk}
          UNION ALL
          SELECT c.id, to_date(l.period || '-01', 'YYYY-MM-DD'), 'contribution'
          FROM unemployment_claim c
          JOIN contribution_bill_line l ON l.person_id = c.person_id AND l.period > to_char(c.separation_date, 'YYYY-MM')
          JOIN contribution_bill cb ON cb.id = l.bill_id AND cb.status <> 'cancelled' AND cb.payer_kind <> 'resident'
          WHERE ${inChunk}
        ) x GROUP BY x.claim_id
      ), upd AS (
        UPDATE unemployment_claim c SET status = 'stopped', stop_event = 'reemployment', stop_date = ev.event_date,
          stopped_from_period = to_char(ev.event_date + interval '1 month', 'YYYY-MM'),
          remaining_months = greatest(0, c.max_months - greatest(0, least(
            ${monthsFromTo(sql`c.first_period`, sql`to_char(ev.event_date, 'YYYY-MM')`)} + 1, c.max_months))),
          carry_forward = ${keepOnReemployment}, updated_at = now(), version = c.version + 1
        FROM ev WHERE c.id = ev.claim_id
        RETURNING c.id, c.person_id, c.region, ev.event_date::text AS event_date, ev.source, c.stopped_from_period AS stopped_from
      ), logged AS (
        INSERT INTO unemployment_stop_event (claim_id, event, event_date, source, action, stopped_from_period, note, created_by)
        SELECT id, 'reemployment', event_date::date, source, 'stop', stopped_from, '再就业（系统比对）', ${actor.username} FROM upd
        RETURNING claim_id
      ), hall AS (
        ${claimEnded(
          actor,
          sql`jsonb_build_object('zh', '已重新就业，自' || stopped_from || '起停发失业保险金，未领月数保留',
            'en', 'back in work: the benefit stops from ' || stopped_from || '; the months not drawn are kept')`,
          sql`FROM upd RETURNING id`,
        )}
      )
      SELECT id, person_id, region, event_date, source, stopped_from FROM upd`.execute(tx);
  // Months already paid after the stop were not due: one recovery case per claim (few rows).
  if (stopped.rows.length > 0) {
    const over = await sql<{
      claim_id: number;
      person_id: number;
      region: string;
      total: unknown;
      first: string;
      last: string;
    }>`
        SELECT pm.claim_id, pm.person_id, pm.region, sum(pm.amount_fen)::bigint AS total, min(pm.period) AS first, max(pm.period) AS last
        FROM unemployment_payment pm JOIN unemployment_claim c ON c.id = pm.claim_id
        WHERE pm.claim_id IN (${sql.join(stopped.rows.map((r) => int(r.id)))}) AND pm.period >= c.stopped_from_period
        GROUP BY pm.claim_id, pm.person_id, pm.region`.execute(tx);
    for (const o of over.rows)
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
  const paid = await sql<{ region: string; n: unknown; benefit: unknown; medical: unknown }>`
      WITH src AS MATERIALIZED (
        SELECT c.id, c.person_id, c.region, c.monthly_fen, c.medical_fen FROM unemployment_claim c
        WHERE ${range} AND ${regionCoversSql(sql`c.region`, region)}
          -- approved, or stopped after this month (the event month is the last one paid)
          AND (c.status = 'approved' OR (c.status = 'stopped' AND c.stopped_from_period > ${period}))
          AND c.first_period <= ${period} AND c.last_period >= ${period} AND c.monthly_fen IS NOT NULL
          -- the dead are one hashed set (few), not a probe per claim
          AND c.person_id NOT IN (SELECT p.id FROM person p WHERE p.death_date < ${periodStart(period)}::date)
      ), paid AS (
        INSERT INTO unemployment_payment (person_id, claim_id, region, period, amount_fen, medical_fen, run_id, chunk_no)
        SELECT person_id, id, region, ${period}, monthly_fen, medical_fen, ${runId}, ${chunkNo} FROM src
        ON CONFLICT DO NOTHING
        RETURNING region, amount_fen, medical_fen
      )
      SELECT region, count(*) AS n, coalesce(sum(amount_fen), 0)::bigint AS benefit, coalesce(sum(medical_fen), 0)::bigint AS medical
      FROM paid GROUP BY region ORDER BY region`.execute(tx);
  // 4. Ledger: per claim region, the benefit and the medical premiums paid out of the unemployment fund.
  let payments = 0;
  let benefitFen = 0;
  let medicalFen = 0;
  for (const r of paid.rows) {
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
      stopped: stopped.rows.length,
    },
    totals: { payments, benefit_fen: benefitFen, medical_fen: medicalFen, stopped: stopped.rows.length },
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
    ids: sql`SELECT c.id FROM unemployment_claim c WHERE c.status = 'approved' AND ${regionCoversSql(sql`c.region`, opts.region)}`,
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
  const r = await sql<{ n: unknown; benefit: unknown; medical: unknown }>`
    SELECT count(*) AS n, coalesce(sum(c.monthly_fen), 0)::bigint AS benefit, coalesce(sum(c.medical_fen), 0)::bigint AS medical
    FROM unemployment_claim c
    WHERE (c.status = 'approved' OR (c.status = 'stopped' AND c.stopped_from_period > ${period}))
      AND ${regionCoversSql(sql`c.region`, q.region)} AND c.first_period <= ${period}
      AND c.last_period >= ${period} AND c.monthly_fen IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM unemployment_payment pm WHERE pm.person_id = c.person_id AND pm.period = ${period})`.execute(
    db,
  );
  const benefitFen = int(r.rows[0]?.benefit);
  const medicalFen = int(r.rows[0]?.medical);
  return { payments: int(r.rows[0]?.n), benefitFen, medicalFen, totalFen: benefitFen + medicalFen };
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
      const rows = await sql<monthly.BankRow & { claim_id: unknown }>`
        SELECT p.id_number, p.name, p.bank_name, p.bank_account, pm.amount_fen AS amount, pm.claim_id
        FROM unemployment_payment pm JOIN person p ON p.id = pm.person_id
        WHERE pm.run_id = ${run.id} AND pm.chunk_no = ${chunkNo} ORDER BY pm.claim_id`.execute(db);
      yield rows.rows.map((r) => ({ ...r, ref: monthly.bankRefNumber(r.claim_id, 'claim_id') }));
    }
  },
);
