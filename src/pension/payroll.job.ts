// Monthly pension payroll: set-based SQL in chunks of award ids. Each chunk is one transaction that
// inserts the regular payments and the arrears payments (one per award, period and kind: the
// primary key), marks the arrears paid (the arrears rows by marker rows, the adjustments' amounts by
// the payment itself), posts the chunk's totals to the
// ledger (idempotency key run+chunk+fund), records the chunk and advances the progress. A crash at
// any point leaves whole chunks only; running the same period again resumes with the first chunk
// not done and pays nobody twice.
//
// Test hooks (PayrollOptions.hooks, passed by the crash test's child process, never read from the
// environment): insideChunk(n) runs inside chunk n after its payments are written and before its
// commit; afterChunk(n) right after chunk n commits. Chunks count from 1.
import { sql, type QueryResult, type RawBuilder } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { parsePeriod } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import type { Fund } from '../db/database.ts';
import { ACCOUNTS, postEntry, type PostingLine } from '../ledger/journal.repository.ts';
import * as monthly from '../ledger/monthly-run.ts';
import { int, isUniqueViolation } from '../db/values.ts';
import { regionCoversScanSql, regionOrAncestorSql } from '../db/region-sql.ts';
import { amountInForceSql, payableSql, regionCoversSql } from './pension.repository.ts';

export const PAYROLL_CHUNK = 50_000;

export interface PayrollOptions {
  period: string;
  region: string;
  chunkSize?: number;
  onProgress?: (done: number, total: number, stage: string) => void;
  /** For the crash test only: called at the two points where a crash must leave whole chunks. */
  hooks?: PayrollHooks;
  /** chunks paid at once, each on its own connection (PAYROLL_WORKERS; default 1) */
  workers?: number;
}

export type PayrollHooks = monthly.MonthlyRunHooks;

export interface PayrollSummary extends monthly.RunSummaryHead {
  payments: number;
  regularFen: number;
  arrearsFen: number;
  totalFen: number;
}

/** The pension payroll's run and chunk tables (src/ledger/monthly-run.ts keeps the guarantees). */
const PAYROLL_RUN: monthly.MonthlyRunKind = {
  jobKind: 'payroll',
  lockClass: 726354101,
  runTable: 'payroll_run',
  chunkTable: 'payroll_chunk',
  regionColumn: 'region',
  auditAction: 'payroll',
  completeColumns: ['payments', 'total_fen', 'regular_fen', 'arrears_fen'],
  hasUpdatedAt: true,
};

const FUND_OF: Record<string, Fund> = {
  employee_pension: 'employee_pension',
  resident_pension: 'resident_pension',
};

/** One chunk's payments, arrears, offsets and ledger entries (inside the chunk's transaction). */
async function payChunk(
  { tx, chunkNo, bounds: b, entryDate, runId, period, region }: monthly.MonthlyChunk,
  actor: Actor,
): Promise<monthly.ChunkOutcome> {
  const range = b.to === null ? sql`a.id >= ${b.from}` : sql`a.id BETWEEN ${b.from} AND ${b.to}`;
  const amountRange =
    b.to === null ? sql`pa.award_id >= ${b.from}` : sql`pa.award_id BETWEEN ${b.from} AND ${b.to}`;
  const paidRange =
    b.to === null ? sql`pp.award_id >= ${b.from}` : sql`pp.award_id BETWEEN ${b.from} AND ${b.to}`;
  const where = sql`${range} AND ${regionCoversScanSql(sql`a.region`, region)} AND ${payableSql(period)}`;
  const arrearsRange =
    b.to === null ? sql`ar.award_id >= ${b.from}` : sql`ar.award_id BETWEEN ${b.from} AND ${b.to}`;
  const markerRange =
    b.to === null ? sql`x.award_id >= ${b.from}` : sql`x.award_id BETWEEN ${b.from} AND ${b.to}`;
  // "Not yet paid this period" of each kind, per award; left out of the statement when no payment of
  // the period can be in the chunk's range (see paidInRangeByOthers): then the probes find nothing.
  const notPaidYet = (
    probe: boolean,
    award: RawBuilder<unknown>,
    kind: 'regular' | 'arrears',
  ): RawBuilder<unknown> =>
    probe
      ? sql`AND NOT EXISTS (SELECT 1 FROM pension_payment pp WHERE ${paidRange} AND pp.award_id = ${award} AND pp.period = ${period} AND pp.kind = ${kind})`
      : sql``;
  // One statement for both kinds of payment, so that both are inserted by one insert.
  // Regular payments: the amounts in force for the chunk in one range scan (not a probe per award),
  // DISTINCT ON in ascending award order, so that the awards merge with them in their key's order
  // without a sort of their own (descending, both sides were sorted: ~15 % of a chunk's CPU); the
  // payable awards materialized once, so the totals come from the rows inserted, not from a join.
  // Arrears: the unpaid arrears of the chunk's payable awards, claimed and paid in the same pass. Two
  // sources: the arrears rows without a paid marker (pension_arrears / pension_arrears_paid:
  // restorations and the like), each marked by an insert, and the arrears an annual adjustment carried
  // on its amount row (pension_amount.arrears_fen, migration 2026_12_01_1260; found through the partial
  // index of migration 2026_12_01_1380) that no arrears payment of the award has reached yet: the
  // payment records the newest amount it settles (arrears_through_amount_id, migration
  // 2026_12_03_1480), which holds because an award's amounts with arrears commit in id order (the
  // adjustments run one at a time, whatever the year: a run lock) and each payment settles all of them that
  // it sees. Neither the arrears row nor the amount row is ever updated; the payments are their sums per
  // award, and the totals come from the same rows — no join
  // of two intermediate results whose size the planner must guess (after the adjustment's bulk write it
  // guessed one row and chose a nested loop of 50,000 × 50,000: the 6 s ↔ 100 s swing of issue #18).
  // Every probe is bounded to the chunk's award range, so whichever plan the planner picks is linear
  // in the chunk. An award that was already paid this period (a run of an overlapping region) is not
  // paid again, and keeps its new arrears for the next month, as before. The per-award probes for that
  // are in the statement only when such a payment may be in range (payOnce); no insert has ON
  // CONFLICT, so a payment the statement did not expect fails it on the primary key instead of
  // booking what was not written (the same marker fails the chunk: it rolls back whole and resumes).
  const payStatement = (probe: boolean) => sql<{
    kind: 'regular' | 'arrears';
    scheme: string;
    region: string;
    n: unknown;
    total: unknown;
    account: unknown;
    offset: unknown;
  }>`
      WITH amt AS (
        SELECT DISTINCT ON (pa.award_id) pa.award_id, pa.monthly_fen, pa.account_fen FROM pension_amount pa
        WHERE ${amountRange} AND pa.effective_period <= ${period}
        ORDER BY pa.award_id, pa.effective_period DESC, pa.id DESC
      ), off AS (
        -- released offsets of open recovery cases against this month's pension
        SELECT rc.award_id, rc.amount_fen FROM recovery_collection rc JOIN recovery_case c ON c.id = rc.case_id AND c.status = 'open'
        WHERE rc.kind = 'offset' AND rc.status = 'scheduled' AND rc.period = ${period}
      ), src AS MATERIALIZED (
        -- the awards not yet paid this period (a run of an overlapping region may have paid some);
        -- the probe is bounded to the chunk's range whatever join the planner picks
        SELECT a.id, a.scheme, a.region, amt.monthly_fen,
          CASE WHEN a.scheme = 'resident_pension' THEN least(amt.account_fen, amt.monthly_fen) ELSE 0 END AS account_fen,
          CASE WHEN off.amount_fen <= amt.monthly_fen THEN off.amount_fen ELSE 0 END AS offset_fen
        FROM pension_award a JOIN amt ON amt.award_id = a.id LEFT JOIN off ON off.award_id = a.id
        WHERE ${where} ${notPaidYet(probe, sql`a.id`, 'regular')}
      ), due_rows AS MATERIALIZED (
        -- the arrears rows, read twice (marked, due); the adjustments' arrears on their amount rows,
        -- usually all of a chunk's, go straight into due's grouping: one pass, never stored in between
        SELECT ar.id, ar.award_id, a.scheme, a.region, ar.amount_fen, ar.account_fen
        FROM pension_award a JOIN pension_arrears ar ON ar.award_id = a.id
        WHERE ${arrearsRange} AND ${where}
          AND NOT EXISTS (SELECT 1 FROM pension_arrears_paid x WHERE ${markerRange} AND x.award_id = ar.award_id AND x.arrears_id = ar.id)
          ${notPaidYet(probe, sql`ar.award_id`, 'arrears')}
      ), marked AS (
        -- data-modifying CTEs always run, referenced or not; in the key's order
        INSERT INTO pension_arrears_paid (award_id, arrears_id, paid_in_period, payroll_run_id)
        SELECT award_id, id, ${period}, ${runId} FROM due_rows ORDER BY award_id, id
      ), due AS MATERIALIZED (
        SELECT award_id, scheme, region, sum(amount_fen)::bigint AS amount_fen,
          CASE WHEN scheme = 'resident_pension' THEN least(sum(amount_fen), sum(account_fen)) ELSE 0 END::bigint AS account_fen,
          max(id) FILTER (WHERE on_amount) AS through
        FROM (
          SELECT false AS on_amount, id, award_id, scheme, region, amount_fen, account_fen FROM due_rows
          UNION ALL
          SELECT true, pa.id, pa.award_id, a.scheme, a.region, pa.arrears_fen, 0
          FROM pension_award a JOIN pension_amount pa ON pa.award_id = a.id
          WHERE ${amountRange} AND pa.arrears_fen > 0 AND ${where}
            AND NOT EXISTS (SELECT 1 FROM pension_payment x WHERE ${markerRange} AND x.award_id = pa.award_id AND x.arrears_through_amount_id >= pa.id)
            ${notPaidYet(probe, sql`pa.award_id`, 'arrears')}
        ) u GROUP BY award_id, scheme, region
      ), paid AS (
        -- both kinds in one insert, each in award order, so that the primary key is filled leaf by leaf:
        -- the regular payments as src holds them (the merge join with the amounts in force gives award
        -- order), then the arrears sorted by award (their grouping hashes). One sort of both kinds
        -- together, by award and kind, cost ~4 % of a chunk's CPU (ties compared as text) for no
        -- fewer leaf visits: the chunk's leaves stay in shared buffers between the two runs. No ON
        -- CONFLICT: the totals below are the rows of src and due, so a payment that could not be
        -- written (a race with an overlapping run) must fail the chunk, which rolls back whole and resumes.
        INSERT INTO pension_payment (award_id, period, kind, amount_fen, account_fen, offset_fen, payroll_run_id, chunk_no, arrears_through_amount_id)
        SELECT p.award_id, ${period}, p.kind, p.amount_fen, p.account_fen, p.offset_fen, ${runId}, ${chunkNo}, p.through
        FROM (
          SELECT src.id AS award_id, 'regular' AS kind, src.monthly_fen AS amount_fen, src.account_fen, src.offset_fen, NULL::bigint AS through FROM src
          UNION ALL
          (SELECT due.award_id, 'arrears', due.amount_fen, due.account_fen, 0, due.through FROM due ORDER BY due.award_id)
        ) p
      )
      -- the totals straight from the rows inserted: no join of two intermediate results whose sizes the planner guesses
      SELECT 'regular' AS kind, src.scheme, src.region, count(*) AS n, coalesce(sum(src.monthly_fen), 0)::bigint AS total,
        coalesce(sum(src.account_fen), 0)::bigint AS account, coalesce(sum(src.offset_fen), 0)::bigint AS offset
      FROM src GROUP BY src.scheme, src.region
      UNION ALL
      SELECT 'arrears', due.scheme, due.region, count(*), coalesce(sum(due.amount_fen), 0)::bigint,
        coalesce(sum(due.account_fen), 0)::bigint, 0::bigint
      FROM due GROUP BY due.scheme, due.region`;
  // No JIT: with the awards' region statistics (migration 2026_12_03_1580) a chunk's estimated cost
  // passes jit_above_cost at 1,000,000 awards, and compiling its expressions costs more than it saves.
  await sql`SET LOCAL jit = off`.execute(tx);
  const totals = await payOnce(tx, await paidInRangeByOthers(tx, runId, period, region, b), payStatement);
  const regular = { rows: totals.rows.filter((r) => r.kind === 'regular') };
  const arrears = { rows: totals.rows.filter((r) => r.kind === 'arrears') };
  // The offsets this chunk kept back: applied, and their recovery cases credited (closed when complete).
  await sql`
      WITH ap AS (
        UPDATE recovery_collection rc SET status = 'applied', payroll_run_id = ${runId}
        FROM pension_payment pp
        WHERE rc.kind = 'offset' AND rc.status = 'scheduled' AND pp.award_id = rc.award_id AND pp.period = rc.period
          AND pp.kind = 'regular' AND pp.payroll_run_id = ${runId} AND pp.chunk_no = ${chunkNo} AND pp.offset_fen = rc.amount_fen
        RETURNING rc.case_id, rc.amount_fen
      ), s AS (SELECT case_id, sum(amount_fen)::bigint AS amt FROM ap GROUP BY case_id)
      UPDATE recovery_case c SET recovered_fen = c.recovered_fen + s.amt,
        status = CASE WHEN c.recovered_fen + s.amt >= c.amount_fen THEN 'recovered' ELSE c.status END, updated_at = now()
      FROM s WHERE c.id = s.case_id`.execute(tx);
  // Ledger entries per fund and the award's own region (a province-wide run books each city's fund).
  const byFund = new Map<
    string,
    { fund: Fund; region: string; amount: number; account: number; offset: number }
  >();
  const add = (fund: Fund, r: string, amount: number, account: number, offset = 0): void => {
    const k = `${fund}:${r}`;
    const cur = byFund.get(k) ?? { fund, region: r, amount: 0, account: 0, offset: 0 };
    cur.amount += amount;
    cur.account += account;
    cur.offset += offset;
    byFund.set(k, cur);
  };
  let payments = 0;
  let regularFen = 0;
  let arrearsFen = 0;
  for (const r of regular.rows) {
    const fund = FUND_OF[r.scheme];
    if (!fund) continue;
    payments += int(r.n);
    regularFen += int(r.total);
    add(fund, r.region, int(r.total), int(r.account), int(r.offset));
  }
  for (const r of arrears.rows) {
    const fund = FUND_OF[r.scheme];
    if (!fund) continue;
    payments += int(r.n);
    arrearsFen += int(r.total);
    add(fund, r.region, int(r.total), int(r.account));
  }
  for (const [key, { fund, region: entryRegion, amount, account, offset }] of [...byFund].sort((x, y) =>
    x[0] < y[0] ? -1 : 1,
  )) {
    if (amount <= 0) continue;
    await postEntry(tx, actor, {
      fund,
      region: entryRegion,
      period,
      entryDate,
      kind: 'pension_payroll',
      description: `养老金发放 ${period} 第${chunkNo}批 / pension payroll ${period} chunk ${chunkNo}`,
      idempotencyKey: `payroll:${runId}:${chunkNo}:${key}`,
      source: { type: 'payroll_run', id: runId },
      lines: payrollLines(fund, amount, account, offset),
    });
  }
  return {
    chunk: {
      from_award_id: b.from,
      to_award_id: b.to,
      payments,
      regular_fen: regularFen,
      arrears_fen: arrearsFen,
      total_fen: regularFen + arrearsFen,
    },
    totals: {
      payments,
      regular_fen: regularFen,
      arrears_fen: arrearsFen,
      total_fen: regularFen + arrearsFen,
    },
  };
}

/**
 * Can a payment of the period already be in this chunk's award range? Only through another run of the
 * period over an overlapping region (a city's run before its province's, or after) that recorded a
 * chunk overlapping the range: one look at the small run and chunk tables instead of two payment
 * probes per award. What this cannot see — a run racing with this one, a payment written outside any
 * run (the supervision demo plants some) — the primary key catches: see payOnce.
 */
async function paidInRangeByOthers(
  tx: Db,
  runId: number,
  period: string,
  region: string,
  b: monthly.ChunkBounds,
): Promise<boolean> {
  const overlaps = b.to === null ? sql`true` : sql`c.from_award_id <= ${b.to}`;
  const r = await sql`
    SELECT 1 FROM payroll_run r JOIN payroll_chunk c ON c.run_id = r.id
    WHERE r.period = ${period} AND r.id <> ${runId}
      AND (${regionCoversSql(sql`r.region`, region)} OR ${regionOrAncestorSql(sql`r.region`, region)})
      AND ${overlaps} AND (c.to_award_id IS NULL OR c.to_award_id >= ${b.from})
    LIMIT 1`.execute(tx);
  return r.rows.length > 0;
}

/**
 * Runs the chunk's statement with the per-award "paid this period" probes when a payment of the period
 * may be in range, without them otherwise. Without them, a payment already there is one the probes
 * would have left out, and its key is the one the insert writes: the primary key fails the statement,
 * which is rolled back to a savepoint and run again with the probes — the same rows either way.
 */
async function payOnce<R>(
  tx: Db,
  maybePaid: boolean,
  statement: (probe: boolean) => RawBuilder<R>,
): Promise<QueryResult<R>> {
  if (maybePaid) return statement(true).execute(tx);
  await sql`SAVEPOINT payroll_unprobed`.execute(tx);
  try {
    const out = await statement(false).execute(tx);
    await sql`RELEASE SAVEPOINT payroll_unprobed`.execute(tx);
    return out;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    await sql`ROLLBACK TO SAVEPOINT payroll_unprobed`.execute(tx);
    return statement(true).execute(tx);
  }
}

/**
 * The lines of a chunk's entry for one fund. Every payment is benefit expenditure paid from the bank.
 * A residents' pension is two parts (国发〔2014〕8号): the personal-account part is drawn down from the
 * accounts (3002 → 3001: the earmarked part of the balance shrinks by what is paid out of it), and
 * the basic part is financed by the government's subsidy (1201 receivable → 4002 subsidy income).
 * Employee pensions are paid from the pooled fund as before. An offset against a recovery case
 * (recovery-collection.service.ts) is kept back from the bank and clears the overpayment receivable.
 */
export function payrollLines(fund: Fund, amount: number, account: number, offset = 0): PostingLine[] {
  const lines: PostingLine[] = [
    { account: ACCOUNTS.benefitExpenditure, debitFen: amount },
    { account: ACCOUNTS.bank, creditFen: amount - offset },
  ];
  // What was kept back against a recovery case clears the overpayment receivable instead of leaving the bank.
  if (offset > 0) lines.push({ account: ACCOUNTS.overpaymentsReceivable, creditFen: offset });
  if (fund !== 'resident_pension') return lines;
  const basic = amount - account;
  if (account > 0)
    lines.push(
      { account: ACCOUNTS.personalAccountFund, debitFen: account },
      { account: ACCOUNTS.pooledFund, creditFen: account },
    );
  if (basic > 0)
    lines.push(
      { account: ACCOUNTS.subsidiesReceivable, debitFen: basic },
      { account: ACCOUNTS.subsidyIncome, creditFen: basic },
    );
  return lines;
}

/** A payroll is for a period up to next month by the server's clock; later ones are refused. */
export const checkPayrollPeriod = monthly.checkRunPeriod;

/**
 * What a run of the period would pay now, without paying: payable awards not yet paid for the period
 * (with their amount in force) and the unpaid arrears of payable awards. Shown to the checker.
 */
export async function previewPayroll(
  db: Db,
  q: { period: string; region: string },
): Promise<{ payments: number; persons: number; regularFen: number; arrearsFen: number; totalFen: number }> {
  const period = parsePeriod(q.period);
  const covers = regionCoversSql(sql`a.region`, q.region);
  const r = await sql<{ n: unknown; persons: unknown; total: unknown }>`
    SELECT count(*) AS n, count(DISTINCT a.person_id) AS persons, coalesce(sum(${amountInForceSql(period)}), 0)::bigint AS total
    FROM pension_award a
    WHERE ${covers} AND ${payableSql(period)} AND ${amountInForceSql(period)} IS NOT NULL
      -- a probe per award (OFFSET 0: never an anti-join): knowing the region's share of the awards
      -- (migration 1580) the planner scanned every payment for the period into a nested loop, which a
      -- period with payments its statistics have not seen yet would make quadratic
      AND NOT EXISTS (SELECT 1 FROM pension_payment pp WHERE pp.award_id = a.id AND pp.period = ${period} AND pp.kind = 'regular' OFFSET 0)`.execute(
    db,
  );
  // the unpaid arrears of both sources (see payChunk)
  const ar = await sql<{ n: unknown; total: unknown }>`
    SELECT count(DISTINCT u.award_id) AS n, coalesce(sum(u.amount_fen), 0)::bigint AS total
    FROM (
      SELECT ar.award_id, ar.amount_fen FROM pension_arrears ar
      WHERE NOT EXISTS (SELECT 1 FROM pension_arrears_paid x WHERE x.award_id = ar.award_id AND x.arrears_id = ar.id)
      UNION ALL
      SELECT pa.award_id, pa.arrears_fen FROM pension_amount pa
      WHERE pa.arrears_fen > 0
        AND NOT EXISTS (SELECT 1 FROM pension_payment x WHERE x.award_id = pa.award_id AND x.arrears_through_amount_id >= pa.id)
    ) u JOIN pension_award a ON a.id = u.award_id
    WHERE ${covers} AND ${payableSql(period)}`.execute(db);
  const regularFen = int(r.rows[0]?.total);
  const arrearsFen = int(ar.rows[0]?.total);
  return {
    payments: int(r.rows[0]?.n) + int(ar.rows[0]?.n),
    persons: int(r.rows[0]?.persons),
    regularFen,
    arrearsFen,
    totalFen: regularFen + arrearsFen,
  };
}

/** Runs (or resumes) the payroll of a period for a region; answers its summary. */
export async function runPayroll(db: Db, actor: Actor, opts: PayrollOptions): Promise<PayrollSummary> {
  const { ran } = await monthly.runMonthly(db, actor, PAYROLL_RUN, opts, {
    defaultChunk: PAYROLL_CHUNK,
    stage: 'payroll',
    // In the (region, id) index's order, so that the ids come from that index alone (an index-only scan
    // of 30 MB at 1,000,000 awards) rather than a scan of the awards themselves (142 MB): the bounds'
    // backend CPU about halves. chunkBoundsOf sorts them by id all the same: the same bounds.
    ids: sql`SELECT a.id FROM pension_award a WHERE ${regionCoversScanSql(sql`a.region`, opts.region)} ORDER BY a.region, a.id`,
    body: (c) => payChunk(c, actor),
  });
  // Statistics for the payments (and arrears markers) just written: the adjustment and the bank file
  // plan over them, and autovacuum may not have sampled them yet.
  if (ran) await sql`ANALYZE pension_payment, pension_arrears_paid`.execute(db);
  return payrollSummary(db, opts);
}

const SUMMARY_COLUMNS = ['payments', 'regular_fen', 'arrears_fen'] as const;

const summaryOf = (
  head: monthly.RunSummaryHead,
  t: Record<(typeof SUMMARY_COLUMNS)[number], number>,
): PayrollSummary => ({
  ...head,
  payments: t.payments,
  regularFen: t.regular_fen,
  arrearsFen: t.arrears_fen,
  totalFen: t.regular_fen + t.arrears_fen,
});

export async function payrollSummary(db: Db, q: { period: string; region: string }): Promise<PayrollSummary> {
  const { head, totals } = await monthly.runState(db, PAYROLL_RUN, q, SUMMARY_COLUMNS);
  return summaryOf(head, totals);
}

/** The region's past payroll runs, newest period first: the summary of each (at most `limit`). */
export async function payrollHistory(db: Db, region: string, limit: number): Promise<PayrollSummary[]> {
  const runs = await monthly.runHistory(db, PAYROLL_RUN, region, SUMMARY_COLUMNS, limit);
  return runs.map((r) => summaryOf(r.head, r.totals));
}

export const BANK_FILE_HEADER = monthly.bankFileHeader('award_ids');

/**
 * Writes the bank payment file of a finished run (docs/payroll-bank-file.md): one line per person
 * paid in the run, the sum of their payments. Full account numbers: the file goes to the bank, never
 * to a log. Written chunk by chunk to `<path>.part`, then renamed, so memory stays flat.
 */
export const writeBankFile = monthly.bankFileWriter(
  PAYROLL_RUN,
  BANK_FILE_HEADER,
  async function* (db, run, period) {
    for (const b of run.chunk_bounds) {
      const range =
        b.to === null ? sql`pp.award_id >= ${b.from}` : sql`pp.award_id BETWEEN ${b.from} AND ${b.to}`;
      const rows = await sql<monthly.BankRow & { awards: string }>`
        SELECT p.id_number, p.name, p.bank_name, p.bank_account, sum(pp.amount_fen - pp.offset_fen)::bigint AS amount, string_agg(DISTINCT pp.award_id::text, ';') AS awards
        FROM pension_payment pp JOIN pension_award a ON a.id = pp.award_id JOIN person p ON p.id = a.person_id
        WHERE ${range} AND pp.period = ${period} AND pp.payroll_run_id = ${run.id}
        GROUP BY p.id, p.id_number, p.name, p.bank_name, p.bank_account ORDER BY p.id`.execute(db);
      yield rows.rows.map((r) => ({ ...r, ref: monthly.bankRefText(r.awards) }));
    }
  },
);
