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
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { staffNames } from '../auth/staff-names.ts';
import { today } from '../core/clock.ts';
import { parsePeriod, periodEnd, periodOf, type Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';

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

interface Bounds {
  from: number;
  to: number;
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
    await sql`SELECT pg_advisory_xact_lock(726354131, hashtext(${period}))`.execute(tx);
    const existing = await sql<{
      id: unknown;
    }>`SELECT id FROM hospital_settlement_run WHERE period = ${period}`.execute(tx);
    if (existing.rows[0]) return int(existing.rows[0].id);
    const cutoff = periodEnd(period);
    // Chunk bounds over the hospitals that have something to be paid now (fixed for the whole run).
    const starts = await sql<{ from_id: unknown; to_id: unknown }>`
      WITH h AS (
        SELECT DISTINCT hospital_id FROM hospital_bill
        WHERE settlement_run_id IS NULL AND accepted_fen > 0 AND submitted_on <= ${cutoff}
      ), n AS (SELECT hospital_id, (row_number() OVER (ORDER BY hospital_id) - 1) / ${chunkSize} AS chunk FROM h)
      SELECT min(hospital_id) AS from_id, max(hospital_id) AS to_id FROM n GROUP BY chunk ORDER BY chunk`.execute(
      tx,
    );
    const bounds: Bounds[] = starts.rows.map((r) => ({ from: int(r.from_id), to: int(r.to_id) }));
    const ins = await sql<{ id: unknown }>`
      INSERT INTO hospital_settlement_run (period, cutoff, status, chunk_bounds, chunks_total, started_by, finished_at)
      VALUES (${period}, ${cutoff}, ${bounds.length === 0 ? 'done' : 'running'}, ${JSON.stringify(bounds)}::jsonb,
        ${bounds.length}, ${actor.username}, ${bounds.length === 0 ? sql`now()` : sql`NULL`})
      RETURNING id`.execute(tx);
    const runId = int(ins.rows[0]?.id);
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
    const run = (
      await sql<
        Record<string, unknown>
      >`SELECT * FROM hospital_settlement_run WHERE id = ${runId} FOR UPDATE`.execute(tx)
    ).rows[0];
    if (!run || int(run['chunks_done']) >= chunkNo) return; // done by an earlier (or parallel) attempt
    const b = (run['chunk_bounds'] as Bounds[])[chunkNo - 1];
    if (!b) return;
    const period = String(run['period']).trim();
    const cutoff = String(run['cutoff']);
    const groups = await sql<{ hospital_id: unknown; region: string; bills: unknown; amount: unknown }>`
      WITH claimed AS (
        UPDATE hospital_bill SET settlement_run_id = ${runId}
        WHERE settlement_run_id IS NULL AND accepted_fen > 0 AND submitted_on <= ${cutoff}
          AND hospital_id BETWEEN ${b.from} AND ${b.to}
        RETURNING hospital_id, region, accepted_fen
      )
      SELECT hospital_id, region, count(*) AS bills, sum(accepted_fen)::bigint AS amount
      FROM claimed GROUP BY hospital_id, region ORDER BY region, hospital_id`.execute(tx);
    const byRegion = new Map<string, number>();
    for (const g of groups.rows) byRegion.set(g.region, (byRegion.get(g.region) ?? 0) + int(g.amount));
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
    const rows = groups.rows;
    if (rows.length > 0)
      await sql`
        INSERT INTO hospital_settlement (run_id, chunk_no, hospital_id, region, bills, amount_fen, journal_entry_id)
        SELECT ${runId}, ${chunkNo}, * FROM unnest(${rows.map((g) => int(g.hospital_id))}::bigint[],
          ${rows.map((g) => g.region)}::char(6)[], ${rows.map((g) => int(g.bills))}::int[],
          ${rows.map((g) => int(g.amount))}::bigint[], ${rows.map((g) => entryOf.get(g.region) ?? 0)}::bigint[])`.execute(
        tx,
      );
    hooks.insideChunk?.(chunkNo);
    const bills = rows.reduce((s, g) => s + int(g.bills), 0);
    const total = rows.reduce((s, g) => s + int(g.amount), 0);
    const last = chunkNo >= int(run['chunks_total']);
    await sql`UPDATE hospital_settlement_run SET chunks_done = ${chunkNo}, bills = bills + ${bills},
      hospitals = hospitals + ${new Set(rows.map((g) => int(g.hospital_id))).size}, total_fen = total_fen + ${total},
      status = ${last ? 'done' : 'running'}, finished_at = ${last ? sql`now()` : sql`NULL`}
      WHERE id = ${runId}`.execute(tx);
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
  const run = (
    await sql<Record<string, unknown>>`SELECT * FROM hospital_settlement_run WHERE id = ${runId}`.execute(db)
  ).rows[0];
  const total = int(run?.['chunks_total']);
  for (let n = int(run?.['chunks_done']) + 1; n <= total; n++) {
    await runChunk(db, actor, runId, n, opts.hooks ?? {});
    opts.onProgress?.(n, total);
  }
  const done = await sql<
    Record<string, unknown>
  >`SELECT * FROM hospital_settlement_run WHERE id = ${runId}`.execute(db);
  const [summary] = await summaries(db, done.rows);
  if (!summary) throw new SbError('SB_ERR_INTERNAL');
  return summary;
}

export async function listSettlementRuns(db: Db): Promise<SettlementSummary[]> {
  const r = await sql<
    Record<string, unknown>
  >`SELECT * FROM hospital_settlement_run ORDER BY period DESC LIMIT 60`.execute(db);
  return summaries(db, r.rows);
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
  const r = await sql<Record<string, unknown>>`
    SELECT s.run_id, r.period, s.hospital_id, h.name, s.region, s.bills, s.amount_fen, s.journal_entry_id
    FROM hospital_settlement s JOIN hospital_settlement_run r ON r.id = s.run_id JOIN hospital h ON h.id = s.hospital_id
    WHERE true ${q.runId === undefined ? sql`` : sql`AND s.run_id = ${q.runId}`}
      ${q.hospitalId === undefined ? sql`` : sql`AND s.hospital_id = ${q.hospitalId}`}
    ORDER BY r.period DESC, h.name, s.region LIMIT 1000`.execute(db);
  return r.rows.map((x) => ({
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
      const r = await sql<{ region: string; paid: unknown; posted: unknown }>`
        WITH paid AS (SELECT region, sum(amount_fen)::bigint AS fen FROM hospital_settlement GROUP BY region),
        posted AS (
          SELECT e.region, sum(l.debit_fen)::bigint AS fen FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
          WHERE e.kind = ${SETTLEMENT_ENTRY_KIND} AND e.fund = 'injury' GROUP BY e.region
        )
        SELECT coalesce(paid.region, posted.region) AS region, coalesce(paid.fen, 0) AS paid, coalesce(posted.fen, 0) AS posted
        FROM paid FULL JOIN posted ON posted.region = paid.region`.execute(db);
      return r.rows
        .filter((x) => int(x.paid) !== int(x.posted))
        .map((x) => `injury/${x.region}: hospital settlements ${int(x.paid)} ≠ ledger ${int(x.posted)}`);
    },
  },
] as const;
