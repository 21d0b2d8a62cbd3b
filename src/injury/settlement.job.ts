// The periodic settlement with hospitals (`shebao injury settle --period YYYY-MM`): pays each hospital
// the accepted amounts of its bills submitted up to the period's last day and not yet settled, and
// posts the payments to the work-injury fund's ledger of the case's region.
//
// Set-based and resumable like the pension payroll: the run fixes its chunks of hospital ids at start
// (hospital_settlement_run.chunk_bounds); each chunk is one transaction that claims its bills
// (UPDATE … SET settlement_run_id … RETURNING), writes one settlement row per hospital and region,
// posts one ledger entry per region (idempotency key run+chunk+region) and counts the chunk done. A
// crash leaves whole chunks only; running the period again resumes with the first chunk not done;
// running a finished period again pays nothing. A bill is claimed by one run only (the UPDATE's
// `settlement_run_id IS NULL`), so it is paid once.
//
// Test hooks (SettlementOptions.hooks, never read from the environment): insideChunk(n) runs inside
// chunk n after its rows are written and before its commit.
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { staffNames } from '../auth/staff-names.ts';
import { today } from '../core/clock.ts';
import { parsePeriod, periodEnd, periodOf, type Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import {
  claimBills,
  insertSettlementRun,
  insertSettlements,
  lockSettlementPeriod,
  recordSettlementChunk,
  settlementChunks,
  settlementLineRows,
  settlementPaidAndPosted,
  settlementRun,
  settlementRunIdOf,
  settlementRuns,
  type SettlementBounds,
} from './settlement.repository.ts';

export const SETTLEMENT_CHUNK = 500;
export const SETTLEMENT_ENTRY_KIND = 'injury_hospital_settlement';

export interface SettlementOptions {
  period: string;
  /** hospitals per chunk */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
  hooks?: { insideChunk?: (chunkNo: number) => void };
}

export interface SettlementSummary {
  runId: number;
  period: Period;
  cutoff: string;
  status: 'running' | 'done';
  chunksDone: number;
  chunksTotal: number;
  bills: number;
  hospitals: number;
  totalFen: number;
  startedBy: string;
  /** The display name of the login that started the run, for the staff's pages (null: no such user). */
  startedByName: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** Runs as staff read them: who started each by display name (asked of the auth capability), not login. */
async function summaries(db: Db, rows: ReadonlyArray<Record<string, unknown>>): Promise<SettlementSummary[]> {
  const names = await staffNames(
    db,
    rows.map((r) => String(r['started_by'])),
  );
  return rows.map((r) => toSummary(r, names.get(String(r['started_by'])) ?? null));
}

function toSummary(r: Record<string, unknown>, startedByName: string | null): SettlementSummary {
  const ts = (v: unknown): string | null =>
    v === null || v === undefined ? null : new Date(v as string).toISOString();
  return {
    runId: int(r['id']),
    period: String(r['period']).trim(),
    cutoff: String(r['cutoff']),
    status: r['status'] === 'done' ? 'done' : 'running',
    chunksDone: int(r['chunks_done']),
    chunksTotal: int(r['chunks_total']),
    bills: int(r['bills']),
    hospitals: int(r['hospitals']),
    totalFen: int(r['total_fen']),
    startedBy: String(r['started_by']),
    startedByName,
    startedAt: ts(r['started_at']) ?? '',
    finishedAt: ts(r['finished_at']),
  };
}

/** A settlement is for a period up to the current month by the server's clock. */
export function checkSettlementPeriod(period: string): Period {
  const p = parsePeriod(period);
  if (p > periodOf(today()))
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'period',
      zh: `结算期间不得晚于本月（${periodOf(today())}）`,
      en: `the settlement period may be at most the current month (${periodOf(today())})`,
    });
  return p;
}

async function startOrResume(db: Db, actor: Actor, period: Period, chunkSize: number): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await lockSettlementPeriod(tx, period);
    const existing = await settlementRunIdOf(tx, period);
    if (existing !== undefined) return existing;
    const cutoff = periodEnd(period);
    const bounds = await settlementChunks(tx, cutoff, chunkSize);
    const runId = await insertSettlementRun(tx, { period, cutoff, bounds, startedBy: actor.username });
    await appendAudit(tx, actor, {
      action: 'settlement.start',
      entityType: 'hospital_settlement_run',
      entityId: runId,
      after: { period, cutoff, chunks: bounds.length },
    });
    return runId;
  });
}

async function runChunk(
  db: Db,
  actor: Actor,
  runId: number,
  chunkNo: number,
  hooks: NonNullable<SettlementOptions['hooks']>,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const run = await settlementRun(tx, runId, true);
    if (!run || int(run['chunks_done']) >= chunkNo) return; // done by an earlier (or parallel) attempt
    const b = (run['chunk_bounds'] as SettlementBounds[])[chunkNo - 1];
    if (!b) return;
    const period = String(run['period']).trim();
    const cutoff = String(run['cutoff']);
    const rows = await claimBills(tx, runId, cutoff, b);
    const byRegion = new Map<string, number>();
    for (const g of rows) byRegion.set(g.region, (byRegion.get(g.region) ?? 0) + int(g.amount));
    const entryDate = today() < cutoff ? today() : cutoff;
    const entryOf = new Map<string, number>();
    for (const [region, amount] of [...byRegion].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
      const posted = await postEntry(tx, actor, {
        fund: 'injury',
        region,
        period,
        entryDate,
        kind: SETTLEMENT_ENTRY_KIND,
        description: `工伤医疗费用医院直接结算 ${period} 第${chunkNo}批 / work-injury hospital settlement ${period} chunk ${chunkNo}`,
        idempotencyKey: `injury-settlement:${runId}:${chunkNo}:${region}`,
        source: { type: 'hospital_settlement_run', id: runId },
        lines: [
          { account: ACCOUNTS.benefitExpenditure, debitFen: amount },
          { account: ACCOUNTS.bank, creditFen: amount },
        ],
      });
      entryOf.set(region, posted.entryId);
    }
    if (rows.length > 0)
      await insertSettlements(
        tx,
        runId,
        chunkNo,
        rows.map((g) => ({
          hospitalId: int(g.hospital_id),
          region: g.region,
          bills: int(g.bills),
          amountFen: int(g.amount),
          entryId: entryOf.get(g.region) ?? 0,
        })),
      );
    hooks.insideChunk?.(chunkNo);
    const bills = rows.reduce((s, g) => s + int(g.bills), 0);
    const total = rows.reduce((s, g) => s + int(g.amount), 0);
    const last = chunkNo >= int(run['chunks_total']);
    await recordSettlementChunk(tx, runId, {
      chunkNo,
      bills,
      hospitals: new Set(rows.map((g) => int(g.hospital_id))).size,
      totalFen: total,
      last,
    });
    if (last)
      await appendAudit(tx, actor, {
        action: 'settlement.complete',
        entityType: 'hospital_settlement_run',
        entityId: runId,
        after: { period, chunks: chunkNo },
      });
  });
}

/** Runs (or resumes, or just reports) the settlement of `period`. */
export async function runSettlement(
  db: Db,
  actor: Actor,
  opts: SettlementOptions,
): Promise<SettlementSummary> {
  const period = checkSettlementPeriod(opts.period);
  const runId = await startOrResume(db, actor, period, opts.chunkSize ?? SETTLEMENT_CHUNK);
  const run = await settlementRun(db, runId);
  const total = int(run?.['chunks_total']);
  for (let n = int(run?.['chunks_done']) + 1; n <= total; n++) {
    await runChunk(db, actor, runId, n, opts.hooks ?? {});
    opts.onProgress?.(n, total);
  }
  const done = await settlementRun(db, runId);
  const [summary] = await summaries(db, done ? [done] : []);
  if (!summary) throw new SbError('SB_ERR_INTERNAL');
  return summary;
}

export async function listSettlementRuns(db: Db): Promise<SettlementSummary[]> {
  return summaries(db, await settlementRuns(db));
}

export interface SettlementLine {
  runId: number;
  period: string;
  hospitalId: number;
  hospitalName: string;
  region: string;
  bills: number;
  amountFen: number;
  journalEntryId: number;
}

/** What runs paid, per hospital and region: all of them for `hospitalId` undefined. */
export async function settlementLines(
  db: Db,
  q: { runId?: number | undefined; hospitalId?: number | undefined; region?: string | undefined },
): Promise<SettlementLine[]> {
  const r = await settlementLineRows(db, q);
  return r.map((x) => ({
    runId: int(x['run_id']),
    period: String(x['period']).trim(),
    hospitalId: int(x['hospital_id']),
    hospitalName: String(x['name']),
    region: String(x['region']),
    bills: int(x['bills']),
    amountFen: int(x['amount_fen']),
    journalEntryId: int(x['journal_entry_id']),
  }));
}

/** Sub-ledger check for `ledger verify`: what the runs paid = the ledger's settlement entries. */
export const SETTLEMENT_CHECKS = [
  {
    name: 'hospital settlements = work-injury fund settlement entries',
    async run(db: Db): Promise<string[]> {
      const r = await settlementPaidAndPosted(db, SETTLEMENT_ENTRY_KIND);
      return r
        .filter((x) => int(x.paid) !== int(x.posted))
        .map((x) => `injury/${x.region}: hospital settlements ${int(x.paid)} ≠ ledger ${int(x.posted)}`);
    },
  },
] as const;
