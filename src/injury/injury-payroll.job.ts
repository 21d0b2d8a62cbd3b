// Monthly work-injury payroll (伤残津贴, 生活护理费, 供养亲属抚恤金 paid by the fund), with the pension
// payroll's guarantees (src/pension/payroll.job.ts): set-based SQL in chunks of benefit ids; each
// chunk is one transaction that inserts its payments (ON CONFLICT DO NOTHING on the (benefit, period)
// primary key: one payment per benefit and month), posts the chunk's total to the work-injury fund's
// ledger (idempotency key run + chunk + region), records the chunk and advances the run. A crash leaves
// whole chunks; running the same period again resumes with the first chunk not done and pays nobody
// twice. Allowances owed by the employer (grades 5–6, an uninsured employer) are not paid here.
//
// Test hooks (InjuryPayrollOptions.hooks, passed by the crash test's child process): insideChunk(n)
// runs inside chunk n after its payments are written and before its commit; afterChunk(n) after it.
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { periodStart, type Period } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import * as monthly from '../ledger/monthly-run.ts';
import './injury.tables.ts';

export const INJURY_PAYROLL_CHUNK = 20_000;

export type InjuryPayrollOptions = Omit<monthly.MonthlyRunOptions, 'onProgress'>;

export interface InjuryPayrollSummary extends Omit<monthly.RunSummaryHead, 'status'> {
  status: 'not_started' | 'running' | 'done';
  payments: number;
  totalFen: number;
}

/** The work-injury payroll's run and chunk tables (src/ledger/monthly-run.ts keeps the guarantees). */
const INJURY_RUN: monthly.MonthlyRunKind = {
  jobKind: null,
  lockClass: 726354113,
  runTable: 'injury_payroll_run',
  chunkTable: 'injury_payroll_chunk',
  regionColumn: 'region_code',
  auditAction: 'injury.payroll',
  completeColumns: [],
  hasUpdatedAt: false,
};

/** A fund-paid monthly benefit payable in the period (alias b, person p). */
const payableSql = (
  period: Period,
) => sql<boolean>`b.monthly AND b.payer = 'fund' AND b.status IN ('decided', 'paid')
  AND b.from_period <= ${period} AND (b.to_period IS NULL OR b.to_period >= ${period})
  AND (p.death_date IS NULL OR p.death_date >= ${periodStart(period)}::date)`;

/** One chunk's payments and its ledger entries (inside the chunk's transaction). */
async function payChunk(
  { tx, chunkNo, bounds: b, entryDate, runId, period, region }: monthly.MonthlyChunk,
  actor: Actor,
): Promise<monthly.ChunkOutcome> {
  const range = b.to === null ? sql`b.id >= ${b.from}` : sql`b.id BETWEEN ${b.from} AND ${b.to}`;
  const paid = await sql<{ region_code: string; n: unknown; total: unknown }>`
      WITH src AS MATERIALIZED (
        SELECT b.id, b.person_id, b.region_code, b.amount_fen FROM injury_benefit b JOIN person p ON p.id = b.person_id
        WHERE ${range} AND ${regionCoversSql(sql`b.region_code`, region)} AND ${payableSql(period)}
      ), ins AS (
        INSERT INTO injury_payment (benefit_id, period, person_id, amount_fen, run_id, chunk_no)
        SELECT id, ${period}, person_id, amount_fen, ${runId}, ${chunkNo} FROM src
        ON CONFLICT DO NOTHING
        RETURNING benefit_id, amount_fen
      ), marked AS (
        UPDATE injury_benefit SET status = 'paid' FROM ins WHERE injury_benefit.id = ins.benefit_id AND injury_benefit.status = 'decided'
        RETURNING injury_benefit.id
      )
      SELECT src.region_code, count(*) AS n, coalesce(sum(ins.amount_fen), 0)::bigint AS total
      FROM ins JOIN src ON src.id = ins.benefit_id GROUP BY src.region_code ORDER BY src.region_code`.execute(
    tx,
  );
  let payments = 0;
  let totalFen = 0;
  for (const r of paid.rows) {
    const amount = int(r.total);
    payments += int(r.n);
    totalFen += amount;
    if (amount <= 0) continue;
    await postEntry(tx, actor, {
      fund: 'injury',
      region: r.region_code.trim(),
      period,
      entryDate,
      kind: 'injury_payroll',
      description: `工伤保险定期待遇发放 ${period} 第${chunkNo}批 / work-injury monthly benefits ${period} chunk ${chunkNo}`,
      idempotencyKey: `injury-payroll:${runId}:${chunkNo}:${r.region_code.trim()}`,
      source: { type: 'injury_payroll_run', id: runId },
      lines: [
        { account: ACCOUNTS.benefitExpenditure, debitFen: amount },
        { account: ACCOUNTS.bank, creditFen: amount },
      ],
    });
  }
  return { chunk: { payments, total_fen: totalFen }, totals: { payments, total_fen: totalFen } };
}

/** Runs (or resumes) the work-injury payroll of a period for a region; answers its summary. */
export async function runInjuryPayroll(
  db: Db,
  actor: Actor,
  opts: InjuryPayrollOptions,
): Promise<InjuryPayrollSummary> {
  await monthly.runMonthly(db, actor, INJURY_RUN, opts, {
    defaultChunk: INJURY_PAYROLL_CHUNK,
    stage: 'injury-payroll',
    ids: sql`SELECT b.id FROM injury_benefit b WHERE b.monthly AND b.payer = 'fund' AND ${regionCoversSql(sql`b.region_code`, opts.region)}`,
    body: (c) => payChunk(c, actor),
  });
  return injuryPayrollSummary(db, opts);
}

export async function injuryPayrollSummary(
  db: Db,
  q: { period: string; region: string },
): Promise<InjuryPayrollSummary> {
  const { head, totals: t } = await monthly.runState(db, INJURY_RUN, q, ['payments', 'total_fen']);
  const status = head.status === 'not_started' || head.status === 'done' ? head.status : 'running';
  return { ...head, status, payments: t.payments, totalFen: t.total_fen };
}

export async function listInjuryPayrollRuns(db: Db, regionPattern: string): Promise<InjuryPayrollSummary[]> {
  const runs = await db
    .selectFrom('injury_payroll_run')
    .selectAll()
    .where('region_code', 'like', regionPattern)
    .orderBy('period', 'desc')
    .limit(36)
    .execute();
  return runs.map((run) => ({
    runId: int(run.id),
    period: run.period,
    region: run.region_code.trim(),
    status: run.status,
    chunksDone: run.chunks_done,
    chunksTotal: run.chunks_total,
    payments: run.payments,
    totalFen: int(run.total_fen),
  }));
}

export const INJURY_BANK_FILE_HEADER = monthly.bankFileHeader('benefit_ids');

/** The bank payment file of a finished run: one line per person, the sum of their payments (full accounts: the file goes to the bank). */
export const writeInjuryBankFile = monthly.bankFileWriter(
  INJURY_RUN,
  INJURY_BANK_FILE_HEADER,
  async function* (db, run) {
    const rows = await sql<monthly.BankRow & { ids: string }>`
      SELECT p.id_number, p.name, p.bank_name, p.bank_account, sum(ip.amount_fen)::bigint AS amount, string_agg(ip.benefit_id::text, ';' ORDER BY ip.benefit_id) AS ids
      FROM injury_payment ip JOIN person p ON p.id = ip.person_id
      WHERE ip.run_id = ${run.id} GROUP BY p.id, p.id_number, p.name, p.bank_name, p.bank_account ORDER BY p.id`.execute(
      db,
    );
    yield rows.rows.map((r) => ({ ...r, ref: monthly.bankRefText(r.ids) }));
  },
);
