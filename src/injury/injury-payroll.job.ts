// Monthly work-injury payroll (伤残津贴, 生活护理费, 供养亲属抚恤金 paid by the fund), with the pension
// payroll's guarantees (src/pension/payroll.job.ts): set-based SQL in chunks of benefit ids; each
// chunk is one transaction that inserts its payments (ON CONFLICT DO NOTHING on the (benefit, period)
// primary key: one payment per benefit and month), posts the chunk's total to the work-injury fund's
// ledger (idempotency key run + chunk + region), records the chunk and advances the run. A crash leaves
// whole chunks; running the same period again resumes with the first chunk not done and pays nobody
// twice. Allowances owed by the employer (grades 5–6, an uninsured employer) are not paid here.
// The SQL is in injury-payroll.repository.ts.
//
// Test hooks (InjuryPayrollOptions.hooks, passed by the crash test's child process): insideChunk(n)
// runs inside chunk n after its payments are written and before its commit; afterChunk(n) after it.
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import * as monthly from '../ledger/monthly-run.ts';
import * as repo from './injury-payroll.repository.ts';

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

/** One chunk's payments and its ledger entries (inside the chunk's transaction). */
async function payChunk(
  { tx, chunkNo, bounds: b, entryDate, runId, period, region }: monthly.MonthlyChunk,
  actor: Actor,
): Promise<monthly.ChunkOutcome> {
  const paid = await repo.payBenefits(tx, b, { region, period, runId, chunkNo });
  let payments = 0;
  let totalFen = 0;
  for (const r of paid) {
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
    ids: repo.fundMonthlyBenefitIds(opts.region),
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
  const runs = await repo.injuryPayrollRuns(db, regionPattern);
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
    const rows = await repo.bankRowsOfRun(db, run.id);
    yield rows.map((r) => ({ ...r, ref: monthly.bankRefText(r.ids) }));
  },
);
