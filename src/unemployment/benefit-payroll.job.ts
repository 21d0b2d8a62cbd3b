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
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { once } from 'node:events';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import { csvLine, csvNumber, csvText } from '../core/csv.ts';
import { addPeriods, parsePeriod, periodEnd, periodOf, periodStart, type Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { formatYuan } from '../core/money.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { openRecoveryCase } from '../pension/award.service.ts';
import type { StopEventsTable } from './stop.service.ts';

export const UNEMPLOYMENT_PAYROLL_CHUNK = 50_000;

export interface BenefitPayrollHooks {
  insideChunk?: (chunkNo: number) => void;
  afterChunk?: (chunkNo: number) => void;
}

export interface BenefitPayrollOptions {
  period: string;
  region: string;
  chunkSize?: number;
  onProgress?: (done: number, total: number, stage: string) => void;
  hooks?: BenefitPayrollHooks;
}

export interface BenefitPayrollSummary {
  runId: number | null;
  period: Period;
  region: string;
  status: 'not_started' | 'running' | 'done' | 'failed';
  chunksDone: number;
  chunksTotal: number;
  payments: number;
  benefitFen: number;
  medicalFen: number;
  /** benefit + medical premiums: what left the fund */
  totalFen: number;
  stopped: number;
}

interface Bounds {
  from: number;
  to: number | null;
}

/** A payroll is for a period up to next month by the server's clock; later ones are refused. */
export function checkBenefitPeriod(period: Period): void {
  const latest = addPeriods(periodOf(today()), 1);
  if (period > latest)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'period',
      zh: `发放期间不得晚于下月（${latest}）`,
      en: `the payroll period may be at most next month (${latest})`,
    });
}

async function startOrResume(
  db: Db,
  actor: Actor,
  period: Period,
  region: string,
  chunkSize: number,
): Promise<{ runId: number; bounds: Bounds[] }> {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(726354302, hashtext(${`${region}:${period}`}))`.execute(tx);
    const existing = await tx
      .selectFrom('unemployment_payroll_run')
      .select(['id', 'chunk_bounds'])
      .where('period', '=', period)
      .where('region', '=', region)
      .executeTakeFirst();
    if (existing) return { runId: existing.id, bounds: existing.chunk_bounds as Bounds[] };
    // The claims that may be paid or stopped: approved ones (ids in chunks of chunkSize).
    const starts = await sql<{ id: number }>`
      SELECT id FROM (SELECT c.id, row_number() OVER (ORDER BY c.id) - 1 AS rn FROM unemployment_claim c
        WHERE c.status = 'approved' AND ${regionCoversSql(sql`c.region`, region)}) s
      WHERE rn % ${chunkSize} = 0 ORDER BY id`.execute(tx);
    const bounds: Bounds[] = starts.rows.map((r, i) => ({
      from: int(r.id),
      to: i + 1 < starts.rows.length ? int(starts.rows[i + 1]?.id) - 1 : null,
    }));
    const nowIso = new Date().toISOString();
    const job = await tx
      .insertInto('job_run')
      .values({
        kind: 'unemployment-payroll',
        key: `${region}:${period}`,
        status: bounds.length === 0 ? 'done' : 'running',
        total: bounds.length,
        detail: JSON.stringify({ period, region }),
        started_at: nowIso,
        updated_at: nowIso,
      })
      .onConflict((oc) => oc.columns(['kind', 'key']).doUpdateSet({ status: 'running', updated_at: nowIso }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const run = await tx
      .insertInto('unemployment_payroll_run')
      .values({
        period,
        region,
        status: bounds.length === 0 ? 'done' : 'running',
        job_run_id: job.id,
        chunk_size: chunkSize,
        chunk_bounds: JSON.stringify(bounds),
        chunks_total: bounds.length,
        started_by: actor.username,
        finished_at: bounds.length === 0 ? nowIso : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, actor, {
      action: 'unemployment.payroll.start',
      entityType: 'unemployment_payroll_run',
      entityId: run.id,
      region,
      after: { period, region, chunks: bounds.length, chunkSize },
    });
    return { runId: run.id, bounds };
  });
}

/** Months from `a` to `b` as SQL on YYYY-MM text (b − a). */
const monthDiff = (a: ReturnType<typeof sql>, b: ReturnType<typeof sql>) =>
  sql`((left(${b}, 4)::int * 12 + right(${b}, 2)::int) - (left(${a}, 4)::int * 12 + right(${a}, 2)::int))`;

async function runChunk(
  ctx: AppContext,
  actor: Actor,
  runId: number,
  period: Period,
  region: string,
  chunkNo: number,
  b: Bounds,
  hooks: BenefitPayrollHooks,
): Promise<boolean> {
  const stopRules = ctx.params.get<StopEventsTable>('unemployment/stop-events', region, periodStart(period));
  const keepOnReemployment = stopRules.events.reemployment?.keepRemaining ?? true;
  return ctx.db.transaction().execute(async (tx) => {
    const locked = await sql<{ chunks_done: number; chunks_total: number }>`
      UPDATE unemployment_payroll_run SET updated_at = now() WHERE id = ${runId} AND status = 'running'
      RETURNING chunks_done, chunks_total`.execute(tx);
    const run = locked.rows[0];
    if (!run) return false;
    const done = await tx
      .selectFrom('unemployment_payroll_chunk')
      .select('chunk_no')
      .where('run_id', '=', runId)
      .where('chunk_no', '=', chunkNo)
      .executeTakeFirst();
    if (done) return false;
    const range = b.to === null ? sql`c.id >= ${b.from}` : sql`c.id BETWEEN ${b.from} AND ${b.to}`;
    const inChunk = sql`${range} AND c.status = 'approved' AND ${regionCoversSql(sql`c.region`, region)}`;

    // 1. Claims whose last benefit month is before this period have run their course.
    await sql`
      WITH ended AS (
        UPDATE unemployment_claim c SET status = 'ended', remaining_months = 0, updated_at = now(), version = version + 1
        WHERE ${inChunk} AND c.last_period < ${period}
        RETURNING c.id, c.person_id, c.region
      )
      INSERT INTO outbox (topic, payload)
      SELECT 'case.status', jsonb_build_object('service', 'unemployment-benefit', 'ref', 'unemployment_claim:' || id,
        'personId', person_id, 'status', 'completed', 'actor', ${actor.username}::text, 'regionCode', region,
        'note', '失业保险金领取期满', 'on', ${today()}::text)
      FROM ended`.execute(tx);

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
            ${monthDiff(sql`c.first_period`, sql`to_char(ev.event_date, 'YYYY-MM')`)} + 1, c.max_months))),
          carry_forward = ${keepOnReemployment}, updated_at = now(), version = c.version + 1
        FROM ev WHERE c.id = ev.claim_id
        RETURNING c.id, c.person_id, c.region, ev.event_date::text AS event_date, ev.source, c.stopped_from_period AS stopped_from
      ), logged AS (
        INSERT INTO unemployment_stop_event (claim_id, event, event_date, source, action, stopped_from_period, note, created_by)
        SELECT id, 'reemployment', event_date::date, source, 'stop', stopped_from, '再就业（系统比对）', ${actor.username} FROM upd
        RETURNING claim_id
      ), hall AS (
        INSERT INTO outbox (topic, payload)
        SELECT 'case.status', jsonb_build_object('service', 'unemployment-benefit', 'ref', 'unemployment_claim:' || id,
          'personId', person_id, 'status', 'completed', 'actor', ${actor.username}::text, 'regionCode', region,
          'note', '已重新就业，自' || stopped_from || '起停发失业保险金，未领月数保留', 'on', ${today()}::text)
        FROM upd RETURNING id
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
        await openRecoveryCase(tx, actor, {
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
    hooks.insideChunk?.(chunkNo);

    // 4. Ledger: per claim region, the benefit and the medical premiums paid out of the unemployment fund.
    let payments = 0;
    let benefitFen = 0;
    let medicalFen = 0;
    const entryDate = today() < periodEnd(period) ? today() : periodEnd(period);
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
    await tx
      .insertInto('unemployment_payroll_chunk')
      .values({
        run_id: runId,
        chunk_no: chunkNo,
        from_claim_id: b.from,
        to_claim_id: b.to,
        payments,
        benefit_fen: benefitFen,
        medical_fen: medicalFen,
        stopped: stopped.rows.length,
      })
      .execute();
    const last = run.chunks_done + 1 >= run.chunks_total;
    await sql`UPDATE unemployment_payroll_run SET chunks_done = chunks_done + 1, payments = payments + ${payments},
      benefit_fen = benefit_fen + ${benefitFen}, medical_fen = medical_fen + ${medicalFen}, stopped = stopped + ${stopped.rows.length},
      status = ${last ? 'done' : 'running'}, finished_at = ${last ? sql`now()` : sql`NULL`}
      WHERE id = ${runId}`.execute(tx);
    await sql`UPDATE job_run SET done = done + 1, updated_at = now(), status = ${last ? 'done' : 'running'},
      finished_at = ${last ? sql`now()` : sql`NULL`}
      WHERE id = (SELECT job_run_id FROM unemployment_payroll_run WHERE id = ${runId})`.execute(tx);
    if (last) {
      const t = await tx
        .selectFrom('unemployment_payroll_run')
        .select(['payments', 'benefit_fen', 'medical_fen', 'stopped'])
        .where('id', '=', runId)
        .executeTakeFirstOrThrow();
      await appendAudit(tx, actor, {
        action: 'unemployment.payroll.complete',
        entityType: 'unemployment_payroll_run',
        entityId: runId,
        region,
        after: { period, ...t },
      });
    }
    return true;
  });
}

/** Runs (or resumes) the benefit payroll of a period for a region; answers its summary. */
export async function runBenefitPayroll(
  ctx: AppContext,
  actor: Actor,
  opts: BenefitPayrollOptions,
): Promise<BenefitPayrollSummary> {
  const period = parsePeriod(opts.period);
  checkBenefitPeriod(period);
  const region = opts.region;
  const chunkSize = opts.chunkSize ?? UNEMPLOYMENT_PAYROLL_CHUNK;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'chunkSize',
      zh: String(chunkSize),
      en: String(chunkSize),
    });
  if (!(await ctx.db.selectFrom('region').select('code').where('code', '=', region).executeTakeFirst()))
    throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region', zh: region, en: region });
  const { runId, bounds } = await startOrResume(ctx.db, actor, period, region, chunkSize);
  const doneChunks = new Set(
    (
      await ctx.db
        .selectFrom('unemployment_payroll_chunk')
        .select('chunk_no')
        .where('run_id', '=', runId)
        .execute()
    ).map((r) => r.chunk_no),
  );
  let done = doneChunks.size;
  opts.onProgress?.(done, bounds.length, 'unemployment-payroll');
  for (const [i, b] of bounds.entries()) {
    const chunkNo = i + 1;
    if (doneChunks.has(chunkNo)) continue;
    if (await runChunk(ctx, actor, runId, period, region, chunkNo, b, opts.hooks ?? {})) {
      done += 1;
      opts.onProgress?.(done, bounds.length, 'unemployment-payroll');
      opts.hooks?.afterChunk?.(chunkNo);
    }
  }
  return benefitPayrollSummary(ctx.db, { period, region });
}

export async function benefitPayrollSummary(
  db: Db,
  q: { period: string; region: string },
): Promise<BenefitPayrollSummary> {
  const period = parsePeriod(q.period);
  const run = await db
    .selectFrom('unemployment_payroll_run')
    .selectAll()
    .where('period', '=', period)
    .where('region', '=', q.region)
    .executeTakeFirst();
  if (!run)
    return {
      runId: null,
      period,
      region: q.region,
      status: 'not_started',
      chunksDone: 0,
      chunksTotal: 0,
      payments: 0,
      benefitFen: 0,
      medicalFen: 0,
      totalFen: 0,
      stopped: 0,
    };
  const t = await sql<{
    chunks: unknown;
    payments: unknown;
    benefit: unknown;
    medical: unknown;
    stopped: unknown;
  }>`
    SELECT count(*) AS chunks, coalesce(sum(payments), 0)::bigint AS payments, coalesce(sum(benefit_fen), 0)::bigint AS benefit,
      coalesce(sum(medical_fen), 0)::bigint AS medical, coalesce(sum(stopped), 0)::bigint AS stopped
    FROM unemployment_payroll_chunk WHERE run_id = ${run.id}`.execute(db);
  const r = t.rows[0];
  const benefitFen = int(r?.benefit);
  const medicalFen = int(r?.medical);
  return {
    runId: run.id,
    period,
    region: run.region.trim(),
    status: run.status,
    chunksDone: int(r?.chunks),
    chunksTotal: run.chunks_total,
    payments: int(r?.payments),
    benefitFen,
    medicalFen,
    totalFen: benefitFen + medicalFen,
    stopped: int(r?.stopped),
  };
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

export const UNEMPLOYMENT_BANK_FILE_HEADER =
  'seq,id_number,name,bank_name,bank_account,amount_fen,amount_yuan,period,claim_id,note';

/**
 * The bank payment file of a finished run: one line per person paid (the benefit only; the medical
 * premiums go to the medical fund, not to the person). Chunk by chunk to `<path>.part`, then renamed.
 */
export async function writeBenefitBankFile(
  db: Db,
  q: { period: string; region: string },
  path: string,
): Promise<{ lines: number; totalFen: number }> {
  const period = parsePeriod(q.period);
  const run = await db
    .selectFrom('unemployment_payroll_run')
    .selectAll()
    .where('period', '=', period)
    .where('region', '=', q.region)
    .executeTakeFirst();
  if (!run || run.status !== 'done')
    throw new SbError('SB_ERR_CONFLICT', {
      zh: '本期发放尚未完成',
      en: 'the payroll of this period is not complete',
    });
  const part = `${path}.part`;
  const out = createWriteStream(part, { encoding: 'utf8', mode: 0o600 });
  const write = async (s: string): Promise<void> => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`${UNEMPLOYMENT_BANK_FILE_HEADER}\n`);
  let lines = 0;
  let totalFen = 0;
  for (let chunkNo = 1; chunkNo <= run.chunks_total; chunkNo++) {
    const rows = await sql<{
      id_number: string;
      name: string;
      bank_name: string | null;
      bank_account: string | null;
      amount: unknown;
      claim_id: unknown;
    }>`
      SELECT p.id_number, p.name, p.bank_name, p.bank_account, pm.amount_fen AS amount, pm.claim_id
      FROM unemployment_payment pm JOIN person p ON p.id = pm.person_id
      WHERE pm.run_id = ${run.id} AND pm.chunk_no = ${chunkNo} ORDER BY pm.claim_id`.execute(db);
    let buf = '';
    for (const r of rows.rows) {
      const amount = int(r.amount);
      lines += 1;
      totalFen += amount;
      buf += csvLine([
        csvNumber(lines),
        csvText(r.id_number),
        csvText(r.name),
        csvText(r.bank_name),
        csvText(r.bank_account),
        csvNumber(amount),
        csvNumber(formatYuan(amount, false)),
        csvText(period),
        csvNumber(int(r.claim_id)),
        csvText(r.bank_account ? '' : 'NO_ACCOUNT'),
      ]);
    }
    await write(buf);
  }
  await write(`# total,${lines},${totalFen}\n`);
  out.end();
  await once(out, 'finish');
  await rename(part, path);
  return { lines, totalFen };
}
